"""Expectations of polynomials by moment substitution.

For a polynomial p(v, w) = Σ c_{αβ} v^α w^β and independent v ~ f, w ~ g,
E[p] = Σ c_{αβ} m_f(α) m_g(β). Moment tables used here:

- ``generic_moment``: a density with mass 1 and zero momentum (first moments 0), second moments the
  symmetric symbols M11, M12, …, M33 (M = ∫ v⊗v f), higher moments free symbols mu_abc;
- ``gaussian_moment(variances)``: the centred Gaussian N(0, diag(variances)) (Isserlis: Π (α_i - 1)!! s_i^(α_i/2)).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sympy as sp

from .landau import DIM

Moment = Callable[[tuple[int, ...]], sp.Expr]

SECOND_MOMENT = sp.Matrix(DIM, DIM, lambda i, j: sp.Symbol(f"M{min(i, j) + 1}{max(i, j) + 1}", real=True))


def generic_moment(alpha: tuple[int, ...]) -> sp.Expr:
    """∫ v^α f for a density with mass 1, zero momentum, second moments M_ij, higher moments mu_abc."""
    order = sum(alpha)
    if order == 0:
        return sp.Integer(1)
    if order == 1:
        return sp.Integer(0)
    if order == 2:
        idx = [i for i, a in enumerate(alpha) for _ in range(a)]
        return SECOND_MOMENT[idx[0], idx[1]]
    return sp.Symbol("mu_" + "".join(str(a) for a in alpha), real=True)


def gaussian_moment(variances: Sequence[sp.Expr]) -> Moment:
    """Moments of N(0, diag(variances)): Π_i (α_i - 1)!! s_i^(α_i/2), zero when some α_i is odd."""

    def moment(alpha: tuple[int, ...]) -> sp.Expr:
        if any(a % 2 for a in alpha):
            return sp.Integer(0)
        return sp.Mul(*[sp.factorial2(a - 1) * s ** sp.Rational(a, 2) for a, s in zip(alpha, variances, strict=True)])

    return moment


def expectation(expr: sp.Expr, v: sp.Matrix, moment: Moment) -> sp.Expr:
    """E[expr(v)] for v ~ f with moments ``moment`` (expr polynomial in v; raises otherwise)."""
    poly = sp.Poly(sp.expand(expr), *v)
    return sp.expand(sum(c * moment(m) for m, c in poly.terms()))


def expectation_product(expr: sp.Expr, v: sp.Matrix, w: sp.Matrix, moment_v: Moment,
                        moment_w: Moment | None = None) -> sp.Expr:
    """E[expr(v, w)] for independent v ~ f, w ~ g (g = f when ``moment_w`` is None)."""
    moment_w = moment_v if moment_w is None else moment_w
    poly = sp.Poly(sp.expand(expr), *v, *w)
    n = len(v)
    return sp.expand(sum(c * moment_v(m[:n]) * moment_w(m[n:]) for m, c in poly.terms()))


def trace_m() -> sp.Expr:
    """E = tr M (twice the kinetic energy per unit mass)."""
    return SECOND_MOMENT.trace()


def trace_m_squared() -> sp.Expr:
    """M2 = tr(M²)."""
    return sp.expand((SECOND_MOMENT * SECOND_MOMENT).trace())


def solve_ansatz(residual: sp.Expr | Sequence[sp.Expr], unknowns: Sequence[sp.Symbol],
                 variables: Sequence[sp.Symbol]) -> dict[sp.Symbol, sp.Expr] | None:
    """Solve residual ≡ 0 (identically in ``variables``) for ``unknowns``; None when no solution exists.

    The residuals are polynomials in ``variables`` whose coefficients are linear in ``unknowns``; every
    coefficient must vanish. A unique solution is required (an under-determined ansatz raises).
    """
    residuals = [residual] if isinstance(residual, sp.Expr) else list(residual)
    equations = []
    for r in residuals:
        equations.extend(sp.Poly(sp.expand(r), *variables).coeffs())
    sol = sp.solve(equations, list(unknowns), dict=True)
    if not sol:
        return None
    (s,) = sol
    if set(s) != set(unknowns):
        raise ValueError(f"ansatz under-determined: solved {sorted(map(str, s))} of {sorted(map(str, unknowns))}")
    return {k: sp.simplify(val) for k, val in s.items()}
