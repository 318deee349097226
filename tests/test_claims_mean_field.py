"""Claims C5 (mean field), C9 (singular control), C10 (self-averaging) and C12 (Maxwell molecules).

Default tier: the claims' helper functions (fast). Slow tier: the quick profile of each claim passes, and the
designated planted defects (mutants) make it fail.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from mbc_verify.claims.c05_mean_field import rms_error
from mbc_verify.claims.c09_singular_control import bound, initial_fisher, singular_moment
from mbc_verify.claims.c10_self_averaging import (
    coulomb_radial_coefficients,
    maxwell_coefficient_coulomb,
    maxwell_coefficient_gamma0,
    mean_fluctuations,
    reference_coefficient,
    squared_errors,
)
from mbc_verify.claims.c12_maxwell_molecules import (
    finite_h_rates,
    forced_response,
    moment4_generator,
    second_moment_prediction,
)
from mbc_verify.claims.registry import run_claim
from mbc_verify.landau.maxwell import second_moment_exact
from mbc_verify.mbc.api import simulate
from mbc_verify.mbc.ensemble import ensemble_states, replica_seed
from mbc_verify.mbc.observables import collision_coefficient, moments

# ---------------------------------------------------------------- C5 helpers


def test_rms_error_statistics():
    e = np.array([1.0, -1.0, 3.0, -3.0])
    rms, rel, mean, se = rms_error(e)
    assert rms == pytest.approx(math.sqrt(5.0))
    assert mean == 0.0
    assert se == pytest.approx(np.std(e, ddof=1) / 2)
    # rel se = ½ sd(e²) / (√R mean e²): e² = (1, 1, 9, 9), sd = √(64/3)
    assert rel == pytest.approx(0.5 * math.sqrt(64 / 3) / (2 * 5.0))


# ---------------------------------------------------------------- C9 helpers


def test_singular_moment_brute_force():
    v = np.random.default_rng(3).standard_normal((7, 3))
    z = v[:, None, :] - v[None, :, :]
    r2 = np.sum(z * z, axis=2)
    brute = np.sum(1.0 / r2[~np.eye(7, dtype=bool)]) / (7 * 6)
    assert singular_moment(v) == pytest.approx(brute, rel=1e-13)


def test_initial_fisher_closed_forms_and_bound():
    assert initial_fisher("maxwellian") == 3.0
    assert initial_fisher("bimaxwellian:2,0.5") == pytest.approx(2 / 0.5 + 1 / 2)
    # BKW at K = 1 is the unit Maxwellian (A = 1, B = 0): the quadrature must return 3
    assert initial_fisher("bkw:1") == pytest.approx(3.0, rel=1e-10)
    # derived bound I/2; Maxwellian sanity: E|v - w|^-2 = 1/2 (v - w ~ N(0, 2I)) ≤ 3/2
    assert bound(3.0) == pytest.approx(1.5)
    with pytest.raises(ValueError, match="^init"):
        initial_fisher("shell")


def test_snapshot_states_is_the_simulate_run():
    """Replica r of ensemble_states is simulate(seed = replica_seed(seed, r)), bit for bit."""
    times, states = ensemble_states(-3.0, 0.3, 16, 0.05, replicas=2, init="bkw:0.7", snapshots=3, seed=5)
    for r in range(2):
        rec = simulate(-3.0, 0.3, 16, 0.05, init="bkw:0.7", snapshots=3, seed=replica_seed(5, r))
        for k in range(3):
            assert np.array_equal(moments(np.ascontiguousarray(states[r, k]))[0], rec["second_moment"][k])
    assert np.array_equal(times, np.linspace(0.0, 0.05, 3))


# ---------------------------------------------------------------- C10 helpers


def test_gamma0_maxwell_coefficient_symbolic():
    """(a ∗ M_T)(v) = (|v|² + 2T) I − v⊗v for a(z) = |z|² I − z⊗z, by Gaussian moments of w ~ N(0, T I)."""
    v = sp.Matrix(sp.symbols("v0:3", real=True))
    w = sp.Matrix(sp.symbols("w0:3", real=True))
    t = sp.Symbol("T", positive=True)
    z = v - w
    a = z.dot(z) * sp.eye(3) - z * z.T

    def gauss_mean(expr):
        poly = sp.Poly(sp.expand(expr), *w)
        out = 0
        for powers, coeff in poly.terms():
            term = coeff
            for p in powers:
                term *= 0 if p % 2 else sp.factorial2(p - 1) * t ** (p // 2)
            out += term
        return sp.expand(out)

    mean = a.applyfunc(gauss_mean)
    closed = (v.dot(v) + 2 * t) * sp.eye(3) - v * v.T
    assert sp.simplify(mean - closed) == sp.zeros(3, 3)
    x = np.array([[0.3, -1.2, 2.0]])
    num = closed.subs({**dict(zip(v, x[0], strict=True)), t: 1})
    assert np.allclose(maxwell_coefficient_gamma0(x)[0], np.array(num, dtype=float), rtol=1e-14)


def test_coulomb_coefficients_match_rosenbluth_closed_form():
    """γ = −3: α = g'/r, β = g'' with g = |·| ∗ M = (r + 1/r) erf(r/√2) + √(2/π) e^{-r²/2} (T = 1)."""
    g = lambda r: (r + 1 / r) * mpmath.erf(r / mpmath.sqrt(2)) + mpmath.sqrt(2 / mpmath.pi) * mpmath.exp(-r * r / 2)  # noqa: E731
    for r in (0.2, 1.0, 2.7, 5.5):
        alpha, beta = coulomb_radial_coefficients(r)
        assert alpha == pytest.approx(float(mpmath.diff(g, r) / r), rel=1e-12)
        assert beta == pytest.approx(float(mpmath.diff(g, r, 2)), rel=1e-10)
    a0, b0 = coulomb_radial_coefficients(0.0)
    assert a0 == b0 == pytest.approx(float(mpmath.sqrt(2 / mpmath.pi)) * 2 / 3, rel=1e-12)
    # the interpolated table agrees with direct quadrature (spline error ≪ the fluctuations, ~1e-2)
    v = np.array([[0.1, 0.2, -0.3], [1.0, -2.0, 0.5], [3.1, 0.0, 1.0]])
    tab = maxwell_coefficient_coulomb(v)
    for k in range(3):
        r = float(np.linalg.norm(v[k]))
        alpha, beta = coulomb_radial_coefficients(r)
        vh = v[k] / r
        direct = alpha * (np.eye(3) - np.outer(vh, vh)) + beta * np.outer(vh, vh)
        assert np.max(np.abs(tab[k] - direct)) <= 1e-6


def test_squared_errors_self_term_and_normalisation():
    """γ = 0 with zero momentum and energy 3: A_i = (|v_i|² + 3) I − v_i⊗v_i − M exactly (a(0) = 0 self-term)."""
    rng = np.random.default_rng(0)
    v = rng.standard_normal((9, 3))
    v -= v.mean(axis=0)
    v *= math.sqrt(3 * 9 / np.sum(v * v))
    m = v.T @ v / 9
    emp = collision_coefficient(v, 0.0)
    s = np.sum(v * v, axis=1)
    expect = (s + 3.0)[:, None, None] * np.eye(3) - v[:, :, None] * v[:, None, :] - m
    assert np.allclose(emp, expect, atol=1e-13)
    ref = 8 / 9 * maxwell_coefficient_gamma0(v)
    assert np.allclose(squared_errors(v, 0.0, cavity=False), np.sum((expect - ref) ** 2, axis=(1, 2)), atol=1e-12)
    with pytest.raises(ValueError, match="^gamma"):
        squared_errors(v, -2.0)
    cav, plain = mean_fluctuations(v, 0.0)
    assert cav == pytest.approx(np.mean(np.sqrt(squared_errors(v, 0.0))), rel=1e-14)
    assert plain == pytest.approx(np.mean(np.sqrt(squared_errors(v, 0.0, cavity=False))), rel=1e-14)


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
    padded = np.vstack([v, np.zeros((n - 3, 3))])  # reference_coefficient uses only N and each row
    assert np.allclose(reference_coefficient(padded, 0.0)[:3], exact, rtol=1e-13, atol=1e-13)


# ---------------------------------------------------------------- C12 helpers


def test_finite_h_rates_and_prediction():
    a, b = finite_h_rates(1e-4, 64)
    assert a == pytest.approx(2.0, rel=1e-7) and b == pytest.approx(-6.0, rel=1e-7)  # Landau limit
    m0 = np.diag([0.5, 0.5, 2.0])
    t = np.linspace(0.0, 0.6, 7)
    assert np.allclose(second_moment_prediction(m0, t, 2.0, -6.0), second_moment_exact(m0, t), rtol=1e-14)
    # batched over replicas
    assert second_moment_prediction(np.stack([m0, m0]), t, 2.0, -6.0).shape == (2, 7, 3, 3)


def test_moment4_generator_and_forced_response():
    a, b = moment4_generator(0.5, 64)
    c = math.sin(0.5) ** 2 / 0.25
    assert a == pytest.approx(-4 * c, rel=1e-12)
    assert float(b(3.0, 3.0)) == pytest.approx(60 * c, rel=1e-12)  # equilibrium m4 = 15
    t = np.linspace(0.0, 0.5, 6)
    resp = forced_response(t, np.full((2, 6), 2.0), a)
    assert np.allclose(resp, 2.0 * (np.exp(a * t) - 1.0) / a, rtol=1e-6)


# ---------------------------------------------------------------- slow tier: quick profile and mutants


@pytest.mark.slow
@pytest.mark.parametrize("cid", ["C5", "C9", "C10", "C12"])
def test_quick_profile_passes(cid, tmp_path):
    cert = run_claim(cid, "quick", 0, tmp_path)
    assert cert.verdict == "pass", cert.details
    assert (tmp_path / f"{cid.lower()}.png").exists() and (tmp_path / f"{cid.lower()}.json").exists()


@pytest.mark.slow
@pytest.mark.parametrize(("cid", "mutant"), [
    ("C5", "rate_doubled"), ("C5", "rate_without_gamma"), ("C10", "one_sided_rotation"),
    ("C12", "rate_doubled"), ("C12", "solver_without_half"), ("C9", "biased_azimuth"),
])
def test_mutant_fails_claim(cid, mutant, tmp_path):
    assert run_claim(cid, "quick", 0, tmp_path, mutant).verdict == "fail"
