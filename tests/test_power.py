"""``mbc-verify power``: the amplitude grid, the bisection, the reports, false alarms, resume and bad input.

The end-to-end tests use stand-in claims whose verdict switches at a known amplitude, so the ε* the search must
find is known exactly: the smallest grid amplitude at or above the threshold.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from mbc_verify.certificate import Check
from mbc_verify.claims import Claim, Context
from mbc_verify.cli import main
from mbc_verify.mutants import FAMILIES, mutant_amplitude
from mbc_verify.power import Search, amplitude_grid, assess, measure_power
from mbc_verify.power_report import cell, invocations, markdown, merge_documents
from tests.fakes import make_claim


@pytest.mark.parametrize("family", list(FAMILIES))
def test_the_grid_steps_by_root_two_from_eps_max_down_to_eps_min(family: str) -> None:
    fam, grid = FAMILIES[family], amplitude_grid(family)
    assert grid[0] == fam.eps_max
    ratios = [a / b for a, b in zip(grid, grid[1:], strict=False)]
    assert max(abs(r - math.sqrt(2.0)) for r in ratios) < 1e-12
    assert grid[-1] >= fam.eps_min > grid[-1] / math.sqrt(2.0) * (1 + 1e-12)


def _run(search: Search, threshold: float) -> int:
    """Drive a search against a monotone stand-in (fails iff ε ≥ threshold); the number of evaluations."""
    while (k := search.next_index()) is not None:
        fails = search.grid[k] >= threshold
        search.outcomes[k] = {"verdict": "fail" if fails else "pass", "failed_checks": ["x"] if fails else []}
    return len(search.outcomes)


@pytest.mark.parametrize("threshold", [0.7, 0.0123, 3e-4, 2.2e-5])
def test_bisection_finds_the_smallest_failing_grid_amplitude_in_logarithmically_many_runs(threshold: float) -> None:
    s = Search("rate_constant", "C1", amplitude_grid("rate_constant"))
    runs = _run(s, threshold)
    expected = min(e for e in s.grid if e >= threshold)
    assert s.eps_star == expected and s.state() == "done"
    assert s.eps_pass == max(e for e in s.grid if e < threshold)
    assert runs <= 2 + math.ceil(math.log2(len(s.grid)))


def test_a_search_ends_at_once_when_eps_max_passes_or_eps_min_fails() -> None:
    quiet = Search("rate_constant", "C1", amplitude_grid("rate_constant"))
    assert _run(quiet, 10.0) == 1 and quiet.state() == "not detected" and quiet.eps_star is None
    loud = Search("rate_constant", "C1", amplitude_grid("rate_constant"))
    assert _run(loud, 0.0) == 2 and loud.state() == "at floor" and loud.eps_star == loud.grid[-1]


def test_a_catch_by_formula_checks_alone_is_followed_by_the_search_of_the_run_checks() -> None:
    """The formula check fails from ε = 2e-5, the engine check from ε = 0.01: the claim's ε* is the formula's,
    and the run-scope search, started from the same evaluations, finds the engine check's."""
    s = Search("rate_exponent", "C3", amplitude_grid("rate_exponent"), formula=("formula",))

    def outcome(eps: float) -> dict:
        failed = [name for name, at in (("formula", 2e-5), ("engine", 0.01)) if eps >= at]
        return {"verdict": "fail" if failed else "pass", "failed_checks": failed, "seconds": 0.0}

    assert s.run_scope() is None  # not finished yet
    while (k := s.next_index()) is not None:
        s.outcomes[k] = outcome(s.grid[k])
    run = s.run_scope()
    while (k := run.next_index()) is not None:
        run.outcomes[k] = outcome(run.grid[k])
    assert s.eps_star == min(e for e in s.grid if e >= 2e-5) and s.failing_checks() == ["formula"]
    assert run.scope == "run" and run.eps_star == min(e for e in run.grid if e >= 0.01)
    assert run.to_dict()["scope"] == "run" and run.run_scope() is None


def _threshold_claim(claim_id: str, target: str, threshold: float, uses: tuple[str, ...], calls: list) -> object:
    def value(ctx: object) -> float:
        calls.append((claim_id, ctx.mutant, ctx.seed))
        return 1.0 if mutant_amplitude(ctx.mutant, target) >= threshold else 0.0

    return make_claim(claim_id, value, uses=uses)


@pytest.fixture
def stand_ins(fake_claims):
    """C1 catches rate_constant from 0.01 on; C2 never catches it; C3 runs only the isotropic solver (not searched
    for mbc families) and catches isotropic_constant from 1e-3; C4 fails without any defect."""
    calls: list = []
    fake_claims({"C1": _threshold_claim("C1", "mbc", 0.01, ("mbc",), calls),
                 "C2": _threshold_claim("C2", "mbc", math.inf, ("mbc",), calls),
                 "C3": _threshold_claim("C3", "isotropic", 1e-3, ("isotropic",), calls),
                 "C4": make_claim("C4", lambda ctx: 1.0, uses=("mbc",))})
    return calls


def test_power_measures_each_family_claim_pair_and_writes_the_reports(stand_ins, tmp_path: Path) -> None:
    doc = measure_power("quick", "rate_constant,isotropic_constant", "C1,C2,C3,C4", out_dir=tmp_path)
    got = {(r["family"], r["claim"]): r for r in doc["searches"]}
    assert set(got) == {("rate_constant", c) for c in ("C1", "C2", "C4")} | {("isotropic_constant", "C3")}
    assert got[("rate_constant", "C1")]["eps_star"] == min(e for e in amplitude_grid("rate_constant") if e >= 0.01)
    assert got[("rate_constant", "C2")]["state"] == "not detected"
    assert got[("rate_constant", "C4")]["state"].startswith("skipped: false alarm")
    assert got[("isotropic_constant", "C3")]["eps_star"] >= 1e-3 > got[("isotropic_constant", "C3")]["eps_pass"]
    assert doc["false_alarms"]["failures"] == 1  # C4 at seed 0
    for name in ("power.json", "power.md", "power.png"):
        assert (tmp_path / name).stat().st_size > 0
    assert json.loads((tmp_path / "power.json").read_text())["searches"] == doc["searches"]
    table = (tmp_path / "power.md").read_text()
    assert "| rate_constant |" in table and "FA" in table and "> 1" in table


def test_runs_of_different_families_and_claims_merge_into_one_table(stand_ins, tmp_path: Path) -> None:
    one = measure_power("quick", "rate_constant", "C1", out_dir=tmp_path / "a")
    two = measure_power("quick", "azimuth_bias", "C2", out_dir=tmp_path / "b")
    doc = merge_documents([one, two])
    assert {(r["family"], r["claim"]) for r in doc["searches"]} == {("rate_constant", "C1"), ("azimuth_bias", "C2")}
    assert invocations(doc) == [{"families": ["rate_constant"], "claims": ["C1"]},
                                {"families": ["azimuth_bias"], "claims": ["C2"]}]
    assert doc["targets"] == assess(doc["searches"], "quick")
    assert doc["false_alarms"]["evaluations"] == 2 and doc["false_alarms"]["failures"] == 0
    table = markdown(doc)
    assert "| rate_constant | " + cell(doc["searches"][0]) + " | – |" in table  # C2 uses mbc, not searched: –
    assert "Merged from `mbc-verify power --families rate_constant --claims C1`" in table
    with pytest.raises(ValueError, match="docs"):
        merge_documents([one, {**two, "seed": 1}])


def test_targets_need_two_claims_one_of_them_beyond_a_formula() -> None:
    rows = [{"family": "rate_constant", "claim": "C3", "eps_star": 1e-4, "formula_only": True},
            {"family": "rate_constant", "claim": "C12", "eps_star": 0.02, "formula_only": False}]
    (t,) = assess(rows, "quick")
    assert t["two_claims"] and t["best_eps"] == 0.02 and not t["meets_target"]  # 0.02 > 1 % target
    rows[1]["eps_star"] = 0.008
    assert assess(rows, "quick")[0]["meets_target"]
    assert not assess(rows[:1], "quick")[0]["meets_target"]  # one claim, by a formula only


def test_false_alarm_seeds_run_the_unmutated_claims_at_every_seed(stand_ins, tmp_path: Path) -> None:
    doc = measure_power("quick", "rate_constant", "C1,C4", out_dir=tmp_path, false_alarm_seeds=5)
    fa = doc["false_alarms"]
    assert fa["seeds"] == [0, 1, 2, 3, 4] and fa["evaluations"] == 10 and fa["failures"] == 5  # C4 fails always
    assert {s for c, m, s in stand_ins if m is None} == {0, 1, 2, 3, 4}


def test_resume_reuses_every_finished_evaluation(stand_ins, tmp_path: Path) -> None:
    first = measure_power("quick", "rate_constant", "C1", out_dir=tmp_path)
    ran = len(stand_ins)
    again = measure_power("quick", "rate_constant", "C1", out_dir=tmp_path, resume=True)
    assert len(stand_ins) == ran and again["searches"] == first["searches"]


class _SharedStudy(Claim):
    """Two units: ``study`` is defect-free (one result for every amplitude), ``engine`` fails from ε = 0.01 on."""

    claim_id, uses, primary = "C1", ("mbc",), "engine"
    sizes = {"quick": {}, "full": {}}
    calls: list = []

    def units(self, ctx: Context) -> dict:
        return {"study": {"part": "study"}, "engine": {"part": "engine"}}

    def defect_free(self, params: dict) -> bool:
        return params["part"] == "study"

    def run_unit(self, ctx: Context, **params: object) -> float:
        self.calls.append((params["part"], ctx.mutant))
        return 1.0 if mutant_amplitude(ctx.mutant, "mbc") >= 0.01 else 0.0

    def combine(self, ctx: Context, results: dict) -> dict:
        return results

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        return [Check("engine", data["engine"], 0.0, 0.5, "abs", "stand-in"),
                Check("study", data["study"], 0.0, 0.5, "abs", "stand-in")]


def test_a_defect_free_unit_runs_once_for_every_amplitude(fake_claims, tmp_path: Path) -> None:
    """The defect-free unit runs unmutated (ctx.mutant None) once, in the ε = 0 round, and serves every amplitude;
    the other unit runs at each; ε* is that of the mutated unit."""
    claim = _SharedStudy()
    claim.calls = []
    fake_claims({"C1": claim})
    doc = measure_power("quick", "rate_constant", "C1", out_dir=tmp_path)
    (row,) = doc["searches"]
    assert row["eps_star"] == min(e for e in amplitude_grid("rate_constant") if e >= 0.01)
    assert claim.calls.count(("study", None)) == 1 and all(m is None for p, m in claim.calls if p == "study")
    assert sum(p == "engine" and m is not None for p, m in claim.calls) == len(row["evaluations"])


@pytest.mark.parametrize(("argv", "flag"), [
    (["power", "--families", "rate_constant,nope"], "--families"),
    (["power", "--claims", "C13"], "--claims"),
    (["power", "--profile", "huge"], "--profile"),
    (["power", "--false-alarm-seeds", "-1"], "--false-alarm-seeds"),
])
def test_bad_power_arguments_are_one_line_errors_naming_the_flag(argv: list[str], flag: str, capsys,
                                                                 tmp_path: Path) -> None:
    assert main([*argv, "--out", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and flag in err
    assert not (tmp_path / "p").exists()
