"""The fast engine's Poisson sampler (mbc_verify.mbc.poisson): exact law in each regime, finite for any mean.

Statistical checks at fixed seeds: the sample mean and variance against μ within 5σ (the standard error of the
sample variance of a Poisson law is √((μ + 2μ²)/n) from its fourth cumulant), and a χ² goodness-of-fit test whose
p-value must exceed 5.7e-7 (the two-sided 5σ Gaussian tail).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit
from scipy import stats

from mbc_verify.mbc.poisson import MU_EXACT_MAX, poisson
from mbc_verify.mbc.rng import stream_key

P_5SIGMA = 5.7e-7


@njit(cache=True)
def _draws(mu: float, seed: int, n: int) -> np.ndarray:
    out = np.empty(n, dtype=np.int64)
    key = stream_key(np.uint64(seed), np.uint64(7))
    c = np.uint64(0)
    for k in range(n):
        out[k], c = poisson(mu, key, c)
    return out


@pytest.mark.parametrize("mu", [0.3, 4.0, 9.999, 10.0, 57.5, 1.0e4, 3.0e9])
def test_mean_and_variance(mu: float) -> None:
    n = 200_000
    k = _draws(mu, 11, n).astype(float)
    se_mean = math.sqrt(mu / n)
    se_var = math.sqrt((mu + 2.0 * mu * mu) / n)
    assert abs(k.mean() - mu) < 5.0 * se_mean
    assert abs(k.var(ddof=1) - mu) < 5.0 * se_var


@pytest.mark.parametrize("mu", [2.5, 12.0, 400.0])
def test_chi_square_goodness_of_fit(mu: float) -> None:
    n = 200_000
    k = _draws(mu, 5, n)
    lo, hi = int(stats.poisson.ppf(1e-4, mu)), int(stats.poisson.isf(1e-4, mu))
    edges = np.arange(lo, hi + 2)
    observed = np.array([np.count_nonzero(k < lo)] + [np.count_nonzero(k == e) for e in edges[:-1]]
                        + [np.count_nonzero(k > hi)])
    probs = np.concatenate([[stats.poisson.cdf(lo - 1, mu)], stats.poisson.pmf(edges[:-1], mu),
                            [stats.poisson.sf(hi, mu)]])
    expected = probs * n
    keep = expected >= 5.0
    obs, exp = observed[keep], expected[keep]
    if expected[~keep].sum() > 0.0:  # pool the sparse tail bins into one
        obs = np.append(obs, observed[~keep].sum())
        exp = np.append(exp, expected[~keep].sum())
    chi2 = float(((obs - exp) ** 2 / exp).sum())
    assert stats.chi2.sf(chi2, obs.size - 1) > P_5SIGMA


@pytest.mark.parametrize("mu", [0.0, -1.0, 1e20, 1e300, math.inf])
def test_degenerate_and_huge_means_are_finite(mu: float) -> None:
    k = _draws(mu, 1, 10)
    if mu <= 0.0:
        assert np.all(k == 0)
    else:
        assert np.all(k >= MU_EXACT_MAX) and np.all(k > 0)
