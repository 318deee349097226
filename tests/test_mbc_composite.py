"""The composed-rotation series of mbc_verify.mbc.composite (docs/spec.md §3.3; the fast engine's sampler is
mbc_verify.mbc.compound, tested in tests/test_mbc_compound.py).

- Law: the series sampler at K = K_DIRECT + 1 against an independent direct composition of the same K jumps
  (two-sample Kolmogorov–Smirnov; p-value above 5.7e-7, the two-sided 5σ Gaussian tail), and a negative control.
- The table's bounds: Bernstein's inequality holds on the table, k_uniform is the least K with S(K) ≤ 2⁻⁵³, and the
  truncated CDF runs from 0 to 1.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit
from scipy import stats

from mbc_verify.mbc.angles import KERNELS, draw_angle, draw_azimuth, legendre_means
from mbc_verify.mbc.composite import (
    K_DIRECT,
    RESOLUTION,
    _deviation_bound,
    bernstein_constant,
    cdf_pdf,
    composite_table,
    sample_cos_series,
    table_size,
    truncation,
)
from mbc_verify.mbc.kernel import rotate
from mbc_verify.mbc.rng import stream_key, substream, uniform
from mbc_verify.mutants import NO_DEFECT

P_5SIGMA = 5.7e-7
ROUND_OFF = 1e-13
"""Floor for the moment test when K = 1 makes P_ℓ(cos Θ) deterministic: cos Θ carries a few ulps from the jump
arithmetic and |P_ℓ'| ≤ ℓ(ℓ+1)/2 = 10 for ℓ ≤ 4, so the error is ≲ 100 ε ≈ 2e-14."""
U0 = np.array([0.3, -0.4, 1.2])  # an arbitrary relative velocity; the law is rotation invariant


@njit(cache=True)
def _direct(k: int, kernel: int, h: float, seed: int, n: int) -> np.ndarray:
    """cos Θ of n K-fold compositions done jump by jump here (independent of composite.py's code paths)."""
    out = np.empty(n)
    base = stream_key(np.uint64(seed), np.uint64(99))
    for s in range(n):
        key = substream(base, np.uint64(s))
        wx, wy, wz = 0.0, 0.0, 1.0
        for q in range(k):
            ct, st = draw_angle(kernel, h, key, np.uint64(2 * q))
            cp, sp = draw_azimuth(key, np.uint64(2 * q + 1), NO_DEFECT)
            wx, wy, wz = rotate(wx, wy, wz, ct, st, cp, sp)
        out[s] = wz / math.sqrt(wx * wx + wy * wy + wz * wz)
    return out


@njit(cache=True)
def _series(m, smax, k: int, seed: int, n: int) -> np.ndarray:
    out = np.empty(n)
    key = stream_key(np.uint64(seed), np.uint64(5))
    for s in range(n):
        out[s] = sample_cos_series(m, smax, np.int64(k), uniform(key, np.uint64(s)))
    return out


def _cos_theta(samples: np.ndarray) -> np.ndarray:
    return samples @ (U0 / np.linalg.norm(U0))


@pytest.mark.parametrize("kernel,h", [("fixed", 0.1), ("fixed", 0.3), ("rayleigh", 0.2)])
def test_series_law_equals_direct_composition(kernel: str, h: float) -> None:
    code = KERNELS[kernel]
    m, smax, _ = composite_table(code, h)
    k = K_DIRECT + 1
    a = _series(m, smax, k, 3, 20_000)
    b = _direct(k, code, h, 4, 20_000)
    assert stats.ks_2samp(a, b).pvalue > P_5SIGMA


@pytest.mark.parametrize("kernel,h", [("fixed", 0.01), ("fixed", 0.1), ("fixed", 1.5), ("fixed", 3.0),
                                      ("rayleigh", 0.05), ("rayleigh", 1.0)])
def test_table_bounds(kernel: str, h: float) -> None:
    code = KERNELS[kernel]
    bern = bernstein_constant(code, h)
    lcap = table_size(bern)
    m = legendre_means(code, h, lcap)
    ell = np.arange(1, lcap + 1)
    assert np.all(np.abs(m[1:]) <= np.sqrt(bern / ell) * (1.0 + 1e-12))  # Bernstein's inequality on the table
    _, smax, ku = composite_table(code, h)
    assert _deviation_bound(m, bern, float(ku)) <= RESOLUTION
    if ku > 3:
        assert _deviation_bound(m, bern, float(ku) - 1.0) > RESOLUTION  # least such K
    for k in (K_DIRECT + 1, max(K_DIRECT + 1, int(ku) // 2)):
        nterms = truncation(smax, float(k))
        coef = np.array([m[e] ** k for e in range(nterms + 1)])
        assert abs(cdf_pdf(coef, nterms, -1.0)[0]) < 1e-14
        assert abs(cdf_pdf(coef, nterms, 1.0)[0] - 1.0) < 1e-14


def test_negative_control_detects_a_wrong_jump_count() -> None:
    """The KS comparison has power: the series law at K is rejected against a direct composition of K + 8 jumps."""
    m, smax, _ = composite_table(KERNELS["fixed"], 0.3)
    a = _series(m, smax, K_DIRECT + 1, 3, 20_000)
    b = _direct(K_DIRECT + 9, KERNELS["fixed"], 0.3, 4, 20_000)
    assert stats.ks_2samp(a, b).pvalue < P_5SIGMA
