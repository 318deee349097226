"""Error-free transformations and accurate sums in float64, compiled with numba (no fastmath: the error terms rely
on IEEE round-to-nearest arithmetic being performed exactly as written).

- ``two_sum(a, b) = (s, e)`` with s = fl(a + b) and s + e = a + b exactly (Knuth, *The Art of Computer
  Programming* vol. 2, 1969: TwoSum, no branch; both transformations live in :mod:`mbc_verify.mbc.dd`);
- ``two_prod(a, b) = (p, e)`` with p = fl(a·b) and p + e = a·b exactly (Dekker, Numer. Math. 18, 1971: splitting
  by 2²⁷ + 1, valid when no overflow occurs);
- :func:`exact_energy`: Σ_{i ∈ rows} |v_i|² by Dot2 (Ogita, Rump, Oishi, SIAM J. Sci. Comput. 26, 2005), as
  accurate as if computed in twice the working precision and then rounded;
- :func:`exact_momentum`: Σ_i v_i per component by compensated summation (Neumaier, ZAMM 54, 1974, in the
  TwoSum form of Ogita–Rump–Oishi's Sum2), equally accurate.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .mbc.dd import two_prod, two_sum  # the one implementation of the error-free transformations

__all__ = ["exact_energy", "exact_momentum", "two_prod", "two_sum"]


@njit(cache=True)
def exact_energy(v: np.ndarray, rows: np.ndarray) -> float:
    """Σ_{i ∈ rows} |v_i|² for velocities ``v`` (N × 3) by Dot2: as accurate as twice-working precision, rounded."""
    s = 0.0
    c = 0.0
    for i in rows:
        for k in range(3):
            p, e = two_prod(v[i, k], v[i, k])
            s, q = two_sum(s, p)
            c += q + e
    return s + c


@njit(cache=True)
def exact_momentum(v: np.ndarray) -> np.ndarray:
    """Σ_i v_i (3 components) for velocities ``v`` (N × 3) by compensated (Neumaier) summation."""
    out = np.zeros(3)
    for k in range(3):
        s = 0.0
        c = 0.0
        for i in range(v.shape[0]):
            s, q = two_sum(s, v[i, k])
            c += q
        out[k] = s + c
    return out
