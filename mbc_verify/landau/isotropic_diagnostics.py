"""Diagnostics of grid densities of the conservative entropic isotropic scheme (:mod:`.isotropic`), computed
outside its kernel: interface values, the non-negative dissipation form, flux magnitudes, round-off bounds, the
Dirichlet energy and the discrete Maxwellian.

Notation of :mod:`.isotropic` (docs/spec.md §1 in the variable x = r²/2): cells i = 0..n−1 with centres r_i and weights
ω_i, interfaces a = 0..m−1 (m = n − 1) at ρ_a with x_{a+1} − x_a = ρ_a Δr, the symmetric kernel matrix W_ab, and

    DF_a = (F_{a+1} − F_a)/(ρ_a Δr),   δ_a = D(log F)_a,   𝔽_a = logarithmic mean of F_a, F_{a+1},
    J_a = Σ_b W_ab (𝔽_b DF_a − 𝔽_a DF_b) = 𝔽_a Σ_b W_ab 𝔽_b (δ_a − δ_b),   ω_i dF_i/dt = c (J_i/ρ_i − J_{i−1}/ρ_{i−1}),

with c = :data:`~.isotropic_kernel.FLUX_COEFFICIENT` = ½ (the ½ of docs/spec.md §1). The interface values here are
evaluated by a formula of their own (𝔽_a = F_a expm1(ξ)/ξ), not by the kernel's (𝔽_a = (F_{a+1} − F_a)/ξ with a
series branch): a comparison of the solver's dissipation with :func:`dissipation_formula` is then a comparison
of two independent evaluations.

Round-off model (first order, ε = 2⁻⁵²): a sum of k terms errs by ≤ k ε Σ|terms| (recursive) or
≤ (log₂ k + 1) ε Σ|terms| (numpy's pairwise summation), each product or quotient by ε relative.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mpmath
import numpy as np
from scipy import optimize

from .isotropic_kernel import FLUX_COEFFICIENT

if TYPE_CHECKING:
    from .isotropic import IsotropicGrid

__all__ = ["EPS", "cell_sums", "dirichlet_energy", "discrete_maxwellian", "dissipation_formula",
           "entropy_roundoff_bound", "flux_magnitudes", "functional_roundoff_bound", "interface_values",
           "step_roundoff_bound"]

EPS = float(np.finfo(np.float64).eps)


def interface_values(grid: IsotropicGrid, f: np.ndarray) -> tuple[np.ndarray, ...]:
    """(log F, 𝔽, δ, DF) of a positive grid density: 𝔽_a = F_a (e^ξ − 1)/ξ with ξ = log F_{a+1} − log F_a (the
    logarithmic mean, by expm1), δ_a = ξ/(ρ_a Δr) = D(log F)_a and DF_a = (F_{a+1} − F_a)/(ρ_a Δr)."""
    logf = np.log(f)
    xi = np.diff(logf)
    safe = np.where(xi == 0.0, 1.0, xi)
    ratio = np.where(xi == 0.0, 1.0, np.expm1(safe) / safe)
    step = grid.rho * grid.dr
    return logf, f[:-1] * ratio, xi / step, np.diff(f) / step


def flux_magnitudes(grid: IsotropicGrid, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(A, J*) per interface: A_a = (|DF_a| (W𝔽)_a + 𝔽_a (|W||DF|)_a)/ρ_a, the magnitude of the terms the solver's
    flux J_a/ρ_a is computed from (its rounding error is ≤ (m + 6) ε A_a), and J*_a = 𝔽_a Σ_b W_ab 𝔽_b |δ_a − δ_b|/ρ_a,
    a bound of the exact-arithmetic |J_a|/ρ_a (J_a = 𝔽_a Σ_b W_ab 𝔽_b (δ_a − δ_b) since DF = 𝔽 δ)."""
    _, fm, delta, df = interface_values(grid, f)
    w = grid.w
    a = (np.abs(df) * (w @ fm) + fm * (np.abs(w) @ np.abs(df))) / grid.rho
    jstar = fm * ((w * np.abs(delta[:, None] - delta[None, :])) @ fm) / grid.rho
    return a, jstar


def cell_sums(x: np.ndarray) -> np.ndarray:
    """x_i + x_{i−1} per cell from interface values x_a (zero beyond the ends, where the flux vanishes)."""
    return np.concatenate([x, [0.0]]) + np.concatenate([[0.0], x])


def dissipation_formula(grid: IsotropicGrid, f: np.ndarray) -> tuple[float, float]:
    """(D_h, B): the non-negative form D_h = (c Δr/2) Σ_ab W_ab 𝔽_a 𝔽_b (δ_a − δ_b)² (= (Δr/4) Σ … at c = ½) of the
    entropy dissipation, and the first-order round-off bound B of the solver's D = −Σ ω_i log F_i dF_i/dt at ``f``:

        B = c ε (m + log₂ n + 8) Σ_i |log F_i| (A_i + A_{i−1}),   A_a = (|DF_a| (W𝔽)_a + 𝔽_a (|W||DF|)_a)/ρ_a,

    (W𝔽)_a and (W DF)_a are m-term sums (error ≤ m ε Σ|terms|), the flux J_a/ρ_a a few roundings more, and the
    final n-term sum of log F_i times the flux differences (log₂ n + 2) ε of its magnitude. D_h follows from the
    summation by parts of Σ log F_i (J_i/ρ_i − J_{i−1}/ρ_{i−1}) with the symmetry of W (:mod:`.isotropic`).
    """
    logf, fm, delta, df = interface_values(grid, f)
    w = grid.w
    diff = delta[:, None] - delta[None, :]
    d_h = FLUX_COEFFICIENT * grid.dr / 2.0 * float(np.sum(w * np.outer(fm, fm) * diff * diff))
    a, _ = flux_magnitudes(grid, f)
    m = grid.n - 1
    bound = FLUX_COEFFICIENT * EPS * (m + math.log2(grid.n) + 8) * float(np.sum(np.abs(logf) * cell_sums(a)))
    return d_h, bound


def entropy_roundoff_bound(grid: IsotropicGrid, f: np.ndarray, logf: np.ndarray) -> float:
    """2 (log₂ n + 2) ε Σ|ω_i F_i log F_i|: the round-off bound of a difference of two values of the discrete
    entropy H = Σ ω_i F_i log F_i (pairwise summation of n terms errs by ≤ (log₂ n + 1) ε Σ|terms|, one more ε for
    the products, twice for a difference of two sums). ε is the unit round-off of the grid's arithmetic."""
    eps = float(mpmath.eps) if grid.precision == "mpmath" else EPS
    return 2.0 * (math.log2(grid.n) + 2.0) * eps * float(np.sum(np.abs(grid.omega * f * logf)))


def step_roundoff_bound(grid: IsotropicGrid, f: np.ndarray, tau: float) -> np.ndarray:
    """Per cell, the first-order round-off bound of the change of F_i in one SSP-RK3 step of length τ from ``f``
    when the exact-arithmetic flux of ``f`` is J (bounded by J*):

        |ΔF_i| ≤ 8 ε F_i + 2τ c [(m + 6) ε (A_i + A_{i−1}) + J*_i + J*_{i−1}] / ω_i

    (:func:`flux_magnitudes`: A bounds the terms of the flux, whose m-term sums err by ≤ m ε A; 8 ε F the roundings
    of the three stages' convex combinations; 2τ the total weight of the three stage derivatives).
    """
    a, jstar = flux_magnitudes(grid, f)
    m = grid.n - 1
    return 8 * EPS * f + 2 * tau * FLUX_COEFFICIENT * ((m + 6) * EPS * cell_sums(a) + cell_sums(jstar)) / grid.omega


def functional_roundoff_bound(n_cells: int, values: np.ndarray) -> np.ndarray:
    """2 (log₂ n + 6) ε |value|: the round-off bound of a difference of two values of a positive-sum functional
    of the scheme on n cells, such as the Fisher information I_h = 4π Σ_a Δr ρ_a⁴ DF_a²/𝔽_a or the Dirichlet
    energy (pairwise sums of n − 1 positive terms, each a few roundings)."""
    return 2.0 * (math.log2(n_cells) + 6.0) * EPS * np.abs(values)


def dirichlet_energy(r: np.ndarray, f: np.ndarray) -> float:
    """G = ∫|∇f|² dv ≈ 4π Σ_a Δr ρ_a² ((F_{a+1} − F_a)/Δr)² on a uniform radial grid of centres ``r`` (second order;
    ρ_a the midpoints). Convex and smooth like the Fisher information, but not a Lyapunov functional of the Landau
    equation."""
    r = np.asarray(r, dtype=np.float64)
    dr = r[1] - r[0]
    rho = 0.5 * (r[1:] + r[:-1])
    return float(4.0 * math.pi * dr * np.sum(rho**2 * (np.diff(f) / dr) ** 2))


def discrete_maxwellian(grid: IsotropicGrid, mass: float = 1.0, energy: float = 3.0) -> tuple[float, float]:
    """(α, β) with Σ ω_i e^{α − β r_i²/2} = mass and Σ ω_i r_i² e^{α − β r_i²/2} = energy on ``grid``.

    The sampled Maxwellian F_i = e^{α − β r_i²/2} has D(log F)_a = −β exactly at every interface (r_{a+1}² − r_a² =
    2 ρ_a Δr), so every flux J_a vanishes: it is the scheme's exact equilibrium with that mass and energy.
    β by Brent's method on [0.05, 20] (``ValueError`` when no such Maxwellian exists on the grid).
    """
    r2 = grid.r * grid.r

    def mean_r2(beta: float) -> float:
        w = grid.omega * np.exp(-beta * (r2 - r2.min()) / 2.0)
        return float(np.sum(w * r2) / np.sum(w))

    beta = optimize.brentq(lambda b: mean_r2(b) - energy / mass, 0.05, 20.0, xtol=1e-15, rtol=4 * EPS)
    alpha = math.log(mass / float(np.sum(grid.omega * np.exp(-beta * r2 / 2.0))))
    return alpha, beta
