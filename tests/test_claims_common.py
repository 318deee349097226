"""The claims' shared helpers: the excess of a check over its tolerance, the worst of a family, NaN-aware max."""

from __future__ import annotations

import math

import pytest

from mbc_verify.certificate import Check
from mbc_verify.claims.common import excess, max_or_nan, worst


@pytest.mark.parametrize(("relation", "measured", "value"), [
    ("abs", 1.5, 0.25), ("abs", 0.5, 0.25), ("in", 2.0, 0.5), ("rel", 1.2, 0.2 / 0.2),
    ("le", 2.0, 0.5), ("le", 0.0, -0.5), ("ge", 0.0, 0.5), ("ge", 3.0, -1.0),
])
def test_excess_is_one_at_the_tolerance(relation, measured, value):
    """excess ≤ 1 ⇔ the check holds; excess = 1 exactly at the edge of the tolerance."""
    tol = 2.0 if relation != "rel" else 0.2
    c = Check("c", measured, 1.0, tol, relation)
    assert excess(c) == pytest.approx(value)
    assert (excess(c) <= 1.0) == c.holds
    edge = {"abs": 3.0, "in": 3.0, "rel": 1.2, "le": 3.0, "ge": -1.0}[relation]
    assert excess(Check("e", edge, 1.0, tol, relation)) == pytest.approx(1.0)


def test_excess_of_zero_tolerance_and_nan():
    assert excess(Check("c", 1.0, 1.0, 0.0, "le")) == 0.0
    assert excess(Check("c", 1.1, 1.0, 0.0, "le")) == math.inf
    assert excess(Check("c", 0.9, 1.0, 0.0, "le")) == -math.inf
    assert excess(Check("c", math.nan, 1.0, 1.0, "abs")) == math.inf


def test_worst_picks_the_failing_or_nan_check_and_renames_it():
    checks = [Check("a", 0.1, 0.0, 1.0, "abs", quantity="case 1"), Check("a", 0.9, 0.0, 1.0, "abs", quantity="case 2"),
              Check("a", -0.5, 0.0, 1.0, "abs", quantity="case 3")]
    w = worst(checks, "a (worst)")
    assert w.name == "a (worst)" and w.quantity == "case 2" and w.holds
    w = worst([*checks, Check("a", math.nan, 0.0, 1.0, "abs", quantity="case 4")], "a (worst)")
    assert w.quantity == "case 4" and not w.holds


def test_max_or_nan():
    assert max_or_nan([1.0, 3.0, 2.0]) == 3.0
    assert math.isnan(max_or_nan([1.0, math.nan, 2.0]))  # the builtin max would return 2.0 here
    assert max([1.0, math.nan, 2.0]) == 2.0
