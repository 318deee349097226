"""Closed γ = 0 moment equations: the finite-h MBC rates and fourth-moment generator (mbc_verify.mbc.moment_equations),
the variation-of-constants integral, and the linear second-moment solution (mbc_verify.landau.maxwell)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mbc_verify.landau.maxwell import second_moment_exact, second_moment_rates, second_moment_solution
from mbc_verify.mbc.moment_equations import forced_response, moment4_generator
from mbc_verify.mbc.moment_equations import second_moment_rates as finite_h_rates


def test_finite_h_rates_tend_to_the_landau_rates():
    alpha, beta = second_moment_rates()
    a, b = finite_h_rates(1e-4, 64)
    assert a == pytest.approx(alpha, rel=1e-7) and b == pytest.approx(beta, rel=1e-7)
    a1, b1 = finite_h_rates(1.0, 64)
    assert abs(b1 / beta - 1.0) > 0.2  # h = 1 differs visibly (what C12 relies on)
    with pytest.raises(ValueError, match="^h"):
        finite_h_rates(4.0, 64)
    with pytest.raises(ValueError, match="^n"):
        finite_h_rates(0.5, 1)


def test_second_moment_solution_is_second_moment_exact_at_landau_rates():
    """One formula: at the Landau rates it is second_moment_exact, bit for bit, for scalar and array t."""
    m0 = np.diag([0.5, 0.5, 2.0])
    t = np.linspace(0.0, 0.6, 7)
    alpha, beta = second_moment_rates()
    assert np.array_equal(second_moment_solution(m0, t, alpha, beta), second_moment_exact(m0, t))
    assert np.array_equal(second_moment_solution(m0, 0.3, alpha, beta), second_moment_exact(m0, 0.3))
    assert second_moment_exact(m0, 0.3).shape == (3, 3)


@settings(max_examples=30)
@given(st.floats(-3.0, 3.0), st.floats(-8.0, 0.0), st.lists(st.floats(0.1, 3.0), min_size=3, max_size=3))
def test_second_moment_solution_solves_its_ode(alpha, beta, diag):
    """dM/dt = α tr(M) I + β M by central differences (δ = 1e-5: truncation ≤ δ² max|M'''|/6 ≪ 1e-6)."""
    m0 = np.diag(diag) + 0.1 * (np.ones((3, 3)) - np.eye(3))
    t = np.array([0.2, 0.5])
    d = 1e-5
    dm = (second_moment_solution(m0, t + d, alpha, beta) - second_moment_solution(m0, t - d, alpha, beta)) / (2 * d)
    m = second_moment_solution(m0, t, alpha, beta)
    rhs = alpha * np.trace(m, axis1=1, axis2=2)[:, None, None] * np.eye(3) + beta * m
    assert np.max(np.abs(dm - rhs)) <= 1e-6 * max(1.0, np.max(np.abs(rhs)))
    assert np.array_equal(second_moment_solution(m0, 0.0, alpha, beta), m0)


def test_second_moment_solution_batches_over_initial_matrices():
    m0 = np.stack([np.diag([0.5, 0.5, 2.0]), np.eye(3)])
    t = np.linspace(0.0, 0.6, 7)
    out = second_moment_solution(m0, t, 2.0, -6.0)
    assert out.shape == (2, 7, 3, 3)
    for k in range(2):
        assert np.array_equal(out[k], second_moment_solution(m0[k], t, 2.0, -6.0))
    with pytest.raises(ValueError, match="^m0"):
        second_moment_solution(np.eye(2), t, 2.0, -6.0)


def test_moment4_generator_and_forced_response():
    a, b = moment4_generator(0.5, 64)
    c = math.sin(0.5) ** 2 / 0.25
    assert a == pytest.approx(-4 * c, rel=1e-12)
    assert float(b(3.0, 3.0)) == pytest.approx(60 * c, rel=1e-12)  # equilibrium m4 = 15: a·15 + b = 0
    t = np.linspace(0.0, 0.5, 6)
    resp = forced_response(t, np.full((2, 6), 2.0), a)
    assert np.allclose(resp, 2.0 * (np.exp(a * t) - 1.0) / a, rtol=1e-6)  # constant forcing: closed form
    ramp = forced_response(t, t[None, :], a)[0]  # b(s) = s: ∫ e^{a(t−s)} s ds = (e^{at} − 1 − at)/a²
    assert np.allclose(ramp, (np.exp(a * t) - 1.0 - a * t) / a**2, rtol=1e-6, atol=1e-12)
