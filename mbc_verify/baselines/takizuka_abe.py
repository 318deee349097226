"""Takizuka–Abe (J. Comput. Phys. 25 (1977) 205) binary-collision angle, in the normalisation of docs/spec.md §1–§2.

TA rotate a paired relative velocity u by an angle θ with uniform azimuth, where tan(θ/2) = δ is Gaussian,
δ ~ N(0, σ²), and σ² = e² e'² n lnΛ Δt / (8π ε₀² m_r² |u|³) for Coulomb collisions. Its Landau normalisation
here: a matched pair must evolve its direction by (an approximation of) exp(τ Δ_S) over the step, with the
pair's direction-diffusion time τ = Δt · |u|^γ · (N − 1)/⌊N/2⌋ (derivation in :mod:`.pairwise`). A rotation by θ
with uniform azimuth acts on degree-ℓ harmonics of the direction by E[P_ℓ(cos θ)] = 1 − ℓ(ℓ+1) E[θ²]/4 + O(E θ⁴)
(Funk–Hecke), and exp(τ Δ_S) by e^{−ℓ(ℓ+1)τ} = 1 − ℓ(ℓ+1) τ + O(τ²); so the step is consistent iff
E[θ²] = 4τ + O(τ²). With θ = 2 arctan δ, E[θ²] = 4 E[δ²] + O(σ⁴), hence

    σ² = τ = Δt · |u|^γ · (N − 1)/⌊N/2⌋        (for γ = −3 this is TA's σ² with the physical constants
                                                  absorbed in the unit of time, docs/spec.md §1).

The deflection is then exact trigonometry of δ (no small-angle expansion):
cos θ = (1 − δ²)/(1 + δ²), sin θ = 2δ/(1 + δ²). TA's own Cartesian update formulae are the rotation of u in one
particular frame of u^⊥; with a uniform azimuth the frame does not matter, and the pair update is the project's
:func:`mbc_verify.mbc.kernel.jump_pair` (|u| and the centre of mass kept: momentum and energy conserved per
collision up to round-off). The O(τ²) error per step is TA's time-discretisation bias: E[1 − cos θ] =
2τ − 6τ² + O(τ³) versus 1 − e^{−2τ} = 2τ − 2τ² + … for the exact diffusion.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .variates import normal


@njit(cache=True)
def ta_angle(tau: float, key: np.uint64, counter: np.uint64) -> tuple:
    """(cos θ, sin θ) with tan(θ/2) = δ ~ N(0, τ); uses counters ``counter`` and ``counter + 1``."""
    d = math.sqrt(tau) * normal(key, counter)
    d2 = d * d
    return (1.0 - d2) / (1.0 + d2), 2.0 * d / (1.0 + d2)
