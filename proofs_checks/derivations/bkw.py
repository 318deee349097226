"""The BKW-type explicit solution of the Landau equation for Maxwell molecules (γ = 0), docs/spec.md §4.

    f(t, v) = (2πK)^(-3/2) exp(-|v|²/(2K)) (A + B |v|²/K),   ∫ f = 1,  ∫ |v|² f = 3.

A(K), B(K) solve the two moment conditions; dK/dt is solved from the requirement that ∂_t f - Q(f, f)
vanish identically in v (Q from the strong form of docs/spec.md §1 with its ½, computed exactly: f is a Gaussian
times a polynomial); K(t) by dsolve; the positivity range of K from A ≥ 0 and B ≥ 0 (A + B s ≥ 0 for every
s = |v|²/K ≥ 0 iff both hold).
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from .landau import norm2, vector
from .maxwell import collision_operator_over_gaussian
from .moments import expectation, gaussian_moment

K = sp.Symbol("K", positive=True)
K0 = sp.Symbol("K0", positive=True)
T = sp.Symbol("t", nonnegative=True)
A, B = sp.symbols("A B", real=True)
KDOT = sp.Symbol("Kdot", real=True)


def weight(v: sp.Matrix, a: sp.Expr = A, b: sp.Expr = B, k: sp.Expr = K) -> sp.Expr:
    """The polynomial factor A + B|v|²/K of the BKW density."""
    return a + b * norm2(v) / k


def moments(a: sp.Expr, b: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """(∫ f, ∫|v|² f) for f = N(0, K I)·(A + B|v|²/K)."""
    v = vector("v")
    g = gaussian_moment([K] * 3)
    w = weight(v, a, b)
    return expectation(w, v, g), expectation(norm2(v) * w, v, g)


@cache
def coefficients() -> tuple[sp.Expr, sp.Expr]:
    """(A(K), B(K)) from mass 1 and energy ∫|v|² f = 3."""
    mass, energy = moments(A, B)
    sol = sp.solve([mass - 1, energy - 3], [A, B], dict=True)[0]
    return sp.factor(sol[A]), sp.factor(sol[B])


def pde_residual_over_gaussian(a: sp.Expr, b: sp.Expr, kdot: sp.Expr = KDOT) -> sp.Expr:
    """(∂_t f - Q(f, f)) / G for the BKW ansatz with coefficients (a, b), dK/dt = kdot; a polynomial in v."""
    v = vector("v")
    w = weight(v, a, b)
    g = (2 * sp.pi * K) ** sp.Rational(-3, 2) * sp.exp(-norm2(v) / (2 * K))
    # ∂_t(G w)/G = (w ∂_K log G + ∂_K w) dK/dt
    dlog_g = sp.diff(sp.expand_log(sp.log(g), force=True), K)
    dfdt_over_g = sp.expand((w * dlog_g + sp.diff(w, K)) * kdot)
    q = collision_operator_over_gaussian(v, [K] * 3, w)
    return sp.expand(dfdt_over_g - q)


@cache
def k_ode() -> sp.Expr:
    """dK/dt as a function of K: the unique value making the PDE residual vanish identically in v."""
    a, b = coefficients()
    residual = pde_residual_over_gaussian(a, b)
    v = vector("v")
    coeffs = sp.Poly(residual, *v).coeffs()
    sol = sp.solve(coeffs, [KDOT], dict=True)
    if len(sol) != 1:
        raise ArithmeticError("the BKW ansatz does not close: no dK/dt annihilates the PDE residual")
    return sp.factor(sol[0][KDOT])


@cache
def k_solution() -> sp.Expr:
    """K(t) solving dK/dt = k_ode(K), K(0) = K0."""
    kf = sp.Function("Kf")
    ode = sp.Eq(kf(T).diff(T), k_ode().subs(K, kf(T)))
    sol = sp.dsolve(ode, kf(T), ics={kf(0): K0})
    return sp.simplify(sol.rhs)


@cache
def positivity_range() -> tuple[sp.Expr, sp.Expr]:
    """(K_min, K_max): f ≥ 0 for every v iff A(K) ≥ 0 and B(K) ≥ 0, i.e. K_min ≤ K ≤ K_max."""
    a, b = coefficients()
    kr = sp.Symbol("K", real=True)
    cond = sp.reduce_inequalities([a.subs(K, kr) >= 0, b.subs(K, kr) >= 0, kr > 0], kr)
    interval = cond.as_set()
    if not isinstance(interval, sp.Interval):
        raise ArithmeticError(f"positivity set is not an interval: {interval}")
    return interval.start, interval.end
