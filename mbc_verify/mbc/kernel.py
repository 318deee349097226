"""The MBC jump kernel (docs/spec.md §3): rotate the relative velocity of a pair, centre of mass kept.

For a pair (v_i, v_j) with u = v_i - v_j, c = (v_i + v_j)/2, a jump by the angle θ with azimuth φ is

    u' = cos θ · u + sin θ · |u| · (cos φ e₁ + sin φ e₂),    v_i' = c + u'/2,   v_j' = c - u'/2,

where (e₁, e₂) is an orthonormal frame of the plane orthogonal to û = u/|u|. The project's default kernel has
θ = h (the grazing parameter) and φ uniform on [0, 2π); then n = cos φ e₁ + sin φ e₂ is uniform on the circle
of unit vectors orthogonal to u, whatever the frame.

Numerical robustness (every finite u):
- |u|, û and the rotation are computed after scaling u by the power of two 2^-e nearest above its largest
  |component| (exact), so neither overflow nor underflow occurs for any finite u;
- the frame is the branchless construction of Duff et al., "Building an orthonormal basis, revisited"
  (JCGT 6(1), 2017): with s = sign(û_z), a = -1/(s + û_z) (|s + û_z| ≥ 1, so no division by a tiny number);
- u = 0 is a fixed point (returned unchanged), never NaN.

Conservation: c' = c and |u'| = |u| in exact arithmetic; in float64 each jump changes momentum and energy by a
few ulps of the pair's values (see ``tests/test_mbc_kernel.py`` for the bound), without systematic bias (the
rotation is a Householder reflection, see :func:`rotate`), and no ``fastmath`` is used.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..mutants import ENERGY_LEAK, JUMP_ANGLE, ONE_SIDED_ROTATION, TEXTBOOK_ROTATION, Defect
from .angles import draw_angle, draw_azimuth

_SAFE_LO = 2.0**-900  # |u|² in [_SAFE_LO, _SAFE_HI] is computed without underflow/overflow of any square
_SAFE_HI = 2.0**900


_SCALE_LO = 2.0**-500  # for max|u_k| in [2^-500, 2^500] no square in the kernel under- or overflows
_SCALE_HI = 2.0**500


@njit(cache=True, inline="always")
def pow2_scale(ux: float, uy: float, uz: float) -> int:
    """The exponent e by which u is scaled (u·2^-e) before squaring: 0 when max|u_k| ∈ [2^-500, 2^500] (no square
    can under- or overflow), else the e with 2^(e-1) ≤ max|u_k| < 2^e. Scaling by a power of two is exact."""
    m = max(abs(ux), abs(uy), abs(uz))
    if m == 0.0 or _SCALE_LO <= m <= _SCALE_HI:
        return 0
    return math.frexp(m)[1]


@njit(cache=True, inline="always")
def _scaled(x: float, e: int) -> float:
    """x·2^-e, exact (the common case e = 0 costs nothing)."""
    return x if e == 0 else math.ldexp(x, -e)


@njit(cache=True, inline="always")
def _unscaled(x: float, e: int) -> float:
    """x·2^e, exact unless the result is subnormal."""
    return x if e == 0 else math.ldexp(x, e)


@njit(cache=True, inline="always")
def _frame_scaled(wx: float, wy: float, wz: float) -> tuple:
    """(|w|, ŵ, e₁, e₂) for a w ≠ 0 whose squares neither under- nor overflow (Duff et al. 2017)."""
    rr = math.sqrt(wx * wx + wy * wy + wz * wz)
    inv = 1.0 / rr
    nx = wx * inv
    ny = wy * inv
    nz = wz * inv
    s = 1.0 if nz >= 0.0 else -1.0
    a = -1.0 / (s + nz)
    b = nx * ny * a
    return (rr, nx, ny, nz,
            1.0 + s * nx * nx * a, s * b, -s * nx,
            b, s + ny * ny * a, -ny)


@njit(cache=True)
def frame(ux: float, uy: float, uz: float) -> tuple:
    """(r, n̂, e₁, e₂): |u|, the unit vector û and an orthonormal frame of û^⊥; r = 0 gives zeros.

    Returned flat as (r, nx, ny, nz, e1x, e1y, e1z, e2x, e2y, e2z). u is first scaled exactly by a power of two
    when needed (:func:`pow2_scale`), so no square under- or overflows for any finite u.
    """
    if ux == 0.0 and uy == 0.0 and uz == 0.0:
        return (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    e = pow2_scale(ux, uy, uz)
    rr, nx, ny, nz, e1x, e1y, e1z, e2x, e2y, e2z = _frame_scaled(_scaled(ux, e), _scaled(uy, e), _scaled(uz, e))
    return (_unscaled(rr, e), nx, ny, nz, e1x, e1y, e1z, e2x, e2y, e2z)


@njit(cache=True)
def norm3(ux: float, uy: float, uz: float) -> float:
    """|u| for every finite u: direct √(u·u) when u·u is far from under/overflow, else the scaled form of frame."""
    s = ux * ux + uy * uy + uz * uz
    if _SAFE_LO <= s <= _SAFE_HI:
        return math.sqrt(s)
    m = max(abs(ux), abs(uy), abs(uz))
    if m == 0.0:
        return 0.0
    wx = ux / m
    wy = uy / m
    wz = uz / m
    return m * math.sqrt(wx * wx + wy * wy + wz * wz)


@njit(cache=True, inline="always")
def rotate(ux: float, uy: float, uz: float, cos_t: float, sin_t: float, cos_p: float, sin_p: float) -> tuple:
    """u' = cos θ u + sin θ |u| t, t = cos φ e₁ + sin φ e₂, computed as a Householder reflection; u = 0 is fixed.

    Why not the formula itself: it multiplies |u|² by cos²θ + sin²θ, which in float64 differs from 1 by a FIXED
    amount for a fixed angle (−0.82 ε for θ = 0.3), i.e. a systematic energy drift of about one ulp of the pair
    energy per jump, linear in the number of jumps. Instead, with w = u·2^-e (exact power-of-two scaling where needed,
    :func:`pow2_scale`) and the half angle (c₂, s₂) = (cos θ/2, sin θ/2), the reflection across the plane
    normal to a = s₂ w − c₂ |w| t,

        w' = w − (2 w·a / a·a) a  =  cos θ w + sin θ |w| t      (exact arithmetic),

    is an isometry for ANY a: the rounding of c₂, s₂, t and a changes the direction by O(ε) but never |w'|, so
    the energy error is the unbiased rounding of the last few operations and the drift is a random walk
    (certified by claim C1; the measured per-jump bias is below 10⁻³ ε). The factor 2 w·a / a·a ≈ 2 s₂ is a
    generic number: a form of a with factor ≈ 1 would have the rounding of (1 + δ)·a erase the sub-ulp
    correction δ and bring the bias back. c₂, s₂ come from (cos θ, sin θ) without cancellation.
    """
    if ux == 0.0 and uy == 0.0 and uz == 0.0:
        return (ux, uy, uz)
    e = pow2_scale(ux, uy, uz)
    wx = _scaled(ux, e)
    wy = _scaled(uy, e)
    wz = _scaled(uz, e)
    rr, nx, ny, nz, e1x, e1y, e1z, e2x, e2y, e2z = _frame_scaled(wx, wy, wz)
    if cos_t > 0.0:
        c2 = math.sqrt(0.5 * (1.0 + cos_t))
        s2 = 0.5 * sin_t / c2
    else:
        s2 = math.sqrt(0.5 * (1.0 - cos_t))
        c2 = 0.5 * sin_t / s2
    k = c2 * rr
    ax = s2 * wx - k * (cos_p * e1x + sin_p * e2x)
    ay = s2 * wy - k * (cos_p * e1y + sin_p * e2y)
    az = s2 * wz - k * (cos_p * e1z + sin_p * e2z)
    aa = ax * ax + ay * ay + az * az
    if aa == 0.0:
        return (ux, uy, uz)
    f = 2.0 * (wx * ax + wy * ay + wz * az) / aa
    return (_unscaled(wx - f * ax, e), _unscaled(wy - f * ay, e), _unscaled(wz - f * az, e))


@njit(cache=True)
def textbook_rotate(ux: float, uy: float, uz: float, cos_t: float, sin_t: float, cos_p: float, sin_p: float) -> tuple:
    """The formula as written, u' = cos θ u + sin θ |u| t: correct in exact arithmetic, but in float64 it scales |u|²
    by the fixed cos²θ + sin²θ ≠ 1 of a fixed angle, a systematic drift (the ``textbook_rotation`` mutant; kept to
    show that claim C1 detects it; never used otherwise)."""
    r, nx, ny, nz, e1x, e1y, e1z, e2x, e2y, e2z = frame(ux, uy, uz)
    k = sin_t * r
    return (cos_t * ux + k * (cos_p * e1x + sin_p * e2x), cos_t * uy + k * (cos_p * e1y + sin_p * e2y),
            cos_t * uz + k * (cos_p * e1z + sin_p * e2z))


@njit(cache=True)
def jump_pair(v: np.ndarray, i: int, j: int, cos_t: float, sin_t: float, cos_p: float, sin_p: float,
              defect: Defect) -> None:
    """Replace (v_i, v_j) in place by (c + u'/2, c - u'/2) with u' = rotate(u, θ, φ).

    Planted defects (:mod:`mbc_verify.mutants`): ``ONE_SIDED_ROTATION`` moves only v_i by u' - u;
    ``TEXTBOOK_ROTATION`` uses :func:`textbook_rotate`; ``ENERGY_LEAK`` scales u' by 1 + ε; every other code is the
    correct update (the rate, azimuth and pairing defects act elsewhere).
    """
    ux = v[i, 0] - v[j, 0]
    uy = v[i, 1] - v[j, 1]
    uz = v[i, 2] - v[j, 2]
    if defect.code == TEXTBOOK_ROTATION:
        px, py, pz = textbook_rotate(ux, uy, uz, cos_t, sin_t, cos_p, sin_p)
    else:
        px, py, pz = rotate(ux, uy, uz, cos_t, sin_t, cos_p, sin_p)
    if defect.code == ENERGY_LEAK:
        px *= 1.0 + defect.amp
        py *= 1.0 + defect.amp
        pz *= 1.0 + defect.amp
    if defect.code == ONE_SIDED_ROTATION:
        v[i, 0] += px - ux
        v[i, 1] += py - uy
        v[i, 2] += pz - uz
        return
    cx = 0.5 * (v[i, 0] + v[j, 0])
    cy = 0.5 * (v[i, 1] + v[j, 1])
    cz = 0.5 * (v[i, 2] + v[j, 2])
    v[i, 0] = cx + 0.5 * px
    v[i, 1] = cy + 0.5 * py
    v[i, 2] = cz + 0.5 * pz
    v[j, 0] = cx - 0.5 * px
    v[j, 1] = cy - 0.5 * py
    v[j, 2] = cz - 0.5 * pz


@njit(cache=True)
def random_jump(v: np.ndarray, i: int, j: int, kernel: int, h: float, key: np.uint64, defect: Defect) -> None:
    """One jump of the pair (i, j) with θ from the kernel's law (counter 0 of ``key``) and the azimuth from
    counter 1 (:mod:`mbc_verify.mbc.angles`): the single jump routine of every engine (``JUMP_ANGLE``: the angle law
    of h(1 + ε))."""
    cos_t, sin_t = draw_angle(kernel, h * (1.0 + defect.amp) if defect.code == JUMP_ANGLE else h, key, np.uint64(0))
    cos_p, sin_p = draw_azimuth(key, np.uint64(1), defect)
    jump_pair(v, i, j, cos_t, sin_t, cos_p, sin_p, defect)
