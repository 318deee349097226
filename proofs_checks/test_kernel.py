"""Item 1 — the Landau kernel (docs/spec.md §1), for symbolic γ:

    a(z) z = 0,   a(z) = a(z)ᵀ,   x·a(z)x = |z|^γ |z × x|² ≥ 0 (Lagrange's identity),   ∇·a(z) = b(z) = -2|z|^γ z,
    and the w-derivative used when the strong form is rewritten:  Σ_j ∂_{w_j} a_ij(v - w) = -b_i(v - w).

Negative controls: a without the projection is not degenerate along z; a = |z|^(γ+2)(I - 2ẑ⊗ẑ) is not PSD;
b with the wrong sign is not ∇·a.
"""

import sympy as sp

from proofs_checks.derivations.identities import value_at, vanishes, witness_point
from proofs_checks.derivations.landau import GAMMA, divergence_rows, kernel_a, kernel_b, norm2, vector


def is_zero(e) -> bool:
    return vanishes(e)


def nonzero_witness(exprs, symbols) -> bool:
    """Some component is non-zero at a generic rational point: the identity provably fails."""
    point = witness_point(symbols)
    return any(value_at(e, point) != 0 for e in exprs)


def a_times_z(a_defect=None):
    z = vector("z")
    return list(kernel_a(z, GAMMA, a_defect) * z), list(z)


def lagrange_residual(a_defect=None):
    """x·a x - |z|^γ |z × x|²: zero means a sum of squares times a positive factor, hence a ⪰ 0."""
    z, x = vector("z"), vector("x")
    quad = (x.T * kernel_a(z, GAMMA, a_defect) * x)[0, 0]
    return quad - norm2(z) ** (GAMMA / 2) * norm2(z.cross(x)), [*z, *x]


def divergence_residual(b_sign=-1):
    z = vector("z")
    return list(divergence_rows(kernel_a(z), z) - kernel_b(z, GAMMA, b_sign)), list(z)


def test_a_annihilates_z():
    assert all(is_zero(c) for c in a_times_z()[0])


def test_a_is_symmetric():
    a = kernel_a(vector("z"))
    assert all(is_zero(c) for c in a - a.T)


def test_a_is_positive_semidefinite():
    assert is_zero(lagrange_residual()[0])


def test_b_is_divergence_of_a():
    assert all(is_zero(c) for c in divergence_residual()[0])


def test_w_derivative_of_a_is_minus_b():
    v, w = vector("v"), vector("w")
    a = kernel_a(v - w)
    dw = sp.Matrix([sum(sp.diff(a[i, j], w[j]) for j in range(3)) for i in range(3)])
    assert all(is_zero(c) for c in dw + kernel_b(v - w))


def test_negative_control_no_projection_is_not_degenerate():
    exprs, syms = a_times_z("no_projection")
    assert not all(is_zero(c) for c in exprs)
    assert nonzero_witness(exprs, syms)


def test_negative_control_non_psd_kernel():
    residual, syms = lagrange_residual("non_psd")
    assert not is_zero(residual) and nonzero_witness([residual], syms)
    z = vector("z")
    at_x_equal_z = (z.T * kernel_a(z, GAMMA, "non_psd") * z)[0, 0]  # = -|z|^(γ+4) < 0: a direction of descent
    assert is_zero(at_x_equal_z + norm2(z) ** ((GAMMA + 4) / 2))


def test_negative_control_wrong_sign_of_b():
    exprs, syms = divergence_residual(b_sign=+1)
    assert not all(is_zero(c) for c in exprs)
    assert nonzero_witness(exprs, syms)
