"""The operator certificates end to end at reduced sizes: a built-in passes, each wrong operator fails the
certificate meant to catch it with a message that says why (and the correct NumPy operator passes the same
certificate), the ``conform`` command and the pytest plugin. The full-size matrix is in the slow tier
(tests/test_conformance_slow.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mbc_verify.cli import main
from mbc_verify.conformance.campaign import conform
from mbc_verify.conformance.certificates import CERTIFICATES
from mbc_verify.conformance.examples import EXAMPLES, WRONG

pytest_plugins = ["pytester"]

SMALL = {
    "conservation": {"n": 16, "replicas": 8, "steps": 400, "checkpoints": 8},
    "invariance": {"replicas": 400},
    "maxwell": {"n": 2048, "replicas": 16, "dts": [0.0025, 0.005, 0.01, 0.02]},
    "initial-rates": {"n": 8192, "replicas": 16, "dt_rel": [0.0075, 0.015, 0.03, 0.06], "temperatures": 1},
    "relaxation": {"n": 64, "replicas": 24},
    "isotropization": {"n": 8192, "replicas": 16, "t_end": 1.0, "spacing": 0.5, "dts": [0.125, 0.25, 0.5, 1.0],
                       "dt_rel": [0.0075, 0.015, 0.03, 0.06]},
    "chaos": {"n": [8, 16, 32], "replicas": 300},
}
"""Reduced sizes: enough to catch each wrong operator, small enough for the default tier."""
EX = "mbc_verify.conformance.examples:"


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every certificate's quick profile replaced by :data:`SMALL`."""
    for cid, cert in CERTIFICATES.items():
        monkeypatch.setitem(type(cert).sizes, "quick", SMALL[cid])


def test_catches_name_real_examples_and_every_wrong_one_is_caught_somewhere() -> None:
    caught = {name for cert in CERTIFICATES.values() for name in cert.catches}
    assert caught <= set(EXAMPLES) and caught == set(WRONG)
    assert set(SMALL) == set(CERTIFICATES)


def test_end_to_end_on_a_builtin(small: None, tmp_path: Path) -> None:
    res = conform("takizuka_abe", certificates="conservation,invariance,initial-rates,chaos", gammas="0",
                  out_dir=tmp_path, json_file=tmp_path / "copy.json")
    assert res.passed, [c.cert.details.get("why") for c in res.cells]
    doc = json.loads((tmp_path / "conform.json").read_text())
    assert doc["matrix"] == {"takizuka_abe": dict.fromkeys(["conservation", "invariance", "initial-rates", "chaos"],
                                                           "pass")}
    assert json.loads((tmp_path / "copy.json").read_text()) == doc
    md = (tmp_path / "conform.md").read_text()
    assert "| `takizuka_abe` | PASS | PASS | PASS" in md and (tmp_path / "matrix.png").stat().st_size > 0
    for cid in ("conservation", "invariance", "initial-rates", "chaos"):
        assert (tmp_path / "evidence" / "takizuka_abe" / f"{cid}.png").is_file()
    rates = next(c for c in res.cells if c.certificate == "initial-rates")
    assert rates.orders[0]["gamma"] == 0.0 and rates.cert.details["why"] == []


def test_not_applicable_cells(small: None, tmp_path: Path) -> None:
    res = conform(["mbc_exact"], certificates="conservation,maxwell", gammas="0", out_dir=tmp_path)
    cells = {c.certificate: c for c in res.cells}
    assert cells["maxwell"].verdict == "n/a" and "continuous in time" in cells["maxwell"].not_applicable
    assert cells["conservation"].verdict == "pass" and res.passed


CAUGHT = [
    ("missing_speed_factor", "initial-rates", "-3", "ratio"),
    ("doubled_frequency", "maxwell", "0", "mis-normalised"),
    ("reused_partners", "conservation", "0", "does not conserve energy"),
    ("first_order_energy", "conservation", "0", "does not conserve energy"),
    ("fixed_pairs", "relaxation", "0", "the particles do not mix"),
]


@pytest.mark.parametrize(("name", "certificate", "gamma", "why"), CAUGHT)
def test_each_wrong_operator_fails_with_a_reason_and_the_right_one_passes(small: None, tmp_path: Path, name: str,
                                                                          certificate: str, gamma: str,
                                                                          why: str) -> None:
    assert name in CERTIFICATES[certificate].catches
    res = conform([EX + name, EX + "takizuka_abe_numpy"], certificates=certificate, gammas=gamma, out_dir=tmp_path)
    wrong, right = res.cells
    assert wrong.verdict == "fail" and any(why in line for line in wrong.cert.details["why"]), wrong.cert.details
    assert right.verdict == "pass", right.cert.details["why"]


def test_conform_command_exit_codes(small: None, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    args = ["conform", "--certificates", "conservation", "--gamma=0", "--out", str(tmp_path)]
    assert main([*args, "--operator", "takizuka_abe"]) == 0
    assert main([*args, "--operator", EX + "reused_partners", "--json", str(tmp_path / "r.json")]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "does not conserve energy" in out
    assert json.loads((tmp_path / "r.json").read_text())["matrix"][EX + "reused_partners"]["conservation"] == "fail"


@pytest.mark.parametrize(("argv", "flag"), [
    (["--operator", "nosuch"], "--operator: unknown operator"),
    (["--operator", "nanbu", "--param", "h=0.1"], "--param: nanbu[h=0.1]"),
    (["--operator", "nanbu", "--gamma=2"], "--gamma: must lie in [-3, 1]"),
    (["--operator", "nanbu", "--profile", "slow"], "--profile:"),
    (["--operator", "nanbu", "--certificates", "speed"], "--certificates: unknown certificate 'speed'"),
    (["--operator", "nanbu", "--certificates", "maxwell", "--gamma=-3"], "--certificates: none of the selected"),
    (["--operator", "nanbu", "--out", "/proc/version/x"], "--out:"),
    (["--gamma=0"], "--operator"),
])
def test_conform_bad_arguments_exit_2_naming_the_flag(argv: list[str], flag: str, capsys) -> None:
    assert main(["conform", *argv]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and flag in err[0], err


def test_pytest_plugin_items(small: None, pytester: pytest.Pytester) -> None:
    pytester.makepyfile(my_operator="from mbc_verify.conformance.examples import *\n")
    pytester.syspathinsert()
    res = pytester.runpytest_inprocess("--mbc-operator", "my_operator:reused_partners", "--mbc-operator",
                                       "my_operator:takizuka_abe_numpy", "--mbc-certificates", "conservation,maxwell",
                                       "--mbc-gamma=-3", "-p", "no:cacheprovider")
    res.assert_outcomes(passed=1, failed=1, skipped=2)
    text = res.stdout.str()
    assert "conform[my_operator:reused_partners-conservation]" in text
    assert "my_operator:reused_partners fails conservation" in text and "does not conserve energy" in text
    bad = pytester.runpytest_inprocess("--mbc-operator", "my_operator:nothing")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR and "--mbc-operator: module 'my_operator' has no attribute" in \
        bad.stderr.str()
