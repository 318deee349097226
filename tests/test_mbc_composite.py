"""The composed-rotation law of mbc_verify.mbc.composite (fast engine, docs/spec.md §3).

- Legendre moments: for K composed jumps E[P_ℓ(û₀·û_K)] = m_ℓ^K (Funk–Hecke); the sample means of P_ℓ(cos Θ)
  over n draws agree with m_ℓ^K within 5 standard errors (sample sd / √n), for K on both sides of each switch
  (direct ↔ series at K_DIRECT, series ↔ uniform at k_uniform), for both angle kernels.
- Law, not only moments: the series sampler at K = K_DIRECT + 1 against an independent direct composition of
  the same K jumps (two-sample Kolmogorov–Smirnov), and the uniform regime against U(−1, 1) for cos Θ and for the
  azimuth (one-sample KS); p-values must exceed 5.7e-7 (the two-sided 5σ Gaussian tail).
- The table's bounds: Bernstein's inequality holds on the table, k_uniform is the least K with S(K) ≤ 2⁻⁵³, and the
  truncated CDF runs from 0 to 1.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit
from scipy import stats
from scipy.special import eval_legendre

from mbc_verify.mbc.angles import KERNELS, draw_angle, draw_azimuth, legendre_means
from mbc_verify.mbc.composite import (
    K_DIRECT,
    RESOLUTION,
    _deviation_bound,
    bernstein_constant,
    cdf_pdf,
    composed_jump,
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
def _composed(k: int, kernel: int, h: float, m, smax, k_uniform, seed: int, n: int) -> np.ndarray:
    """û_K of n independent K-fold compositions applied by composed_jump to the pair (U0/2, −U0/2)."""
    out = np.empty((n, 3))
    base = stream_key(np.uint64(seed), np.uint64(k))
    r = math.sqrt(U0[0] ** 2 + U0[1] ** 2 + U0[2] ** 2)
    for s in range(n):
        v = np.empty((2, 3))
        for a in range(3):
            v[0, a] = 0.5 * U0[a]
            v[1, a] = -0.5 * U0[a]
        composed_jump(v, 0, 1, np.int64(k), kernel, h, m, smax, k_uniform, substream(base, np.uint64(s)),
                      np.uint64(0), NO_DEFECT)
        for a in range(3):
            out[s, a] = (v[0, a] - v[1, a]) / r
    return out


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


@pytest.mark.parametrize("kernel,h", [("fixed", 0.3), ("fixed", 1.0), ("rayleigh", 0.3)])
def test_legendre_moments_across_switches(kernel: str, h: float) -> None:
    code = KERNELS[kernel]
    m, smax, ku = composite_table(code, h)
    ks = sorted({1, 2, 7, K_DIRECT, K_DIRECT + 1, K_DIRECT + 2, 3 * K_DIRECT, int(ku) - 1, int(ku),
                 int(ku) + 1, 10 * int(ku)})
    ks = [k for k in ks if k >= 1]
    n = 20_000
    for k in ks:
        x = _cos_theta(_composed(k, code, h, m, smax, ku, 17, n))
        for ell in (1, 2, 3, 4):
            p = eval_legendre(ell, x)
            se = p.std(ddof=1) / math.sqrt(n)
            assert abs(p.mean() - m[ell] ** k) < 5.0 * se + ROUND_OFF, (kernel, h, k, ell, p.mean(), m[ell] ** k)


@pytest.mark.parametrize("kernel,h", [("fixed", 0.1), ("fixed", 0.3), ("rayleigh", 0.2)])
def test_series_law_equals_direct_composition(kernel: str, h: float) -> None:
    code = KERNELS[kernel]
    m, smax, _ = composite_table(code, h)
    k = K_DIRECT + 1
    a = _series(m, smax, k, 3, 20_000)
    b = _direct(k, code, h, 4, 20_000)
    assert stats.ks_2samp(a, b).pvalue > P_5SIGMA


@pytest.mark.parametrize("kernel,h", [("fixed", 0.1), ("fixed", 2.0), ("rayleigh", 0.3)])
def test_uniform_regime_goodness_of_fit(kernel: str, h: float) -> None:
    code = KERNELS[kernel]
    m, smax, ku = composite_table(code, h)
    s = _composed(int(ku), code, h, m, smax, ku, 23, 20_000)
    x = _cos_theta(s)
    assert stats.kstest(x, stats.uniform(loc=-1.0, scale=2.0).cdf).pvalue > P_5SIGMA
    # azimuth around û₀ (in a fixed frame of û₀): uniform on (−π, π]
    n0 = U0 / np.linalg.norm(U0)
    e1 = np.cross(n0, [1.0, 0.0, 0.0])
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(n0, e1)
    phi = np.arctan2(s @ e2, s @ e1)
    assert stats.kstest(phi, stats.uniform(loc=-math.pi, scale=2.0 * math.pi).cdf).pvalue > P_5SIGMA


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
