"""The fast engine's table-driven Poisson counts (mbc_verify.mbc.poisson_table): entries, inversion, law.

- Entries: every CDF entry within half an ulp (2⁻⁵³ relative) of the regularised incomplete gamma function Q(k + 1,
  m) = P(K ≤ k) (mpmath: an evaluation independent of the table's pmf recurrence), i.e. rounded once; the rows long
  enough for the 2⁻⁶⁰ tail, the first entry rounding to 1 leaving < 2⁻⁵⁴ beyond, and the guide entries never past the
  answer.
- Inversion: for many u the table's K equals min{k : u ≤ c̃_k} found by a binary search of the row.
- Law at means on both sides of every switch (row 0 → 1 at 1/8, a unit of the grid, the PTRS switch at 32): a χ²
  test against the Poisson pmf (p > 5.7·10⁻⁷, the two-sided 5σ Gaussian tail; bins of expectation < 5 merged) and
  the mean within 5 standard errors √(μ/n). Negative control: the same draws against Poisson(1.03 μ) are rejected.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numba import njit
from scipy import stats

from mbc_verify.mbc.poisson_table import GRID, MEAN_MAX, TAIL, poisson_block, table_poisson
from mbc_verify.mbc.rng import stream_key

P_5SIGMA = 5.7e-7
BLOCK = poisson_block()


def _rows() -> tuple[np.ndarray, np.ndarray]:
    nrows, width = GRID * MEAN_MAX, int(BLOCK[1])
    cdf = BLOCK[2: 2 + nrows * width].reshape(nrows, width)
    guide = BLOCK[2 + nrows * width:].reshape(nrows, width)
    return cdf, guide


@njit(cache=True)
def _draws(block: np.ndarray, mu: float, seed: int, n: int) -> np.ndarray:
    out = np.empty(n, dtype=np.int64)
    key = stream_key(np.uint64(seed), np.uint64(5))
    c = np.uint64(0)
    for i in range(n):
        out[i], c = table_poisson(block, 0, mu, key, c)
    return out


def test_entries_are_the_incomplete_gamma_rounded_once() -> None:
    cdf, guide = _rows()
    assert stats.poisson.sf(cdf.shape[1] - 1, MEAN_MAX) < TAIL  # the rows are long enough for the 2⁻⁶⁰ cut-off
    for j in range(GRID * MEAN_MAX):
        m = j / GRID
        row = cdf[j]
        first = int(np.argmax(row == 1.0))  # the first entry that rounds to 1: what lies beyond is < 2⁻⁵⁴
        ks = range(first)
        with mp.workprec(80):
            exact = [mp.gammainc(k + 1, mp.mpf(j) / GRID, mp.inf, regularized=True) for k in ks]
        assert all(abs(mp.mpf(row[k]) - exact[k]) <= 2.0**-53 * exact[k] for k in ks), j  # rounded once
        assert stats.poisson.sf(first, m) <= 2.0**-54 * (1.0 + 1e-9), j
        assert np.all(np.diff(row) >= 0.0), j
        starts = np.searchsorted(row, np.arange(row.size) / row.size, side="left")
        assert np.array_equal(guide[j], starts), j  # g_j = min{k : c̃_k ≥ j/G}


@given(st.integers(0, GRID * MEAN_MAX - 1), st.floats(2.0**-54, 1.0 - 2.0**-53))
def test_inversion_is_the_least_k_with_u_below_the_cdf(j: int, u: float) -> None:
    cdf, guide = _rows()
    row, width = cdf[j], cdf.shape[1]
    k = int(guide[j, int(u * width)])
    while u > row[k]:
        k += 1
    assert k == int(np.searchsorted(row, u, side="left"))


def _chi2_pvalue(k: np.ndarray, mu: float) -> float:
    top = int(k.max()) + 1
    observed = np.bincount(k, minlength=top).astype(float)
    expected = stats.poisson.pmf(np.arange(top), mu) * k.size
    expected[-1] += stats.poisson.sf(top - 1, mu) * k.size
    keep = expected >= 5.0
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    if exp[-1] < 5.0:
        obs[-2] += obs[-1]
        exp[-2] += exp[-1]
        obs, exp = obs[:-1], exp[:-1]
    return float(stats.chisquare(obs, exp * obs.sum() / exp.sum()).pvalue)


@pytest.mark.parametrize("mu", [0.01, 0.1249, 0.1251, 0.99, 1.01, 3.3, 17.77, 31.99, 32.01])
def test_law_on_both_sides_of_every_switch(mu: float) -> None:
    n = 200_000
    k = _draws(BLOCK, mu, 13, n)
    assert _chi2_pvalue(k, mu) > P_5SIGMA
    assert abs(k.mean() - mu) < 5.0 * math.sqrt(mu / n)


def test_negative_control_a_three_percent_wrong_mean_is_rejected() -> None:
    k = _draws(BLOCK, 3.3, 13, 200_000)
    assert _chi2_pvalue(k, 1.03 * 3.3) < P_5SIGMA


@given(st.floats(0.0, 40.0), st.integers(0, 2**32))
def test_counts_are_reproducible_and_use_two_counters(mu: float, seed: int) -> None:
    key = np.uint64(stream_key(np.uint64(seed), np.uint64(1)))
    k1, c1 = table_poisson(BLOCK, 0, mu, key, np.uint64(4))
    k2, c2 = table_poisson(BLOCK, 0, mu, key, np.uint64(4))
    assert k1 == k2 and c1 == c2 and k1 >= 0
    if mu < MEAN_MAX:
        assert c1 == 6
