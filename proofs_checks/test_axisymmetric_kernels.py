"""The potentials behind the axisymmetric solver (mbc_verify/landau/axisymmetric_kernel.py), for symbolic γ:

1. With H(u) = (u^(γ+2) - 1)/(γ+2), F(u) = -u²(H - ½)/(γ+4), G(u) = u^(γ+2) + H:  F' = -uH, H' = u^(γ+1),
   a(z) = ∇∇F(|z|) + G(|z|) I and b(z) = -2 ∇H(|z|)   (so a∗f = ∇∇Φ_F + Φ_G I, b∗f = -2∇Φ_H).
2. Funk–Hecke coefficients of powers (the closed-form kernels): for r < s, t = r/s, λ = -p/2,
   2π ∫₋₁¹ (r² + s² - 2rsμ)^(p/2) P_ℓ(μ) dμ = 4π (λ)_ℓ/(3/2)_ℓ s^p t^ℓ ₂F₁(λ+ℓ, λ-½; ℓ+3/2; t²),
   checked by exact integration at rational r, s for p ∈ {-1, 1, 2, 3, 4, 5}, ℓ ≤ 6 (Gegenbauer-to-Legendre
   connection).

Negative controls: F without the factor 1/(γ+4) does not give a; the lower ₂F₁ parameter ℓ + ½ instead of ℓ + 3/2
does not give the Funk–Hecke coefficient.
"""

import sympy as sp

from proofs_checks.derivations.identities import value_at, vanishes, witness_point
from proofs_checks.derivations.landau import GAMMA, kernel_a, kernel_b, norm2, vector

U = sp.Symbol("u", positive=True)


def radial_kernels(f_scale: sp.Expr = 1):
    """(F, G, H) as functions of u; ``f_scale`` multiplies F (1/(γ+4) dropped when f_scale = γ + 4)."""
    h = (U ** (GAMMA + 2) - 1) / (GAMMA + 2)
    f = -f_scale * U ** 2 * (h - sp.Rational(1, 2)) / (GAMMA + 4)
    g = U ** (GAMMA + 2) + h
    return f, g, h


def tensor_residual(f_scale: sp.Expr = 1):
    """a(z) - ∇∇F(|z|) - G(|z|) I and b(z) + 2∇H(|z|), component lists, with the symbols of z."""
    z = vector("z")
    f, g, h = radial_kernels(f_scale)
    u = sp.sqrt(norm2(z))
    fz, gz, hz = (e.subs(U, u) for e in (f, g, h))
    hess = sp.hessian(fz, list(z))
    grad_h = sp.Matrix([sp.diff(hz, x) for x in z])
    res_a = kernel_a(z, GAMMA) - hess - gz * sp.eye(3)
    res_b = kernel_b(z, GAMMA) + 2 * grad_h
    return [*res_a, *res_b], list(z)


def test_radial_derivatives():
    f, _, h = radial_kernels()
    assert sp.simplify(sp.diff(f, U) + U * h) == 0
    assert sp.simplify(sp.diff(h, U) - U ** (GAMMA + 1)) == 0


def test_kernels_give_a_and_b():
    assert all(vanishes(sp.simplify(c)) for c in tensor_residual()[0])


def test_negative_control_wrong_f_scale():
    exprs, syms = tensor_residual(f_scale=GAMMA + 4)
    point = witness_point(syms)
    assert any(sp.N(value_at(e, point)) != 0 for e in exprs[:9])


def funk_hecke_exact(p: int, ell: int, r: sp.Rational, s: sp.Rational) -> sp.Expr:
    """Exact integral, with u² = r² + s² - 2rsμ (dμ = -u du/(rs)): a polynomial integral in u for integer p."""
    mu = (r ** 2 + s ** 2 - U ** 2) / (2 * r * s)
    return 2 * sp.pi / (r * s) * sp.integrate(U ** (p + 1) * sp.legendre(ell, mu), (U, abs(r - s), r + s))


def terminating_2f1(a: sp.Rational, b: sp.Rational, c: sp.Rational, x: sp.Rational) -> sp.Rational:
    """₂F₁(a, b; c; x) for a or b a non-positive integer (the cases used here): a finite sum."""
    n = next(-int(q) for q in (a, b) if q.is_integer and q <= 0)
    return sum(sp.rf(a, k) * sp.rf(b, k) / (sp.factorial(k) * sp.rf(c, k)) * x ** k for k in range(n + 1))


def funk_hecke_closed(p: int, ell: int, r: sp.Rational, s: sp.Rational, lower_shift: sp.Rational = 1) -> sp.Expr:
    lam = sp.Rational(-p, 2)
    pre = sp.rf(lam, ell) / sp.rf(sp.Rational(3, 2), ell)
    if pre == 0:  # even p: (λ)_ℓ = 0 for ℓ > p/2
        return sp.Integer(0)
    t = r / s
    series = terminating_2f1(lam + ell, lam - sp.Rational(1, 2), ell + sp.Rational(1, 2) + lower_shift, t ** 2)
    return 4 * sp.pi * pre * s ** p * t ** ell * series


def test_funk_hecke_closed_form():
    r, s = sp.Rational(1, 3), sp.Rational(5, 4)
    for p in (-1, 1, 2, 3, 4, 5):
        for ell in range(7):
            assert sp.simplify(funk_hecke_exact(p, ell, r, s) - funk_hecke_closed(p, ell, r, s)) == 0, (p, ell)


def test_negative_control_wrong_lower_parameter():
    r, s = sp.Rational(1, 3), sp.Rational(5, 4)
    diff = sp.N(funk_hecke_exact(1, 2, r, s) - funk_hecke_closed(1, 2, r, s, lower_shift=0), 30)
    assert abs(diff) > 1e-6
