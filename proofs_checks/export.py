"""Regenerate the derived-constants table (docs/spec.md §4): ``python -m proofs_checks.export [--check]``.

Writes the same JSON to ``reference/derived.json`` (human-facing) and ``mbc_verify/data/derived.json``
(package data read by :mod:`mbc_verify.derived`). ``--check`` writes nothing and exits 1 when either file
differs from a fresh derivation. Every entry is computed here by a function of
``proofs_checks.derivations``; nothing is typed in.

Entry format: {"expr": sympy string, "srepr": exact sympy form, "value": 30 significant digits or null,
"symbols": free symbols, "description": ..., "source": "proofs_checks/derivations/<module>.py::<function>"}.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import sympy as sp

from mbc_verify.derived import PACKAGE_FILE, REPORT_DIGITS, bimaxwellian_rate_key

from .derivations import bimaxwellian, bkw, hardy, maxwell, mbc, mixture

REPOSITORY_FILE = Path(__file__).resolve().parent.parent / "reference" / "derived.json"
OUTPUTS = (REPOSITORY_FILE, PACKAGE_FILE)


def _src(module: str, func: str) -> str:
    return f"proofs_checks/derivations/{module}.py::{func}"


def _entry(e: sp.Expr, description: str, source: str, value: str | None = None) -> dict[str, Any]:
    e = sp.sympify(e)
    if value is None and not e.free_symbols and not e.has(sp.Integral):
        value = str(sp.N(e, REPORT_DIGITS))
    # srepr prints the parameter tuples of hyper as TupleArg(...), which does not parse back: write Tuple
    exact = sp.srepr(e).replace("TupleArg(", "Tuple(")
    parsed = sp.sympify(exact)  # evaluation may redistribute factors: compare as mathematics
    if parsed != e and sp.simplify(parsed - e) != 0:
        raise ArithmeticError(f"srepr of {sp.sstr(e)} does not parse back to the same expression")
    return {"expr": sp.sstr(e), "srepr": exact, "value": value,
            "symbols": sorted(s.name for s in e.free_symbols), "description": description, "source": source}


def _maxwell() -> dict[str, dict[str, Any]]:
    alpha, beta = maxwell.second_moment_rates()
    src = _src("maxwell", "second_moment_rates")
    e_sym, m_sym, delta = sp.symbols("E m delta")
    return {
        "maxwell.second_moment_alpha": _entry(alpha, "γ = 0, mass 1, zero momentum: dM/dt = α tr(M) I + β M; α", src),
        "maxwell.second_moment_beta": _entry(beta, "γ = 0, mass 1, zero momentum: dM/dt = α tr(M) I + β M; β", src),
        "maxwell.traceless_rate": _entry(-beta, "γ = 0: the traceless part of M decays as exp(-rate·t); rate = -β",
                                         src),
        "maxwell.second_moment_rhs": _entry(
            alpha * e_sym * delta + beta * m_sym,
            "γ = 0: dM_kl/dt with E = tr M, m = M_kl, delta = δ_kl", src),
        "maxwell.moment4_rhs": _entry(
            maxwell.moment4_rhs(),
            "γ = 0, mass 1, zero momentum: d/dt ∫|v|⁴f in m4 = ∫|v|⁴f, E = tr M, M2 = tr(M²)",
            _src("maxwell", "moment4_rhs")),
    }


def _bkw() -> dict[str, dict[str, Any]]:
    a, b = bkw.coefficients()
    kmin, kmax = bkw.positivity_range()
    return {
        "bkw.A": _entry(a, "BKW f = (2πK)^(-3/2) e^(-|v|²/2K) (A + B|v|²/K), mass 1, ∫|v|²f = 3: A(K)",
                        _src("bkw", "coefficients")),
        "bkw.B": _entry(b, "BKW: B(K) (see bkw.A)", _src("bkw", "coefficients")),
        "bkw.K_ode": _entry(bkw.k_ode(), "BKW: dK/dt as a function of K (γ = 0, docs/spec.md §1 with its ½)",
                            _src("bkw", "k_ode")),
        "bkw.K": _entry(sp.expand(bkw.k_solution()), "BKW: K(t) with K(0) = K0", _src("bkw", "k_solution")),
        "bkw.K_min": _entry(kmin, "BKW: f ≥ 0 for all v iff K_min ≤ K ≤ K_max", _src("bkw", "positivity_range")),
        "bkw.K_max": _entry(kmax, "BKW: f ≥ 0 for all v iff K_min ≤ K ≤ K_max", _src("bkw", "positivity_range")),
    }


def _mbc() -> dict[str, dict[str, Any]]:
    alpha_h, beta_h = mbc.second_moment_rates_finite_h()
    src = _src("mbc", "second_moment_rates_finite_h")
    e_sym, m_sym, delta = sp.symbols("E m delta")
    return {
        "mbc.gamma0.alpha_h": _entry(
            alpha_h, "γ = 0 MBC at grazing h, any N, zero momentum: L_h M = α_h tr(M) I + β_h M for the "
            "empirical M = (1/N)Σ v⊗v (so d/dt E[M] likewise); independent of N", src),
        "mbc.gamma0.beta_h": _entry(beta_h, "γ = 0 MBC: β_h (see mbc.gamma0.alpha_h)", src),
        "mbc.gamma0.traceless_rate_h": _entry(-beta_h, "γ = 0 MBC: decay rate of the traceless part of E[M]", src),
        "mbc.second_moment_rhs_finite_h": _entry(
            alpha_h * e_sym * delta + beta_h * m_sym,
            "γ = 0 MBC: d/dt E[M_kl] with E = tr E[M], m = E[M_kl], delta = δ_kl (h; independent of N)", src),
        "mbc.gamma0.moment4_generator": _entry(
            mbc.moment4_generator_finite_h(),
            "γ = 0 MBC: generator applied to the empirical m4 = (1/N)Σ|v|⁴, in the EMPIRICAL m4, E = tr M, "
            "M2 = tr(M²) (zero momentum, any N): d/dt E[m4] = E[this]", _src("mbc", "moment4_generator_finite_h")),
        "mbc.gamma0.tagged_velocity_rate_h": _entry(
            mbc.tagged_velocity_rate_finite_h(),
            "γ = 0 MBC at grazing h, any N, zero momentum: L_h v_i = κ_h v_i for every particle, so the two-time "
            "correlation E[(1/N)Σ v_i(0)·v_i(t)] = E e^{κ_h t}; κ_h", _src("mbc", "tagged_velocity_rate_finite_h")),
        "master.gamma0.tagged_velocity_rate": _entry(
            mbc.landau_master_tagged_rate(), "γ = 0 Landau master equation (docs/spec.md §2), zero momentum: "
            "L_N v_i = κ v_i; κ (the h → 0 limit of mbc.gamma0.tagged_velocity_rate_h)",
            _src("mbc", "landau_master_tagged_rate")),
        "mbc.c_ell": _entry(mbc.c_ell(), "λ_h (P_ℓ(cos h) - 1) = -|u|^γ ℓ(ℓ+1)(1 + c_ℓ h² + O(h⁴)); c_ℓ in ell",
                            _src("mbc", "c_ell")),
    }


def _bimaxwellian() -> dict[str, dict[str, Any]]:
    out = {"bimaxwellian.initial_rate": _entry(
        bimaxwellian.rate_integral(),
        "dT∥/dt at t = 0 for f = N(0, diag(Tperp, Tperp, Tpar)), exponent gamma, as a μ-integral",
        _src("bimaxwellian", "rate_integral")),
        "bimaxwellian.initial_rate_closed_form": _entry(
            bimaxwellian.closed_form_expr(),
            "the same rate in closed form with Gauss hypergeometric functions (symbols gamma, Tpar, Tperp)",
            _src("bimaxwellian", "closed_form_expr"))}
    src = _src("bimaxwellian", "dtpar_dt")
    for g in bimaxwellian.GAMMAS:
        for tpar, tperp in bimaxwellian.TEMPERATURES:
            x = bimaxwellian.report(bimaxwellian.dtpar_dt(g, tpar, tperp))
            out[bimaxwellian_rate_key(g, tpar, tperp)] = _entry(
                sp.Float(x, REPORT_DIGITS),
                f"dT∥/dt at t = 0, γ = {g}, T∥ = {tpar}, T⊥ = {tperp} (30 digits, mpmath quadrature)", src,
                value=x)
    return out


def _hardy() -> dict[str, dict[str, Any]]:
    return {key: _entry(e, desc, _src("hardy", func)) for key, (e, desc, func) in hardy.exported().items()}


def _mixture() -> dict[str, dict[str, Any]]:
    return {"landau.moment4_rate_gaussian_pair": _entry(
        mixture.pair_rate(),
        "R(T1, T2) = E[symmetrised weak-form integrand of |v|⁴] for v ~ N(0, T1 I), w ~ N(0, T2 I), exponent gamma: "
        "d/dt ∫|v|⁴f at t = 0 for f = Σ w_k N(0, T_k I) is Σ_kl w_k w_l R(T_k, T_l)", _src("mixture", "pair_rate"))}


def build() -> dict[str, dict[str, Any]]:
    """The full table, freshly derived."""
    table: dict[str, dict[str, Any]] = {}
    for part in (_maxwell, _bkw, _mbc, _bimaxwellian, _hardy, _mixture):
        table.update(part())
    return dict(sorted(table.items()))


def dumps(table: dict[str, dict[str, Any]]) -> str:
    """Canonical JSON text (sorted keys, 2-space indent, UTF-8, trailing newline)."""
    return json.dumps(table, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def stale_files(text: str) -> list[Path]:
    """The output files whose content differs from ``text``."""
    return [p for p in OUTPUTS if not p.is_file() or p.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a written file is stale; write nothing")
    args = parser.parse_args(argv)
    text = dumps(build())
    stale = stale_files(text)
    if args.check:
        for p in stale:
            print(f"stale: {p}")
        return 1 if stale else 0
    for p in OUTPUTS:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
