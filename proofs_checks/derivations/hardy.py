"""A rigorous bound on S = E_{f⊗f} |v - w|^(-2) by the Fisher information I(f) = ∫|∇f|²/f, in R³.

Chain (each step derived or checked here; Stam's Jensen step is cited):

1. Hardy's inequality in R^d, d ≥ 3:  ∫ φ²/|z|² ≤ C_H ∫ |∇φ|²,  C_H = 4/(d-2)²  (= 4 in R³).
   Proof: 0 ≤ ∫ |∇φ + λ φ z/|z|²|² = ∫|∇φ|² - (λ(d-2) - λ²) ∫ φ²/|z|², using ∫ φ ∇φ·z/|z|² = ½∫ ∇(φ²)·z/|z|²
   = -½ ∫ φ² ∇·(z/|z|²) and ∇·(z/|z|²) = (d-2)/|z|²; the best λ maximises λ(d-2) - λ² (``hardy_constant``).
2. With φ = √h, h the density of z = v - w:  |∇√h|² = |∇h|²/(4h), so S = ∫ h/|z|² ≤ (C_H/4) I(h)
   (``sqrt_fisher_factor`` = 1/4).
3. h = f * f̃, f̃(x) = f(-x) (the law of v + (-w)), and I(f̃) = I(f). Stam's inequality (Stam 1959,
   Blachman 1965; vector case with the trace Fisher information): the score of X + Y is
   E[λ ρ_X(X) + (1-λ) ρ_Y(Y) | X + Y] for every λ, so by Jensen I(X+Y) ≤ λ² I(X) + (1-λ)² I(Y); minimising over λ
   gives I(X+Y) ≤ I(X)I(Y)/(I(X)+I(Y)) = I(f)/2 here (``stam_factor`` = 1/2).

Result: E_{f⊗f} |v - w|^(-2) ≤ (C_H/4)·(1/2)·I(f) = I(f)/2 in R³ (``bound_constant``). For a Gaussian
N(0, σ²I): S = 1/(2σ²), I = 3/σ², ratio 1/6, so the constant 1/2 is within a factor 3 of the Gaussian case.
"""

from __future__ import annotations

from functools import cache

import mpmath
import sympy as sp

from .landau import norm2, vector

LAMBDA = sp.Symbol("lambda", real=True)
D = sp.Symbol("d", positive=True, integer=True)
FISHER = sp.Symbol("fisher", positive=True)


def divergence_of_z_over_r2() -> sp.Expr:
    """∇·(z/|z|²)·|z|² in R³ (derived by differentiation): equals d - 2 = 1."""
    z = vector("z")
    field = z / norm2(z)
    return sp.simplify(sum(sp.diff(field[i], z[i]) for i in range(3)) * norm2(z))


def completed_square_residual(lam: sp.Expr = LAMBDA) -> sp.Expr:
    """|∇φ + λφ z/|z|²|² - [|∇φ|² + λ z·∇(φ²)/|z|² + λ² φ²/|z|²] for a generic φ (pointwise; must vanish)."""
    z = vector("z")
    phi = sp.Function("phi")(*z)
    grad = sp.Matrix([sp.diff(phi, x) for x in z])
    vec = grad + lam * phi * z / norm2(z)
    grad_phi2 = sp.Matrix([sp.diff(phi ** 2, x) for x in z])
    expected = norm2(grad) + lam * (z.T * grad_phi2)[0, 0] / norm2(z) + lam ** 2 * phi ** 2 / norm2(z)
    return sp.simplify(sp.expand((vec.T * vec)[0, 0] - expected))


@cache
def hardy_constant(dim: int = 3) -> sp.Expr:
    """C_H = 1 / max_λ (λ(d-2) - λ²), with d - 2 = |z|² ∇·(z/|z|²) derived in R³ (``dim`` = 3)."""
    if dim != 3:
        raise NotImplementedError("the divergence is derived in R³")
    d_minus_2 = divergence_of_z_over_r2()
    gain = LAMBDA * d_minus_2 - LAMBDA ** 2
    (lam_star,) = sp.solve(sp.diff(gain, LAMBDA), LAMBDA)
    best = gain.subs(LAMBDA, lam_star)
    if not best.is_positive:
        raise ArithmeticError("no Hardy inequality: the best completed square gains nothing")
    return sp.nsimplify(1 / best)


@cache
def sqrt_fisher_factor() -> sp.Expr:
    """c with |∇√h|² = c |∇h|²/h (derived for a generic positive h)."""
    x = sp.Symbol("x", real=True)
    h = sp.Function("h", positive=True)(x)
    return sp.simplify(sp.diff(sp.sqrt(h), x) ** 2 / (sp.diff(h, x) ** 2 / h))


@cache
def stam_factor() -> sp.Expr:
    """min_λ [λ² + (1-λ)²]: I(f * f̃) ≤ (this) · I(f) when I(f̃) = I(f) (Stam/Blachman, Jensen step cited)."""
    quad = LAMBDA ** 2 + (1 - LAMBDA) ** 2
    (lam_star,) = sp.solve(sp.diff(quad, LAMBDA), LAMBDA)
    return sp.simplify(quad.subs(LAMBDA, lam_star))


@cache
def bound_constant() -> sp.Expr:
    """C with E_{f⊗f}|v - w|^(-2) ≤ C · I(f) in R³: C = (C_H/4)·... see module docstring."""
    return sp.nsimplify(hardy_constant() * sqrt_fisher_factor() * stam_factor())


def gaussian_mixture_quantities(weights, variances, dps: int = 30) -> tuple[mpmath.mpf, mpmath.mpf, mpmath.mpf]:
    """(S, I(h), I(f)) for f = Σ w_k N(0, s_k I) in R³, h = f * f̃ = Σ w_k w_l N(0, (s_k + s_l) I).

    S = Σ w_k w_l/(s_k + s_l) exactly (E|z|^(-2) = 1/s for z ~ N(0, sI) in R³); the Fisher informations of the
    radial densities by mpmath: I = 4π ∫_0^∞ r² g'(r)²/g(r) dr.
    """
    with mpmath.workdps(dps):
        w = [mpmath.mpf(x) for x in weights]
        s = [mpmath.mpf(x) for x in variances]

        def radial(ws, ss):
            g = lambda r: sum(a * (2 * mpmath.pi * b) ** -1.5 * mpmath.exp(-r ** 2 / (2 * b))  # noqa: E731
                              for a, b in zip(ws, ss, strict=True))
            dg = lambda r: sum(-a * r / b * (2 * mpmath.pi * b) ** -1.5 * mpmath.exp(-r ** 2 / (2 * b))  # noqa: E731
                               for a, b in zip(ws, ss, strict=True))
            return 4 * mpmath.pi * mpmath.quad(lambda r: r ** 2 * dg(r) ** 2 / g(r), [0, 1, 4, mpmath.inf])

        pairs = [(wk * wl, sk + sl) for wk, sk in zip(w, s, strict=True) for wl, sl in zip(w, s, strict=True)]
        big_s = sum(a / b for a, b in pairs)
        return big_s, radial(*zip(*pairs, strict=True)), radial(w, s)


def exported() -> dict[str, tuple[sp.Expr, str, str]]:
    """Entries for derived.json: key → (expression, description, function name)."""
    return {
        "hardy.hardy_constant": (hardy_constant(), "Hardy in R³: ∫φ²/|z|² ≤ C_H ∫|∇φ|², C_H = 4/(d-2)²",
                                 "hardy_constant"),
        "hardy.sqrt_fisher_factor": (sqrt_fisher_factor(), "|∇√h|² = c |∇h|²/h, so ∫|∇√h|² = c I(h)",
                                     "sqrt_fisher_factor"),
        "hardy.stam_factor": (stam_factor(), "I(f * f̃) ≤ c I(f) (Stam's inequality with I(f̃) = I(f))", "stam_factor"),
        "hardy.S_bound_constant": (bound_constant(),
                                   "E_{f⊗f}|v - w|^(-2) ≤ C I(f) in R³, I(f) = ∫|∇f|²/f (rigorous; see module)",
                                   "bound_constant"),
        "hardy.S_bound": (bound_constant() * FISHER,
                          "upper bound on E_{f⊗f}|v - w|^(-2) in terms of fisher = I(f) = ∫|∇f|²/f", "bound_constant"),
    }
