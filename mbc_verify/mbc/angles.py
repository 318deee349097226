"""Angle laws of the MBC jump kernel (docs/spec.md §3): the deflection angle θ and the azimuth φ of a jump.

A jump rotates u by θ towards n = cos φ e₁ + sin φ e₂ (see :mod:`mbc_verify.mbc.kernel`). The azimuth φ is uniform
on [0, 2π) for every kernel; the law of θ is the ``kernel=`` choice:

- ``"fixed"`` (code 0, the project's default, docs/spec.md §3): θ = h.
- ``"rayleigh"`` (code 1, a variant concentrated at scale h; ours, not the paper's): θ has the Rayleigh density
  (2θ/h²) e^{-θ²/h²}, i.e. θ = |X| for a centred Gaussian X in the tangent plane with E|X|² = h² mapped to the
  sphere by the exponential map, truncated to θ < π (conditioned on it):
  θ = h √(-log(1 - U p)),  p = 1 - e^{-π²/h²},  U uniform in (0, 1).

Rate normalisation. On a degree-ℓ harmonic of the direction û the one-jump operator K_h has the eigenvalue
E[P_ℓ(cos θ)] (Funk–Hecke), so a pair jumping at rate λ has generator eigenvalue λ (E[P_ℓ(cos θ)] - 1). Since
P_ℓ(cos θ) = 1 - ℓ(ℓ+1) θ²/4 + O(θ⁴), the choice λ = 4 r^γ / E[θ²] gives λ (E[P_ℓ] - 1) = -r^γ ℓ(ℓ+1) (1 + O(h²)),
the eigenvalue of r^γ Δ_S. With the docs/spec.md rate λ_h = 4 r^γ / h² this is λ_h · s(h) with the kernel's

    rate_scale s(h) = h² / E[θ²]:   1 for "fixed";  (1 - e^{-S}) / (1 - (1 + S) e^{-S}), S = π²/h², for "rayleigh"

(the truncated Rayleigh law has E[θ²] = h² (1 - (1 + S) e^{-S}) / (1 - e^{-S}); s = 1 to float64 precision for
h < 0.5). :mod:`mbc_verify.mbc.rates` applies s.

Random numbers: ``draw_angle`` and ``draw_azimuth`` each use exactly one counter of the caller's stream key
(``draw_angle`` reserves its counter even for "fixed", which uses no randomness), so the caller's counter layout
does not depend on the kernel. Keys and counters are cast to uint64 here: numba types a Python int below 2⁶³ as
int64, and int64 + uint64 arithmetic silently becomes float64 in numba.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..legendre import next_legendre
from ..mutants import AZIMUTH_BIAS, Defect
from .rng import uniform
from .trig import turn

KERNELS: dict[str, int] = {"fixed": 0, "rayleigh": 1}
"""Kernel names (the ``kernel=`` choice) and their numba codes."""

_GL_X, _GL_W = np.polynomial.legendre.leggauss(16)
_TAIL_S = 40.0  # Rayleigh mass beyond θ = h √40 is e^{-40} / p < 5e-18: below float64 resolution of E[P_ℓ]


@njit(cache=True)
def _rayleigh_mass(h: float) -> float:
    """p = P(θ < π) = 1 - e^{-π²/h²} for the untruncated Rayleigh law of scale h."""
    return -math.expm1(-(math.pi / h) ** 2)


@njit(cache=True)
def rate_scale(kernel: int, h: float) -> float:
    """s(h) = h² / E[θ²]: factor multiplying λ_h so that λ_h s (K_h - I) → r^γ Δ_S (module docstring)."""
    if kernel == 0:
        return 1.0
    big_s = (math.pi / h) ** 2
    p = -math.expm1(-big_s)
    return p / (p - big_s * math.exp(-big_s))


@njit(cache=True)
def draw_angle(kernel: int, h: float, key: np.uint64, counter: np.uint64) -> tuple:
    """(cos θ, sin θ) of a deflection angle θ ∈ (0, π] drawn from the kernel's law with uniform ``(key, counter)``."""
    if kernel == 0:
        return math.cos(h), math.sin(h)
    u = uniform(np.uint64(key), np.uint64(counter))
    theta = h * math.sqrt(-math.log1p(-u * _rayleigh_mass(h)))
    theta = min(theta, math.pi)
    return math.cos(theta), math.sin(theta)


@njit(cache=True)
def draw_azimuth(key: np.uint64, counter: np.uint64, defect: Defect) -> tuple:
    """(cos φ, sin φ), φ = 2πU uniform on [0, 2π) (:func:`mbc_verify.mbc.trig.turn`, no libm call); under
    ``AZIMUTH_BIAS`` φ = 2π U^(1+ε) (ε = 1: ``biased_azimuth``)."""
    u = uniform(np.uint64(key), np.uint64(counter))
    if defect.code == AZIMUTH_BIAS:
        u = u * u**defect.amp
    return turn(u)


@njit(cache=True)
def _legendre_row(x: float, lmax: int, out: np.ndarray, weight: float) -> None:
    """out[ℓ] += weight · P_ℓ(x) for ℓ = 0..lmax (three-term recurrence, stable for |x| ≤ 1)."""
    p_prev = 1.0
    out[0] += weight
    if lmax == 0:
        return
    p = x
    out[1] += weight * p
    for ell in range(1, lmax):
        p_prev, p = p, next_legendre(ell, x, p, p_prev)
        out[ell + 1] += weight * p


@njit(cache=True)
def legendre_means(kernel: int, h: float, lmax: int) -> np.ndarray:
    """E[P_ℓ(cos θ)] for ℓ = 0..lmax: the eigenvalues of the one-jump operator K_h (Funk–Hecke).

    "fixed": P_ℓ(cos h) exactly (recurrence). "rayleigh": ∫₀^π P_ℓ(cos θ) (2θ/h²) e^{-θ²/h²} dθ / p by composite
    16-point Gauss–Legendre on [0, min(π, h√40)], panels no wider than min(h/2, 2/(lmax+1)) so that each panel
    sees less than one oscillation of P_ℓ and of the Gaussian: accurate to ~1e-15 (checked against mpmath).
    """
    out = np.zeros(lmax + 1)
    if kernel == 0:
        _legendre_row(math.cos(h), lmax, out, 1.0)
        return out
    b = min(math.pi, h * math.sqrt(_TAIL_S))
    width = min(0.5 * h, 2.0 / (lmax + 1))
    panels = max(1, int(math.ceil(b / width)))
    dw = b / panels
    norm = 1.0 / (_rayleigh_mass(h) * h * h)
    for k in range(panels):
        a0 = k * dw
        for q in range(_GL_X.size):
            theta = a0 + 0.5 * dw * (_GL_X[q] + 1.0)
            wgt = 0.5 * dw * _GL_W[q] * 2.0 * theta * math.exp(-(theta / h) ** 2) * norm
            _legendre_row(math.cos(theta), lmax, out, wgt)
    return out


@njit(cache=True)
def legendre_mean(kernel: int, h: float, ell: int) -> float:
    """E[P_ℓ(cos θ)] for one ℓ (see :func:`legendre_means`); exactly P_ℓ(cos h) for "fixed"."""
    return legendre_means(kernel, h, ell)[ell]
