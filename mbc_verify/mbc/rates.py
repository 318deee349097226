"""Jump rates of the MBC process (docs/spec.md §3, d = 3).

    λ_h(r) = 4 r^γ / h² · s(h)          (s = :func:`mbc_verify.mbc.angles.rate_scale`, 1 for the fixed kernel)
    R_h(u) = (2/N) · λ_h(|u|)            rate of one unordered pair {i, j}, u = v_i - v_j

Engines evaluate R_h as ``prefactor(h, n, kernel, defect) * speed_factor(r, gamma, defect)`` so that the
r-independent part is computed once.

r = 0. For γ < 0 the formula gives an infinite rate at u = 0. A jump of a pair with u = 0 changes nothing (u = 0
is a fixed point of the rotation, and c' = c), so at such a state the pair's term λ (K_h - I) of the generator
vanishes whatever λ is: giving that pair rate 0 leaves the law of the velocity process unchanged (it only removes
jumps that do nothing). We therefore set R_h = 0 at r = 0 for every γ (also γ = 0 and the defects), so no
infinity ever enters a sum. For r > 0 the rate is the formula, which overflows to inf only for
r < (4 / (h² · 1.8e308))^{1/3}, i.e. never for velocities of order one (|u| < 1e-100); :func:`speed_factor`
caps r^γ at ``SPEED_CAP`` so that rate sums stay finite (documented deviation in that unreachable regime).

Planted defects (:mod:`mbc_verify.mutants`, component "mbc"): ``RATE_EXPONENT`` uses r^(γ(1+ε)) (ε = −1:
``rate_without_gamma``, λ_h = 4/h²), ``RATE_CONSTANT`` multiplies λ_h by 1 + ε (ε = 1: ``rate_doubled``).
"""

from __future__ import annotations

from numba import njit

from ..mutants import RATE_CONSTANT, RATE_EXPONENT, Defect
from .angles import rate_scale

SPEED_CAP = 1e250
"""Upper cap of r^γ (reached only for |u| < 1e-83 at γ = -3): keeps sums of N² rates finite."""


@njit(cache=True)
def speed_factor(r: float, gamma: float, defect: Defect) -> float:
    """r^γ, 0 at r = 0, capped at SPEED_CAP (module docstring); r^(γ(1+ε)) under ``RATE_EXPONENT``."""
    if r == 0.0:
        return 0.0
    if defect.code == RATE_EXPONENT:
        return min(r ** (gamma * (1.0 + defect.amp)), SPEED_CAP)
    # integer γ < 0 by products, ~10× cheaper than pow and within 2 ulp of r^γ (guarded: no division by 0)
    if gamma == -3.0:
        d = r * r * r
    elif gamma == -2.0:
        d = r * r
    elif gamma == -1.0:
        d = r
    elif gamma == 0.0:
        return 1.0
    else:
        return min(r**gamma, SPEED_CAP)
    return SPEED_CAP if d <= 1.0 / SPEED_CAP else 1.0 / d


@njit(cache=True)
def prefactor(h: float, n: int, kernel: int, defect: Defect) -> float:
    """(2/N) · 4 s(h) / h² (times 1 + ε under ``RATE_CONSTANT``): the pair rate is prefactor · speed_factor."""
    c = 8.0 * rate_scale(kernel, h) / (n * h * h)
    if defect.code == RATE_CONSTANT:
        c *= 1.0 + defect.amp
    return c


@njit(cache=True)
def lambda_h(r: float, gamma: float, h: float, kernel: int, defect: Defect) -> float:
    """λ_h(r) = 4 r^γ s(h) / h²: the jump rate of the relative velocity of one pair (N = 2)."""
    return 0.5 * prefactor(h, 1, kernel, defect) * speed_factor(r, gamma, defect)


@njit(cache=True)
def pair_rate(r: float, gamma: float, h: float, n: int, kernel: int, defect: Defect) -> float:
    """R_h = (2/N) λ_h(r): the jump rate of one unordered pair among N particles."""
    return prefactor(h, n, kernel, defect) * speed_factor(r, gamma, defect)
