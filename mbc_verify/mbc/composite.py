"""The law of K composed MBC jumps of one pair, sampled in O(1) whatever K (docs/spec.md §3, fast engine).

One jump turns the direction û of a pair's relative velocity by an angle θ (the kernel's law; θ = h for the
default kernel) towards a uniformly drawn azimuth. On functions of û this is a zonal (rotation-invariant)
Markov operator, so by Funk–Hecke it acts on spherical harmonics of degree ℓ by the scalar
m_ℓ = E[P_ℓ(cos θ)] (m_ℓ = P_ℓ(cos h) for the fixed kernel). K independent jumps compose to the zonal operator
with the eigenvalues m_ℓ^K: the angle Θ between û₀ and û_K has, for x = cos Θ, the density and CDF

    f_K(x) = Σ_{ℓ≥0} (2ℓ+1)/2 · m_ℓ^K · P_ℓ(x),
    F_K(x) = (1+x)/2 + ½ Σ_{ℓ≥1} m_ℓ^K (P_{ℓ+1}(x) − P_{ℓ−1}(x))        (from (2ℓ+1)P_ℓ = P'_{ℓ+1} − P'_{ℓ−1}),

and, given Θ, the azimuth of û_K around û₀ is uniform (the law is invariant under rotations about û₀). Hence
E[P_ℓ(û₀·û_K)] = m_ℓ^K, the identity the tests check.

What this module provides (the fast engine's own sampler is :mod:`mbc_verify.mbc.compound`, which builds its
certified tables from these pieces):

- the one-jump eigenvalues' Bernstein bound |m_ℓ| ≤ (B/ℓ)^{1/2}, B = 2/(π sin h) for the fixed kernel
  (B = (2/π) E[(sin θ)^{-1/2}]² for an angle law), from Bernstein's inequality |P_ℓ(cos θ)| ≤ (2/(π ℓ sin θ))^{1/2}
  (Szegő, *Orthogonal Polynomials*, Thm 7.3.3);
- the truncation of the series: since |∫_{-1}^x P_ℓ| = |P_{ℓ+1} − P_{ℓ−1}|/(2ℓ+1) ≤ 2/(2ℓ+1), dropping term ℓ
  changes F_K by at most |m_ℓ|^K; the table keeps ℓ ≤ L_cap, the least L ≥ 2B with L (B/L)^{s}/(s−1) ≤ 2⁻⁶⁰,
  s = (K_DIRECT+1)/2 (the integral bound of Σ_{ℓ>L} (B/ℓ)^{K/2}, non-increasing in K), and for a given K sums only
  ℓ ≤ L(K), the last ℓ whose suffix maximum max_{ℓ'≥ℓ}|m_ℓ'| is ≥ τ^{1/K}, τ = 2⁻⁶⁰/L_cap (found by binary
  search), so the dropped in-table terms add at most L_cap τ = 2⁻⁶⁰: sup_x |F_K^{trunc} − F_K| ≤ 2⁻⁵⁹;
- the uniform threshold k_uniform, the least K ≥ 3 with S(K) = Σ_{ℓ=1}^{L_cap} |m_ℓ|^K + L_cap (B/L_cap)^{K/2}/(K/2 − 1)
  ≤ 2⁻⁵³: S(K) bounds sup_x |F_K(x) − (1+x)/2|, so beyond it the law is uniform to float64 resolution;
- :func:`sample_cos_series`: cos Θ with F_K(cos Θ) = U by safeguarded Newton on the truncated series (used by the
  spherical-Brownian-motion baseline, whose heat-kernel series has the same form).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..legendre import next_legendre
from .angles import legendre_means

K_DIRECT = 32
TAIL_BUDGET = 2.0**-60
RESOLUTION = 2.0**-53
_GL_X, _GL_W = np.polynomial.legendre.leggauss(16)


@njit(cache=True)
def bernstein_tail(bern: float, lcap: int, k: float) -> float:
    """Bound of Σ_{ℓ>L} (B/ℓ)^{K/2} by ∫_L^∞ (B/x)^{K/2} dx = L (B/L)^{K/2} / (K/2 − 1); needs K > 2, B < L."""
    s = 0.5 * k
    return lcap * math.pow(bern / lcap, s) / (s - 1.0)


@njit(cache=True)
def table_size(bern: float) -> int:
    """L_cap: the least L ≥ 2B with the Bernstein tail at K = K_DIRECT + 1 below 2⁻⁶⁰ (module docstring)."""
    lo = max(2, int(math.ceil(2.0 * bern)))
    k = K_DIRECT + 1.0
    if bernstein_tail(bern, lo, k) <= TAIL_BUDGET:
        return lo
    hi = 2 * lo
    while bernstein_tail(bern, hi, k) > TAIL_BUDGET:
        lo = hi
        hi *= 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if bernstein_tail(bern, mid, k) <= TAIL_BUDGET:
            hi = mid
        else:
            lo = mid
    return hi


@njit(cache=True)
def _deviation_bound(m: np.ndarray, bern: float, k: float) -> float:
    """S(K) = Σ_{ℓ=1}^{L_cap} |m_ℓ|^K + Bernstein tail: a bound of sup_x |F_K(x) − (1+x)/2|."""
    lcap = m.shape[0] - 1
    s = bernstein_tail(bern, lcap, k)
    for ell in range(1, lcap + 1):
        s += math.pow(abs(m[ell]), k)
    return s


@njit(cache=True)
def uniform_threshold(m: np.ndarray, bern: float) -> np.int64:
    """k_uniform: the least K ≥ 3 with S(K) ≤ 2⁻⁵³ (module docstring, regime 3); 2⁶² if none is found."""
    cap = 2.0**62
    if _deviation_bound(m, bern, 3.0) <= RESOLUTION:
        return np.int64(3)
    lo = 3.0
    hi = 6.0
    while _deviation_bound(m, bern, hi) > RESOLUTION:
        lo = hi
        hi *= 2.0
        if hi >= cap:
            return np.int64(cap)
    while hi - lo > 1.0:
        mid = math.floor(0.5 * (lo + hi))
        if _deviation_bound(m, bern, mid) <= RESOLUTION:
            hi = mid
        else:
            lo = mid
    return np.int64(hi)


@njit(cache=True)
def suffix_max(m: np.ndarray) -> np.ndarray:
    """S_ℓ = max_{ℓ' ≥ ℓ} |m_ℓ'| (non-increasing in ℓ), used to find the truncation index L(K)."""
    n = m.shape[0]
    s = np.empty(n)
    run = 0.0
    for ell in range(n - 1, -1, -1):
        run = max(run, abs(m[ell]))
        s[ell] = run
    return s


@njit(cache=True)
def truncation(smax: np.ndarray, k: float) -> int:
    """L(K): the last ℓ ≥ 1 with S_ℓ ≥ τ^{1/K}, τ = 2⁻⁶⁰/L_cap (0 when every term ℓ ≥ 1 is dropped)."""
    lcap = smax.shape[0] - 1
    thr = math.pow(TAIL_BUDGET / lcap, 1.0 / k)
    if smax[1] < thr:
        return 0
    lo = 1
    hi = lcap + 1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if smax[mid] >= thr:
            lo = mid
        else:
            hi = mid
    return lo


@njit(cache=True)
def cdf_pdf(coef: np.ndarray, nterms: int, x: float) -> tuple:
    """(F_K(x), f_K(x)) of the series truncated at ℓ = nterms, with coef[ℓ] = m_ℓ^K (Legendre recurrence)."""
    p_prev = 1.0
    p = x
    cdf = 0.5 * (1.0 + x)
    pdf = 0.5
    for ell in range(1, nterms + 1):
        p_next = next_legendre(ell, x, p, p_prev)
        cdf += 0.5 * coef[ell] * (p_next - p_prev)
        pdf += (ell + 0.5) * coef[ell] * p
        p_prev = p
        p = p_next
    return cdf, pdf


@njit(cache=True)
def sample_cos_series(m: np.ndarray, smax: np.ndarray, k: np.int64, u: float) -> float:
    """cos Θ with F_K(cos Θ) = u (regime 2): safeguarded Newton on the truncated series, bisection fallback."""
    kf = float(k)
    nterms = truncation(smax, kf)
    coef = np.empty(nterms + 1)
    coef[0] = 1.0
    for ell in range(1, nterms + 1):
        coef[ell] = math.pow(m[ell], kf)
    lo = -1.0
    hi = 1.0
    x = coef[1] if nterms >= 1 else 0.0
    for _ in range(200):
        cdf, pdf = cdf_pdf(coef, nterms, x)
        g = cdf - u
        if g == 0.0:
            return x
        if g < 0.0:
            lo = x
        else:
            hi = x
        xn = x - g / pdf if pdf > 0.0 else lo - 1.0
        if not (lo < xn < hi):
            xn = 0.5 * (lo + hi)
        if abs(xn - x) <= 2.0**-53 or xn == lo or xn == hi:
            return xn
        x = xn
    return x


@njit(cache=True)
def _rayleigh_sin_moment(h: float) -> float:
    """E[(sin θ)^{-1/2}] for the truncated Rayleigh law of :mod:`mbc_verify.mbc.angles` (density
    (2θ/h²) e^{-θ²/h²} / p on (0, π)), by Gauss–Legendre after θ = w² on (0, π/2] and θ = π − w² on [π/2, π),
    which remove the endpoint singularities of (sin θ)^{-1/2}; panels narrower than √h / 4 resolve the Gaussian."""
    xg = _GL_X
    wg = _GL_W
    p = -math.expm1(-(math.pi / h) ** 2)
    top = math.sqrt(0.5 * math.pi)
    panels = max(32, int(math.ceil(4.0 * top / math.sqrt(h))))
    dw = top / panels
    total = 0.0
    for k in range(panels):
        for q in range(16):
            w = k * dw + 0.5 * dw * (xg[q] + 1.0)
            jac = 0.5 * dw * wg[q] * 2.0 * w / math.sqrt(math.sin(w * w))
            for theta in (w * w, math.pi - w * w):
                total += jac * 2.0 * theta * math.exp(-(theta / h) ** 2) / (h * h * p)
    return total


@njit(cache=True)
def bernstein_constant(kernel: int, h: float) -> float:
    """B with |m_ℓ| ≤ (B/ℓ)^{1/2} for every ℓ ≥ 1 (Bernstein's inequality, module docstring).

    "fixed" (code 0): B = 2/(π sin h) exactly. "rayleigh" (code 1): B = (2/π) E[(sin θ)^{-1/2}]², the moment
    by quadrature (relative error ≲ 1e-12), padded by a relative 1e-6 so that B stays an upper bound.
    """
    if kernel == 0:
        return 2.0 / (math.pi * math.sin(h))
    e = _rayleigh_sin_moment(h)
    return (2.0 / math.pi) * e * e * (1.0 + 1e-6)


@njit(cache=True)
def composite_table(kernel: int, h: float) -> tuple:
    """(m, smax, k_uniform) for the kernel's angle law: m[ℓ] = E[P_ℓ(cos θ)] for ℓ ≤ L_cap, its suffix maxima
    and the uniform threshold (module docstring); built once per (kernel, h) and passed to :func:`composed_jump`."""
    bern = bernstein_constant(kernel, h)
    m = legendre_means(kernel, h, table_size(bern))
    return m, suffix_max(m), uniform_threshold(m, bern)
