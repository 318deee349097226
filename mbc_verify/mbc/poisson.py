"""Exact Poisson variates from the counter-based stream, robust for every mean (docs/spec.md §3, fast engine).

``poisson(mu, key, counter) -> (k, counter')`` draws K ~ Poisson(μ) from the uniforms ``uniform(key, c)``,
c = counter, counter + 1, … and returns the next unused counter, so callers keep their streams disjoint.

- μ < 10: the multiplication method (Knuth): K = min{k : U₀ U₁ ⋯ U_k ≤ e^{-μ}}; exact, K + 1 uniforms.
- 10 ≤ μ ≤ 2⁵³: PTRS, the transformed rejection of W. Hörmann, "The transformed rejection method for
  generating Poisson random variables", Insurance: Math. Econ. 12 (1993) 39–45 — the same algorithm and
  constants as NumPy's ``random_poisson_ptrs``; exact (rejection against the true pmf via ``lgamma``), an
  expected ≈ 2.3 uniforms per variate whatever μ, so O(1) for huge means.
- μ > 2⁵³ (K no longer an exact float64 integer) or μ = inf: returns round(min(μ, 2⁶²)). Callers use this
  only where the state update no longer depends on K's exact value (the fast engine's uniform regime, see
  :mod:`mbc_verify.mbc.composite`); it only enters the diagnostic jump count (Poisson's relative standard
  deviation there is < 2⁻²⁶).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .rng import uniform

MU_EXACT_MAX = 2.0**53
_K_SATURATE = 2.0**62


@njit(cache=True)
def poisson(mu: float, key: np.uint64, counter: np.uint64) -> tuple:
    """(K, next counter) with K ~ Poisson(μ), μ ≥ 0; see the module docstring for the three regimes."""
    c = np.uint64(counter)
    one = np.uint64(1)
    if not mu > 0.0:
        return np.int64(0), c
    if mu < 10.0:
        enlam = math.exp(-mu)
        k = 0
        prod = uniform(key, c)
        c += one
        while prod > enlam:
            k += 1
            prod *= uniform(key, c)
            c += one
        return np.int64(k), c
    if mu > MU_EXACT_MAX:
        return np.int64(round(min(mu, _K_SATURATE))), c
    slam = math.sqrt(mu)
    loglam = math.log(mu)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u = uniform(key, c) - 0.5
        v = uniform(key, c + one)
        c += np.uint64(2)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + mu + 0.43)
        if us >= 0.07 and v <= vr:
            return np.int64(k), c
        if k < 0.0 or (us < 0.013 and v > us):
            continue
        if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                <= -mu + k * loglam - math.lgamma(k + 1.0)):
            return np.int64(k), c
