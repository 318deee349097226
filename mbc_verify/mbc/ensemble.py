"""Ensembles of independent MBC runs: replicas in parallel (``prange``), observables streamed per snapshot.

Replica r (r = 0, …, R−1) is exactly the run ``simulate(gamma, h, n, t_end, seed=s_r, …)`` of
:mod:`mbc_verify.mbc.api` with the per-replica seed

    s_r = bits(stream_key(seed, ENSEMBLE_STREAM), r) >> 1          (:mod:`mbc_verify.mbc.rng`; 63 bits)

(initial data from :func:`mbc_verify.mbc.initial.sample_initial` with s_r; segment k ≥ 1 of the engine keyed by
(s_r, k) between the snapshot times linspace(0, t_end, snapshots)). The run is validated once by
:class:`mbc_verify.runspec.RunSpec` and advanced by the one dispatcher :class:`mbc_verify.mbc.engines.Engine`.
Replicas run in blocks: a block's initial states are drawn, the block is advanced segment by segment (its replicas
in ``prange``), each replica writes its feature vector per snapshot into its own row, and the rows are then folded
into the accumulators serially in replica order (Welford's running mean and sum of squared deviations). No
particle trajectory is kept, memory is O(block · N), and the result is bitwise independent of the number of
threads.

Observables (features per replica and snapshot; means and standard errors are over replicas):

- ``second_moment``: M = (1/N) Σ v_i⊗v_i (3 × 3);  ``momentum``: (1/N) Σ v_i (3);  ``energy``: (1/N) Σ |v_i|²;
  ``moment4``: (1/N) Σ |v_i|⁴ (the particle ∫|v|⁴ f);  ``temperatures``: (T∥, T⊥) = (M_zz, (M_xx + M_yy)/2);
- ``legendre``: P_ℓ(û₀ · û_t), ℓ = 1, …, ``LEGENDRE_MAX``, for u = v_0 − v_1 (for N = 2 the only pair; docs/spec.md §3:
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
from ..mutants import Defect
from ..runspec import RunSpec, check_finite
from ..validation import ArgumentError, check_choice, check_int
from .api import engine_for, initial_velocities
from .kernel import frame
from .observables import observed_moments
from .rng import bits, stream_key

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


def replica_seeds(seed: int, r0: int, r1: int) -> np.ndarray:
    """[s_r0, …, s_{r1−1}] as int64."""
    return np.array([replica_seed(seed, r) for r in range(r0, r1)], dtype=np.int64)


@njit(cache=True)
def _legendre_features(v: np.ndarray, u0: np.ndarray, out: np.ndarray, k: int) -> int:
    """P_ℓ(û₀·û_t), ℓ = 1..LEGENDRE_MAX, for u = v_0 − v_1, into out[k:]; returns the next index."""
    r, nx, ny, nz = frame(v[0, 0] - v[1, 0], v[0, 1] - v[1, 1], v[0, 2] - v[1, 2])[:4]
    x = nx * u0[0] + ny * u0[1] + nz * u0[2]
    p_prev = 1.0
    p_cur = x
    for ell in range(1, LEGENDRE_MAX + 1):
        out[k] = p_cur
        k += 1
        p_prev, p_cur = p_cur, next_legendre(ell, x, p_cur, p_prev)
    return k


@njit(cache=True)
def _moment_features(code: int, m: np.ndarray, p: np.ndarray, e: float, m4: float, out: np.ndarray, k: int) -> int:
    """The moment observables (codes 0–4) into out[k:]; returns the next index."""
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
    else:
        out[k] = m[2, 2]
        out[k + 1] = 0.5 * (m[0, 0] + m[1, 1])
        k += 2
    return k


@njit(cache=True)
def _features(v: np.ndarray, u0: np.ndarray, codes: np.ndarray, out: np.ndarray, defect: Defect) -> None:
    """Write the selected observables of ``v`` into ``out`` (flattened, in the order of ``codes``)."""
    m, p, e, m4 = observed_moments(v, defect)
    k = 0
    for code in codes:
        if code <= 4:
            k = _moment_features(code, m, p, e, m4, out, k)
        elif code == 5:
            k = _legendre_features(v, u0, out, k)
        else:
            s0 = v[0, 0] ** 2 + v[0, 1] ** 2 + v[0, 2] ** 2
            s1 = v[1, 0] ** 2 + v[1, 1] ** 2 + v[1, 2] ** 2
            out[k] = s0
            out[k + 1] = s1
            out[k + 2] = s0 * s1
            k += 3


@njit(cache=True, parallel=True)
def _record(v: np.ndarray, u0: np.ndarray, codes: np.ndarray, feats: np.ndarray, k: int, defect: Defect) -> None:
    """feats[r, k] = features of replica r (v: R × N × 3), in ``prange``."""
    for r in prange(v.shape[0]):
        _features(v[r], u0[r], codes, feats[r, k], defect)


@njit(cache=True)
def _directions(v: np.ndarray) -> np.ndarray:
    """û₀ of the pair (v_0, v_1) of every replica (R × 3; zeros where u = 0)."""
    out = np.empty((v.shape[0], 3))
    for r in range(v.shape[0]):
        out[r, 0], out[r, 1], out[r, 2] = frame(v[r, 0, 0] - v[r, 1, 0], v[r, 0, 1] - v[r, 1, 1],
                                                v[r, 0, 2] - v[r, 1, 2])[1:4]
    return out


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


def _observable_codes(observables: tuple[str, ...]) -> np.ndarray:
    if isinstance(observables, str) or not observables:
        raise ArgumentError("observables", f"observables: must be a non-empty tuple of names from "
                                           f"{', '.join(OBSERVABLES)}")
    for name in observables:
        check_choice("observables", name, tuple(OBSERVABLES))
    return np.array([_CODES[name] for name in observables], dtype=np.int64)


def _run_block(spec: RunSpec, v: np.ndarray, seeds: np.ndarray, codes: np.ndarray, nfeat: int) -> tuple:
    """(features R × K × nfeat, jumps) of the replicas ``v`` (R × N × 3, advanced in place)."""
    eng = engine_for(spec)
    times = np.linspace(0.0, spec.t_end, spec.snapshots)
    feats = np.empty((v.shape[0], spec.snapshots, nfeat))
    jumps = np.zeros(v.shape[0], dtype=np.int64)
    u0 = _directions(v)
    for k in range(spec.snapshots):
        if k > 0:
            eng.advance(v, seeds, k, float(times[k - 1]), float(times[k]), spec.dt, jumps)
        _record(v, u0, codes, feats, k, eng.defect)
        check_finite("observables", feats[:, k], float(times[k]))
    return feats, int(jumps.sum())


def run_ensemble(gamma: float, h: float | None, n: int, t_end: float, *, replicas: int,
                 init: str | InitSpec = "maxwellian", engine: str = "fast", dt: float | None = None,
                 snapshots: int = 11, seed: int = 0, kernel: str = "fixed", mutant: str | None = None,
                 observables: tuple[str, ...] = ("second_moment", "energy", "momentum", "moment4"),
                 block: int = 256, return_samples: bool = False) -> dict[str, Any]:
    """Run ``replicas`` independent runs and return per-snapshot means and standard errors.

    Parameters as :func:`mbc_verify.mbc.api.simulate`, plus ``observables`` (names of :data:`OBSERVABLES`),
    ``block`` (replicas per block; results do not depend on it) and ``return_samples``.

    Returns a dict with ``times`` (snapshots,), for each observable NAME ``NAME`` (mean, shape (snapshots, *shape))
    and ``NAME_se`` (standard error of that mean), ``jumps`` (total over replicas), ``wall_seconds``, the
    parameters, and with ``return_samples`` ``samples``: {NAME: (replicas, snapshots, *shape)}.
    """
    codes = _observable_codes(observables)
    sizes = [int(np.prod(OBSERVABLES[name])) for name in observables]
    nfeat = sum(sizes)
    spec = RunSpec.build(gamma=gamma, n=n, t_end=t_end, engine=engine, h=h, dt=dt, init=init, snapshots=snapshots,
                         seed=seed, kernel=kernel, mutant=mutant, replicas=check_int("replicas", replicas, 2),
                         record_bytes=8 * nfeat if return_samples else 0)
    if spec.init is None:
        raise ArgumentError("init", "init: an ensemble needs an initial-data name (each replica samples its own)")
    block = check_int("block", block, 1)
    start = time.perf_counter()
    mean = np.zeros((spec.snapshots, nfeat))
    m2 = np.zeros((spec.snapshots, nfeat))
    samples = np.empty((spec.replicas, spec.snapshots, nfeat)) if return_samples else None
    count = jumps = 0
    for r0 in range(0, spec.replicas, block):
        r1 = min(r0 + block, spec.replicas)
        seeds = replica_seeds(spec.seed, r0, r1)
        v = np.stack([initial_velocities(spec, int(s)) for s in seeds])
        feats, made = _run_block(spec, v, seeds, codes, nfeat)
        count = _fold(feats, count, mean, m2)
        jumps += made
        if samples is not None:
            samples[r0:r1] = feats
    se = np.sqrt(m2 / (count - 1) / count)
    out: dict[str, Any] = {"times": np.linspace(0.0, spec.t_end, spec.snapshots)}
    off = 0
    for name, size in zip(observables, sizes, strict=True):
        shape = (spec.snapshots, *OBSERVABLES[name])
        out[name] = mean[:, off:off + size].reshape(shape)
        out[name + "_se"] = se[:, off:off + size].reshape(shape)
        if samples is not None:
            out.setdefault("samples", {})[name] = samples[:, :, off:off + size].reshape((spec.replicas, *shape))
        off += size
    out.update({
        "jumps": jumps, "wall_seconds": time.perf_counter() - start, "gamma": spec.gamma, "h": spec.h, "n": spec.n,
        "t_end": spec.t_end, "replicas": spec.replicas, "init": spec.init_label, "engine": spec.engine,
        "dt": spec.dt, "snapshots": spec.snapshots, "seed": spec.seed, "kernel": spec.kernel, "mutant": spec.mutant,
    })
    return out


def run_states(v0: np.ndarray, seeds: np.ndarray, times: np.ndarray, gamma: float, h: float | None, *,
               engine: str = "fast", dt: float | None = None, kernel: str = "fixed",
               mutant: str | None = None) -> np.ndarray:
    """Velocities (R × K × N × 3) at ``times`` (K increasing times) of R runs from the initial states ``v0``
    (R × N × 3) at times[0].

    Run r uses the seed ``seeds[r]`` exactly as :func:`mbc_verify.mbc.api.simulate` does (segment k ends at
    times[k]), bitwise, whatever the number of threads. For claims that need per-particle statistics that the
    streamed observables of :func:`run_ensemble` do not provide.
    """
    times = np.asarray(times, dtype=np.float64)
    v = np.ascontiguousarray(v0, dtype=np.float64).copy()
    if v.ndim != 3 or v.shape[2] != 3:
        raise ArgumentError("v0", f"v0: must have shape (R, N, 3), got {v.shape}")
    if times.ndim != 1 or times.size < 2 or not np.all(np.isfinite(times)) or not np.all(np.diff(times) > 0):
        raise ArgumentError("times", "times: must be K >= 2 finite, increasing times")
    spec = RunSpec.build(gamma=gamma, n=v.shape[1], t_end=float(times[-1] - times[0]), engine=engine, h=h, dt=dt,
                         init=v[0], snapshots=times.size, seed=0, kernel=kernel, mutant=mutant, replicas=v.shape[0],
                         record_bytes=24 * v.shape[1])
    seeds = np.asarray(seeds, dtype=np.int64)
    if seeds.shape != (v.shape[0],):
        raise ArgumentError("seeds", f"seeds: must hold one seed per replica ({v.shape[0]}), got shape {seeds.shape}")
    eng = engine_for(spec)
    states = np.empty((v.shape[0], times.size, v.shape[1], 3))
    states[:, 0] = v
    jumps = np.zeros(v.shape[0], dtype=np.int64)
    for k in range(1, times.size):
        eng.advance(v, seeds, k, float(times[k - 1]), float(times[k]), spec.dt, jumps)
        check_finite("states", v, float(times[k]))
        states[:, k] = v
    return states


def ensemble_states(gamma: float, h: float | None, n: int, t_end: float, *, replicas: int, init: str | InitSpec,
                    engine: str = "fast", snapshots: int = 2, seed: int = 0, dt: float | None = None,
                    kernel: str = "fixed", mutant: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(times, velocities R × K × N × 3) of the ensemble of :func:`run_ensemble`: replica r is the run
    ``simulate(gamma, h, n, t_end, seed=replica_seed(seed, r), ...)``, bit for bit."""
    spec = RunSpec.build(gamma=gamma, n=n, t_end=t_end, engine=engine, h=h, dt=dt, init=init, snapshots=snapshots,
                         seed=seed, kernel=kernel, mutant=mutant, replicas=replicas, record_bytes=24 * n)
    if spec.init is None:
        raise ArgumentError("init", "init: an ensemble needs an initial-data name (each replica samples its own)")
    seeds = replica_seeds(spec.seed, 0, spec.replicas)
    v0 = np.stack([initial_velocities(spec, int(s)) for s in seeds])
    times = np.linspace(0.0, spec.t_end, spec.snapshots)
    return times, run_states(v0, seeds, times, spec.gamma, spec.h, engine=spec.engine, dt=spec.dt,
                             kernel=spec.kernel, mutant=spec.mutant)


__all__ = ["OBSERVABLES", "ensemble_states", "replica_seed", "replica_seeds", "run_ensemble", "run_states"]
