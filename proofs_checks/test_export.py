"""Export — ``reference/derived.json`` and ``mbc_verify/data/derived.json`` are a fresh derivation.

The whole table is re-derived in memory (every entry, the 30-digit quadratures included: together a few
seconds) and compared byte for byte with both committed files; a stale file fails with the command that
regenerates it. The loader ``mbc_verify.derived`` is checked to return what the derivations produce.
Negative controls: a table with a planted wrong BKW coefficient, or a changed last digit of a bi-Maxwellian
rate, is detected as different.
"""

import copy
import json
import math
import subprocess
import sys

import pytest
import sympy as sp

from mbc_verify import derived
from proofs_checks import export
from proofs_checks.derivations import bimaxwellian, bkw, maxwell, mbc


@pytest.fixture(scope="module")
def fresh():
    table = export.build()
    return table, export.dumps(table)


def test_committed_files_are_fresh(fresh):
    _, text = fresh
    stale = export.stale_files(text)
    assert not stale, f"stale: {stale}; run `python -m proofs_checks.export`"


def test_both_copies_are_identical():
    assert export.REPOSITORY_FILE.read_bytes() == derived.PACKAGE_FILE.read_bytes()


def test_agreed_keys_are_present(fresh):
    table, _ = fresh
    agreed = ["bkw.A", "bkw.B", "bkw.K", "bkw.K_min", "bkw.K_max", "bkw.K_ode", "maxwell.second_moment_alpha",
              "maxwell.second_moment_beta", "maxwell.traceless_rate", "maxwell.moment4_rhs", "mbc.gamma0.alpha_h",
              "mbc.gamma0.beta_h", "mbc.c_ell", "bimaxwellian.initial_rate",
              derived.bimaxwellian_rate_key(-3, 2, 0.5)]
    assert set(agreed) <= set(table)
    for entry in table.values():
        assert set(entry) == {"expr", "srepr", "value", "symbols", "description", "source"}
        assert entry["source"].startswith("proofs_checks/derivations/")


def test_loader_returns_the_derivations():
    alpha, beta = maxwell.second_moment_rates()
    assert derived.expr("maxwell.second_moment_alpha") == alpha
    assert derived.number("maxwell.second_moment_beta") == float(beta)
    assert derived.expr("bkw.B") == bkw.coefficients()[1]  # srepr keeps the symbols' assumptions
    alpha_h = derived.function("mbc.gamma0.alpha_h", "h", "N")
    h = 0.3
    assert math.isclose(alpha_h(h, 100), float(mbc.second_moment_rates_finite_h()[0].subs(mbc.H, h)), rel_tol=1e-15)
    key = derived.bimaxwellian_rate_key(-3, "2", "0.5")
    with_quad = derived.function("bimaxwellian.initial_rate", "gamma", "Tpar", "Tperp")
    assert abs(float(with_quad(-3, 2, 0.5)) - derived.number(key)) < 1e-13
    closed = derived.function("bimaxwellian.initial_rate_closed_form", "gamma", "Tpar", "Tperp")
    assert abs(float(closed(-3, 2, 0.5)) - derived.number(key)) < 1e-13
    assert abs(derived.mpf(key) - bimaxwellian.dtpar_dt(-3, "2", "0.5")) < sp.Rational(1, 10 ** 28)


def test_loader_errors_name_the_problem():
    with pytest.raises(KeyError, match="key"):
        derived.expr("no.such.key")
    with pytest.raises(ValueError, match="key"):
        derived.number("bkw.A")
    with pytest.raises(ValueError, match="symbol_names"):
        derived.function("bkw.K", "t")


def test_importing_the_package_does_not_import_sympy():
    code = "import sys, mbc_verify, mbc_verify.derived; assert 'sympy' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_negative_control_planted_wrong_entries_are_detected(fresh):
    table, text = fresh
    committed = export.REPOSITORY_FILE.read_text(encoding="utf-8")
    wrong_b = copy.deepcopy(table)
    wrong_b["bkw.B"]["expr"] = sp.sstr(-bkw.coefficients()[1])
    assert export.dumps(wrong_b) != committed
    wrong_digit = json.loads(committed)
    key = derived.bimaxwellian_rate_key(-3, 2, 0.5)
    value = wrong_digit[key]["value"]
    wrong_digit[key]["value"] = value[:-1] + str((int(value[-1]) + 1) % 10)
    assert export.dumps(wrong_digit) != committed
