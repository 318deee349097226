"""Fast engine of the MBC process (SPEC §3): O(N) work per time step Δt, any γ ∈ [-3, 1], Coulomb included.

Algorithm (one step of length τ ≤ Δt):

1. a uniformly random perfect matching of the N particles: the permutation ``perm`` is shuffled (Fisher–Yates,
   which maps any starting permutation to a uniform one) and the pairs are (perm[2p], perm[2p+1]),
   p = 0, …, ⌊N/2⌋ − 1; for odd N the particle perm[N−1] sits the step out (uniformly chosen);
2. every pair p = {i, j} of the matching makes K_p ~ Poisson(μ_p) jumps, with |u| frozen at its value at the
   start of the step (|u| is invariant under the pair's own jumps, and the pair's particles meet nobody else in
   this step), applied at once by :func:`mbc_verify.mbc.composite.composed_jump` in O(1) whatever K_p.

The mean. In the MBC process the unordered pair {i, j} jumps at rate R_h = (2/N) λ_h(|u_ij|), so the generator
is L = Σ_{i<j} R_h(u_ij) (K_ij − I) and particle i jumps at total rate Σ_{j≠i} R_h(u_ij). A uniform matching
contains a given pair with probability π_N = ⌊N/2⌋ / (N(N−1)/2) (its ⌊N/2⌋ pairs among N(N−1)/2, by symmetry):
1/(N−1) for even N, 1/N for odd N. One step acts on E[Φ] as I + E_match Σ_{p∈M} μ_p (K_p − I) + O(μ²), whose
first-order term equals τ L exactly when π_N μ_p = τ R_h(u_p), i.e.

    μ_p = τ · R_h(u_p) / π_N = τ · (2/N) λ_h(|u_p|) · N(N−1) / (2⌊N/2⌋)
        = τ (N−1)(2/N) λ_h  (even N),    2 τ λ_h  (odd N);

then particle i's expected number of jumps per step is Σ_{j≠i} τ R_h(u_ij), its MBC total rate times τ.
For N = 2 the matching is the pair itself, μ = τ λ_h, and since |u| is constant the engine is exact (K over
the steps adds up to Poisson(λ_h t)). For N > 2 the one-partner-per-step constraint gives a bias at fixed t
(first-order splitting: the O(τ²) term of one step is E_match[(Σ_p μ_p(K_p − I))²]/2, not τ² L²/2): O(Δt) for
γ ≥ −5/2 and O(Δt^{2/3}) at γ = −3 (close pairs, see :func:`default_dt`); it is measured against the exact
engine in ``tests/test_mbc_fast.py`` and ``benchmarks/fast_bias.py``, and for γ = 0 it is known in closed form
(the test of the traceless second moment).

Time grid: steps of length Δt from t0; the last one is shortened to land exactly on t1.

Random numbers (:mod:`mbc_verify.mbc.rng`): the call key is ``stream_key(seed, segment)``; step s uses
``skey = substream(key, s)``: the shuffle draws counters 1..N−1 of ``skey`` (position i swaps with
⌊U_i (i+1)⌋ — the float64 product is biased by at most N·2⁻⁵³ in probability), and pair p of the step uses
``substream(skey, p)``: the Poisson draw first, then the jumps' uniforms. Pairs are disjoint, each has its own
key, so the parallel loop (``prange`` over blocks of pairs, used for N ≥ ``PARALLEL_MIN_N``) gives bitwise the
same result as the serial one, with any number of threads. No ``fastmath``.

Coulomb stability: the pair rate is capped at r^γ ≤ 1e250 (:mod:`mbc_verify.mbc.rates`), the Poisson sampler is
O(1) and finite for every mean (:mod:`mbc_verify.mbc.poisson`), and a pair whose K reaches the uniform threshold
is re-randomised uniformly on its sphere (exact to float64 resolution, :mod:`mbc_verify.mbc.composite`).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from .composite import composed_jump, composite_table
from .kernel import norm3
from .poisson import poisson
from .rates import prefactor, speed_factor
from .rng import stream_key, substream, uniform

PARALLEL_MIN_N = 4096
"""From this N on, :func:`advance_fast` runs the pairs of a step in parallel (bitwise the same result)."""
_BLOCK = 1024
JUMPS_SATURATE = np.int64(2**62)
"""The jump count saturates here (reached only through pairs with |u| < 1e-83 at γ = −3, whose Poisson count is
itself saturated, :mod:`mbc_verify.mbc.poisson`); the state update does not depend on it."""
DEFAULT_DT = 1e-3
"""Default Δt (see :func:`default_dt`)."""


@njit(cache=True)
def default_dt(gamma: float, h: float) -> float:
    """Default Δt of the fast engine: 1e-3 for every γ and h (SPEC time units, energy 3).

    The Δt bias is a property of the one-partner-per-step splitting, set by the physical relaxation time
    (λ_h (1 − m_ℓ) → r^γ ℓ(ℓ+1) does not depend on h), not by h. At γ = 0 it is known in closed form (test of the
    traceless second moment): the traceless rate is off by a relative ≈ 3Δt (N large), 0.3 % at Δt = 1e-3.
    Measured against the exact engine (``benchmarks/fast_bias.py``: N = 64, h = 0.3, T∥(t) from
    ``bimaxwellian:2,0.5``, 20000 paired replicas; fitted order with 95 % interval):

    - γ = 0 (t = 0.3):  bias ≈ 0.95 Δt,   order 0.98 [0.91, 1.04];
    - γ = −2 (t = 1):   bias ≈ 0.15 Δt,   order 0.92 [0.83, 1.02];
    - γ = −3 (t = 1):   bias ≈ 0.044 Δt^{2/3}, order 0.68 [0.59, 0.77].

    The Coulomb order 2/3 is expected: a pair with |u| = r moves T∥ by O(r²) per unit angle and its splitting error
    per step is O(min((τ r^γ)², τ r^γ)); integrating against r² dr gives Δt^{min(1, (γ+5)/(−γ))}, i.e. order 1 for
    γ ≥ −5/2 and 2/3 at γ = −3. At Δt = 1e-3 the bias is ≈ 1e-3 (γ = 0), 2e-4 (γ = −2), 4e-4 (γ = −3) in T∥:
    below the Monte Carlo error of the default ensemble sizes (se ≈ 0.01 for 600 replicas of N = 64).
    """
    return DEFAULT_DT


@njit(cache=True)
def n_steps(t0: float, t1: float, dt: float) -> int:
    """Number of steps from t0 to t1 (≥ 0): ⌈(t1 − t0)/Δt⌉, ignoring a last step shorter than 1e-12 Δt."""
    if not t1 > t0:
        return 0
    return max(1, int(math.ceil((t1 - t0) / dt * (1.0 - 1e-12))))


@njit(cache=True)
def step_length(t0: float, t1: float, dt: float, nsteps: int, s: int) -> float:
    """Δt for every step but the last, which ends exactly at t1."""
    if s < nsteps - 1:
        return dt
    return (t1 - t0) - (nsteps - 1) * dt


@njit(cache=True)
def mean_factor(n: int, h: float, kernel: int, mutant: int) -> float:
    """μ_p / (τ r^γ) = (2/N) λ_h(r)/r^γ · N(N−1)/(2⌊N/2⌋) (module docstring)."""
    return prefactor(h, n, kernel, mutant) * (n * (n - 1.0)) / (2.0 * (n // 2))


@njit(cache=True)
def shuffle(perm: np.ndarray, skey: np.uint64) -> None:
    """Fisher–Yates shuffle of ``perm`` in place with counters 1..N−1 of ``skey``."""
    for i in range(perm.shape[0] - 1, 0, -1):
        j = int(uniform(skey, np.uint64(i)) * (i + 1))
        t = perm[i]
        perm[i] = perm[j]
        perm[j] = t


@njit(cache=True)
def add_jumps(a: np.int64, b: np.int64) -> np.int64:
    """a + b for counts in [0, JUMPS_SATURATE], saturating at JUMPS_SATURATE (no int64 overflow)."""
    if a >= JUMPS_SATURATE - b:
        return JUMPS_SATURATE
    return a + b


@njit(cache=True)
def gather(v: np.ndarray, perm: np.ndarray, buf: np.ndarray, k0: int, k1: int) -> None:
    """buf[k] = v[perm[k]] for k0 ≤ k < k1: the step's pairs become contiguous rows (2p, 2p+1) of ``buf``."""
    for k in range(k0, k1):
        q = perm[k]
        buf[k, 0] = v[q, 0]
        buf[k, 1] = v[q, 1]
        buf[k, 2] = v[q, 2]


@njit(cache=True)
def scatter(buf: np.ndarray, perm: np.ndarray, v: np.ndarray, k0: int, k1: int) -> None:
    """v[perm[k]] = buf[k] for k0 ≤ k < k1 (inverse of :func:`gather`)."""
    for k in range(k0, k1):
        q = perm[k]
        v[q, 0] = buf[k, 0]
        v[q, 1] = buf[k, 1]
        v[q, 2] = buf[k, 2]


@njit(cache=True)
def pairs_range(buf: np.ndarray, p0: int, p1: int, gamma: float, mu_scale: float, skey: np.uint64, kernel: int,
                h: float, m: np.ndarray, smax: np.ndarray, k_uniform: np.int64, mutant: int) -> np.int64:
    """Pairs p0 ≤ p < p1 (rows 2p, 2p+1 of the gathered ``buf``) make their Poisson(μ_p) jumps; returns the jumps."""
    jumps = np.int64(0)
    for p in range(p0, p1):
        i = 2 * p
        j = i + 1
        r = norm3(buf[i, 0] - buf[j, 0], buf[i, 1] - buf[j, 1], buf[i, 2] - buf[j, 2])
        mu = mu_scale * speed_factor(r, gamma, mutant)
        key = substream(skey, np.uint64(p))
        k, c = poisson(mu, key, np.uint64(0))
        composed_jump(buf, i, j, k, kernel, h, m, smax, k_uniform, key, c, mutant)
        jumps = add_jumps(jumps, k)
    return jumps


@njit(cache=True)
def advance_fast_serial(v: np.ndarray, t0: float, t1: float, gamma: float, h: float, dt: float, seed: int,
                        segment: int, kernel: int, mutant: int, m: np.ndarray, smax: np.ndarray,
                        k_uniform: np.int64) -> np.int64:
    """:func:`advance_fast` on one thread with a prebuilt composite table (for ensembles of small systems)."""
    n = v.shape[0]
    npairs = n // 2
    scale = mean_factor(n, h, kernel, mutant)
    key = stream_key(np.uint64(seed), np.uint64(segment))
    perm = np.arange(n)
    buf = np.empty((2 * npairs, 3))
    nsteps = n_steps(t0, t1, dt)
    jumps = np.int64(0)
    for s in range(nsteps):
        skey = substream(key, np.uint64(s))
        if mutant != 6:  # frozen_partners: the matching is never reshuffled
            shuffle(perm, skey)
        tau = step_length(t0, t1, dt, nsteps, s)
        gather(v, perm, buf, 0, 2 * npairs)
        jumps = add_jumps(jumps, pairs_range(buf, 0, npairs, gamma, scale * tau, skey, kernel, h, m, smax, k_uniform,
                                             mutant))
        scatter(buf, perm, v, 0, 2 * npairs)
    return jumps


@njit(cache=True, parallel=True)
def advance_fast_parallel(v: np.ndarray, t0: float, t1: float, gamma: float, h: float, dt: float, seed: int,
                          segment: int, kernel: int, mutant: int, m: np.ndarray, smax: np.ndarray,
                          k_uniform: np.int64) -> np.int64:
    """:func:`advance_fast_serial` with the pairs of each step in ``prange`` blocks: bitwise the same result."""
    n = v.shape[0]
    npairs = n // 2
    scale = mean_factor(n, h, kernel, mutant)
    key = stream_key(np.uint64(seed), np.uint64(segment))
    perm = np.arange(n)
    buf = np.empty((2 * npairs, 3))
    nsteps = n_steps(t0, t1, dt)
    nblocks = (npairs + _BLOCK - 1) // _BLOCK
    block_jumps = np.zeros(nblocks, dtype=np.int64)
    jumps = np.int64(0)
    for s in range(nsteps):
        skey = substream(key, np.uint64(s))
        if mutant != 6:  # frozen_partners: the matching is never reshuffled
            shuffle(perm, skey)
        tau = step_length(t0, t1, dt, nsteps, s)
        for b in prange(nblocks):
            p0 = b * _BLOCK
            p1 = min(p0 + _BLOCK, npairs)
            gather(v, perm, buf, 2 * p0, 2 * p1)
            block_jumps[b] = pairs_range(buf, p0, p1, gamma, scale * tau, skey, kernel, h, m, smax, k_uniform,
                                         mutant)
            scatter(buf, perm, v, 2 * p0, 2 * p1)
        for b in range(nblocks):
            jumps = add_jumps(jumps, block_jumps[b])
    return jumps


@njit(cache=True)
def advance_fast(v: np.ndarray, t0: float, t1: float, gamma: float, h: float, dt: float, seed: int,
                 segment: int, kernel: int, mutant: int) -> np.int64:
    """Advance ``v`` (N × 3, in place) by the fast engine from t0 to t1 with step Δt; return the jumps made.

    ``kernel``: code of :data:`mbc_verify.mbc.angles.KERNELS`; ``mutant``: "mbc" mutant code (0 = none). No
    validation here (callers validate). Parallel over pairs for N ≥ ``PARALLEL_MIN_N``; the result does not
    depend on that choice nor on the thread count.
    """
    m, smax, k_uniform = composite_table(kernel, h)
    if v.shape[0] >= PARALLEL_MIN_N:
        return advance_fast_parallel(v, t0, t1, gamma, h, dt, seed, segment, kernel, mutant, m, smax, k_uniform)
    return advance_fast_serial(v, t0, t1, gamma, h, dt, seed, segment, kernel, mutant, m, smax, k_uniform)
