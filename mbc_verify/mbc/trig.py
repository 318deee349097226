"""Sine and cosine of a uniform angle without a library call: sin²(πU), and (cos 2πU, sin 2πU).

The samplers need trigonometric functions only of angles that are a multiple of π by a float: the azimuth
φ = 2πU of a jump (:mod:`mbc_verify.mbc.angles`) and hav φ = sin²(πU) in the scalar composition of jumps
(:mod:`mbc_verify.mbc.compound`). For such angles the reduction to [−π/4, π/4] is exact in float64 (U is scaled
by 4, a power of two, and an integer or ½ is subtracted: Sterbenz), so no Cody–Waite reduction is needed, and
both functions reduce to two short Taylor polynomials. A libm ``sin``/``cos`` call costs ~10 ns on the development
machine; these cost a few ns and vectorise.

Kernels, for |x| ≤ π/4 (Estrin's scheme, exact coefficients 1/n! rounded once):

    sin x = x Σ_{k=0}^{8} (−x²)^k / (2k+1)!,   remainder ≤ |x|^19/19! ≤ 1.1·10⁻¹⁹ |x|;
    cos x = Σ_{k=0}^{8} (−x²)^k / (2k)!,       remainder ≤ |x|^18/18! ≤ 2.0·10⁻¹⁸.

Both remainders lie far below half an ulp of the result (sin x ≥ 0.9 |x| and cos x ≥ 0.7 there). With the unit
roundoff u = 2⁻⁵³: the argument x = fl(c · t) (c = π or π/2 rounded) is within 1.5u of c t relatively, which moves
sin x by ≤ |x cot x| · 1.5u ≤ 1.5u and cos x by ≤ |x tan x| · 1.5u ≤ 1.2u; the polynomial's last addition
rounds once (u) and its correction term, ≤ 0.16 of the result, carries a few roundings (≤ 0.7u). So each kernel,
and hence :func:`turn` (its quadrant rotation multiplies by 0 and ±1 and adds zeros: exact), is within
``TURN_ULPS`` = 4 units of u. :func:`hav_pi` squares a kernel value (≤ 2 · 4 + 1 = 9u) and for t > ¼ returns
1 − s² with s² ≤ ½ (≤ 9u/2 + u): ``HAV_ULPS`` = 9. Both are checked against mpmath in ``tests/test_mbc_trig.py``.
libm's sin(π·u) carries the same rounding of its argument. No ``fastmath``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

TURN_ULPS = 4
"""Relative error bound of each component of :func:`turn`, in units of 2⁻⁵³ (module docstring)."""
HAV_ULPS = 9
"""Relative error bound of :func:`hav_pi`, in units of 2⁻⁵³ (module docstring)."""

_PI = math.pi
_HALF_PI = 0.5 * math.pi
_S = tuple((-1.0) ** k / math.factorial(2 * k + 1) for k in range(9))
_C = tuple((-1.0) ** k / math.factorial(2 * k) for k in range(9))
# quadrant n of φ = (π/2)(n + f): (cos φ, sin φ) = (A c − B s, B c + A s) with (c, s) = (cos, sin)((π/2) f)
_QUAD_A = np.array([1.0, 0.0, -1.0, 0.0, 1.0])
_QUAD_B = np.array([0.0, 1.0, 0.0, -1.0, 0.0])


@njit(cache=True, inline="always")
def _estrin(c: tuple, z: float) -> float:
    """Σ_{k=1}^{8} c[k] z^{k−1} by Estrin's scheme (pairs, then z², then z⁴): four levels of dependent operations
    instead of Horner's eight, so that the latency does not dominate the samplers' loops."""
    z2 = z * z
    lo = (c[1] + c[2] * z) + (c[3] + c[4] * z) * z2
    hi = (c[5] + c[6] * z) + (c[7] + c[8] * z) * z2
    return lo + hi * (z2 * z2)


@njit(cache=True, inline="always")
def _sin_kernel(x: float) -> float:
    """sin x for |x| ≤ π/4 (Taylor through x¹⁷, module docstring)."""
    z = x * x
    return x + x * (z * _estrin(_S, z))


@njit(cache=True, inline="always")
def _cos_kernel(x: float) -> float:
    """cos x for |x| ≤ π/4 (Taylor through x¹⁶, module docstring)."""
    z = x * x
    return 1.0 + z * _estrin(_C, z)


@njit(cache=True, inline="always")
def hav_pi(u: float) -> float:
    """sin²(πu) for u = 0 and 2⁻⁵⁰⁰ ≤ u ≤ 1 (below, (πu)² underflows; rng.py's uniforms are ≥ 2⁻⁵⁴) without a
    data-dependent branch: t = min(u, 1 − u) and r = min(t, ½ − t) ∈ [0, ¼] (both exact, Sterbenz), s = sin(πr),
    and sin²(πt) = s² for t ≤ ¼, cos²(π(½ − t)) = 1 − s² above (selects, not jumps: a mispredicted branch on a
    uniform costs more than the polynomial)."""
    t = u if u < 1.0 - u else 1.0 - u
    r = t if t < 0.5 - t else 0.5 - t
    s = _sin_kernel(_PI * r)
    s2 = s * s
    return s2 if t <= 0.25 else 1.0 - s2


@njit(cache=True, inline="always")
def turn(u: float) -> tuple:
    """(cos 2πu, sin 2πu) for u ∈ [0, 1]: 4u = n + f with n = round(4u) ∈ {0, …, 4} and f ∈ [−½, ½] (both exact),
    (c, s) = (cos, sin)((π/2) f), rotated by the quadrant n (multiplications by 0 and ±1: exact, no branch)."""
    q = 4.0 * u
    n = int(math.floor(q + 0.5))
    x = _HALF_PI * (q - n)
    c = _cos_kernel(x)
    s = _sin_kernel(x)
    a = _QUAD_A[n]
    b = _QUAD_B[n]
    return a * c - b * s, b * c + a * s
