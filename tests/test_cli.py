"""The command line: every exit code of docs/spec.md §8 (0 pass, 1 fail or not implemented, 2 bad arguments)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fakes import make_claim

from mbc_verify import __version__
from mbc_verify.cli import main


def _passing(cid: str):
    return make_claim(cid)


_mutant_sensitive = make_claim("C1", lambda ctx: 1.0 if ctx.mutant else 0.0)


def test_certify_exit_0_when_all_selected_pass(fake_claims, tmp_path: Path, capsys) -> None:
    fake_claims({"C1": _passing("C1"), "C3": _passing("C3")})
    assert main(["certify", "--claims", "C1,C3", "--out", str(tmp_path), "--json", str(tmp_path / "x.json")]) == 0
    doc = json.loads((tmp_path / "report.json").read_text())
    assert [c["claim_id"] for c in doc["certificates"]] == ["C1", "C3"] and doc["all_passed"]
    assert (tmp_path / "report.md").read_text().startswith("# mbc-verify certification report")
    assert json.loads((tmp_path / "x.json").read_text()) == doc
    assert "PASS" in capsys.readouterr().out


def test_certify_exit_1_when_a_claim_is_not_implemented(fake_claims, tmp_path: Path) -> None:
    fake_claims({"C1": _passing("C1")})
    assert main(["certify", "--out", str(tmp_path)]) == 1
    doc = json.loads((tmp_path / "report.json").read_text())
    assert [c["claim_id"] for c in doc["certificates"]] == [f"C{k}" for k in range(1, 13)]
    assert doc["summary"] == {"pass": 1, "fail": 0, "error": 0, "interrupted": 0, "not-implemented": 11}


def test_certify_mutant_is_passed_explicitly(fake_claims, tmp_path: Path) -> None:
    fake_claims({"C1": _mutant_sensitive})
    assert main(["certify", "--claims", "C1", "--out", str(tmp_path)]) == 0
    assert main(["certify", "--claims", "C1", "--out", str(tmp_path), "--mutant", "one_sided_rotation"]) == 1


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["certify", "--claims", "C99"], "--claims"),
        (["certify", "--mutant", "nope"], "--mutant"),
        (["certify", "--profile", "slow"], "--profile"),
        (["certify", "--seed", "x"], "--seed"),
        (["frobnicate"], "frobnicate"),
        (["solve", "--method", "spectral", "--gamma", "0", "--t-end", "1"], "--method"),
        (["solve", "--method", "maxwell", "--gamma", "0", "--t-end", "1", "--grid", "10"], "--grid"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv: list[str], names: str, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and names in err


def test_no_command_prints_help_and_exits_2(capsys) -> None:
    assert main([]) == 2
    assert "certify" in capsys.readouterr().out


def test_mutants_lists_the_registry(capsys) -> None:
    assert main(["mutants"]) == 0
    assert "one_sided_rotation" in capsys.readouterr().out


def test_console_script_version_and_help() -> None:
    out = subprocess.run([sys.executable, "-m", "mbc_verify.cli", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and __version__ in out.stdout
    helptext = subprocess.run([sys.executable, "-m", "mbc_verify.cli", "--help"], capture_output=True, text=True)
    for cmd in ("certify", "simulate", "solve", "mutants"):
        assert cmd in helptext.stdout


def test_public_api_is_importable() -> None:
    import mbc_verify

    for name in mbc_verify.__all__:
        assert getattr(mbc_verify, name) is not None
