"""One driver for the three pairwise baselines: random perfect matching per step, one collision per pair.

**Normalisation (SPEC §2).** The Landau master generator is L_N = (1/N) Σ_{i≠j} A_ij = (2/N) Σ_{i<j} A_ij with
A_ij = |u_ij|^γ Δ_S (Brownian motion of the direction of u_ij = v_i − v_j, |u_ij| and the centre of mass kept).
Particle i thus takes part in N − 1 pair diffusions, with total direction-diffusion coefficient
Σ_{j≠i} (2/N) |u_ij|^γ. Per step Δt the baselines instead give each particle ONE partner: a uniform perfect
matching, which contains a given pair with probability π_N = ⌊N/2⌋ / (N(N−1)/2) (1/(N−1) for even N, 1/N for
odd N, where one uniformly chosen particle sits the step out). A matched pair is moved by a method-specific
approximation of exp(τ Δ_S) with

    τ = Δt · (2/N) |u|^γ / π_N = Δt · |u|^γ · (N − 1)/⌊N/2⌋   (= 2(N−1)/N · |u|^γ Δt for even N, 2|u|^γ Δt odd),

so that the first-order term of one step, E_match Σ_{p ∈ matching} τ_p Δ_S^{(p)} = Δt L_N, is exact: the
(N − 1) factor replaces the sum over a particle's N − 1 partners and the 2/N is the mean-field factor. It is the
fast MBC engine's convention (:mod:`mbc_verify.mbc.fast`): its Poisson mean μ_p = Δt (2/N) λ_h(|u|) / π_N gives
μ_p (1 − P_ℓ(cos h)) → ℓ(ℓ+1) τ_p as h → 0. Each method's angle law and its τ-mapping: :mod:`.takizuka_abe`
(σ² = τ for tan(θ/2)), :mod:`.nanbu` (s = 2τ), :mod:`.spherical_bm` (heat kernel at time τ).

γ = 0 check (used by ``tests/test_baselines.py``): a rotation with uniform azimuth multiplies the traceless part
of u⊗u by g = E[P₂(cos θ)] on average; with zero momentum Σ_{i<j} u_ij⊗u_ij = N² M, so the traceless second
moment M° obeys E[M°_{n+1} | V_n] = ρ M°_n, ρ = 1 − (1 − g) N / (2(N − 1)) (even N), and the Δt → 0 rate
−ln ρ / Δt → 6 = −β of the Landau equation (``maxwell.second_moment_beta``).

**Matching, random numbers, parallelism: those of the fast engine** (:mod:`mbc_verify.mbc.fast`): the same
``shuffle`` of ``perm`` with the step key ``substream(stream_key(seed, segment), s)``, the same time grid
(``n_steps``, ``step_length``) and pair key ``substream(skey, p)``; inside a pair key, the angle uses counters
0..2 and the azimuth counter 3. Pairs are disjoint, so the ``prange`` over blocks (N ≥ ``PARALLEL_MIN_N``) gives
bitwise the result of the serial loop, with any thread count. No ``fastmath``.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from mbc_verify.mbc.angles import draw_azimuth
from mbc_verify.mbc.fast import PARALLEL_MIN_N, n_steps, shuffle, step_length
from mbc_verify.mbc.kernel import jump_pair, norm3
from mbc_verify.mbc.rates import speed_factor
from mbc_verify.mbc.rng import stream_key, substream

from .nanbu import nanbu_angle
from .spherical_bm import sbm_angle
from .takizuka_abe import ta_angle

METHOD_CODES: dict[str, int] = {"takizuka_abe": 0, "nanbu": 1, "spherical_bm": 2}
"""Names of the pairwise baselines and their numba codes."""
BLOCK = 1024
"""Pairs per ``prange`` task (as in the fast engine)."""
_AZIMUTH_COUNTER = np.uint64(3)


@njit(cache=True)
def pairing_factor(n: int) -> float:
    """(2/N)/π_N = (N − 1)/⌊N/2⌋: τ = Δt · |u|^γ · pairing_factor(N) (module docstring)."""
    return (n - 1.0) / (n // 2)


@njit(cache=True)
def pair_angle(method: int, tau: float, key: np.uint64) -> tuple:
    """(cos θ, sin θ) of the method's deflection for diffusion time τ, from counters 0..2 of ``key``."""
    c0 = np.uint64(0)
    if method == 0:
        return ta_angle(tau, key, c0)
    if method == 1:
        return nanbu_angle(tau, key, c0)
    return sbm_angle(tau, key, c0)


@njit(cache=True)
def collide_range(v: np.ndarray, perm: np.ndarray, p0: int, p1: int, gamma: float, tau_scale: float,
                  skey: np.uint64, method: int) -> None:
    """Pairs p0 ≤ p < p1 of the step's matching collide once, τ_p = tau_scale · |u_p|^γ."""
    for p in range(p0, p1):
        i = perm[2 * p]
        j = perm[2 * p + 1]
        r = norm3(v[i, 0] - v[j, 0], v[i, 1] - v[j, 1], v[i, 2] - v[j, 2])
        if r == 0.0:
            continue
        key = substream(skey, np.uint64(p))
        cos_t, sin_t = pair_angle(method, tau_scale * speed_factor(r, gamma, 0), key)
        cos_p, sin_p = draw_azimuth(key, _AZIMUTH_COUNTER, 0)
        jump_pair(v, i, j, cos_t, sin_t, cos_p, sin_p, 0)


@njit(cache=True)
def advance_serial(v: np.ndarray, t0: float, t1: float, gamma: float, dt: float, seed: int, segment: int,
                   method: int) -> int:
    """:func:`advance_pairwise` on one thread."""
    n = v.shape[0]
    npairs = n // 2
    scale = pairing_factor(n)
    key = stream_key(np.uint64(seed), np.uint64(segment))
    perm = np.arange(n)
    nsteps = n_steps(t0, t1, dt)
    for s in range(nsteps):
        skey = substream(key, np.uint64(s))
        shuffle(perm, skey)
        collide_range(v, perm, 0, npairs, gamma, scale * step_length(t0, t1, dt, nsteps, s), skey, method)
    return nsteps * npairs


@njit(cache=True, parallel=True)
def advance_parallel(v: np.ndarray, t0: float, t1: float, gamma: float, dt: float, seed: int, segment: int,
                     method: int) -> int:
    """:func:`advance_serial` with the pairs of each step in ``prange`` blocks: bitwise the same result."""
    n = v.shape[0]
    npairs = n // 2
    scale = pairing_factor(n)
    key = stream_key(np.uint64(seed), np.uint64(segment))
    perm = np.arange(n)
    nsteps = n_steps(t0, t1, dt)
    nblocks = (npairs + BLOCK - 1) // BLOCK
    for s in range(nsteps):
        skey = substream(key, np.uint64(s))
        shuffle(perm, skey)
        tau_scale = scale * step_length(t0, t1, dt, nsteps, s)
        for b in prange(nblocks):
            collide_range(v, perm, b * BLOCK, min((b + 1) * BLOCK, npairs), gamma, tau_scale, skey, method)
    return nsteps * npairs


def advance_pairwise(v: np.ndarray, t0: float, t1: float, gamma: float, dt: float, seed: int, segment: int,
                     method: int) -> int:
    """Advance ``v`` (N × 3, in place) from t0 to t1 by steps Δt of the baseline ``method`` (a METHOD_CODES
    value); return the number of pair collisions. Parallel for N ≥ PARALLEL_MIN_N (bitwise the same result)."""
    if v.shape[0] >= PARALLEL_MIN_N:
        return int(advance_parallel(v, t0, t1, gamma, dt, seed, segment, method))
    return int(advance_serial(v, t0, t1, gamma, dt, seed, segment, method))
