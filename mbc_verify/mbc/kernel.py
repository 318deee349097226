"""The MBC jump kernel (SPEC §3): rotate the relative velocity of a pair, centre of mass kept.

For a pair (v_i, v_j) with u = v_i - v_j, c = (v_i + v_j)/2, a jump by the angle θ with azimuth φ is

    u' = cos θ · u + sin θ · |u| · (cos φ e₁ + sin φ e₂),    v_i' = c + u'/2,   v_j' = c - u'/2,

where (e₁, e₂) is an orthonormal frame of the plane orthogonal to û = u/|u|. The project's default kernel has
θ = h (the grazing parameter) and φ uniform on [0, 2π); then n = cos φ e₁ + sin φ e₂ is uniform on the circle
of unit vectors orthogonal to u, whatever the frame.

Numerical robustness (every finite u):
- |u| and û are computed after scaling u by its largest |component| m, so neither overflow nor underflow occurs
  for any finite u (no |u|² of a subnormal or of 1e200 is ever formed);
- the frame is the branchless construction of Duff et al., "Building an orthonormal basis, revisited"
  (JCGT 6(1), 2017): with s = sign(û_z), a = -1/(s + û_z) (|s + û_z| ≥ 1, so no division by a tiny number);
- u = 0 is a fixed point (returned unchanged), never NaN.

Conservation: c' = c and |u'| = |u| in exact arithmetic; in float64 each jump changes momentum and energy by a
few ulps of the pair's values (see ``tests/test_mbc_kernel.py`` for the bound), and no ``fastmath`` is used.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True)
def frame(ux: float, uy: float, uz: float) -> tuple:
    """(r, n̂, e₁, e₂): |u|, the unit vector û and an orthonormal frame of û^⊥; r = 0 gives zeros.

    Returned flat as (r, nx, ny, nz, e1x, e1y, e1z, e2x, e2y, e2z).
    """
    m = max(abs(ux), abs(uy), abs(uz))
    if m == 0.0:
        return (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    wx = ux / m
    wy = uy / m
    wz = uz / m
    s2 = math.sqrt(wx * wx + wy * wy + wz * wz)
    r = m * s2
    nx = wx / s2
    ny = wy / s2
    nz = wz / s2
    s = 1.0 if nz >= 0.0 else -1.0
    a = -1.0 / (s + nz)
    b = nx * ny * a
    return (r, nx, ny, nz,
            1.0 + s * nx * nx * a, s * b, -s * nx,
            b, s + ny * ny * a, -ny)


@njit(cache=True)
def rotate(ux: float, uy: float, uz: float, cos_t: float, sin_t: float, cos_p: float, sin_p: float) -> tuple:
    """u' = cos θ u + sin θ |u| (cos φ e₁ + sin φ e₂); u = 0 is returned unchanged."""
    r, nx, ny, nz, e1x, e1y, e1z, e2x, e2y, e2z = frame(ux, uy, uz)
    if r == 0.0:
        return (ux, uy, uz)
    k = sin_t * r
    tx = cos_p * e1x + sin_p * e2x
    ty = cos_p * e1y + sin_p * e2y
    tz = cos_p * e1z + sin_p * e2z
    return (cos_t * ux + k * tx, cos_t * uy + k * ty, cos_t * uz + k * tz)


@njit(cache=True)
def jump_pair(v: np.ndarray, i: int, j: int, cos_t: float, sin_t: float, cos_p: float, sin_p: float,
              mutant: int) -> None:
    """Replace (v_i, v_j) in place by (c + u'/2, c - u'/2) with u' = rotate(u, θ, φ).

    ``mutant`` (see :mod:`mbc_verify.mutants`, target "mbc"): 1 = ``one_sided_rotation`` moves only v_i by
    u' - u; every other code is the correct update (rate and azimuth mutants act elsewhere).
    """
    ux = v[i, 0] - v[j, 0]
    uy = v[i, 1] - v[j, 1]
    uz = v[i, 2] - v[j, 2]
    px, py, pz = rotate(ux, uy, uz, cos_t, sin_t, cos_p, sin_p)
    if mutant == 1:
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
