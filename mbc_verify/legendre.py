"""Legendre polynomials by their three-term recurrence, written once (docs/spec.md §3, Funk–Hecke).

    (ℓ + 1) P_{ℓ+1}(x) = (2ℓ + 1) x P_ℓ(x) − ℓ P_{ℓ−1}(x),    P_0 = 1, P_1 = x        (stable for |x| ≤ 1)

:func:`next_legendre` is the recurrence step; every loop over Legendre degrees in the library (eigenvalues of the
jump kernel, the composed-angle law, the N = 2 observables, the generator test functions) is built on it.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def next_legendre(ell: int, x: float, p: float, p_prev: float) -> float:
    """P_{ℓ+1}(x) from P_ℓ(x) = ``p`` and P_{ℓ−1}(x) = ``p_prev``."""
    return ((2 * ell + 1) * x * p - ell * p_prev) / (ell + 1)


@njit(cache=True)
def legendre_values(x: float, lmax: int) -> np.ndarray:
    """[P_0(x), …, P_lmax(x)]."""
    out = np.empty(lmax + 1)
    out[0] = 1.0
    if lmax == 0:
        return out
    out[1] = x
    for ell in range(1, lmax):
        out[ell + 1] = next_legendre(ell, x, out[ell], out[ell - 1])
    return out


@njit(cache=True)
def legendre(ell: int, x: float) -> float:
    """P_ℓ(x)."""
    return legendre_values(x, ell)[ell]
