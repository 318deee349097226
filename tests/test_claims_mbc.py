"""Claims C2 (reversibility), C3 (generator), C4 (grazing limit) and C6 (propagation of chaos).

Default tier: the claims' helper functions (fast). Slow tier: the quick profile of each claim passes, and the
designated planted defects (mutants) make it fail.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from mbc_verify.claims.c02_reversibility import (
    KS_CRIT,
    ROUNDOFF_EPS,
    antisymmetry_z,
    kernel_jumps,
    sphere_marginal_ks,
)
from mbc_verify.claims.c03_generator import legendre, mbc_generator, relative_errors
from mbc_verify.claims.c04_grazing_limit import derived_deviation, limit_order, moment_law, richardson_order
from mbc_verify.claims.c06_chaos import fit_exponent, pair_covariance
from mbc_verify.claims.registry import run_claim
from mbc_verify.mbc.angles import legendre_mean
from mbc_verify.mbc.initial import sample_initial
from mbc_verify.mutants import mutant_code

# ---------------------------------------------------------------- C2 helpers

finite = st.floats(-1.0, 1.0, allow_nan=False).filter(lambda x: abs(x) > 1e-3)


@settings(max_examples=60)
@given(st.lists(finite, min_size=3, max_size=3), st.lists(st.floats(-1.0, 1.0), min_size=3, max_size=3),
       st.integers(-6, 6), st.integers(-6, 6), st.integers(0, 2**31))
def test_kernel_geometry_on_drawn_configurations(u, c, eu, ec, seed):
    """|u'| = |u|, ∠(u, u') = h, c' = c to the claim's round-off bound, for any scales of u and c."""
    ua = np.array([u]) * 10.0**eu
    ca = np.array([c]) * 10.0**ec
    dr, dcos, dc, phi = kernel_jumps(ua, ca, 0.5, seed, 0)
    eps = 2.0**-53
    assert abs(dr[0]) <= ROUNDOFF_EPS * eps
    assert abs(dcos[0]) <= ROUNDOFF_EPS * eps
    assert dc[0] <= ROUNDOFF_EPS * eps
    assert 0.0 <= phi[0] < 2 * math.pi


def test_kernel_azimuth_uniform_and_biased_mutant_detected():
    rng = np.random.default_rng(1)
    u = rng.standard_normal((4000, 3))
    c = rng.standard_normal((4000, 3))
    phi_ok = kernel_jumps(u, c, 0.5, 3, 0)[3]
    phi_bad = kernel_jumps(u, c, 0.5, 3, mutant_code("biased_azimuth", "mbc"))[3]
    ks = lambda p: math.sqrt(p.size) * sps.kstest(p / (2 * math.pi), "uniform").statistic  # noqa: E731
    assert ks(phi_ok) <= KS_CRIT
    assert ks(phi_bad) > KS_CRIT


def test_sphere_marginal_is_beta_and_test_discriminates():
    n = 6
    x = np.array([(lambda v: (v[0] @ v[0]) / ((n - 1) * np.mean(np.sum(v * v, axis=1))))(
        sample_initial("maxwellian", n, s)) for s in range(3000)])
    stat, p = sphere_marginal_ks(x, n)
    assert stat <= KS_CRIT and 0.0 < p <= 1.0
    assert sphere_marginal_ks(x, 12)[0] > KS_CRIT  # the Beta law of another N is rejected


def test_antisymmetry_z_zero_for_reversible_data_and_large_for_a_cycle():
    rng = np.random.default_rng(2)
    f = rng.standard_normal((500, 3, 6))
    f[:, 2] = f[:, 0]  # a time-symmetric pair of snapshots (t = 2 equals t = 0)
    assert antisymmetry_z(f)[1].max() == 0.0
    cyc = np.zeros((500, 2, 6))
    cyc[:, 0, :5] = rng.standard_normal((500, 5))
    cyc[:, 1, :5] = np.roll(cyc[:, 0, :5], 1, axis=1)  # F_b(t) = F_{b-1}(0): a one-way shift
    assert antisymmetry_z(cyc).max() > 5.0


# ---------------------------------------------------------------- C3 helpers


def test_legendre_matches_numpy():
    x = np.linspace(-1, 1, 7)
    for ell in range(5):
        ref = np.polynomial.legendre.legval(x, [0] * ell + [1])
        assert np.allclose([legendre(ell, xi) for xi in x], ref, rtol=0, atol=1e-14)


@pytest.mark.parametrize("gamma", [0.0, -3.0])
def test_generator_relative_error_is_funk_hecke(gamma):
    """The trapezoid azimuth average is exact: e_ℓ(h) = (4/h²)(1 − P_ℓ(cos h))/(ℓ(ℓ+1)) − 1 to round-off."""
    u = np.array([0.3, -1.2, 0.9])
    e = np.array([0.6, 0.0, 0.8])
    hs = (0.4, 0.1)
    for ell in (1, 2, 3):
        got = relative_errors(u, e, ell, gamma, hs, 0)
        want = [(4 / h**2) * (1 - legendre_mean(0, h, ell)) / (ell * (ell + 1)) - 1 for h in hs]
        assert np.allclose(got, want, rtol=0, atol=1e-10)


def test_generator_sees_rate_mutants():
    u = np.array([1.0, 0.5, -0.2])
    e = np.array([0.0, 0.0, 1.0])
    g = mbc_generator(u, e, 2, -3.0, 0.2, 0)
    assert math.isclose(mbc_generator(u, e, 2, -3.0, 0.2, mutant_code("rate_doubled", "mbc")), 2 * g, rel_tol=1e-12)
    r = float(np.linalg.norm(u))
    g3 = mbc_generator(u, e, 2, -3.0, 0.2, mutant_code("rate_without_gamma", "mbc"))
    assert math.isclose(g3, g * r**3, rel_tol=1e-12)


# ---------------------------------------------------------------- C4 helpers


def test_moment_law_solves_its_ode():
    a, b, en, m0, t, dt = 2.0, -6.0, 3.0, np.array([2.8, 0.5]), 0.3, 1e-6
    deriv = (moment_law(a, b, en, m0, t + dt) - moment_law(a, b, en, m0, t - dt)) / (2 * dt)
    assert np.allclose(deriv, a * en + b * moment_law(a, b, en, m0, t), rtol=1e-8)
    assert np.allclose(moment_law(a, b, en, m0, 0.0), m0)


def test_derived_law_has_order_two_as_h_vanishes():
    k, lead = limit_order()
    assert k == 2 and "h**2" in lead
    local = math.log(derived_deviation(0.02, 1 / 6) / derived_deviation(0.01, 1 / 6)) / math.log(2.0)
    assert abs(local - 2.0) < 1e-3  # next order: relative h² corrections
    assert derived_deviation(0.4, 1 / 6) > 0.0


def test_richardson_order_recovers_two():
    rng = np.random.default_rng(4)
    noise = 1e-4 * rng.standard_normal((3, 4000))
    q = [1.0 + 0.3 * h**2 + noise[k] for k, h in enumerate((0.8, 0.4, 0.2))]
    p, se, d2, d2_se = richardson_order(q[0] - q[1], q[1] - q[2])
    assert abs(p - 2.0) <= 5 * se and se < 0.05
    assert math.isclose(d2, 0.3 * (0.16 - 0.04), rel_tol=0.05) and d2_se > 0


# ---------------------------------------------------------------- C6 helpers


def test_pair_covariance_recovers_known_covariance():
    """φ_i = s + ξ_i with a common s (Var s = 0.04): Cov(φ_i, φ_j) = 0.04; s = 0 gives 0."""
    rng = np.random.default_rng(5)
    n, r = 10, 20000
    for var_s in (0.0, 0.04):
        phi = rng.standard_normal((r, n)) + math.sqrt(var_s) * rng.standard_normal((r, 1))
        cov, se = pair_covariance(phi.sum(axis=1), (phi**2).sum(axis=1), n)
        assert abs(cov - var_s) <= 5 * se and se < 0.01


def test_fit_exponent_recovers_exponent_with_correction():
    n = np.array([8.0, 16, 32, 64, 128])
    y = 2.0 * n**-1.0 * np.exp(-3.0 / n)  # exactly the fitted model: p recovered to round-off
    p, se, chi2, coef = fit_exponent(n, y, np.full(5, 0.01))
    assert abs(p + 1.0) < 1e-10 and se > 0 and chi2 < 1e-20
    assert np.allclose(coef, [math.log(2.0), -1.0, -3.0], atol=1e-9)
    p, se, _, _ = fit_exponent(n, 2.0 * n**-1.0 * (1 - 3.0 / n), np.full(5, 0.01))  # model up to O(1/N²)
    assert abs(p + 1.0) < 0.05


# ---------------------------------------------------------------- slow tier: the claims and their mutants


@pytest.mark.slow
@pytest.mark.parametrize("cid", ["C2", "C3", "C4", "C6"])
def test_quick_profile_passes(cid, tmp_path):
    cert = run_claim(cid, "quick", 0, tmp_path)
    assert cert.verdict == "pass", cert.details
    assert all((tmp_path / f).exists() for f in cert.evidence)


@pytest.mark.slow
@pytest.mark.parametrize("cid, mutant", [
    ("C2", "biased_azimuth"), ("C2", "one_sided_rotation"),
    ("C3", "rate_doubled"), ("C3", "rate_without_gamma"),
    ("C4", "rate_doubled"), ("C4", "one_sided_rotation"),
    ("C6", "one_sided_rotation"),
])
def test_designated_mutant_fails(cid, mutant, tmp_path):
    assert run_claim(cid, "quick", 0, tmp_path, mutant).verdict == "fail"
