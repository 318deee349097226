"""Poisson counts for the fast engine in O(1): guide-table inversion on a grid of means, plus a small remainder.

K ~ Poisson(μ) is drawn as K = A + B with A ~ Poisson(m), m = ⌊Gμ⌋/G the grid mean below μ (G = ``GRID`` = 8), and
B ~ Poisson(μ − m) independent (Poisson laws add), for μ < ``MEAN_MAX``; beyond it by poisson.py's PTRS (exact,
O(1)). μ − m is exact in float64 (Sterbenz) and below 1/G.

- A: inversion of one uniform U against the table c̃_k = fl(P(A ≤ k)) (mpmath at 100 bits, rounded once), started at
  a guide entry g_i = min{k : c̃_k ≥ i/R}, i = ⌊U R⌋ with R the row length (Chen and Asau, "On generating random
  variates from an empirical distribution", AIIE Trans. 6 (1974) 163–166; L. Devroye, *Non-Uniform Random Variate
  Generation*, Springer 1986, ch. III): K = min{k : U ≤ c̃_k}, on average fewer than two comparisons. The row stops
  at the first k_max with P(A > k_max) < 2⁻⁶⁰, where c̃ is set to 1 (padded with 1 to the common length R). For m =
  0 (μ < 1/G) A = 0 and the row is not read.
- B (mean δ = μ − m < 1/G): inversion against the pmf recurrence; since e^{−δ} > 1 − δ, a uniform U ≤ fl(1 − δ)
  gives B = 0 without evaluating e^{−δ} (probability ≥ 1 − δ > 7/8: a branch the processor predicts).

Error (total variation of the law of K from Poisson(μ)): the uniforms lie on the grid (i + ½) 2⁻⁵³, each c̃_k is
within 2⁻⁵³ of the exact CDF (so each p̃_k within 2⁻⁵²), the cut-off moves < 2⁻⁶⁰, and fl(1 − δ), e^{−δ} and the
recurrence of B are within a few ulps: ≤ 2 R 2⁻⁵² ≈ 5·10⁻¹⁴ for rows of R ≤ 120 entries, far below the compound
tables' 10⁻¹² (:mod:`mbc_verify.mbc.compound`). Checked in ``tests/test_mbc_poisson_table.py``: the entries
against mpmath's incomplete gamma function, and the law by χ² tests on both sides of every switch.

Random numbers: counter c for A, c + 1 for B (μ < MEAN_MAX); PTRS's own above. Returns the next unused counter.
Cost: two uniforms, a guide lookup and one or two comparisons, instead of the μ-long pmf recurrence (μ < 10) or
PTRS's logarithms (10 ≤ μ < 32) of the sampler it replaces (``benchmarks/results/fast_vs_ta.md``).
"""

from __future__ import annotations

import math
from functools import lru_cache

import mpmath
import numpy as np
from numba import njit

from .poisson import poisson
from .rng import uniform

MEAN_MAX = 32
"""Means below this use the tables."""
GRID = 8
"""Rows per unit of mean: the means m = j/GRID, j = 0, …, GRID · MEAN_MAX − 1, have a row."""
TAIL = 2.0**-60
"""Upper-tail mass beyond a row's last entry."""
_B_CAP = 60  # P(B > 60 | δ < 1) < 10⁻⁸¹: the cap is never met


def _row(j: int) -> list[float]:
    """c̃_0, …, c̃_{k_max} of Poisson(j/GRID) (module docstring), the last set to 1."""
    with mpmath.workprec(100):
        m = mpmath.mpf(j) / GRID
        p = mpmath.exp(-m)
        cdf = p
        out = [float(cdf)]
        k = 0
        while 1 - cdf >= TAIL:
            k += 1
            p = p * m / k
            cdf += p
            out.append(float(cdf))
    out[-1] = 1.0
    return out


def _guide(cdf: list[float], g: int) -> list[float]:
    """g_i = min{k : c̃_k ≥ i/g}, i = 0..g−1."""
    out, k = [], 0
    for j in range(g):
        while cdf[k] < j / g:
            k += 1
        out.append(float(k))
    return out


@lru_cache(maxsize=1)
def poisson_block() -> np.ndarray:
    """The packed table: [MEAN_MAX, R], then rows j = 0..GRID·MEAN_MAX−1 of R CDF entries (padded with 1), then
    their guide rows of R entries."""
    rows = [_row(j) for j in range(GRID * MEAN_MAX)]
    width = max(len(r) for r in rows)
    cdf = np.ones((len(rows), width))
    for i, r in enumerate(rows):
        cdf[i, : len(r)] = r
    guide = np.array([_guide(list(cdf[i]), width) for i in range(len(rows))])
    return np.concatenate([[float(MEAN_MAX), float(width)], cdf.ravel(), guide.ravel()])


@njit(cache=True, inline="always")
def _remainder(delta: float, u: float) -> np.int64:
    """B ~ Poisson(δ), δ < 1, by inversion of u (module docstring)."""
    if u <= 1.0 - delta:
        return np.int64(0)
    p = math.exp(-delta)
    cdf = p
    k = 0
    while u > cdf and k < _B_CAP:
        k += 1
        p *= delta / k
        cdf += p
    return np.int64(k)


@njit(cache=True, inline="always")
def table_poisson(tab: np.ndarray, off: int, mu: float, key: np.uint64, counter: np.uint64) -> tuple:
    """(K, next counter), K ~ Poisson(μ), μ ≥ 0, with the block ``tab[off:]`` of :func:`poisson_block`."""
    c = np.uint64(counter)
    if not mu < tab[off]:
        return poisson(mu, key, c)
    j = int(mu * GRID)
    k = 0
    if j > 0:  # row 0 is A = 0: skip its uniform's lookups (most pairs at large h or small Δt)
        width = int(tab[off + 1])
        row = off + 2 + j * width
        u = uniform(key, c)
        k = int(tab[row + GRID * MEAN_MAX * width + int(u * width)])
        while u > tab[row + k]:
            k += 1
    b = _remainder(mu - j / GRID, uniform(key, c + np.uint64(1)))
    return np.int64(k) + b, c + np.uint64(2)
