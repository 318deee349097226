"""The mean-field coefficient (a ∗ M_T)(v) at a Maxwellian (γ = 0 closed form, γ = −3 Rosenbluth potentials) and its
N-particle conditional mean (mbc_verify.landau.coefficients)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from mbc_verify.landau.coefficients import (
    conditional_coefficient,
    coulomb_radial_coefficients,
    maxwellian_coefficient,
    maxwellian_coefficient_coulomb,
    maxwellian_coefficient_gamma0,
)
from mbc_verify.mbc.observables import collision_coefficient


def _gauss_mean(expr, w, t):
    """E over w ~ N(0, T I) of a polynomial in w (Isserlis: E w^p = (p − 1)!! T^{p/2} for even p, else 0)."""
    poly = sp.Poly(sp.expand(expr), *w)
    out = 0
    for powers, coeff in poly.terms():
        term = coeff
        for p in powers:
            term *= 0 if p % 2 else sp.factorial2(p - 1) * t ** (p // 2)
        out += term
    return sp.expand(out)


def test_gamma0_maxwellian_coefficient_symbolic():
    """(a ∗ M_T)(v) = (|v|² + 2T) I − v⊗v for a(z) = |z|² I − z⊗z, by Gaussian moments of w ~ N(0, T I)."""
    v = sp.Matrix(sp.symbols("v0:3", real=True))
    w = sp.Matrix(sp.symbols("w0:3", real=True))
    t = sp.Symbol("T", positive=True)
    z = v - w
    a = z.dot(z) * sp.eye(3) - z * z.T
    mean = a.applyfunc(lambda e: _gauss_mean(e, w, t))
    closed = (v.dot(v) + 2 * t) * sp.eye(3) - v * v.T
    assert sp.simplify(mean - closed) == sp.zeros(3, 3)
    x = np.array([[0.3, -1.2, 2.0]])
    for temp in (1, 2.5):
        num = closed.subs({**dict(zip(v, x[0], strict=True)), t: temp})
        assert np.allclose(maxwellian_coefficient_gamma0(x, temp)[0], np.array(num, dtype=float), rtol=1e-14)


def test_coulomb_coefficients_match_rosenbluth_closed_form():
    """γ = −3: α = g'/r, β = g'' with g = |·| ∗ M = (r + 1/r) erf(r/√2) + √(2/π) e^{-r²/2} (T = 1)."""
    def g(r):
        return (r + 1 / r) * mpmath.erf(r / mpmath.sqrt(2)) + mpmath.sqrt(2 / mpmath.pi) * mpmath.exp(-r * r / 2)

    for r in (0.2, 1.0, 2.7, 5.5, 12.0):
        alpha, beta = coulomb_radial_coefficients(r)
        assert alpha == pytest.approx(float(mpmath.diff(g, r) / r), rel=1e-12)
        assert beta == pytest.approx(float(mpmath.diff(g, r, 2)), rel=1e-10)
    a0, b0 = coulomb_radial_coefficients(0.0)
    assert a0 == b0 == pytest.approx(float(mpmath.sqrt(2 / mpmath.pi)) * 2 / 3, rel=1e-12)


def test_coulomb_table_agrees_with_quadrature_and_far_field():
    """The spline table (r ≤ 10) and the direct quadrature beyond agree with the quadrature (error ≪ 1e-2, the size
    of the fluctuations C10 measures); far away (r = 30 > R_TABLE, quadrature branch) g = r + 1/r up to
    e^{-r²/2}, so α = (1 − 1/r²)/r and β = 2/r³."""
    v = np.array([[0.1, 0.2, -0.3], [1.0, -2.0, 0.5], [3.1, 0.0, 1.0], [0.0, 30.0, 0.0]])
    tab = maxwellian_coefficient_coulomb(v)
    for k in range(len(v)):
        r = float(np.linalg.norm(v[k]))
        alpha, beta = coulomb_radial_coefficients(r)
        vh = v[k] / r
        direct = alpha * (np.eye(3) - np.outer(vh, vh)) + beta * np.outer(vh, vh)
        assert np.max(np.abs(tab[k] - direct)) <= 1e-6
    y = np.outer([0.0, 1.0, 0.0], [0.0, 1.0, 0.0])
    far = (1 - 1 / 30.0**2) / 30.0 * (np.eye(3) - y) + 2 / 30.0**3 * y
    assert np.allclose(tab[3], far, rtol=1e-10, atol=0.0)


def test_temperature_scaling_and_gamma_refused():
    """γ = −3: (a ∗ M_T)(v) = T^{-1/2}(a ∗ M_1)(v/√T); other γ raise ValueError naming gamma."""
    v = np.array([[0.5, 1.0, -1.5], [2.0, 0.0, 0.1]])
    t = np.array([0.5, 2.0])
    scaled = maxwellian_coefficient(v, -3.0, t)
    for k in range(2):
        ref = maxwellian_coefficient_coulomb(v[k:k + 1] / math.sqrt(t[k]))[0] / math.sqrt(t[k])
        assert np.allclose(scaled[k], ref, rtol=1e-14)
    with pytest.raises(ValueError, match="^gamma"):
        maxwellian_coefficient(v, -2.0)
    with pytest.raises(ValueError, match="^v"):
        maxwellian_coefficient_gamma0(np.zeros((2, 2)))


def test_empirical_coefficient_normalisation_gamma0():
    """γ = 0 with zero momentum and energy 3: A_i = (|v_i|² + 3) I − v_i⊗v_i − M exactly (a(0) = 0 self-term), and
    the plain reference is ((N−1)/N)(a ∗ M)(v_i)."""
    rng = np.random.default_rng(0)
    v = rng.standard_normal((9, 3))
    v -= v.mean(axis=0)
    v *= math.sqrt(3 * 9 / np.sum(v * v))
    m = v.T @ v / 9
    s = np.sum(v * v, axis=1)
    expect = (s + 3.0)[:, None, None] * np.eye(3) - v[:, :, None] * v[:, None, :] - m
    assert np.allclose(collision_coefficient(v, 0.0), expect, atol=1e-13)
    assert np.allclose(conditional_coefficient(v, 0.0, cavity=False), 8 / 9 * maxwellian_coefficient_gamma0(v),
                       rtol=1e-15)


def test_cavity_reference_is_the_exact_conditional_mean_for_gamma0():
    """Uniform law on {Σv = 0, Σ|v|² = 3N}: given v_i, the others have mean −v_i/(N−1) and isotropic covariance T' I,
    so E[M | v_i] = v_i⊗v_i/(N−1) + ((N−1)/N) T' I and E[A_i | v_i] = (|v_i|² + 3) I − v_i⊗v_i − E[M | v_i]."""
    n = 9
    v = np.array([[0.4, -1.1, 2.0], [0.0, 0.0, 0.0], [3.0, 1.0, -1.0]])
    s = np.sum(v * v, axis=1)
    t_cav = (3 * n - s * n / (n - 1)) / (3 * (n - 1))
    outer = v[:, :, None] * v[:, None, :]
    e_m = outer / (n - 1) + ((n - 1) / n * t_cav)[:, None, None] * np.eye(3)
    exact = (s + 3.0)[:, None, None] * np.eye(3) - outer - e_m
    padded = np.vstack([v, np.zeros((n - 3, 3))])  # the reference uses only N and each row
    assert np.allclose(conditional_coefficient(padded, 0.0)[:3], exact, rtol=1e-13, atol=1e-13)
