"""Nanbu (Phys. Rev. E 55 (1997) 4642) cumulative small-angle scattering, in the normalisation of docs/spec.md §1–§2.

Nanbu replaces the many small-angle collisions a pair undergoes in Δt by one deflection χ with uniform azimuth
and the law f(χ) sin χ dχ ∝ e^{A cos χ} sin χ dχ, whose parameter A solves

    coth A − 1/A = e^{−s}                    (so that E[cos χ] = e^{−s}),

s being the accumulated scattering "time" of the pair in Δt. Landau normalisation: a matched pair must evolve its
direction by exp(τ Δ_S), τ = Δt · |u|^γ · (N − 1)/⌊N/2⌋ (derivation in :mod:`.pairwise`), which acts on
cos χ = P₁ by E[P₁] = e^{−1·2·τ}. Matching Nanbu's identity E[cos χ] = e^{−s} gives

    s = 2τ = 2 Δt · |u|^γ · (N − 1)/⌊N/2⌋,

exact for ℓ = 1 and first-order for every ℓ (E[P₂(cos χ)] = 1 − 3 L(A)/A with L(A) = coth A − 1/A, which is
e^{−6τ} + O(τ²)). The pair update is :func:`mbc_verify.mbc.kernel.jump_pair`, both particles move: momentum and
energy are conserved per collision up to round-off (the pairwise form of Nanbu's scheme; the original one-sided
variant, which moves only particle i, does not conserve them per collision and is not implemented).

Sampling: cos χ = 1 + ln(U + (1 − U) e^{−2A}) / A, written as 1 + log1p(−(1 − U)(1 − e^{−2A}))/A, the inverse
CDF of the law, stable for every A > 0 (→ 2U − 1 as A → 0). A(s) is computed in :func:`nanbu_a`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..mbc.rng import uniform

_S_SMALL = 0.02
_A_ISOTROPIC = 1e-300


@njit(cache=True)
def langevin(a: float) -> tuple:
    """(L(A), L'(A)) with L(A) = coth A − 1/A; the series A/3 − A³/45 + 2A⁵/945 for A < 1e-2 (error < 1e-15 A)."""
    if a < 1e-2:
        a2 = a * a
        return a * (1.0 / 3.0 - a2 / 45.0 + 2.0 * a2 * a2 / 945.0), 1.0 / 3.0 - a2 / 15.0 + 2.0 * a2 * a2 / 189.0
    if a > 20.0:
        e = math.exp(-2.0 * a)
        return 1.0 - 1.0 / a + 2.0 * e / (1.0 - e), 1.0 / (a * a) - 4.0 * e / ((1.0 - e) * (1.0 - e))
    sh = math.sinh(a)
    return 1.0 / math.tanh(a) - 1.0 / a, 1.0 / (a * a) - 1.0 / (sh * sh)


@njit(cache=True)
def nanbu_a(s: float) -> float:
    """A(s) > 0 solving coth A − 1/A = e^{−s} (s > 0), to a relative 1e-14.

    s < 0.02: A = 1/(1 − e^{−s}) (from L(A) = 1 − 1/A + 2/(e^{2A} − 1) with A > 50: the dropped term is below
    e^{−100}); otherwise safeguarded Newton on the bracket (0, 60) started from 1/(1 − x) for x = e^{−s} > 1/3 and
    3x (the small-A branch L(A) ≈ A/3) below. Returns 0 where e^{−s} underflows (isotropic scattering).
    """
    if s < _S_SMALL:
        return -1.0 / math.expm1(-s)
    x = math.exp(-s)
    if x <= _A_ISOTROPIC:
        return 0.0
    lo = 0.0
    hi = 60.0
    a = 1.0 / (1.0 - x) if x > 1.0 / 3.0 else 3.0 * x
    for _ in range(100):
        g, dg = langevin(a)
        g -= x
        if g > 0.0:
            hi = a
        else:
            lo = a
        an = a - g / dg
        if not (lo < an < hi):
            an = 0.5 * (lo + hi)
        if abs(an - a) <= 1e-15 * a:
            return an
        a = an
    return a


@njit(cache=True)
def nanbu_angle(tau: float, key: np.uint64, counter: np.uint64) -> tuple:
    """(cos χ, sin χ) from Nanbu's law with s = 2τ (module docstring); uses the uniform at ``counter``."""
    a = nanbu_a(2.0 * tau)
    u = uniform(key, counter)
    if a == 0.0:
        c = 2.0 * u - 1.0
    else:
        c = 1.0 + math.log1p(-(1.0 - u) * -math.expm1(-2.0 * a)) / a
    c = min(1.0, max(-1.0, c))
    return c, math.sqrt(max(0.0, (1.0 - c) * (1.0 + c)))
