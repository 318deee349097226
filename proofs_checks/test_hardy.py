"""Hardy bound on the inverse-square singularity: E_{f⊗f}|v - w|^(-2) ≤ C·I(f) in R³.

Steps (see ``proofs_checks/derivations/hardy.py``): Hardy's inequality ∫φ²/|z|² ≤ C_H∫|∇φ|² with C_H = 4 derived
from a completed square and ∇·(z/|z|²) = 1/|z|²; φ = √h turns ∫|∇φ|² into I(h)/4; Stam's inequality gives
I(f * f̃) ≤ I(f)/2. Checks: the completed-square identity pointwise; Hardy's inequality on explicit radial φ;
the whole chain S ≤ I(h) ≤ I(f)/2 on isotropic Gaussian mixtures (S exact, I by 30-digit quadrature).
Negative controls: Hardy's inequality with constant 1 fails on a Gaussian φ; a claimed constant C = 1/8
fails on a Gaussian f (there S/I(f) = 1/6).
"""

import mpmath
import pytest
import sympy as sp

from proofs_checks.derivations import hardy

R = sp.Symbol("r", positive=True)
RADIAL_TEST_FUNCTIONS = {
    "gaussian": sp.exp(-R ** 2 / 2),
    "r^2 gaussian": R ** 2 * sp.exp(-R ** 2),
    "algebraic": (1 + R ** 2) ** -2,
}
MIXTURES = {"one": ([1], [1]), "two": (["0.3", "0.7"], ["0.2", "2"]), "three": (["0.5", "0.25", "0.25"],
                                                                            ["1", "0.05", "5"])}


def hardy_sides(phi):
    """(∫ φ²/|z|², ∫ |∇φ|²) for radial φ(r) in R³ (sympy integrals, 4π r² dr)."""
    lhs = sp.integrate(4 * sp.pi * phi ** 2, (R, 0, sp.oo))
    rhs = sp.integrate(4 * sp.pi * R ** 2 * sp.diff(phi, R) ** 2, (R, 0, sp.oo))
    return sp.simplify(lhs), sp.simplify(rhs)


def test_completed_square_and_divergence():
    assert hardy.completed_square_residual() == 0
    assert hardy.divergence_of_z_over_r2() == 1  # d - 2 in R³


def test_constants():
    assert hardy.bound_constant() == hardy.hardy_constant() * hardy.sqrt_fisher_factor() * hardy.stam_factor()
    assert 0 < hardy.bound_constant() < sp.oo


@pytest.mark.parametrize("name", RADIAL_TEST_FUNCTIONS)
def test_hardy_inequality_on_radial_functions(name):
    lhs, rhs = hardy_sides(RADIAL_TEST_FUNCTIONS[name])
    assert lhs <= hardy.hardy_constant() * rhs


@pytest.mark.parametrize("name", MIXTURES)
def test_inverse_square_bound_on_gaussian_mixtures(name):
    s, fisher_h, fisher_f = hardy.gaussian_mixture_quantities(*MIXTURES[name])
    with mpmath.workdps(30):
        c_h, stam, c = (mpmath.mpf(x.p) / x.q for x in (hardy.hardy_constant() * hardy.sqrt_fisher_factor(),
                                                        hardy.stam_factor(), hardy.bound_constant()))
        slack = mpmath.mpf(10) ** -25  # tanh-sinh at 30 digits errs ~1e-28; the Gaussian case is an equality
        assert s <= c_h * fisher_h + slack
        assert fisher_h <= stam * fisher_f + slack
        assert s <= c * fisher_f + slack


def test_negative_control_hardy_constant_one():
    lhs, rhs = hardy_sides(RADIAL_TEST_FUNCTIONS["gaussian"])
    assert lhs > 1 * rhs


def test_negative_control_too_small_bound_constant():
    s, _, fisher_f = hardy.gaussian_mixture_quantities([1], [1])
    assert s > sp.Rational(1, 8) * fisher_f
