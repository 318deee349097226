"""The Landau kernel and the weak forms of docs/spec.md §1, as sympy expressions.

    a(z) = |z|^(γ+2) Π(z),  Π(z) = I - z⊗z/|z|²,   b(z) = ∇·a(z) = -2|z|^γ z

    weak form:         d/dt ∫φf = ½ ∫∫ f f_* [ a(v-w) : ∇²φ(v) + 2 b(v-w)·∇φ(v) ]
    symmetrised form:  d/dt ∫φf = ¼ ∫∫ f f_* [ a : (∇²φ + ∇²φ_*) + 2 b·(∇φ - ∇φ_*) ]

Planted defects (for the negative controls) are explicit keyword arguments, never global state:
``a_defect`` ("no_projection": a = |z|^(γ+2) I; "non_psd": a = |z|^(γ+2)(I - 2 z⊗z/|z|²)),
``b_sign`` (+1 flips the sign of b), ``half`` (the factor of the weak form; 1 drops the ½).
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

GAMMA = sp.Symbol("gamma", real=True)
HALF = sp.Rational(1, 2)
DIM = 3


def vector(name: str) -> sp.Matrix:
    """Column vector of real symbols name1, name2, name3."""
    return sp.Matrix(sp.symbols(f"{name}1:{DIM + 1}", real=True))


def norm2(z: sp.Matrix) -> sp.Expr:
    """|z|²."""
    return sp.expand((z.T * z)[0, 0])


def kernel_a(z: sp.Matrix, gamma: sp.Expr = GAMMA, a_defect: str | None = None) -> sp.Matrix:
    """a(z) = |z|^(γ+2) (I - z⊗z/|z|²) (docs/spec.md §1), or a planted defect (see module docstring).

    Written as |z|^(γ+2) I - |z|^γ z⊗z (the same function) so that at γ = 0 it is a polynomial.
    """
    r2 = norm2(z)
    proj = {None: 1, "no_projection": 0, "non_psd": 2}[a_defect]
    return r2 ** ((gamma + 2) / 2) * sp.eye(DIM) - proj * r2 ** (gamma / 2) * z * z.T


def kernel_b(z: sp.Matrix, gamma: sp.Expr = GAMMA, b_sign: int = -1) -> sp.Matrix:
    """b(z) = -2|z|^γ z (docs/spec.md §1); ``b_sign=+1`` is the wrong-sign defect."""
    return b_sign * 2 * norm2(z) ** (gamma / 2) * z


def divergence_rows(a: sp.Matrix, z: sp.Matrix) -> sp.Matrix:
    """(∇·a)_i = Σ_j ∂a_ij/∂z_j."""
    return sp.Matrix([sum(sp.diff(a[i, j], z[j]) for j in range(DIM)) for i in range(DIM)])


def gradient(phi: sp.Expr, v: sp.Matrix) -> sp.Matrix:
    """∇φ as a column vector."""
    return sp.Matrix([sp.diff(phi, x) for x in v])


def hessian(phi: sp.Expr, v: sp.Matrix) -> sp.Matrix:
    """∇²φ."""
    return sp.hessian(phi, list(v))


def contract(a: sp.Matrix, m: sp.Matrix) -> sp.Expr:
    """a : m = Σ_ij a_ij m_ij."""
    return sum(a[i, j] * m[i, j] for i in range(DIM) for j in range(DIM))


TestFunction = Callable[[sp.Matrix], sp.Expr]


def weak_integrand(phi: TestFunction, v: sp.Matrix, w: sp.Matrix, gamma: sp.Expr = GAMMA, *,
                   half: sp.Expr = HALF, b_sign: int = -1,
                   a_defect: str | None = None) -> sp.Expr:
    """½ [a(v-w) : ∇²φ(v) + 2 b(v-w)·∇φ(v)], the integrand of the weak form against f(v) f(w)."""
    z = v - w
    pv = phi(v)
    a = kernel_a(z, gamma, a_defect)
    b = kernel_b(z, gamma, b_sign)
    return half * (contract(a, hessian(pv, v)) + 2 * (b.T * gradient(pv, v))[0, 0])


def symmetrised_integrand(phi: TestFunction, v: sp.Matrix, w: sp.Matrix, gamma: sp.Expr = GAMMA, *,
                          b_sign: int = -1, a_defect: str | None = None) -> sp.Expr:
    """¼ [a : (∇²φ(v) + ∇²φ(w)) + 2 b·(∇φ(v) - ∇φ(w))] with a, b at z = v - w."""
    z = v - w
    pv, pw = phi(v), phi(w)
    a = kernel_a(z, gamma, a_defect)
    b = kernel_b(z, gamma, b_sign)
    hess = hessian(pv, v) + hessian(pw, w)
    grad = gradient(pv, v) - gradient(pw, w)
    return sp.Rational(1, 4) * (contract(a, hess) + 2 * (b.T * grad)[0, 0])


def flux_density(f: Callable[[sp.Matrix], sp.Expr], v: sp.Matrix, w: sp.Matrix, gamma: sp.Expr = GAMMA,
                 a_defect: str | None = None) -> sp.Matrix:
    """a(v-w) (f(w) ∇f(v) - f(v) ∇f(w)), the integrand of the flux of Q(f, f) (docs/spec.md §1, before ½ ∇·∫dw)."""
    return kernel_a(v - w, gamma, a_defect) * (f(w) * gradient(f(v), v) - f(v) * gradient(f(w), w))
