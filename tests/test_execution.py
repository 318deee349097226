"""The campaign as units: resume from the cache, interrupts, errors, run directories, Dask (extra [distributed]).

Stand-in claims (tests/fakes.py) make these tests cheap; the Dask tests install them in every worker through a
worker plugin, and compare the certificates with the in-process ones bit for bit.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakes import CALLS, certificate_values, install_units_claims, make_claim

from mbc_verify.campaign import certify


def test_resume_skips_the_cached_units_and_gives_the_same_certificates(fake_claims, tmp_path: Path) -> None:
    install_units_claims(fake_claims)
    CALLS.clear()
    first = certify("quick", "C5,C6", out_dir=tmp_path)
    assert len(CALLS) == 7
    again = certify("quick", "C5,C6", out_dir=tmp_path, resume=True)
    assert len(CALLS) == 7 and certificate_values(again) == certificate_values(first)
    doc = json.loads((tmp_path / "report.json").read_text())
    assert all(u["cached"] for u in doc["units"])
    certify("quick", "C5,C6", out_dir=tmp_path)  # without --resume everything is computed again
    assert len(CALLS) == 14


def test_interrupt_writes_the_report_with_the_unfinished_claims_marked(fake_claims, tmp_path: Path) -> None:
    install_units_claims(fake_claims, C6={"raise_at": 1, "error": KeyboardInterrupt})
    with pytest.raises(KeyboardInterrupt):
        certify("quick", "C5,C6", out_dir=tmp_path)
    doc = json.loads((tmp_path / "report.json").read_text())
    assert doc["interrupted"] and [c["verdict"] for c in doc["certificates"]] == ["pass", "interrupted"]
    assert doc["certificates"][1]["details"]["unfinished_units"] == ["u1", "u2"]
    assert "**interrupted**" in (tmp_path / "report.md").read_text()
    install_units_claims(fake_claims)
    CALLS.clear()
    done = certify("quick", "C5,C6", out_dir=tmp_path, resume=True)  # the finished units are not run again
    assert sorted(CALLS) == [("C6", "u1"), ("C6", "u2")] and all(c.passed for c in done)


def test_a_raising_unit_is_an_error_with_its_traceback_and_the_other_claims_complete(fake_claims,
                                                                                      tmp_path: Path) -> None:
    install_units_claims(fake_claims, C5={"raise_at": 2})
    c5, c6 = certify("quick", "C5,C6", out_dir=tmp_path)
    assert c5.verdict == "error" and "unit 2 stopped" in c5.details["traceback"]
    assert c6.passed


def test_every_run_has_its_own_directory_and_latest_points_to_the_last(fake_claims, tmp_path: Path) -> None:
    fake_claims({"C1": make_claim("C1")})
    certify("quick", "C1", out_dir=tmp_path)
    first = json.loads((tmp_path / "report.json").read_text())["run_id"]
    certify("quick", "C1", out_dir=tmp_path)
    doc = json.loads((tmp_path / "report.json").read_text())
    assert doc["run_id"] != first and sorted(p.name for p in (tmp_path / "runs").iterdir()) == sorted(
        [first, doc["run_id"]])
    assert (tmp_path / "latest").resolve() == (tmp_path / "runs" / doc["run_id"]).resolve()
    assert (tmp_path / "runs" / doc["run_id"] / "c1.json").is_file()
    assert f"](runs/{doc['run_id']}/c1.json)" in (tmp_path / "report.md").read_text()
    assert "](c1.json)" in (tmp_path / "runs" / doc["run_id"] / "report.md").read_text()


def _sigint_after(argv: list[str], wait: float, cwd: Path) -> tuple[int, float, str]:
    """Run ``python -m mbc_verify.cli ARGV``, send SIGINT after ``wait`` s; (exit code, seconds to exit, stderr).

    The child starts with SIGINT at its default disposition, as a command typed in a terminal does: a test runner
    launched in the background by a shell without job control inherits SIGINT ignored, and Python then installs no
    KeyboardInterrupt handler at all."""
    proc = subprocess.Popen([sys.executable, "-m", "mbc_verify.cli", *argv], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(wait)
    assert proc.poll() is None, proc.communicate()
    sent = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()  # never leave a runaway simulation behind
        proc.communicate()
        raise
    return proc.returncode, time.perf_counter() - sent, err


@pytest.fixture(scope="module")
def warm_cli(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compile the engines in the numba cache of the package the CLI subprocesses import (an installed copy may
    not be the one this session warmed): the tests below time a Ctrl-C during a run, not during a first compilation,
    where numba may hold the interrupt until it has finished compiling (module :mod:`mbc_verify.interrupts`)."""
    cwd = tmp_path_factory.mktemp("warm")
    for engine, n in (("exact", "256"), ("fast", "200000")):
        subprocess.run([sys.executable, "-m", "mbc_verify.cli", "simulate", "--gamma", "-3", "--grazing", "0.1",
                        "--n", n, "--t-end", "1e-3", "--snapshots", "2", "--engine", engine], cwd=cwd, check=True,
                       capture_output=True, timeout=600)
    subprocess.run([sys.executable, "-m", "mbc_verify.cli", "certify", "--claims", "C1", "--out", str(cwd / "r")],
                   cwd=cwd, check=True, capture_output=True, timeout=600)


@pytest.mark.parametrize("engine", ["exact", "fast"])
def test_ctrl_c_stops_a_simulation_within_two_seconds_with_exit_130(engine: str, tmp_path: Path,
                                                                     warm_cli: None) -> None:
    n = "256" if engine == "exact" else "200000"
    code, delay, err = _sigint_after(["simulate", "--gamma", "-3", "--grazing", "0.1", "--n", n, "--t-end", "1e4",
                                      "--engine", engine, "--json", str(tmp_path / "x.json")], 6.0, tmp_path)
    assert code == 130 and delay < 2.0 and err.strip().endswith("interrupted"), (code, delay, err)
    assert not (tmp_path / "x.json").exists()


def test_ctrl_c_during_certify_exits_130_and_marks_the_claim_interrupted(tmp_path: Path, warm_cli: None) -> None:
    code, delay, err = _sigint_after(["certify", "--claims", "C1", "--out", str(tmp_path / "r")], 8.0, tmp_path)
    assert code == 130 and delay < 2.0, (code, delay, err)
    doc = json.loads((tmp_path / "r" / "report.json").read_text())
    assert doc["interrupted"] and doc["certificates"][0]["verdict"] == "interrupted"


def test_a_ctrl_c_that_a_ctypes_callback_swallows_is_still_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    """While numba compiles, SIGINT can arrive inside a ctypes callback of LLVM, which prints the KeyboardInterrupt
    as "Exception ignored" and drops it; the recording handler keeps it for the next :func:`interrupts.check`."""
    import ctypes
    import os

    from mbc_verify import interrupts

    monkeypatch.setattr(interrupts, "_pending", False)
    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        interrupts.install()

        @ctypes.CFUNCTYPE(None)
        def callback() -> None:
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(10_000):  # the handler runs in here; ctypes drops its exception
                pass

        callback()
        assert interrupts.interrupted()
        with pytest.raises(KeyboardInterrupt):
            interrupts.check()
    finally:
        signal.signal(signal.SIGINT, before)
