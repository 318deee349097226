"""``simulate``: one MBC particle run with snapshots of its observables (SPEC §6, ``mbc-verify simulate``).

The run starts from :func:`mbc_verify.mbc.initial.sample_initial` (zero momentum, exact nominal energy) and
advances segment by segment between the snapshot times ``linspace(0, t_end, snapshots)``; segment k (k ≥ 1) uses
the random-stream key (seed, k), so a record is a pure function of its parameters, bitwise, whatever the number
of numba threads. Engines (SPEC §3): ``exact`` (:func:`mbc_verify.mbc.exact.advance_exact`, every jump, any γ)
and ``fast`` (:func:`mbc_verify.mbc.fast.advance_fast`, O(N) per time step ``dt``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ..initial import InitSpec
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
from .exact import advance_exact
from .fast import advance_fast, default_dt
from .initial import initial_state
from .observables import moments

ENGINES = ("exact", "fast")


def run_segments(v: np.ndarray, times: np.ndarray, segment: Callable[[np.ndarray, float, float, int], int],
                 progress: Callable[[float, float], object] | None = None) -> tuple[dict[str, np.ndarray], int]:
    """Advance ``v`` in place through ``times`` by ``segment(v, t0, t1, k)`` (segment k ≥ 1 ends at times[k]) and
    record the moments at every time: ``times``, ``second_moment`` (K × 3 × 3), ``momentum`` (K × 3), ``energy``
    (K), ``moment4`` (K). Returns (record, total of the counts the segments returned)."""
    k_max = times.size
    second = np.empty((k_max, 3, 3))
    mom = np.empty((k_max, 3))
    en = np.empty(k_max)
    m4 = np.empty(k_max)
    second[0], mom[0], en[0], m4[0] = moments(v)
    if progress is not None:
        progress(0.0, float(times[-1]))
    count = 0
    for k in range(1, k_max):
        count += segment(v, float(times[k - 1]), float(times[k]), k)
        second[k], mom[k], en[k], m4[k] = moments(v)
        if progress is not None:
            progress(float(times[k]), float(times[-1]))
    return {"times": times, "second_moment": second, "momentum": mom, "energy": en, "moment4": m4}, count
EXACT_MAX_N = 4096
"""Largest N for the exact engine (its N × N rate matrix then takes 128 MiB)."""


def simulate(gamma: float, h: float, n: int, t_end: float, *, init: str | InitSpec | np.ndarray = "maxwellian",
             engine: str = "fast", dt: float | None = None, snapshots: int = 11, seed: int = 0,
             kernel: str = "fixed", mutant: str | None = None,
             progress: Callable[[float, float], object] | None = None) -> dict[str, Any]:
    """Run the MBC process (SPEC §3) with N = ``n`` particles from t = 0 to ``t_end``; return the run record.

    ``init``: an initial-data name (SPEC §6) or an (n × 3) array of velocities used as given (recorded as
    ``"array"``). ``dt``: time step of the fast engine (default: ``mbc.fast.default_dt(gamma, h)``); must be None
    for the exact engine. ``progress(t, t_end)`` is called at t = 0 and after each snapshot.

    Record (numpy arrays; K = snapshots): ``times`` (K,), ``second_moment`` (K × 3 × 3, (1/N) Σ v⊗v),
    ``momentum`` (K × 3, (1/N) Σ v), ``energy`` (K, (1/N) Σ |v|²), ``moment4`` (K, (1/N) Σ |v|⁴), ``jumps`` (total
    number of pair jumps; for the fast engine the sum of the pairs' Poisson numbers), ``wall_seconds``, and the
    parameters ``gamma, h, n, t_end, init, engine, dt, seed, snapshots, kernel, mutant``.
    """
    gamma = check_gamma(gamma)
    h = check_grazing(h)
    n = check_n_particles(n)
    t_end = check_positive("t_end", t_end)
    snapshots = check_int("snapshots", snapshots, 2)
    seed = check_seed(seed)
    engine = check_choice("engine", engine, ENGINES)
    kernel = check_choice("kernel", kernel, tuple(KERNELS))
    mutant = check_mutant(mutant)
    if progress is not None and not callable(progress):
        raise ValueError(f"progress: must be callable or None, got {progress!r}")
    if engine == "exact":
        if dt is not None:
            raise ValueError(f"dt: only the fast engine takes a time step (engine='exact'), got {dt!r}")
        if n > EXACT_MAX_N:
            raise ValueError(f"n: the exact engine keeps an N x N rate matrix; N must be <= {EXACT_MAX_N}, got {n}")
    else:
        dt = check_positive("dt", default_dt(gamma, h) if dt is None else dt)

    start = time.perf_counter()
    v, init_name = initial_state(init, n, seed)
    code = mutant_code(mutant, "mbc")
    kcode = KERNELS[kernel]

    def segment(w: np.ndarray, t0: float, t1: float, k: int) -> int:
        if engine == "exact":
            return advance_exact(w, t0, t1, gamma, h, seed, k, kcode, code)
        return advance_fast(w, t0, t1, gamma, h, dt, seed, k, kcode, code)

    record, jumps = run_segments(v, np.linspace(0.0, t_end, snapshots), segment, progress)
    return {
        **record, "jumps": int(jumps), "wall_seconds": time.perf_counter() - start,
        "gamma": gamma, "h": h, "n": n, "t_end": t_end, "init": init_name, "engine": engine, "dt": dt,
        "seed": seed, "snapshots": snapshots, "kernel": kernel, "mutant": mutant,
    }
