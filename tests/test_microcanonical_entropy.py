"""Relative entropy of small-N particle laws on the microcanonical sphere (mbc_verify.mbc.microcanonical_entropy):
the estimator against exact values (uniform: 0; a von Mises–Fisher law on S⁵: 1-d quadrature), the Jacobi
isometry, H(F_t | U) non-increasing within the stated error along N = 3 MBC ensembles, and the uniform law kept
(an anisotropic azimuth is caught) (fixed seeds)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import quad

from mbc_verify.mbc.initial import sample_initial
from mbc_verify.mbc.microcanonical_entropy import (
    ball_volume,
    jacobi_sphere_points,
    mbc_relative_entropy,
    relative_entropy,
    sphere_volume,
    uniform_invariance,
)


def _uniform(m: int, dim: int, seed: int) -> np.ndarray:
    x = np.random.default_rng(seed).standard_normal((m, dim))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _von_mises_fisher(m: int, d: int, kappa: float, seed: int) -> np.ndarray:
    """f ∝ e^{κ x₁} on S^d: t = x₁ by rejection from the uniform law of t (density ∝ (1−t²)^{(d−2)/2}), then
    x = (t, √(1−t²) ξ), ξ uniform on S^{d−1}."""
    rng = np.random.default_rng(seed)
    out = []
    while sum(len(o) for o in out) < m:
        x = _uniform(4 * m, d + 1, int(rng.integers(2**31)))
        keep = rng.random(4 * m) < np.exp(kappa * (x[:, 0] - 1.0))
        out.append(x[keep])
    return np.concatenate(out)[:m]


def _vmf_relative_entropy(d: int, kappa: float) -> float:
    """D(f | U) = κ E[x₁] − log Z + log|S^d|, Z = |S^{d−1}| ∫₀^π e^{κ cos θ} sin^{d−1}θ dθ."""
    z = sphere_volume(d - 1) * quad(lambda th: math.exp(kappa * math.cos(th)) * math.sin(th) ** (d - 1), 0, math.pi)[0]
    m1 = sphere_volume(d - 1) * quad(lambda th: math.cos(th) * math.exp(kappa * math.cos(th))
                                     * math.sin(th) ** (d - 1), 0, math.pi)[0] / z
    return kappa * m1 - math.log(z) + math.log(sphere_volume(d))


def test_ball_volumes_add_up_to_the_sphere():
    for d in (2, 5):
        assert ball_volume(np.array([math.pi]), d)[0] == pytest.approx(sphere_volume(d), rel=1e-13)
        assert ball_volume(np.array([1e-3]), d)[0] == pytest.approx(
            math.pi ** (d / 2) / math.gamma(d / 2 + 1) * 1e-3 ** d, rel=1e-5)  # small balls are Euclidean


@pytest.mark.parametrize("seed", [0, 1])
def test_estimator_is_consistent_with_zero_for_the_uniform_law(seed):
    est = relative_entropy(_uniform(20000, 6, seed))
    assert abs(est["value"]) <= est["error"]


def test_estimator_recovers_a_von_mises_fisher_relative_entropy():
    exact = _vmf_relative_entropy(5, 3.0)
    est = relative_entropy(_von_mises_fisher(20000, 5, 3.0, 4))
    assert abs(est["value"] - exact) <= est["error"], (est, exact)
    assert exact > 5 * est["error"]  # the test can distinguish it from the uniform law


def test_jacobi_coordinates_are_an_isometry_of_zero_momentum_states():
    v = np.stack([sample_initial("bimaxwellian:2,0.5", 3, s) for s in range(5)])
    n = v.shape[1]
    w = []
    for k in range(1, n):
        w.append(math.sqrt(k / (k + 1.0)) * (v[:, :k].mean(axis=1) - v[:, k]))
    w = np.concatenate(w, axis=1)
    assert np.allclose(np.sum(w * w, axis=1), np.sum(v * v, axis=(1, 2)), rtol=1e-13)
    x = jacobi_sphere_points(v)
    assert x.shape == (5, 6) and np.allclose(np.linalg.norm(x, axis=1), 1.0)


def test_relative_entropy_non_increasing_along_n3_mbc_maxwell():
    out = mbc_relative_entropy(0.0, 0.5, replicas=6000, snapshots=4, t_end=0.6, seed=2)
    assert out["value"][0] > 10 * out["error"][0]  # the initial law is far from uniform
    assert out["largest_rise"] <= 0.0


def test_maxwellian_data_are_uniform_on_the_microcanonical_sphere():
    v = np.stack([sample_initial("maxwellian", 3, s) for s in range(40000)])
    est = relative_entropy(jacobi_sphere_points(v), batches=50)
    assert abs(est["value"]) <= 5 * est["se"]


def test_the_uniform_law_is_kept_and_an_anisotropic_azimuth_is_caught():
    """C9's invariance check: z = Ĥ/se ≤ 5 for MBC, > 5 for ``biased_azimuth`` (same seed: common random numbers)."""
    kept = uniform_invariance(0.0, 1.0, replicas=100000, seed=3)
    biased = uniform_invariance(0.0, 1.0, replicas=100000, seed=3, mutant="biased_azimuth")
    assert kept["max_z"] <= 5.0
    assert biased["max_z"] > 5.0


@pytest.mark.slow
@pytest.mark.parametrize("gamma", [-3.0, -2.0])
def test_relative_entropy_non_increasing_along_n3_mbc_soft(gamma):
    out = mbc_relative_entropy(gamma, 0.3, replicas=20000, snapshots=5, t_end=2.0, seed=1)
    assert out["largest_rise"] <= 0.0
    assert out["value"][-1] < out["value"][0] - out["error"][0] - out["error"][-1]
