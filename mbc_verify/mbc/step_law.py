"""Exact one-step laws of the matched-pair (fast) MBC engine for T∥ (docs/spec.md §5.4, eqs. (56a), (56b)).

One step of length τ (:mod:`mbc_verify.mbc.matching`): a uniform perfect matching of the N particles (N even: each
pair {i, j} is matched with probability 1/(N − 1)); a matched pair's relative velocity u turns by the composed angle
Θ of K ~ Poisson(μ_p) jumps with a uniform azimuth about û (:mod:`mbc_verify.mbc.compound`), and its centre of mass
is kept. The composed law has the Legendre coefficients E P_ℓ(cos Θ) = exp(−μ_p(1 − P_ℓ(cos h))), so

    E[u'u'ᵀ | u] = |u|² ((1 − g₂)/3 I + g₂ ûûᵀ),   g₂ = exp(−μ_p(1 − P₂(cos h))),

and with M = (1/N) Σ v v ᵀ = (1/N) Σ_p (2ccᵀ + ½ uuᵀ) the conditional mean of T∥ = M_zz after the step is

    E[T∥' | V] = T∥ − (1/(2N(N − 1))) Σ_{i<j} (1 − g₂(r_ij)) (u_z² − |u|²/3)_ij.

The pair mean μ_p(r) is not read from the engine: MBC's rate is r^γ times its γ = 0 value (docs/spec.md §3), and
the first order of the step in τ must be the generator's, whose γ = 0 traceless rate β_h is the derived key
``mbc.gamma0.beta_h``; at γ = 0 the sum is (N²/(N − 1)) A_zz (zero momentum), so μ_p(r)(1 − P₂(cos h)) =
−2(N − 1) β_h τ r^γ / N. Exact up to the sampler's certified Kolmogorov error (≤ 10⁻¹²) and its uniform regime
(K ≥ k_uniform, where g₂ is replaced by 0; its weight is below 10⁻³⁰⁰ unless μ_p is in the thousands, where g₂
itself is below e^{−1000}).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ..validation import check_array, check_int

__all__ = ["matched_step_factors", "matched_step_tpar", "tpar_increments"]


def matched_step_factors(beta_h: float, n: int, taus: np.ndarray) -> np.ndarray:
    """E[A(t_k) | V_0] / A(0) for the traceless second moment A = M − (tr M/3) I of the fast engine at γ = 0
    (docs/spec.md §5.4), exactly, after steps of lengths ``taus``: the cumulative products of

        ρ(τ) = 1 − (N / (2(N − 1))) (1 − exp(2(N − 1) β_h τ / N)),   N even,

    β_h the continuous-time traceless rate (:func:`second_moment_rates`). Derivation: in a step every particle is in
    one pair of a uniform perfect matching; a matched pair's u turns by the composed angle Θ with a uniform azimuth,
    so E[u'u'ᵀ | u] = |u|²((1 − g₂)/3 I + g₂ ûûᵀ), g₂ = E P₂(cos Θ) = exp(−μ_p(1 − P₂(cos h))) (the compound
    law's Legendre coefficient, :mod:`mbc_verify.mbc.compound`), and c is kept; M = (1/N)Σ_p (2cc ᵀ + ½uuᵀ) gives
    A' = A − (1 − g₂)/(2N) Σ_p (u_p u_pᵀ − |u_p|²/3 I), and a uniform matching has E Σ_p u_p u_pᵀ = N²/(N − 1) M at
    zero momentum. So E[A' | V] = ρ A with ρ = 1 − (N/(2(N − 1)))(1 − g₂); the first order in τ must be the
    generator's, ρ = 1 + β_h τ + O(τ²), which fixes μ_p(1 − P₂(cos h)) = −2(N − 1)β_h τ/N. For N = 2, ρ = e^{β_h τ}
    (the engine is exact there); as τ → 0 the law tends to e^{β_h t}. Linear in A, so the tower property gives the
    products. Exact up to the sampler's certified Kolmogorov error (≤ 10⁻¹²) and the uniform regime (weight
    negligible at these μ_p). The one-step case of :func:`matched_step_tpar` at γ = 0.
    """
    n = check_int("n", n, 2)
    if n % 2:
        raise ValueError(f"n: the matched-step law needs an even N, got {n}")
    taus = check_array("taus", taus, (None,))
    rho = 1.0 - n / (2.0 * (n - 1.0)) * -np.expm1(2.0 * (n - 1.0) * beta_h * taus / n)
    return np.cumprod(rho)


@njit(cache=True, parallel=True)
def _step_tpar(v: np.ndarray, q: float, gamma: float) -> np.ndarray:
    """E[T∥' | V] per state of v (R × N × 3), q = 2(N − 1)β_h τ/N (module docstring). No fastmath."""
    r_count, n = v.shape[0], v.shape[1]
    out = np.empty(r_count)
    for r in prange(r_count):
        tz = 0.0
        acc = 0.0
        for i in range(n):
            tz += v[r, i, 2] * v[r, i, 2]
            for j in range(i + 1, n):
                ux = v[r, i, 0] - v[r, j, 0]
                uy = v[r, i, 1] - v[r, j, 1]
                uz = v[r, i, 2] - v[r, j, 2]
                u2 = ux * ux + uy * uy + uz * uz
                acc += -np.expm1(q * u2 ** (0.5 * gamma)) * (uz * uz - u2 / 3.0)
        out[r] = tz / n - acc / (2.0 * n * (n - 1.0))
    return out


def matched_step_tpar(v: np.ndarray, beta_h: float, gamma: float, tau: float) -> np.ndarray:
    """E[T∥ after one step of length τ | V] for each state of ``v`` (R × N × 3, zero momentum, N even), by the
    pair sum of the module docstring (O(N²) per state; replicas in parallel, each independent: any thread count
    gives the same bits)."""
    v = check_array("v", v, (None, None, 3))
    n = check_int("N", v.shape[1], 2)
    if n % 2:
        raise ValueError(f"v: the matched-step law needs an even N, got {n}")
    return _step_tpar(np.ascontiguousarray(v), 2.0 * (n - 1.0) * beta_h * tau / n, float(gamma))


def tpar_increments(states: np.ndarray, beta_h: float, gamma: float, tau: float) -> np.ndarray:
    """D_k = T∥(t_{k+1}) − E[T∥(t_{k+1}) | V(t_k)] per replica (R × K), from states R × (K + 1) × N × 3 recorded
    after every step of length τ: martingale increments, of mean 0 when the engine follows its one-step law."""
    states = check_array("states", states, (None, None, None, 3))
    tpar = np.mean(states[..., 2] ** 2, axis=2)
    return np.stack([tpar[:, k + 1] - matched_step_tpar(states[:, k], beta_h, gamma, tau)
                     for k in range(states.shape[1] - 1)], axis=1)
