"""Per-snapshot observables and the O(N²) claim hooks (mbc_verify.mbc.observables) against direct numpy sums; the
microcanonical fourth moment against Monte Carlo."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mbc_verify.mbc.observables import (
    collision_coefficient,
    energy,
    microcanonical_moment4,
    moment4,
    moments,
    momentum,
    pair_singular_moment,
    pair_singular_moments,
    second_moment,
)

V = np.random.default_rng(3).standard_normal((57, 3)) * [1.0, 2.0, 0.5] + [0.1, -0.2, 0.3]


def test_moments_match_numpy() -> None:
    m, p, e, m4 = moments(V)
    sq = np.sum(V * V, axis=1)
    assert np.allclose(m, V.T @ V / len(V), rtol=1e-14, atol=0)
    assert np.allclose(p, V.mean(axis=0), rtol=1e-13, atol=1e-16)
    assert e == pytest.approx(sq.mean(), rel=1e-14)
    assert m4 == pytest.approx(np.mean(sq**2), rel=1e-14)
    assert np.array_equal(second_moment(V), m) and np.array_equal(momentum(V), p)
    assert energy(V) == e and moment4(V) == m4


@pytest.mark.parametrize("p", [-3.0, -1.0, 0.0, 2.0])
def test_pair_singular_moment_matches_direct_sum(p) -> None:
    d = np.linalg.norm(V[:, None, :] - V[None, :, :], axis=2)
    off = ~np.eye(len(V), dtype=bool)
    assert pair_singular_moment(V, p) == pytest.approx(np.sum(d[off] ** p) / len(V) ** 2, rel=1e-13)


@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 12), caps=st.lists(st.floats(1e-3, 1e6), min_size=2,
                                                                       max_size=2))
def test_truncated_pair_moment_is_monotone_in_the_cap(seed: int, n: int, caps: list[float]) -> None:
    """min(|u|⁻², M) ≤ min(|u|⁻², M') ≤ |u|⁻² term by term for M ≤ M': the truncated moment is ≤ the full one and
    non-decreasing in M (each a sum of the same n(n − 1) terms in the same order, so the inequalities are exact)."""
    w = np.random.default_rng(seed).standard_normal((n, 3))
    lo, hi = sorted(caps)
    assert pair_singular_moment(w, -2.0, lo) <= pair_singular_moment(w, -2.0, hi) <= pair_singular_moment(w, -2.0)
    assert pair_singular_moment(w, -2.0, math.inf) == pair_singular_moment(w, -2.0)
    assert pair_singular_moments(w, -2.0, lo) == (pair_singular_moment(w, -2.0, lo), pair_singular_moment(w, -2.0))


def test_pair_singular_moment_of_coincident_velocities() -> None:
    w = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    assert pair_singular_moment(w, -1.0) == math.inf
    assert pair_singular_moment(w, 1.0) == pytest.approx(4 * math.sqrt(2.0) / 9, rel=1e-15)


@pytest.mark.parametrize("gamma", [-3.0, -2.0, 0.0, 1.0])
def test_collision_coefficient_matches_direct_sum(gamma) -> None:
    got = collision_coefficient(V, gamma)
    want = np.zeros((len(V), 3, 3))
    for i in range(len(V)):
        for j in range(len(V)):
            z = V[i] - V[j]
            r = np.linalg.norm(z)
            if r > 0:
                want[i] += r ** (gamma + 2) * (np.eye(3) - np.outer(z, z) / r**2)
    want /= len(V)
    assert np.allclose(got, want, rtol=1e-12, atol=1e-14 * np.abs(want).max())
    # a(z) z = 0 and a is symmetric positive semi-definite: ā_i too
    assert np.allclose(got, np.transpose(got, (0, 2, 1)), rtol=0, atol=1e-15 * np.abs(got).max())
    assert np.linalg.eigvalsh(got).min() >= -1e-14 * np.abs(got).max()


def test_collision_coefficient_is_zero_at_zero_relative_velocity() -> None:
    w = np.array([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]])
    assert np.array_equal(collision_coefficient(w, -3.0), np.zeros((2, 3, 3)))


def test_microcanonical_moment4() -> None:
    """15 (3N − 3)/(3N − 1) → 15; Monte Carlo on S_N(3N, 0) for N = 3 (centred Gaussians scaled to the sphere)
    within 5 standard errors."""
    assert microcanonical_moment4(10**9) == pytest.approx(15.0, rel=1e-8)
    n, samples = 3, 200_000
    rng = np.random.default_rng(1)
    v = rng.standard_normal((samples, n, 3))
    v -= v.mean(axis=1, keepdims=True)
    v *= np.sqrt(3.0 * n / (v**2).sum(axis=(1, 2)))[:, None, None]
    x = ((v[:, 0] ** 2).sum(axis=1)) ** 2
    z = (x.mean() - microcanonical_moment4(n)) / (x.std(ddof=1) / math.sqrt(samples))
    assert abs(z) <= 5.0
    with pytest.raises(ValueError, match="^n"):
        microcanonical_moment4(1)


@pytest.mark.parametrize("gamma", [-3.0, -2.0, 0.0, 1.0])
def test_drift_coefficient_matches_direct_sum(gamma) -> None:
    from mbc_verify.mbc.observables import drift_coefficient

    got = drift_coefficient(V, gamma)
    want = np.zeros((len(V), 3))
    for i in range(len(V)):
        for j in range(len(V)):
            z = V[i] - V[j]
            r = np.linalg.norm(z)
            if r > 0:
                want[i] += -2.0 * r**gamma * z
    want /= len(V)
    assert np.allclose(got, want, rtol=1e-12, atol=1e-14 * np.abs(want).max())
    # b = ∇·a: Σ_i b̄_i = 0 (antisymmetry b(−z) = −b(z)), to the round-off of N² terms
    assert np.abs(got.sum(axis=0)).max() <= 1e-13 * len(V) * np.abs(got).max()


def test_drift_coefficient_is_thread_independent() -> None:
    import subprocess
    import sys

    code = ("import hashlib, numpy as np, numba; from mbc_verify.mbc.observables import drift_coefficient; "
            "w = np.random.default_rng(0).standard_normal((300, 3)); "
            "print(numba.get_num_threads(), hashlib.sha256(drift_coefficient(w, -3.0).tobytes()).hexdigest())")
    out = {}
    import os

    for threads in ("1", "2"):
        res = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, NUMBA_NUM_THREADS=threads),
                             capture_output=True, text=True, timeout=300, check=True)
        nthreads, digest = res.stdout.split()
        assert nthreads == threads
        out[threads] = digest
    assert out["1"] == out["2"]
