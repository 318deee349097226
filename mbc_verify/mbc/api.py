"""``simulate``: one particle run with snapshots of its observables (docs/spec.md §8, ``mbc-verify simulate``).

The run is described once by :class:`mbc_verify.runspec.RunSpec` (every argument validated before any work),
starts from :func:`mbc_verify.mbc.initial.sample_initial` (zero momentum, exact nominal energy) or from given
velocities, and advances segment by segment between the snapshot times ``linspace(0, t_end, snapshots)`` through
the one dispatcher :class:`mbc_verify.mbc.engines.Engine`; segment k (k ≥ 1) uses the random-stream key (seed, k),
so a record is a pure function of its parameters, bitwise, whatever the number of numba threads. Engines: the MBC
``exact`` and ``fast`` engines (docs/spec.md §5.3, §5.4) and the baselines ``takizuka_abe``, ``nanbu``,
``spherical_bm``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ..initial import InitSpec
from ..mutants import INIT_SCALE
from ..runspec import RunSpec, check_finite
from .engines import Engine
from .initial import sample_initial
from .observables import observed_moments


def initial_velocities(spec: RunSpec, seed: int | None = None) -> np.ndarray:
    """The N × 3 initial velocities of a run: sampled from ``spec.init`` with ``seed`` (default the run's seed),
    or a copy of the given ``spec.v0``; under the ``INIT_SCALE`` defect a sampled state has the energy (1 + ε) E."""
    if spec.init is None:
        return spec.v0.copy()
    v = sample_initial(spec.init, spec.n, spec.seed if seed is None else seed)
    d = spec.defect()
    if d.code == INIT_SCALE:
        v *= math.sqrt(1.0 + d.amp)
    return v


def engine_for(spec: RunSpec) -> Engine:
    """The prepared :class:`Engine` of a run description."""
    return Engine.prepare(spec.engine, spec.gamma, spec.h, spec.kernel_code, spec.n, spec.defect())


def run_record(spec: RunSpec, v: np.ndarray, progress: Callable[[float, float], object] | None = None) -> dict:
    """Advance ``v`` (N × 3, in place) through the snapshot times of ``spec`` and record the moments at every
    time: ``times``, ``second_moment`` (K × 3 × 3), ``momentum`` (K × 3), ``energy`` (K), ``moment4`` (K),
    ``jumps``. A non-finite moment raises :class:`~mbc_verify.runspec.NonFiniteResult`."""
    times = np.linspace(0.0, spec.t_end, spec.snapshots)
    eng = engine_for(spec)
    batch = v[None]
    seeds = np.array([spec.seed], dtype=np.int64)
    jumps = np.zeros(1, dtype=np.int64)
    rec = {"times": times, "second_moment": np.empty((spec.snapshots, 3, 3)), "momentum": np.empty((spec.snapshots, 3)),
           "energy": np.empty(spec.snapshots), "moment4": np.empty(spec.snapshots)}
    tick = None if progress is None else (lambda t: progress(t, spec.t_end))
    for k in range(spec.snapshots):
        if k > 0:
            eng.advance(batch, seeds, k, float(times[k - 1]), float(times[k]), spec.dt, jumps, tick)
        m = observed_moments(v, eng.defect)
        for key, value in zip(("second_moment", "momentum", "energy", "moment4"), m, strict=True):
            check_finite(key, value, float(times[k]))
            rec[key][k] = value
        if tick is not None:
            tick(float(times[k]))
    rec["jumps"] = int(jumps[0])
    return rec


def simulate(gamma: float, h: float | None, n: int, t_end: float, *,
             init: str | InitSpec | np.ndarray = "maxwellian", engine: str = "fast", dt: float | None = None,
             snapshots: int = 11, seed: int = 0, kernel: str = "fixed", mutant: str | None = None,
             progress: Callable[[float, float], object] | None = None) -> dict[str, Any]:
    """Run N = ``n`` particles by ``engine`` from t = 0 to ``t_end``; return the run record (docs/spec.md §8).

    ``init``: an initial-data name or an (n × 3) array of velocities used as given (recorded as ``"array"``).
    ``h``: the grazing parameter (MBC engines; None for the baselines). ``dt``: the time step of the time-stepped
    engines (default :data:`mbc_verify.mbc.fast.DEFAULT_DT`); None for the exact engine. ``progress(t, t_end)``
    is called during the run.

    Record (numpy arrays; K = snapshots): ``times`` (K,), ``second_moment`` (K × 3 × 3, (1/N) Σ v⊗v),
    ``momentum`` (K × 3, (1/N) Σ v), ``energy`` (K, (1/N) Σ |v|²), ``moment4`` (K, (1/N) Σ |v|⁴), ``jumps`` (total
    number of pair jumps, for the fast engine the sum of the pairs' Poisson numbers; for a baseline the number of
    pair collisions), ``wall_seconds``, and the parameters ``gamma, h, n, t_end, init, engine, dt, seed,
    snapshots, kernel, mutant``.
    """
    if progress is not None and not callable(progress):
        raise ValueError(f"progress: must be callable or None, got {progress!r}")
    spec = RunSpec.build(gamma=gamma, n=n, t_end=t_end, engine=engine, h=h, dt=dt, init=init, snapshots=snapshots,
                         seed=seed, kernel=kernel, mutant=mutant)
    start = time.perf_counter()
    rec = run_record(spec, initial_velocities(spec), progress)
    return {
        **rec, "wall_seconds": time.perf_counter() - start,
        "gamma": spec.gamma, "h": spec.h, "n": spec.n, "t_end": spec.t_end, "init": spec.init_label,
        "engine": spec.engine, "dt": spec.dt, "seed": spec.seed, "snapshots": spec.snapshots, "kernel": spec.kernel,
        "mutant": spec.mutant,
    }


def advance(v: np.ndarray, t0: float, t1: float, *, gamma: float, h: float | None = None, engine: str = "fast",
            dt: float | None = None, seed: int = 0, segment: int = 1, kernel: str = "fixed",
            mutant: str | None = None) -> int:
    """Advance the velocities ``v`` (N × 3 float64, in place) from t0 to t1 as segment ``segment`` of the run with
    ``seed``, by ``engine``; return the jumps (or collisions) made. The building block of :func:`simulate`
    (which runs segment k between its snapshots k − 1 and k), validated by the same :class:`RunSpec`."""
    if not isinstance(v, np.ndarray) or v.dtype != np.float64 or not v.flags.c_contiguous:
        raise ValueError("v: must be a C-contiguous float64 array of shape (N, 3), advanced in place")
    spec = RunSpec.build(gamma=gamma, n=v.shape[0], t_end=t1 - t0, engine=engine, h=h, dt=dt, init=v, seed=seed,
                         kernel=kernel, mutant=mutant, snapshots=2)
    jumps = np.zeros(1, dtype=np.int64)
    engine_for(spec).advance(v[None], np.array([spec.seed], dtype=np.int64), segment, t0, t1, spec.dt, jumps)
    return int(jumps[0])
