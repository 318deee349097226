"""Certificates: JSON round-trip, verdict logic."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mbc_verify.certificate import RELATIONS, VERDICTS, Certificate, compare

finite = st.floats(allow_nan=False, allow_infinity=False)
maybe = st.one_of(st.none(), st.floats(allow_nan=False))
text = st.text(max_size=40)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**53, 2**53), finite, text)

certificates = st.builds(
    Certificate,
    claim_id=st.sampled_from([f"C{k}" for k in range(1, 13)]),
    statement=text,
    quantity=text,
    measured=maybe,
    expected=maybe,
    tolerance=maybe,
    relation=st.sampled_from(RELATIONS),
    tolerance_source=text,
    verdict=st.sampled_from(VERDICTS),
    seeds=st.lists(st.integers(0, 2**63 - 1), max_size=4),
    sizes=st.dictionaries(st.text(min_size=1, max_size=8), json_scalars, max_size=4),
    wall_seconds=st.floats(0, 1e6),
    evidence=st.lists(text, max_size=3),
    details=st.dictionaries(st.text(min_size=1, max_size=8), json_scalars, max_size=4),
    profile=st.sampled_from(["quick", "full"]),
    mutant=st.one_of(st.none(), text),
)


@given(certificates)
def test_json_round_trip(cert: Certificate) -> None:
    back = Certificate.from_json(cert.to_json())
    assert back == cert


def test_non_finite_values_round_trip_and_never_pass() -> None:
    cert = Certificate("C1", "s", measured=math.nan, expected=math.inf, tolerance=1.0)
    back = Certificate.from_json(cert.to_json())
    assert math.isnan(back.measured) and back.expected == math.inf
    assert not cert.judge().passed


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


def test_only_pass_counts_as_passed() -> None:
    assert [v for v in VERDICTS if Certificate("C1", "s", verdict=v).passed] == ["pass"]


def test_missing_numbers_fail() -> None:
    assert Certificate("C1", "s", measured=1.0, expected=None, tolerance=1.0).judge().verdict == "fail"


def test_bad_verdict_and_relation_rejected() -> None:
    with pytest.raises(ValueError, match="^verdict"):
        Certificate("C1", "s", verdict="passed")
    with pytest.raises(ValueError, match="^relation"):
        Certificate("C1", "s", relation="approx")
