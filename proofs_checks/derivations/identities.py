"""Deciding symbolic identities with the power |z|^γ, and exhibiting witnesses of non-identities.

``vanishes(e)``: after splitting every power b^(c + kγ) into b^c · b^(kγ), the factors b^(kγ) are replaced
by independent symbols and the remaining rational function is cancelled; zero then proves e ≡ 0 (a
sufficient test: an identity in independent symbols holds a fortiori for the actual powers).
``value_at(e, point)``: e evaluated at a rational point, exactly when possible; a non-zero value is a witness
that an identity fails (used by the negative controls).
"""

from __future__ import annotations

import sympy as sp

from .landau import GAMMA

WITNESS_GAMMA = sp.Rational(-1, 2)


def vanishes(e: sp.Expr, gamma: sp.Symbol = GAMMA) -> bool:
    """True when e is identically zero (see module docstring)."""
    symbols: dict[tuple[sp.Expr, sp.Expr], sp.Symbol] = {}

    def split(p: sp.Pow) -> sp.Expr:
        k = p.exp.coeff(gamma)
        rest = sp.expand(p.exp - k * gamma)
        key = (p.base, k)
        if key not in symbols:
            symbols[key] = sp.Symbol(f"_pow{len(symbols)}", positive=True)
        return symbols[key] * p.base ** rest

    e = sp.expand(e).replace(lambda x: x.is_Pow and x.exp.has(gamma), split)
    return sp.cancel(sp.expand(e)) == 0


def value_at(e: sp.Expr, point: dict) -> sp.Expr:
    """e at ``point`` (a dict symbol → number), simplified."""
    return sp.simplify(e.subs(point))


def witness_point(symbols, gamma_value: sp.Expr = WITNESS_GAMMA) -> dict:
    """A generic rational point: γ = gamma_value and the given symbols at 2/7, -3/7, 4/7, … (none zero)."""
    pts = {GAMMA: gamma_value}
    pts.update({s: sp.Rational(k + 2, 7) * (-1) ** k for k, s in enumerate(symbols)})
    return pts
