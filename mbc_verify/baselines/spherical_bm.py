"""Pairwise spherical Brownian motion step (Du, Li, Xie, Yu, J. Comput. Phys. 543 (2025) 114387, arXiv:2501.00263).

In the Landau master equation each pair's relative velocity performs Brownian motion on its sphere with generator
|u|^γ Δ_S (docs/spec.md §2). DLXY pair the particles at random each step and move every matched pair by the *exact*
law of
that motion over the step, exp(τ Δ_S), with the pair's direction-diffusion time (derivation in :mod:`.pairwise`)

    τ = Δt · |u|^γ · (N − 1)/⌊N/2⌋      (exp(τ Δ_S) acts on degree-ℓ harmonics by e^{−ℓ(ℓ+1)τ}).

The new direction is û' = cos Θ û + sin Θ n with n uniform on the circle û^⊥ and x = cos Θ distributed as the
heat kernel of S² at time τ started at û:

    f_τ(x) = Σ_ℓ (2ℓ+1)/2 e^{−ℓ(ℓ+1)τ} P_ℓ(x),   so E[P_ℓ(cos Θ)] = e^{−ℓ(ℓ+1)τ}.

Sampling cos Θ (two regimes, switch at τ = ``TAU_SERIES``):

- τ ≥ TAU_SERIES: inverse CDF of the series, truncated where e^{−ℓ(ℓ+1)τ} < e^{−45}, solved by the fast engine's
  safeguarded Newton (:func:`mbc_verify.mbc.composite.sample_cos_series`, stops at float64 resolution) — exact to
  float64 resolution; τ ≥ 22.5 gives the uniform law (every ℓ ≥ 1 term is below e^{−45}).
- τ < TAU_SERIES: the Wright–Fisher representation of Mijatović, Mramor and Uribe Bravo (arXiv:2012.12018):
  X = (1 − cos Θ)/2 ~ Beta(1, 1 + M) given M = A(t), the number of lineages at time t = 2τ of the coalescent
  from infinity with death rates m(m+1)/2 (mutation parameter d − 1 = 2). (Check: m/(m+2) = E[1 − 2X | M = m]
  is an eigenfunction of that death process with eigenvalue −1 in t, i.e. −2 in τ, so E[cos Θ] = e^{−2τ}.)
  For small t the law of A(t) is sampled, as Jenkins & Spanò (Ann. Appl. Probab. 27 (2017)) and MMU do, by
  Griffiths' normal approximation A(t) ≈ round(N(μ, σ²)), μ = 2η/t, σ² = (2η/t)(η+β)²(1 + η/(η+β) − 2η)/β²,
  β = t/2, η = β/(e^β − 1). This regime is therefore NOT exact: Griffiths' mean 2η/t lacks an O(1) term, which
  biases E[1 − cos Θ] by about −τ²/3 (relative −τ/6, vs −τ for Takizuka–Abe); ``tests/test_baselines.py``
  measures it. Exact alternatives (the alternating series of Jenkins–Spanò) cancel catastrophically for small t.

The pair update is :func:`mbc_verify.mbc.kernel.jump_pair`: momentum and energy conserved up to round-off.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..mbc.composite import sample_cos_series
from ..mbc.rng import uniform
from .variates import normal

TAU_SERIES = 0.025
"""Switch between Griffiths' approximation (τ below) and the exact series inverse CDF (τ at or above)."""
_LOG_CUT = 45.0
_TAU_UNIFORM = 0.5 * _LOG_CUT


@njit(cache=True)
def griffiths_moments(t: float) -> tuple:
    """(μ, σ²) of Griffiths' normal approximation of A(t), mutation parameter 2 (module docstring).

    The bracket (η+β)²(1 + η/(η+β) − 2η)/β² cancels for small β; below β = 0.01 its Taylor series
    1/3 + β/6 + β²/60 − β³/180 − β⁴/1008 (sympy; next term β⁵/5040 < 2e-14) is used.
    """
    b = 0.5 * t
    eta = b / math.expm1(b)
    if b < 0.01:
        br = 1.0 / 3.0 + b * (1.0 / 6.0 + b * (1.0 / 60.0 + b * (-1.0 / 180.0 - b / 1008.0)))
    else:
        br = (eta + b) ** 2 * (1.0 + eta / (eta + b) - 2.0 * eta) / (b * b)
    mu = 2.0 * eta / t
    return mu, mu * br


@njit(cache=True)
def heat_kernel_eigenvalues(tau: float) -> np.ndarray:
    """e^{−ℓ(ℓ+1)τ} for ℓ = 0..L, L the least ℓ with ℓ(ℓ+1)τ ≥ 45 (at least 1)."""
    lmax = max(1, int(math.ceil(0.5 * (math.sqrt(1.0 + 4.0 * _LOG_CUT / tau) - 1.0))))
    m = np.empty(lmax + 1)
    for ell in range(lmax + 1):
        m[ell] = math.exp(-ell * (ell + 1.0) * tau)
    return m


@njit(cache=True)
def sbm_angle(tau: float, key: np.uint64, counter: np.uint64) -> tuple:
    """(cos Θ, sin Θ) of the S² heat kernel at time τ (module docstring); uses counters counter..counter+2."""
    if tau >= _TAU_UNIFORM:
        c = 2.0 * uniform(key, counter) - 1.0
    elif tau >= TAU_SERIES:
        m = heat_kernel_eigenvalues(tau)
        c = sample_cos_series(m, m, np.int64(1), uniform(key, counter))
    else:
        mu, var = griffiths_moments(2.0 * tau)
        a = max(0.0, math.floor(mu + math.sqrt(var) * normal(key, counter) + 0.5))
        x = -math.expm1(math.log(uniform(key, counter + np.uint64(2))) / (a + 1.0))
        c = 1.0 - 2.0 * x
        return c, 2.0 * math.sqrt(x * (1.0 - x))
    c = min(1.0, max(-1.0, c))
    return c, math.sqrt(max(0.0, (1.0 - c) * (1.0 + c)))
