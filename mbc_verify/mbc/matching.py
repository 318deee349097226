"""The matched-pair step: ONE driver for the fast MBC engine and the binary-collision baselines
(docs/spec.md §5.4, §5.6).

One step of length τ ≤ Δt:

1. a uniformly random perfect matching of the N particles: the permutation ``perm`` is shuffled (Fisher–Yates,
   which maps any starting permutation to a uniform one) and the pairs are (perm[2p], perm[2p+1]),
   p = 0, …, ⌊N/2⌋ − 1; for odd N the particle perm[N−1] sits the step out (uniformly chosen);
2. every pair p = {i, j} of the matching is updated once by the operator's pair law (:func:`pair_update`), with
   |u| = |v_i − v_j| at the start of the step.

**Normalisation.** A uniform matching contains a given pair with probability π_N = ⌊N/2⌋ / (N(N−1)/2) (1/(N−1)
for even N, 1/N for odd N). The Landau master generator (docs/spec.md §2) is L_N = (2/N) Σ_{i<j} |u_ij|^γ Δ_S and
the MBC generator Σ_{i<j} (2/N) λ_h(|u_ij|) (K_ij − I). One step's first-order term equals τ times the generator
exactly when each matched pair gets the pair's rate divided by π_N:

- MBC (``OP_MBC``): K_p ~ Poisson(μ_p) jumps, μ_p = τ (2/N) λ_h(|u_p|) / π_N (:func:`mean_factor`), their
  composed rotation drawn from its exact law and applied as one rotation by :func:`mbc_verify.mbc.compound.pair_update`
  (Kolmogorov error of the angle law ≤ 10⁻¹², certified); for N = 2 this is exact.
- the baselines: the pair's direction diffuses for the time τ_p = τ |u_p|^γ (2/N)/π_N = τ |u_p|^γ (N − 1)/⌊N/2⌋
  (:func:`pairing_factor`), by one deflection drawn from the method's angle law: Takizuka–Abe
  (:mod:`mbc_verify.baselines.takizuka_abe`), Nanbu (:mod:`~mbc_verify.baselines.nanbu`), pairwise spherical
  Brownian motion (:mod:`~mbc_verify.baselines.spherical_bm`); with a uniform azimuth, through the same
  :func:`mbc_verify.mbc.kernel.jump_pair` (momentum and energy conserved per collision to round-off).

For N > 2 the one-partner-per-step constraint gives a splitting bias at fixed t, O(Δt) (O(Δt^{2/3}) for MBC at
γ = −3; see :mod:`mbc_verify.mbc.fast`), measured against the exact engine.

**Random numbers** (:mod:`mbc_verify.mbc.rng`). A call advances one segment (between two snapshot times) with the
key ``stream_key(seed, segment)``; step s uses ``skey = substream(key, s)``: the shuffle draws counters 1..N−1
(position i swaps with ⌊U_i (i+1)⌋), and pair p uses ``substream(skey, p)``: for MBC the Poisson draw first, then
the jumps' uniforms; for the baselines the angle counters 0..2 and the azimuth counter 3. Pairs are disjoint and
each has its own key, so the result is bitwise the same whether the pairs of a step run serially or in parallel
blocks, with any number of threads. No ``fastmath``.

**One step loop, compiled twice.** :data:`steps_parallel` runs the pairs of each step in ``prange`` blocks of
:data:`BLOCK` pairs (one large system); :data:`steps_serial` is the same source compiled without ``parallel``, run
inside the replica ``prange`` of :func:`batch_steps` (ensembles of small systems). A call covers the steps
[s0, s1) of its segment, so that callers can stop between chunks (Ctrl-C) and resume bit for bit: ``perm`` carries
the matching state from one chunk to the next and is reset to the identity at the start of each segment.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit, prange

from ..baselines.nanbu import nanbu_angle
from ..baselines.spherical_bm import sbm_angle
from ..baselines.takizuka_abe import ta_angle
from ..mutants import FROZEN_PARTNERS, MATCHING_FACTOR, NO_DEFECT, Defect
from .angles import draw_azimuth
from .compound import pair_update as compound_update
from .kernel import jump_pair, norm3
from .prefetch import prefetch_row
from .rates import prefactor, speed_factor
from .rng import stream_key, substream, uniform

OP_MBC = 0
OP_TAKIZUKA_ABE = 1
OP_NANBU = 2
OP_SPHERICAL_BM = 3
OPERATORS: dict[str, int] = {"fast": OP_MBC, "takizuka_abe": OP_TAKIZUKA_ABE, "nanbu": OP_NANBU,
                             "spherical_bm": OP_SPHERICAL_BM}
"""Operator names and their codes: the fast MBC engine and the three baselines."""
BLOCK = 1024
"""Pairs per ``prange`` task of :data:`steps_parallel`."""
PARALLEL_MIN_N = 4096
"""From this N on, one system runs its pairs in parallel blocks (bitwise the same result)."""
JUMPS_SATURATE = np.int64(2**62)
"""The jump count saturates here (reached only through pairs with |u| < 1e-83 at γ = −3, whose Poisson count is
itself saturated, :mod:`mbc_verify.mbc.poisson`); the state update does not depend on it."""
PREFETCH_AHEAD = 16
"""Pairs between a prefetch of the velocities and their use (``benchmarks/fast_vs_ta.py`` at N = 10⁶)."""
_AZIMUTH_COUNTER = np.uint64(3)
_EMPTY = np.zeros(1)


class PairLaw(NamedTuple):
    """What a matched pair does in a step: the operator code, γ, and for MBC h, the kernel code and the packed
    compound-jump tables ``tab`` of :func:`mbc_verify.mbc.compound_build.build_tables` (empty for the baselines)."""

    op: int
    gamma: float
    h: float
    kernel: int
    tab: np.ndarray


class Segment(NamedTuple):
    """A segment of a run: the random stream (seed, segment index) and the time grid [t0, t1] with step dt."""

    seed: np.int64
    index: np.int64
    t0: float
    t1: float
    dt: float


def baseline_law(op: int, gamma: float) -> PairLaw:
    """The :class:`PairLaw` of a baseline operator (no table)."""
    return PairLaw(op, gamma, 0.0, 0, _EMPTY)


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
def pairing_factor(n: int) -> float:
    """(2/N)/π_N = (N − 1)/⌊N/2⌋: a baseline's τ_p = τ · |u_p|^γ · pairing_factor(N) (module docstring)."""
    return (n - 1.0) / (n // 2)


@njit(cache=True)
def mean_factor(n: int, h: float, kernel: int, defect: Defect) -> float:
    """μ_p / (τ r^γ) = (2/N) λ_h(r)/r^γ · N(N−1)/(2⌊N/2⌋) for MBC (module docstring)."""
    return prefactor(h, n, kernel, defect) * (n * (n - 1.0)) / (2.0 * (n // 2))


@njit(cache=True)
def pair_scale(law: PairLaw, n: int, defect: Defect) -> float:
    """The per-unit-time, per-|u|^γ scale of a matched pair: MBC's Poisson mean or a baseline's diffusion time."""
    if law.op == OP_MBC:
        scale = mean_factor(n, law.h, law.kernel, defect)
        return scale * (1.0 + defect.amp) if defect.code == MATCHING_FACTOR else scale
    return pairing_factor(n)


@njit(cache=True)
def baseline_angle(op: int, tau: float, key: np.uint64) -> tuple:
    """(cos θ, sin θ) of a baseline's deflection for diffusion time τ, from counters 0..2 of ``key``."""
    c0 = np.uint64(0)
    if op == OP_TAKIZUKA_ABE:
        return ta_angle(tau, key, c0)
    if op == OP_NANBU:
        return nanbu_angle(tau, key, c0)
    return sbm_angle(tau, key, c0)


@njit(cache=True)
def pair_update(v: np.ndarray, i: int, j: int, law: PairLaw, scale: float, key: np.uint64,
                defect: Defect) -> np.int64:
    """Update the matched pair (i, j) once (module docstring); returns its jumps (MBC) or 1 collision."""
    r = norm3(v[i, 0] - v[j, 0], v[i, 1] - v[j, 1], v[i, 2] - v[j, 2])
    if law.op == OP_MBC:
        return compound_update(v, i, j, scale * speed_factor(r, law.gamma, defect), law.tab, key, defect)
    if r > 0.0:
        cos_t, sin_t = baseline_angle(law.op, scale * speed_factor(r, law.gamma, NO_DEFECT), key)
        cos_p, sin_p = draw_azimuth(key, _AZIMUTH_COUNTER, NO_DEFECT)
        jump_pair(v, i, j, cos_t, sin_t, cos_p, sin_p, NO_DEFECT)
    return np.int64(1)


@njit(cache=True)
def update_pairs(v: np.ndarray, perm: np.ndarray, p0: int, p1: int, law: PairLaw, scale: float, skey: np.uint64,
                 defect: Defect) -> np.int64:
    """Pairs p0 ≤ p < p1 of the step's matching are updated; returns their jumps/collisions. The velocities of the
    pair ``PREFETCH_AHEAD`` places ahead are prefetched (:mod:`mbc_verify.mbc.prefetch`: a hint, no value changes)."""
    total = np.int64(0)
    for p in range(p0, p1):
        ahead = p + PREFETCH_AHEAD
        if ahead < p1:
            prefetch_row(v, perm[2 * ahead])
            prefetch_row(v, perm[2 * ahead + 1])
        total = add_jumps(total, pair_update(v, perm[2 * p], perm[2 * p + 1], law, scale,
                                             substream(skey, np.uint64(p)), defect))
    return total


def _compile_steps(parallel: bool):  # noqa: ANN202 — returns a numba dispatcher
    """The step loop compiled with or without ``parallel`` (module docstring). ``block_size`` is a closure
    constant, so the two compilations have distinct numba cache entries."""
    block_size = BLOCK if parallel else 0

    def steps(v: np.ndarray, perm: np.ndarray, seg: Segment, s0: int, s1: int, law: PairLaw,
              defect: Defect) -> np.int64:
        n = v.shape[0]
        npairs = n // 2
        block = block_size if block_size > 0 else max(npairs, 1)
        nblocks = (npairs + block - 1) // block
        scale = pair_scale(law, n, defect)
        key = stream_key(np.uint64(seg.seed), np.uint64(seg.index))
        nsteps = n_steps(seg.t0, seg.t1, seg.dt)
        block_jumps = np.zeros(nblocks, dtype=np.int64)
        jumps = np.int64(0)
        for s in range(s0, s1):
            skey = substream(key, np.uint64(s))
            if defect.code != FROZEN_PARTNERS:
                shuffle(perm, skey)
            tau_scale = scale * step_length(seg.t0, seg.t1, seg.dt, nsteps, s)
            for b in prange(nblocks):
                block_jumps[b] = update_pairs(v, perm, b * block, min((b + 1) * block, npairs), law, tau_scale,
                                              skey, defect)
            for b in range(nblocks):
                jumps = add_jumps(jumps, block_jumps[b])
        return jumps

    return njit(cache=True, parallel=parallel)(steps)


steps_parallel = _compile_steps(True)
steps_serial = _compile_steps(False)


@njit(cache=True, parallel=True)
def batch_steps(v: np.ndarray, perm: np.ndarray, seeds: np.ndarray, seg: Segment, s0: int, s1: int, law: PairLaw,
                defect: Defect, jumps: np.ndarray) -> None:
    """Steps [s0, s1) of segment ``seg`` for R replicas (v: R × N × 3, perm: R × N), replica r with the seed
    seeds[r] (``seg.seed`` is not used), in ``prange`` over the replicas (each serial); jumps[r] accumulates."""
    for r in prange(v.shape[0]):
        made = steps_serial(v[r], perm[r], Segment(seeds[r], seg.index, seg.t0, seg.t1, seg.dt), s0, s1, law,
                            defect)
        jumps[r] = add_jumps(jumps[r], made)
