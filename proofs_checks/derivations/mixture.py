"""Initial rate of ∫|v|⁴ f for a mixture of centred Maxwellians, any γ, in closed form (docs/spec.md §1, §4).

f = Σ_k w_k G_k, G_k = N(0, T_k I). The weak form is bilinear in f, so

    d/dt ∫|v|⁴ f = Σ_{k,l} w_k w_l R(T_k, T_l),   R(T₁, T₂) = E[S(v, w)],  v ~ G(T₁), w ~ G(T₂) independent,

with S the symmetrised integrand ¼[a(z):(∇²φ(v) + ∇²φ(w)) + 2 b(z)·(∇φ(v) − ∇φ(w))], z = v − w, φ = |v|⁴.

1. Split v, w into the relative velocity and an independent remainder: z = v − w ~ N(0, s I), s = T₁ + T₂, and
   v = (T₁/s) z + ξ, w = −(T₂/s) z + ξ with ξ ~ N(0, (T₁T₂/s) I) independent of z (the Gaussian regression of v on
   z). In a = |z|^{γ+2} I − |z|^γ z⊗z and b = −2|z|^γ z the powers of |z| are a symbol r; the rest of S is a
   polynomial in (z, ξ), averaged over ξ by Gaussian moments (Isserlis).
2. The remaining polynomial in z is averaged over the directions of z = r n (isotropic moments of the unit
   sphere, E n^α = Π(α_i − 1)!! / (|α| + 1)!! for even α_i), leaving Σ_p c_p r^p, and E|z|^p for z ~ N(0, s I) in
   R³ is (2s)^{p/2} Γ((p + 3)/2)/Γ(3/2). Every power that occurs is ≥ γ + 2 > −1 (the b-term carries
   ∇φ(v) − ∇φ(w) = O(|z|)), so R is finite for every γ ∈ [−3, 1], Coulomb included.

Checks (proofs_checks/test_mixture.py): R(T, T) = 0 (a Maxwellian is stationary) for symbolic γ; R is symmetric;
at γ = 0 the mixture rate equals the closed Maxwell-molecule moment equation (key ``maxwell.moment4_rhs``, derived
independently) for any weights and temperatures; negative control: with the wrong sign of b, R(T, T) ≠ 0.
Exported: ``landau.moment4_rate_gaussian_pair`` (symbols gamma, T1, T2).
"""

from __future__ import annotations

from functools import cache

import sympy as sp

from .landau import DIM, GAMMA, gradient, hessian, norm2, vector
from .moments import expectation, gaussian_moment

T1 = sp.Symbol("T1", positive=True)
T2 = sp.Symbol("T2", positive=True)
R = sp.Symbol("r", positive=True)


def _phi(x: sp.Matrix) -> sp.Expr:
    return norm2(x) ** 2


def integrand_over_z(gamma: sp.Expr = GAMMA, b_sign: int = -1) -> tuple[sp.Expr, sp.Matrix]:
    """(E_ξ[S], z): the symmetrised integrand for φ = |v|⁴ averaged over ξ (step 1), with |z| written as r."""
    z, xi = vector("z"), vector("xi")
    s = T1 + T2
    v = T1 / s * z + xi
    w = -T2 / s * z + xi
    hess = hessian(_phi(v), xi) + hessian(_phi(w), xi)  # ∂_v = ∂_ξ at fixed z (v is ξ + const)
    grad = gradient(_phi(v), xi) - gradient(_phi(w), xi)
    zz = z * z.T
    a_part = R ** (gamma + 2) * hess.trace() - R ** gamma * sum(zz[i, j] * hess[i, j] for i in range(DIM)
                                                               for j in range(DIM))
    b_part = b_sign * 2 * R ** gamma * (z.T * grad)[0, 0]
    s_expr = sp.Rational(1, 4) * (a_part + 2 * b_part)
    q = T1 * T2 / s
    return sp.expand(expectation(sp.expand(s_expr), xi, gaussian_moment([q, q, q]))), z


def _sphere_average(poly: sp.Expr, z: sp.Matrix) -> sp.Expr:
    """Average of a polynomial in z over the directions z = r n, |n| = 1 (step 2), as a polynomial in r."""
    out = sp.Integer(0)
    for powers, coeff in sp.Poly(poly, *z).terms():
        if any(p % 2 for p in powers):
            continue
        num = sp.Mul(*[sp.factorial2(p - 1) for p in powers])
        out += coeff * num / sp.factorial2(sum(powers) + 1) * R ** sum(powers)
    return sp.expand(out)


def _radial_mean(poly_r: sp.Expr, gamma: sp.Expr) -> sp.Expr:
    """E over |z| of Σ c_p r^p (p may contain γ) for z ~ N(0, (T1 + T2) I) in R³ (step 2)."""
    s = T1 + T2
    out = sp.Integer(0)
    for term in sp.Add.make_args(sp.expand(poly_r)):
        p = sp.simplify(R * sp.diff(term, R) / term)  # the exponent of r in the term c r^p (p may contain γ)
        if p.has(R):
            raise ArithmeticError(f"not a power of r: {term}")
        coeff = sp.simplify(term / R**p)
        out += coeff * (2 * s) ** (p / 2) * sp.gamma((p + 3) / 2) / sp.gamma(sp.Rational(3, 2))
    return out


@cache
def pair_rate(gamma: sp.Expr = GAMMA, b_sign: int = -1) -> sp.Expr:
    """R(T1, T2) = E[S(v, w)] for φ = |v|⁴, v ~ N(0, T1 I), w ~ N(0, T2 I) (module docstring)."""
    poly, z = integrand_over_z(gamma, b_sign)
    return sp.simplify(_radial_mean(_sphere_average(poly, z), gamma))


def mixture_rate(weights: list, temperatures: list, gamma: sp.Expr = GAMMA, b_sign: int = -1) -> sp.Expr:
    """d/dt ∫|v|⁴ f at t = 0 for f = Σ w_k N(0, T_k I): Σ_{k,l} w_k w_l R(T_k, T_l)."""
    r = pair_rate(gamma, b_sign)
    return sum(wk * wl * r.subs({T1: tk, T2: tl}, simultaneous=True)
               for wk, tk in zip(weights, temperatures, strict=True)
               for wl, tl in zip(weights, temperatures, strict=True))
