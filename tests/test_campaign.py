"""The campaign: reports, the mutation matrix mechanism, and (slow tier) the real matrix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fakes import make_claim

from mbc_verify.campaign import certify, mutation_matrix
from mbc_verify.claims import CLAIM_IDS
from mbc_verify.mutants import MUTANTS

_killed_by_mbc_mutants = make_claim(
    "C1", lambda ctx: 1.0 if ctx.mutant is not None and MUTANTS[ctx.mutant].target == "mbc" else 0.0, uses=("mbc",))
_never_killed = make_claim("C7", uses=("isotropic",))


def test_matrix_runs_only_pairs_on_the_claims_path(fake_claims, tmp_path: Path) -> None:
    fake_claims({"C1": _killed_by_mbc_mutants, "C7": _never_killed})
    m = mutation_matrix("quick", ["C1", "C7"], out_dir=tmp_path)
    assert set(m) == set(MUTANTS)
    for name, mut in MUTANTS.items():
        assert m[name]["C1"] == ("fail" if mut.target == "mbc" else "unaffected")
        assert m[name]["C7"] == ("pass" if mut.target == "isotropic" else "unaffected")


def test_certify_with_matrix_writes_it(fake_claims, tmp_path: Path) -> None:
    fake_claims({"C1": _killed_by_mbc_mutants})
    certs = certify("quick", "C1", out_dir=tmp_path, matrix=True)
    assert [c.verdict for c in certs] == ["pass"]
    doc = json.loads((tmp_path / "report.json").read_text())
    assert doc["mutation_matrix"]["one_sided_rotation"]["C1"] == "fail"
    assert "## Mutation matrix" in (tmp_path / "report.md").read_text()


@pytest.mark.slow
def test_every_claim_is_killed_by_a_mutant_and_every_mutant_kills_a_claim(tmp_path: Path) -> None:
    """docs/spec.md §6: the quick campaign passes unmutated, and the mutation matrix has no empty row or column."""
    certs = certify("quick", None, out_dir=tmp_path, matrix=True)
    assert all(c.passed for c in certs), [(c.claim_id, c.verdict) for c in certs if not c.passed]
    matrix = json.loads((tmp_path / "report.json").read_text())["mutation_matrix"]
    killed = {cid: [m for m in matrix if matrix[m][cid] not in ("pass", "unaffected")] for cid in CLAIM_IDS}
    assert all(killed.values()), {cid: ms for cid, ms in killed.items() if not ms}
    kills = {m: [cid for cid in CLAIM_IDS if matrix[m][cid] not in ("pass", "unaffected")] for m in matrix}
    assert all(kills.values()), {m: cs for m, cs in kills.items() if not cs}
