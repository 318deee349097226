"""The claim registry and the one runner: exactly C1–C12, not-implemented never passes, crashes are reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import make_claim

from mbc_verify.claims import CLAIM_IDS, all_claims, parse_claims, register, run_claim


def test_registry_lists_exactly_c1_to_c12_all_implemented() -> None:
    infos = all_claims()
    assert [c.claim_id for c in infos] == [f"C{k}" for k in range(1, 13)] == list(CLAIM_IDS)
    assert all(c.claim is not None for c in infos)


def test_every_claim_declares_sizes_primary_and_the_defects_it_must_catch() -> None:
    for info in all_claims():
        c = info.claim
        assert set(c.sizes) == {"quick", "full"} and c.primary and c.catches, info.claim_id


def test_parse_claims() -> None:
    assert parse_claims("c3, C1,C3") == ["C1", "C3"]
    assert parse_claims(None) == list(CLAIM_IDS)
    with pytest.raises(ValueError, match="^claims: unknown claim id 'C99'"):
        parse_claims("C1,C99")
    with pytest.raises(ValueError, match="^claims: empty claim id"):
        parse_claims("C1,,C2")
    with pytest.raises(ValueError, match="^claims: must name at least one"):
        parse_claims("")


def test_not_implemented_claim_never_passes(fake_claims, tmp_path: Path) -> None:
    fake_claims({})
    cert = run_claim("C5", out_dir=tmp_path)
    assert cert.verdict == "not-implemented" and not cert.passed


def test_crashing_claim_is_an_error_not_a_pass(fake_claims, tmp_path: Path) -> None:
    def boom(ctx):
        raise RuntimeError("kaput")

    fake_claims({"C2": make_claim("C2", boom)})
    cert = run_claim("C2", out_dir=tmp_path)
    assert cert.verdict == "error" and not cert.passed and "kaput" in cert.details["error"]


def test_run_claim_stamps_profile_mutant_time_and_writes_evidence(fake_claims, tmp_path: Path) -> None:
    fake_claims({"C4": make_claim("C4", lambda ctx: 0.1 * ctx.sizes["size"])})
    cert = run_claim("C4", profile="full", seed=7, out_dir=tmp_path, mutant="rate_doubled")
    assert cert.passed and cert.profile == "full" and cert.mutant == "rate_doubled" and cert.seeds == [7]
    assert cert.headline.measured == pytest.approx(0.2) and cert.sizes == {"size": 2} and cert.wall_seconds >= 0
    assert cert.evidence == ["c4-rate_doubled.json"] and (tmp_path / "c4-rate_doubled.json").is_file()


def test_a_failing_check_fails_the_certificate(fake_claims, tmp_path: Path) -> None:
    fake_claims({"C4": make_claim("C4", lambda ctx: 1.0)})
    cert = run_claim("C4", out_dir=tmp_path)
    assert cert.verdict == "fail" and [c.name for c in cert.failed_checks] == ["value"]


@pytest.mark.parametrize(("kwargs", "param"), [({"profile": "slow"}, "profile"), ({"mutant": "nope"}, "mutant"),
                                               ({"seed": -1}, "seed")])
def test_run_claim_validates(kwargs: dict, param: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=f"^{param}"):
        run_claim("C1", out_dir=tmp_path, **kwargs)


def test_register_checks_the_declarations() -> None:
    with pytest.raises(ValueError, match="^claim_id"):
        register(type(make_claim("C13")))
    with pytest.raises(ValueError, match="^catches"):
        register(type(make_claim("C1", catches=("no_such_defect",))))
    with pytest.raises(ValueError, match="^uses"):
        register(type(make_claim("C1", uses=("gpu",))))
