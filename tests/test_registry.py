"""The claim registry: exactly C1–C12, not-implemented never passes, crashes are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from mbc_verify.certificate import Certificate
from mbc_verify.claims import CLAIM_IDS, all_claims, parse_claims, run_claim
from mbc_verify.claims import registry as reg


@pytest.fixture(autouse=True)
def _claims_loaded() -> None:
    """Import the claim modules before a test swaps the function table, so they register in the real one."""
    all_claims()


def test_registry_lists_exactly_c1_to_c12() -> None:
    assert [c.claim_id for c in all_claims()] == [f"C{k}" for k in range(1, 13)]
    assert list(CLAIM_IDS) == [f"C{k}" for k in range(1, 13)]


def test_parse_claims() -> None:
    assert parse_claims("c3, C1,C3") == ["C1", "C3"]
    assert parse_claims(None) == list(CLAIM_IDS)
    with pytest.raises(ValueError, match="^claims: unknown claim id 'C99'"):
        parse_claims("C1,C99")


def test_not_implemented_claim_never_passes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(reg, "_FUNCTIONS", {})
    cert = run_claim("C5", out_dir=tmp_path)
    assert cert.verdict == "not-implemented"
    assert not cert.passed


def test_crashing_claim_is_an_error_not_a_pass(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def boom(profile, seed, out, mutant):
        raise RuntimeError("kaput")

    monkeypatch.setattr(reg, "_FUNCTIONS", {"C2": boom})
    cert = run_claim("C2", out_dir=tmp_path)
    assert cert.verdict == "error" and not cert.passed
    assert "kaput" in cert.details["error"]


def test_run_claim_stamps_profile_mutant_and_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def ok(profile, seed, out, mutant):
        return Certificate("C4", "s", measured=1.0, expected=1.0, tolerance=0.0, seeds=[seed]).judge()

    monkeypatch.setattr(reg, "_FUNCTIONS", {"C4": ok})
    cert = run_claim("C4", profile="full", seed=7, out_dir=tmp_path, mutant="rate_doubled")
    assert cert.passed and cert.profile == "full" and cert.mutant == "rate_doubled" and cert.seeds == [7]
    assert cert.wall_seconds >= 0.0


@pytest.mark.parametrize(("kwargs", "param"), [({"profile": "slow"}, "profile"), ({"mutant": "nope"}, "mutant"),
                                               ({"seed": -1}, "seed")])
def test_run_claim_validates(kwargs: dict, param: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=f"^{param}"):
        run_claim("C1", out_dir=tmp_path, **kwargs)


def test_claim_decorator_rejects_unknown_id() -> None:
    with pytest.raises(ValueError, match="^claim_id"):
        reg.claim("C13")
