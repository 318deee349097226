"""Certificates made of checks: JSON round trip, the derived verdict, reading reports written before checks existed."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mbc_verify.certificate import LEGACY_CHECK, RELATIONS, STATUSES, Certificate, Check, compare

finite = st.floats(allow_nan=False, allow_infinity=False)
number = st.floats(allow_nan=True, allow_infinity=True)
text = st.text(max_size=40)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**53, 2**53), finite, text)
checks = st.builds(Check, name=st.text(min_size=1, max_size=12), measured=number, expected=number,
                   tolerance=number, relation=st.sampled_from(RELATIONS), source=text, quantity=text)


@st.composite
def certificates(draw: st.DrawFn) -> Certificate:
    cs = draw(st.lists(checks, max_size=4, unique_by=lambda c: c.name))
    return Certificate(
        claim_id=draw(st.sampled_from([f"C{k}" for k in range(1, 13)])), statement=draw(text), checks=cs,
        primary=draw(st.sampled_from([c.name for c in cs])) if cs else "", status=draw(st.sampled_from(STATUSES)),
        seeds=draw(st.lists(st.integers(0, 2**63 - 1), max_size=4)),
        sizes=draw(st.dictionaries(st.text(min_size=1, max_size=8), json_scalars, max_size=4)),
        wall_seconds=draw(st.floats(0, 1e6)), evidence=draw(st.lists(text, max_size=3)),
        details=draw(st.dictionaries(st.text(min_size=1, max_size=8), json_scalars, max_size=4)),
        profile=draw(st.sampled_from(["quick", "full"])), mutant=draw(st.one_of(st.none(), text)))


def _same(a: Check, b: Check) -> bool:
    nums = all((x == y) or (math.isnan(x) and math.isnan(y)) for x, y in
               ((a.measured, b.measured), (a.expected, b.expected), (a.tolerance, b.tolerance)))
    return nums and (a.name, a.relation, a.source, a.quantity) == (b.name, b.relation, b.source, b.quantity)


@given(certificates())
def test_json_round_trip_keeps_every_check_and_the_verdict(cert: Certificate) -> None:
    back = Certificate.from_json(cert.to_json())
    assert back.verdict == cert.verdict and back.primary == (cert.headline.name if cert.headline else "")
    assert len(back.checks) == len(cert.checks) and all(map(_same, back.checks, cert.checks))
    assert (back.claim_id, back.seeds, back.sizes, back.evidence, back.details, back.mutant) == \
        (cert.claim_id, cert.seeds, cert.sizes, cert.evidence, cert.details, cert.mutant)


@given(st.lists(checks, min_size=1, max_size=5, unique_by=lambda c: c.name))
def test_verdict_is_pass_exactly_when_every_check_holds(cs: list[Check]) -> None:
    cert = Certificate("C1", "s", checks=cs)
    assert cert.passed == all(c.holds for c in cs)
    assert cert.failed_checks == [c for c in cs if not c.holds]


def test_no_check_and_unfinished_computations_never_pass() -> None:
    assert Certificate("C1", "s").verdict == "fail"
    ok = [Check("x", 0.0, 0.0, 0.0)]
    for status in ("error", "interrupted", "not-implemented"):
        assert Certificate("C1", "s", checks=ok, status=status).verdict == status


def test_non_finite_values_round_trip_and_never_hold() -> None:
    c = Check("x", math.nan, math.inf, 1.0)
    back = Check.from_dict(json.loads(json.dumps(c.to_dict())))
    assert math.isnan(back.measured) and back.expected == math.inf and not back.holds


@pytest.mark.parametrize(
    ("measured", "expected", "tol", "relation", "ok"),
    [
        (1.0, 1.05, 0.1, "abs", True), (1.0, 1.2, 0.1, "abs", False),
        (1.0, 1.05, 0.1, "rel", True), (1.0, 2.0, 0.1, "rel", False),
        (0.9, 1.0, 0.0, "le", True), (1.1, 1.0, 0.0, "le", False),
        (2.1, 2.0, 0.0, "ge", True), (1.9, 2.0, 0.0, "ge", False),
        (2.0, 2.3, 0.5, "in", True), (2.0, 2.6, 0.5, "in", False),
    ],
)
def test_compare(measured: float, expected: float, tol: float, relation: str, ok: bool) -> None:
    assert compare(measured, expected, tol, relation) is ok
    assert Check("c", measured, expected, tol, relation).holds is ok


def test_flag_checks_hold_only_for_true() -> None:
    assert Check.flag("identity", True, "sympy").holds and not Check.flag("identity", False, "sympy").holds


def test_bad_relation_status_and_duplicate_names_rejected() -> None:
    with pytest.raises(ValueError, match="^relation"):
        Check("c", 1.0, 1.0, 0.0, "approx")
    with pytest.raises(ValueError, match="^status"):
        Certificate("C1", "s", status="passed")
    with pytest.raises(ValueError, match="^checks"):
        Certificate("C1", "s", checks=[Check("a", 0, 0, 0), Check("a", 1, 1, 0)])
    with pytest.raises(ValueError, match="^primary"):
        Certificate("C1", "s", checks=[Check("a", 0, 0, 0)], primary="b")


def test_reports_written_before_checks_are_read_with_their_verdicts() -> None:
    """A report of mbc_verify 0.1 (assigned verdicts, headline fields only) reads back with the same verdicts:
    the headline becomes a check and the recorded verdict a second one."""
    old = json.loads((Path(__file__).parent / "data" / "report_v0.1.json").read_text())
    for d in old["certificates"]:
        cert = Certificate.from_dict(d)
        assert cert.verdict == d["verdict"]
        head = cert.headline
        assert head.name == "headline" and head.measured == d["measured"]
        if d["verdict"] in ("pass", "fail"):
            assert [c.name for c in cert.checks] == ["headline", LEGACY_CHECK]
    hand = {"claim_id": "C4", "statement": "s", "measured": 0.1, "expected": 0.0, "tolerance": 1.0,
            "relation": "abs", "verdict": "fail"}
    assert Certificate.from_dict(hand).verdict == "fail"  # the headline holds; the recorded verdict decides
    assert Certificate.from_dict({**hand, "verdict": "error"}).verdict == "error"
