"""Maxwell molecules (γ = 0): closed moment equations derived from the weak form of docs/spec.md §1 (with its ½).

For a density f with mass 1 and zero momentum, M = ∫ v⊗v f, E = tr M, M2 = tr(M²), m4 = ∫|v|⁴ f:

    dM/dt = α tr(M) I + β M,          d m4/dt = c_m4 m4 + c_E2 E² + c_M2 M2.

Both sides are obtained by substituting the moments of f⊗f into the (polynomial, γ = 0) weak-form
integrand and solving the ansatz identically in the free moments; the traceless part of M relaxes at the
rate -β. The planted defects of :mod:`.landau` (``half``, ``b_sign``) are passed through so that the
negative controls can rerun the same derivation on a defective operator.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import sympy as sp

from .landau import DIM, HALF, gradient, kernel_a, norm2, vector, weak_integrand
from .moments import (
    SECOND_MOMENT,
    expectation,
    expectation_product,
    gaussian_moment,
    generic_moment,
    solve_ansatz,
    trace_m,
    trace_m_squared,
)

ALPHA, BETA = sp.symbols("alpha beta")
C_M4, C_E2, C_M2 = sp.symbols("c_m4 c_E2 c_M2")
M4, E, M2 = sp.symbols("m4 E M2", real=True)
ONE = sp.Integer(1)


def _moment_variables(expr: sp.Expr) -> list[sp.Symbol]:
    return sorted((s for s in expr.free_symbols if s.name.startswith(("M", "mu_"))), key=str)


def second_moment_rhs(half: sp.Expr = HALF, b_sign: int = -1) -> sp.Matrix:
    """d/dt ∫ v_k v_l f from the weak form at γ = 0, in the generic second moments M_ij."""
    v, w = vector("v"), vector("w")
    return sp.Matrix(DIM, DIM, lambda k, l: expectation_product(
        weak_integrand(lambda x: x[k] * x[l], v, w, sp.Integer(0), half=half, b_sign=b_sign),
        v, w, generic_moment))


@cache
def second_moment_rates(half: sp.Expr = HALF, b_sign: int = -1) -> tuple[sp.Expr, sp.Expr] | None:
    """(α, β) with dM/dt = α tr(M) I + β M, solved identically in M; None if no such closure holds."""
    rhs = second_moment_rhs(half, b_sign)
    ansatz = ALPHA * trace_m() * sp.eye(DIM) + BETA * SECOND_MOMENT
    residuals = list(rhs - ansatz)
    sol = solve_ansatz(residuals, [ALPHA, BETA], list(SECOND_MOMENT.free_symbols))
    return None if sol is None else (sol[ALPHA], sol[BETA])


def moment4_rhs_generic(half: sp.Expr = HALF, b_sign: int = -1) -> sp.Expr:
    """d/dt ∫|v|⁴ f from the weak form at γ = 0, in the generic moments of f."""
    v, w = vector("v"), vector("w")
    integrand = weak_integrand(lambda x: norm2(x) ** 2, v, w, sp.Integer(0), half=half, b_sign=b_sign)
    return expectation_product(integrand, v, w, generic_moment)


@cache
def moment4_rhs(half: sp.Expr = HALF, b_sign: int = -1) -> sp.Expr | None:
    """d m4/dt as c_m4 m4 + c_E2 E² + c_M2 M2 (symbols m4, E, M2); None if it does not close so."""
    v = vector("v")
    m4_generic = expectation(norm2(v) ** 2, v, generic_moment)
    rhs = moment4_rhs_generic(half, b_sign)
    residual = rhs - (C_M4 * m4_generic + C_E2 * trace_m() ** 2 + C_M2 * trace_m_squared())
    sol = solve_ansatz(residual, [C_M4, C_E2, C_M2], _moment_variables(residual))
    return None if sol is None else sp.expand(sol[C_M4] * M4 + sol[C_E2] * E ** 2 + sol[C_M2] * M2)


def strong_form_expectation(phi_expr: sp.Expr, v: sp.Matrix, variances: Sequence[sp.Expr],
                            weight: sp.Expr = ONE, half: sp.Expr = HALF) -> sp.Expr:
    """∫ φ Q(f, f) dv at γ = 0 from the STRONG form of docs/spec.md §1, for f = G·P.

    G = N(0, diag(variances)) and P = ``weight`` a polynomial in v (mass of f need not be 1). The flux
    ∫ a(v-w)(f(w)∇f(v) - f(v)∇f(w)) dw is computed literally: ∇f = G·(∇P - Σ⁻¹vP) is G times a polynomial,
    so every w-integral is a Gaussian moment; Q = ½∇·flux = G·q with q a polynomial, and ∫φQ = E_G[φ q].
    """
    q = collision_operator_over_gaussian(v, variances, weight, half)
    return expectation(phi_expr * q, v, gaussian_moment(variances))


def collision_operator_over_gaussian(v: sp.Matrix, variances: Sequence[sp.Expr],
                                     weight: sp.Expr = ONE,
                                     half: sp.Expr = HALF) -> sp.Expr:
    """q = Q(f, f)/G for f = G·P (γ = 0, strong form of docs/spec.md §1), a polynomial in v; see above."""
    w = vector("w")
    moment = gaussian_moment(variances)
    p_v, p_w = weight, weight.subs(dict(zip(v, w, strict=True)))

    def grad_over_g(p: sp.Expr, x: sp.Matrix) -> sp.Matrix:  # ∇(G P)/G = ∇P - Σ⁻¹ x P
        return gradient(p, x) - sp.Matrix([x[i] / variances[i] for i in range(DIM)]) * p

    a = kernel_a(v - w, sp.Integer(0))
    # flux/G(v) = E_G[a P(w)] (∇(GP)/G)(v) - P(v) E_G[a (∇(GP)/G)(w)]
    a_bar = sp.Matrix(DIM, DIM, lambda i, j: expectation(
        sp.expand(a[i, j] * p_w), w, moment))
    g_w = grad_over_g(p_w, w)
    drift = sp.Matrix([expectation(sp.expand(sum(a[i, j] * g_w[j] for j in range(DIM))), w, moment)
                       for i in range(DIM)])
    flux = a_bar * grad_over_g(p_v, v) - p_v * drift
    # ∇·(G flux) / G = ∇·flux - Σ⁻¹ v · flux
    div = sum(sp.diff(flux[i], v[i]) - v[i] / variances[i] * flux[i] for i in range(DIM))
    return sp.expand(half * div)


def weak_form_expectation_gaussian(phi, v: sp.Matrix, variances: Sequence[sp.Expr],
                                   half: sp.Expr = HALF, b_sign: int = -1) -> sp.Expr:
    """E_{f⊗f}[½(a:∇²φ + 2b·∇φ)] at γ = 0 for f = N(0, diag(variances))."""
    w = vector("w")
    integrand = weak_integrand(phi, v, w, sp.Integer(0), half=half, b_sign=b_sign)
    return expectation_product(integrand, v, w, gaussian_moment(variances))


__all__ = ["second_moment_rates", "moment4_rhs", "strong_form_expectation", "collision_operator_over_gaussian",
           "weak_form_expectation_gaussian", "second_moment_rhs", "moment4_rhs_generic"]
