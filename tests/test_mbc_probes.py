"""Engine-level probes (mbc_verify.mbc.probes): single jumps, jump walks, their mpmath replay, the zonal generator."""

from __future__ import annotations

import math

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from mbc_verify.mbc.probes import drift_walks, kernel_jumps, mpmath_replay, zonal_generator

EPS = 2.0**-53
ROUNDOFF_EPS = 64.0  # the round-off bound of claim C2 (module docstring of mbc_verify.claims.c02_reversibility)
PER_JUMP_ULPS = 96.0  # the per-jump bound of claim C1 (module docstring of mbc_verify.claims.c01_conservation)
KS_CRIT = float(sps.kstwobign.isf(2.0 * sps.norm.sf(5.0)))  # √n D_n at the two-sided 5σ level

# ---------------------------------------------------------------- kernel_jumps

finite = st.floats(-1.0, 1.0, allow_nan=False).filter(lambda x: abs(x) > 1e-3)


@settings(max_examples=60)
@given(st.lists(finite, min_size=3, max_size=3), st.lists(st.floats(-1.0, 1.0), min_size=3, max_size=3),
       st.integers(-6, 6), st.integers(-6, 6), st.integers(0, 2**31))
def test_kernel_geometry_on_drawn_configurations(u, c, eu, ec, seed):
    """|u'| = |u|, ∠(u, u') = h, c' = c to the round-off bound of C2, for any scales of u and c."""
    dr, dcos, dc, phi = kernel_jumps(np.array([u]) * 10.0**eu, np.array([c]) * 10.0**ec, 0.5, seed, 7)
    assert abs(dr[0]) <= ROUNDOFF_EPS * EPS
    assert abs(dcos[0]) <= ROUNDOFF_EPS * EPS
    assert dc[0] <= ROUNDOFF_EPS * EPS
    assert 0.0 <= phi[0] < 2 * math.pi


def _ks(phi: np.ndarray) -> float:
    return math.sqrt(phi.size) * sps.kstest(phi / (2 * math.pi), "uniform").statistic


def test_kernel_azimuth_uniform_and_biased_mutant_detected():
    rng = np.random.default_rng(1)
    u = rng.standard_normal((4000, 3))
    c = rng.standard_normal((4000, 3))
    assert _ks(kernel_jumps(u, c, 0.5, 3, 7)[3]) <= KS_CRIT
    assert _ks(kernel_jumps(u, c, 0.5, 3, 7, "biased_azimuth")[3]) > KS_CRIT


def test_kernel_one_sided_mutant_breaks_the_centre_of_mass():
    rng = np.random.default_rng(2)
    u, c = rng.standard_normal((50, 3)), rng.standard_normal((50, 3))
    assert kernel_jumps(u, c, 0.5, 3, 7)[2].max() <= ROUNDOFF_EPS * EPS
    assert kernel_jumps(u, c, 0.5, 3, 7, "one_sided_rotation")[2].max() > 1e-3


def test_kernel_jumps_bad_input():
    u = np.ones((3, 3))
    with pytest.raises(ValueError, match="^c"):
        kernel_jumps(u, np.ones((2, 3)), 0.5, 0, 7)
    with pytest.raises(ValueError, match="^h"):
        kernel_jumps(u, u, 4.0, 0, 7)
    with pytest.raises(ValueError, match="^mutant"):
        kernel_jumps(u, u, 0.5, 0, 7, "no_such_defect")


# ---------------------------------------------------------------- drift_walks and mpmath_replay


def _states(replicas: int, n: int) -> np.ndarray:
    v = np.random.default_rng(3).standard_normal((replicas, n, 3))
    return v - v.mean(axis=1, keepdims=True)


def test_drift_walks_conserve_to_round_off():
    v0 = _states(3, 6)
    de, dp, worst = drift_walks(v0, 5, np.array([10, 100, 2000]), 0.3)
    assert de.shape == dp.shape == (3, 3) and worst.shape == (3,)
    assert 0.0 < worst.max() <= PER_JUMP_ULPS
    energy = (v0**2).sum(axis=(1, 2))
    # each jump changes E by ≤ PER_JUMP_ULPS ε E_pair ≤ PER_JUMP_ULPS ε E: a deterministic bound on the drift
    assert np.all(np.abs(de[:, -1]) <= 2000 * PER_JUMP_ULPS * EPS * energy)
    assert np.all(dp[:, -1] <= 2000 * ROUNDOFF_EPS * EPS * np.sqrt(energy))


def test_drift_walks_planted_defects_are_visible():
    v0 = _states(2, 6)
    cps = np.array([100, 1000])
    assert drift_walks(v0, 5, cps, 0.3, "one_sided_rotation")[2].max() > 1e6 * PER_JUMP_ULPS
    # the textbook rotation drifts systematically: over 32 walks of 1000 jumps its mean energy change lies more than
    # 5 standard errors (sample sd / √32) from 0; the correct rotation's does not (a random walk of ulps)
    many = _states(32, 6)
    de_ok = drift_walks(many, 5, cps, 0.3)[0][:, -1]
    de_bad = drift_walks(many, 5, cps, 0.3, "textbook_rotation")[0][:, -1]
    z = [abs(d.mean()) / (d.std(ddof=1) / math.sqrt(d.size)) for d in (de_ok, de_bad)]
    assert z[1] > 5.0 and z[0] < 5.0


def test_drift_walks_bitwise_independent_of_threads():
    v0 = _states(4, 6)
    cps = np.array([50, 500])
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = drift_walks(v0, 9, cps, 0.3)
    finally:
        numba.set_num_threads(before)
    many = drift_walks(v0, 9, cps, 0.3)
    assert all(np.array_equal(a, b) for a, b in zip(one, many, strict=True))


def test_drift_walks_bad_input():
    v0 = _states(1, 4)
    with pytest.raises(ValueError, match="^checkpoints"):
        drift_walks(v0, 0, np.array([10, 5]), 0.3)
    with pytest.raises(ValueError, match="^v0"):
        drift_walks(v0[0], 0, np.array([10]), 0.3)


def test_mpmath_replay_conserves_and_needs_its_precision():
    v0 = _states(1, 5)[0]
    e, p = mpmath_replay(v0, 2, 60, 0.3)
    assert 0.0 <= e <= 1e-27 and 0.0 <= p <= 1e-27
    # negative control: the same replay at 16 digits drifts at the level of double precision
    e16, _ = mpmath_replay(v0, 2, 60, 0.3, digits=16)
    assert e16 > 1e-20


# ---------------------------------------------------------------- zonal_generator


def test_zonal_generator_sees_rate_mutants():
    u = np.array([1.0, 0.5, -0.2])
    e = np.array([0.0, 0.0, 1.0])
    g = zonal_generator(u, e, 2, -3.0, 0.2)
    assert math.isclose(zonal_generator(u, e, 2, -3.0, 0.2, "rate_doubled"), 2 * g, rel_tol=1e-12)
    r = float(np.linalg.norm(u))
    assert math.isclose(zonal_generator(u, e, 2, -3.0, 0.2, "rate_without_gamma"), g * r**3, rel_tol=1e-12)
