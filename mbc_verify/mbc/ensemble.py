"""Ensembles of independent MBC runs: replicas in parallel (``prange``), observables streamed per snapshot.

Replica r (r = 0, …, R−1) is exactly the run ``simulate(gamma, h, n, t_end, seed=s_r, …)`` of
:mod:`mbc_verify.mbc.api` with the per-replica seed

    s_r = bits(stream_key(seed, ENSEMBLE_STREAM), r) >> 1          (:mod:`mbc_verify.mbc.rng`; 63 bits)

(initial data from :func:`mbc_verify.mbc.initial.sample_initial` with s_r; segment k ≥ 1 of the engine keyed by
(s_r, k) between the snapshot times linspace(0, t_end, snapshots)). Replicas run in blocks: a block's initial
states are drawn, the block runs in ``prange`` (one replica per iteration, serial engines inside), each replica
writes its feature vector per snapshot into its own row, and the rows are then folded into the accumulators
serially in replica order (Welford's running mean and sum of squared deviations). No particle trajectory is
kept, memory is O(block · N), and the result is bitwise independent of the number of threads.

Observables (features per replica and snapshot; means and standard errors are over replicas):

- ``second_moment``: M = (1/N) Σ v_i⊗v_i (3 × 3);  ``momentum``: (1/N) Σ v_i (3);  ``energy``: (1/N) Σ |v_i|²;
  ``moment4``: (1/N) Σ |v_i|⁴ (the particle ∫|v|⁴ f);  ``temperatures``: (T∥, T⊥) = (M_zz, (M_xx + M_yy)/2);
- ``legendre``: P_ℓ(û₀ · û_t), ℓ = 1, …, ``LEGENDRE_MAX``, for u = v_0 − v_1 (for N = 2 the only pair; SPEC §3:
  E = exp(−λ_h t (1 − m_ℓ)));
- ``pair01``: (|v_0|², |v_1|², |v_0|² |v_1|²): two-particle features for propagation of chaos (claim C6:
  Cov(|v_0|², |v_1|²) = E[|v_0|²|v_1|²] − E|v_0|² E|v_1|²; with ``return_samples=True`` the per-replica values are
  returned for any further statistic).

Standard error of a mean: sd / √R with the unbiased sample variance (R ≥ 2).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from numba import njit, prange

from ..initial import InitSpec
from ..legendre import next_legendre
from ..mutants import check_mutant, mutant_code
from ..validation import (
    check_choice,
    check_gamma,
    check_grazing,
    check_int,
    check_n_particles,
    check_positive,
    check_seed,
)
from .angles import KERNELS
from .composite import composite_table
from .exact import advance_exact
from .fast import add_jumps, advance_fast_serial, default_dt
from .initial import check_particle_init, sample_initial
from .kernel import frame
from .observables import moments
from .rng import bits, stream_key

ENGINES = ("exact", "fast")
ENSEMBLE_STREAM = 0xE5E
LEGENDRE_MAX = 4
OBSERVABLES: dict[str, tuple[int, ...]] = {
    "second_moment": (3, 3), "momentum": (3,), "energy": (), "moment4": (), "temperatures": (2,),
    "legendre": (LEGENDRE_MAX,), "pair01": (3,),
}
"""Observable names and the shape of one sample."""
_CODES = {name: k for k, name in enumerate(OBSERVABLES)}


def replica_seed(seed: int, r: int) -> int:
    """s_r = bits(stream_key(seed, ENSEMBLE_STREAM), r) >> 1: the seed of replica r (module docstring)."""
    return int(_replica_seed(np.uint64(seed), np.uint64(r)))


@njit(cache=True)
def _replica_seed(seed: np.uint64, r: np.uint64) -> np.uint64:
    return bits(stream_key(seed, np.uint64(ENSEMBLE_STREAM)), r) >> np.uint64(1)


@njit(cache=True)
def _features(v: np.ndarray, u0: np.ndarray, codes: np.ndarray, out: np.ndarray) -> None:
    """Write the selected observables of ``v`` into ``out`` (flattened, in the order of ``codes``)."""
    m, p, e, m4 = moments(v)
    k = 0
    for code in codes:
        if code == 0:
            for a in range(3):
                for b in range(3):
                    out[k] = m[a, b]
                    k += 1
        elif code == 1:
            for a in range(3):
                out[k] = p[a]
                k += 1
        elif code == 2:
            out[k] = e
            k += 1
        elif code == 3:
            out[k] = m4
            k += 1
        elif code == 4:
            out[k] = m[2, 2]
            out[k + 1] = 0.5 * (m[0, 0] + m[1, 1])
            k += 2
        elif code == 5:
            r, nx, ny, nz = frame(v[0, 0] - v[1, 0], v[0, 1] - v[1, 1], v[0, 2] - v[1, 2])[:4]
            x = nx * u0[0] + ny * u0[1] + nz * u0[2]
            p_prev = 1.0
            p_cur = x
            for ell in range(1, LEGENDRE_MAX + 1):
                out[k] = p_cur
                k += 1
                p_prev, p_cur = p_cur, next_legendre(ell, x, p_cur, p_prev)
        else:
            s0 = v[0, 0] ** 2 + v[0, 1] ** 2 + v[0, 2] ** 2
            s1 = v[1, 0] ** 2 + v[1, 1] ** 2 + v[1, 2] ** 2
            out[k] = s0
            out[k + 1] = s1
            out[k + 2] = s0 * s1
            k += 3


@njit(cache=True, parallel=True)
def _run_block(v_block: np.ndarray, seeds: np.ndarray, times: np.ndarray, gamma: float, h: float, dt: float,
               engine: int, kernel: int, mutant: int, m: np.ndarray, smax: np.ndarray, k_uniform: np.int64,
               codes: np.ndarray, feats: np.ndarray, jumps: np.ndarray) -> None:
    """Run every replica of a block (``prange``) and store its features per snapshot in feats[b, k, :]."""
    nrep = v_block.shape[0]
    nsnap = times.shape[0]
    for b in prange(nrep):
        v = v_block[b]
        r, nx, ny, nz = frame(v[0, 0] - v[1, 0], v[0, 1] - v[1, 1], v[0, 2] - v[1, 2])[:4]
        u0 = np.array([nx, ny, nz])
        _features(v, u0, codes, feats[b, 0])
        total = np.int64(0)
        for k in range(1, nsnap):
            if engine == 0:
                made = advance_exact(v, times[k - 1], times[k], gamma, h, seeds[b], k, kernel, mutant)
            else:
                made = advance_fast_serial(v, times[k - 1], times[k], gamma, h, dt, seeds[b], k, kernel, mutant,
                                           m, smax, k_uniform)
            total = add_jumps(total, np.int64(made))
            _features(v, u0, codes, feats[b, k])
        jumps[b] = total


@njit(cache=True)
def _fold(feats: np.ndarray, count: int, mean: np.ndarray, m2: np.ndarray) -> int:
    """Welford's update of (mean, Σ squared deviations) with the rows of ``feats``, serially in row order."""
    for b in range(feats.shape[0]):
        count += 1
        for k in range(feats.shape[1]):
            for f in range(feats.shape[2]):
                x = feats[b, k, f]
                d = x - mean[k, f]
                mean[k, f] += d / count
                m2[k, f] += d * (x - mean[k, f])
    return count


def run_ensemble(gamma: float, h: float, n: int, t_end: float, *, replicas: int, init: str | InitSpec = "maxwellian",
                 engine: str = "fast", dt: float | None = None, snapshots: int = 11, seed: int = 0,
                 kernel: str = "fixed", mutant: str | None = None,
                 observables: tuple[str, ...] = ("second_moment", "energy", "momentum", "moment4"),
                 block: int = 256, return_samples: bool = False) -> dict[str, Any]:
    """Run ``replicas`` independent MBC runs (SPEC §3) and return per-snapshot means and standard errors.

    Parameters as :func:`mbc_verify.mbc.api.simulate` (``dt`` only for the fast engine; default
    :func:`mbc_verify.mbc.fast.default_dt`), plus ``observables`` (names of :data:`OBSERVABLES`), ``block``
    (replicas per parallel block; results do not depend on it) and ``return_samples``.

    Returns a dict with ``times`` (snapshots,), for each observable NAME ``NAME`` (mean, shape (snapshots, *shape))
    and ``NAME_se`` (standard error of that mean), ``jumps`` (total over replicas), ``wall_seconds``, the
    parameters, and with ``return_samples`` ``samples``: {NAME: (replicas, snapshots, *shape)}.
    """
    gamma = check_gamma(gamma)
    h = check_grazing(h)
    n = check_n_particles(n)
    t_end = check_positive("t_end", t_end)
    replicas = check_int("replicas", replicas, 2)
    snapshots = check_int("snapshots", snapshots, 2)
    seed = check_seed(seed)
    block = check_int("block", block, 1)
    engine = check_choice("engine", engine, ENGINES)
    kernel = check_choice("kernel", kernel, tuple(KERNELS))
    mutant = check_mutant(mutant)
    spec = check_particle_init(init)
    if isinstance(observables, str) or not observables:
        raise ValueError(f"observables: must be a non-empty tuple of names from {', '.join(OBSERVABLES)}")
    for name in observables:
        check_choice("observables", name, tuple(OBSERVABLES))
    if engine == "exact":
        if dt is not None:
            raise ValueError(f"dt: only the fast engine takes a time step (engine='exact'), got {dt!r}")
        dt = 0.0
    else:
        dt = check_positive("dt", default_dt(gamma, h) if dt is None else dt)

    start = time.perf_counter()
    kcode = KERNELS[kernel]
    code = mutant_code(mutant, "mbc")
    m, smax, k_uniform = composite_table(kcode, h)
    codes = np.array([_CODES[name] for name in observables], dtype=np.int64)
    sizes = [int(np.prod(OBSERVABLES[name])) for name in observables]
    nfeat = sum(sizes)
    times = np.linspace(0.0, t_end, snapshots)
    mean = np.zeros((snapshots, nfeat))
    m2 = np.zeros((snapshots, nfeat))
    samples = np.empty((replicas, snapshots, nfeat)) if return_samples else None
    count = 0
    jumps = 0
    for r0 in range(0, replicas, block):
        r1 = min(r0 + block, replicas)
        seeds = np.array([replica_seed(seed, r) for r in range(r0, r1)], dtype=np.int64)
        v_block = np.stack([sample_initial(spec, n, int(s)) for s in seeds])
        feats = np.empty((r1 - r0, snapshots, nfeat))
        jblock = np.zeros(r1 - r0, dtype=np.int64)
        _run_block(v_block, seeds, times, gamma, h, dt, 0 if engine == "exact" else 1, kcode, code, m, smax,
                   k_uniform, codes, feats, jblock)
        count = _fold(feats, count, mean, m2)
        jumps += int(jblock.sum())
        if samples is not None:
            samples[r0:r1] = feats
    se = np.sqrt(m2 / (count - 1) / count)
    out: dict[str, Any] = {"times": times}
    off = 0
    for name, size in zip(observables, sizes, strict=True):
        shape = (snapshots, *OBSERVABLES[name])
        out[name] = mean[:, off:off + size].reshape(shape)
        out[name + "_se"] = se[:, off:off + size].reshape(shape)
        if samples is not None:
            out.setdefault("samples", {})[name] = samples[:, :, off:off + size].reshape((replicas, *shape))
        off += size
    out.update({
        "jumps": jumps, "wall_seconds": time.perf_counter() - start, "gamma": gamma, "h": h, "n": n,
        "t_end": t_end, "replicas": replicas, "init": str(spec), "engine": engine,
        "dt": None if engine == "exact" else dt, "snapshots": snapshots, "seed": seed, "kernel": kernel,
        "mutant": mutant,
    })
    return out


__all__ = ["OBSERVABLES", "replica_seed", "run_ensemble"]


@njit(cache=True, parallel=True)
def _run_states(v0: np.ndarray, seeds: np.ndarray, times: np.ndarray, gamma: float, h: float, dt: float,
                engine: int, kernel: int, mutant: int, m: np.ndarray, smax: np.ndarray, k_uniform: np.int64,
                states: np.ndarray) -> None:
    """states[b, k] = velocities of replica b at times[k] (segment k keyed by (seeds[b], k), as in
    :func:`_run_block`)."""
    for b in prange(v0.shape[0]):
        v = v0[b].copy()
        states[b, 0] = v
        for k in range(1, times.shape[0]):
            if engine == 0:
                advance_exact(v, times[k - 1], times[k], gamma, h, seeds[b], k, kernel, mutant)
            else:
                advance_fast_serial(v, times[k - 1], times[k], gamma, h, dt, seeds[b], k, kernel, mutant, m, smax,
                                    k_uniform)
            states[b, k] = v


def run_states(v0: np.ndarray, seeds: np.ndarray, times: np.ndarray, gamma: float, h: float, *,
               engine: str = "fast", dt: float | None = None, kernel: str = "fixed",
               mutant: str | None = None) -> np.ndarray:
    """Velocities (R × K × N × 3) at ``times`` of R runs from the given initial states ``v0`` (R × N × 3).

    Run r uses the seed ``seeds[r]`` exactly as :func:`mbc_verify.mbc.api.simulate` does (segment k ends at
    times[k]); replicas run in ``prange`` and the result is bitwise independent of the number of threads. For claims
    that need per-particle statistics the streamed observables of :func:`run_ensemble` do not provide.
    """
    gamma = check_gamma(gamma)
    h = check_grazing(h)
    engine = check_choice("engine", engine, ENGINES)
    kernel = check_choice("kernel", kernel, tuple(KERNELS))
    if engine == "exact" and dt is not None:
        raise ValueError(f"dt: only the fast engine takes a time step (engine='exact'), got {dt!r}")
    step = 0.0 if engine == "exact" else check_positive("dt", default_dt(gamma, h) if dt is None else dt)
    kcode = KERNELS[kernel]
    m, smax, k_uniform = composite_table(kcode, h)
    v0 = np.ascontiguousarray(v0, dtype=np.float64)
    states = np.empty((v0.shape[0], times.shape[0], v0.shape[1], 3))
    _run_states(v0, np.asarray(seeds, dtype=np.int64), np.asarray(times, dtype=np.float64), gamma, h, step,
                ENGINES.index(engine), kcode, mutant_code(check_mutant(mutant), "mbc"), m, smax, k_uniform, states)
    return states


def ensemble_states(gamma: float, h: float, n: int, t_end: float, *, replicas: int, init: str | InitSpec,
                    engine: str = "fast", snapshots: int = 2, seed: int = 0, dt: float | None = None,
                    kernel: str = "fixed", mutant: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(times, velocities R × K × N × 3) of the ensemble of :func:`run_ensemble`: replica r is the run
    ``simulate(gamma, h, n, t_end, seed=replica_seed(seed, r), ...)``, bit for bit."""
    n = check_n_particles(n)
    t_end = check_positive("t_end", t_end)
    replicas = check_int("replicas", replicas, 1)
    snapshots = check_int("snapshots", snapshots, 2)
    seed = check_seed(seed)
    spec = check_particle_init(init)
    seeds = np.array([replica_seed(seed, r) for r in range(replicas)], dtype=np.int64)
    v0 = np.stack([sample_initial(spec, n, int(s)) for s in seeds])
    times = np.linspace(0.0, t_end, snapshots)
    return times, run_states(v0, seeds, times, gamma, h, engine=engine, dt=dt, kernel=kernel, mutant=mutant)
