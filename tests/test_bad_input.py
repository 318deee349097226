"""Bad input, class by class: one line naming the flag (CLI, exit 2) or the argument (API, ValueError), before any work.

Each class is tried with a value that would otherwise run for hours, exhaust memory or return garbage, so a test
that passes shows that the check happens first. A run whose result is not finite exits 1 with one line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from mbc_verify.campaign import certify
from mbc_verify.cli import main
from mbc_verify.landau.isotropic import solve_isotropic
from mbc_verify.mbc.api import simulate
from mbc_verify.runspec import NonFiniteResult

SIM = ["simulate", "--gamma", "-3", "--grazing", "0.3", "--n", "64", "--t-end", "1"]

# (CLI arguments, the flag the message must start with; API call, the argument it must name)
CLASSES = {
    "step counter": (SIM[:-1] + ["1e6", "--dt", "1e-300"], "--dt",
                     lambda: simulate(-3.0, 0.3, 64, 1e6, dt=1e-300), "dt"),
    "overflowing initial data": (SIM + ["--init", "bimaxwellian:1e308,1e308"], "--init",
                                 lambda: simulate(-3.0, 0.3, 64, 1.0, init="bimaxwellian:1e308,1e308"), "init"),
    "grazing too small for the tables": (["simulate", "--gamma", "0", "--grazing", "1e-10", "--n", "10", "--t-end",
                                          "1"], "--grazing", lambda: simulate(0.0, 1e-10, 10, 1.0), "h"),
    "grazing too close to pi": (["simulate", "--gamma", "0", "--grazing", "3.1415926", "--n", "10", "--t-end", "1"],
                                "--grazing", lambda: simulate(0.0, 3.1415926, 10, 1.0), "h"),
    "N beyond memory": (["simulate", "--gamma", "0", "--grazing", "0.3", "--n", "1000000000000", "--t-end", "1"],
                        "--n", lambda: simulate(0.0, 0.3, 10**12, 1.0), "n"),
    "exact engine N beyond its matrix": (SIM[:6] + ["100000", "--t-end", "1", "--engine", "exact"], "--n",
                                         lambda: simulate(0.0, 0.3, 10**5, 1.0, engine="exact"), "n"),
    "snapshots beyond memory": (SIM + ["--snapshots", "1000000000"], "--snapshots",
                                lambda: simulate(-3.0, 0.3, 64, 1.0, snapshots=10**9), "snapshots"),
    "grazing of a baseline": (SIM + ["--engine", "nanbu"], "--grazing",
                              lambda: simulate(-3.0, 0.3, 64, 1.0, engine="nanbu"), "h"),
    "missing grazing": (["simulate", "--gamma", "0", "--n", "10", "--t-end", "1"], "--grazing",
                        lambda: simulate(0.0, None, 10, 1.0), "h"),
    "time step of the exact engine": (SIM + ["--engine", "exact", "--dt", "0.1"], "--dt",
                                      lambda: simulate(-3.0, 0.3, 64, 1.0, engine="exact", dt=0.1), "dt"),
    "mixture weights overflowing": (["solve", "--method", "isotropic", "--gamma", "0", "--t-end", "1", "--init",
                                     "mixture:1e308,1,1e-308,1"], "--init",
                                    lambda: solve_isotropic(0.0, 1.0, init="mixture:1e308,1,1e-308,1"), "init"),
    "empty claim id": (["certify", "--claims", "C1,,C2"], "--claims", lambda: certify("quick", "C1,,C2"), "claims"),
    "empty claim list": (["certify", "--claims="], "--claims", lambda: certify("quick", ""), "claims"),
    "solver grid named by its flag": (["solve", "--method", "isotropic", "--gamma", "0", "--t-end", "1", "--grid",
                                       "3"], "--grid", lambda: solve_isotropic(0.0, 1.0, n_grid=3), "n_grid"),
    "time named by its flag": (SIM[:-1] + ["-1"], "--t-end", lambda: simulate(-3.0, 0.3, 64, -1.0), "t_end"),
}


@pytest.mark.parametrize("name", list(CLASSES))
def test_cli_one_line_naming_the_flag_exit_2(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv, flag, _, _ = CLASSES[name]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith(f"mbc-verify: error: {flag}:"), err


@pytest.mark.parametrize("name", list(CLASSES))
def test_api_value_error_naming_the_argument(name: str) -> None:
    _, _, call, param = CLASSES[name]
    with pytest.raises(ValueError, match=f"^{param}[: ]"):
        call()


@pytest.mark.parametrize(("argv", "flag"), [
    (["certify", "--claims", "C3", "--out", "FILE"], "--out"),
    (["certify", "--claims", "C3", "--json", "DIR"], "--json"),
    (["certify", "--claims", "C3", "--json", "DIR/missing/../x/report.json", "--out", "NOWRITE/sub"], "--out"),
    (SIM + ["--json", "DIR"], "--json"),
    (SIM + ["--json", "NOWRITE/x.json"], "--json"),
    (["solve", "--method", "maxwell", "--gamma", "0", "--t-end", "1", "--json", "DIR"], "--json"),
])
def test_bad_output_paths_fail_before_any_work(argv: list[str], flag: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    if "NOWRITE" in " ".join(argv) and os.geteuid() == 0:
        pytest.skip("permission bits do not bind for root")
    (tmp_path / "FILE").write_text("x")
    (tmp_path / "DIR").mkdir()
    nowrite = tmp_path / "NOWRITE"
    nowrite.mkdir()
    nowrite.chmod(0o500)
    try:
        subst = [a.replace("FILE", str(tmp_path / "FILE")).replace("DIR", str(tmp_path / "DIR"))
                 .replace("NOWRITE", str(nowrite)) for a in argv]
        code = main(subst)
    finally:
        nowrite.chmod(0o700)
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and err.startswith(f"mbc-verify: error: {flag}:"), err
    assert (tmp_path / "FILE").read_text() == "x"
    assert list((tmp_path / "DIR").iterdir()) == []


def test_non_finite_result_exits_1_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # T = 1e200: |v|² ~ 1e200 is finite but (1/N) Σ|v|⁴ ~ 1e400 overflows: the run must not return inf
    out = tmp_path / "run.json"
    assert main(SIM + ["--init", "bimaxwellian:1e200,1e200", "--json", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "non-finite" in err
    assert not out.exists()
    with pytest.raises(NonFiniteResult, match="non-finite"):
        simulate(-3.0, 0.3, 64, 1.0, init="bimaxwellian:1e200,1e200")


def test_json_is_written_atomically_and_whole(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "run.json"
    assert main(["simulate", "--gamma", "0", "--grazing", "0.5", "--n", "8", "--t-end", "0.1", "--json",
                 str(out)]) == 0
    rec = json.loads(out.read_text())
    assert rec["h"] == 0.5 and np.allclose(rec["energy"], 3.0)
    assert [p.name for p in out.parent.iterdir()] == ["run.json"]  # no temporary file left behind
