"""Benchmark: throughput of every method vs N (particle updates per second, memory per particle).

    python -m pytest benchmarks/test_bench_baselines.py -s            (N = 10³ … 10⁶; add MBC_BENCH_1E7=1 for 10⁷)

Writes ``benchmarks/results/throughput.{json,md}`` (particle updates per second vs N, fitted cost exponent, memory
per particle at the largest N). No timed assertion.

Methods: ``fast`` (the fast MBC engine, h = 0.1), ``numpy`` (its algorithm in NumPy,
:mod:`mbc_verify.baselines.numpy_mbc`), ``takizuka_abe``, ``nanbu``, ``spherical_bm`` (:mod:`mbc_verify.baselines`).
All numba methods run with the same
thread count (``NUMBA_NUM_THREADS``, default all cores), the same matching and random-number scheme.
One particle update = one particle advanced by one step Δt. Setting: γ = −3, Δt = 0.01, ``maxwellian`` data.

Accuracy against cost (the Δt bias against the axisymmetric Landau reference, then total error against wall time)
is the study :mod:`benchmarks.accuracy_cost`.
"""
from __future__ import annotations

import json
import math
import os
import time
import tracemalloc
from pathlib import Path

import numpy as np

from mbc_verify.baselines.numpy_mbc import NumpyFastEngine
from mbc_verify.mbc.api import advance
from mbc_verify.mbc.initial import sample_initial

RESULTS = Path(__file__).with_name("results")
GAMMA, H, DT = -3.0, 0.1, 0.01
SIZES = [10**3, 10**4, 10**5, 3 * 10**5, 10**6] + ([10**7] if os.environ.get("MBC_BENCH_1E7") == "1" else [])
METHODS = ("fast", "numpy", "takizuka_abe", "nanbu", "spherical_bm")


def _stepper(method: str):
    """callable(v, steps) advancing v by ``steps`` steps of Δt with ``method``."""
    if method == "fast":
        return lambda v, steps: advance(v, 0.0, steps * DT, gamma=GAMMA, h=H, dt=DT, seed=1)
    if method == "numpy":
        return lambda v, steps: NumpyFastEngine(GAMMA, H, DT, 1).advance(v, 0.0, steps * DT)
    return lambda v, steps: advance(v, 0.0, steps * DT, gamma=GAMMA, engine=method, dt=DT, seed=1)


def _steps(method: str, n: int) -> int:
    budget = 2e5 if method == "numpy" else 4e6  # particle updates per timed run
    return max(1, int(budget // n))


def _fit_exponent(ns: list[int], secs: list[float]) -> tuple[float, float]:
    """Least-squares slope of log(seconds per step) vs log N over N ≥ 10⁵ and its standard error.

    Below 10⁵ a step costs little enough that fixed per-step overheads (the parallel region's start, NumPy's
    per-call overhead) dominate; the asymptotic exponent is the claim (O(N) per step ⇒ 1).
    """
    x = np.log([n for n in ns if n >= 10**5])
    y = np.log([s for n, s in zip(ns, secs, strict=True) if n >= 10**5])
    if x.size < 2:
        return float("nan"), float("nan")
    a = np.vstack([np.ones_like(x), x]).T
    coef, res, *_ = np.linalg.lstsq(a, y, rcond=None)
    dof = x.size - 2
    s2 = float(res[0]) / dof if dof > 0 and res.size else 0.0
    return float(coef[1]), math.sqrt(s2 * np.linalg.inv(a.T @ a)[1, 1])


def test_throughput_and_memory() -> None:
    RESULTS.mkdir(exist_ok=True)
    warm = sample_initial("maxwellian", 64, 0)
    for m in METHODS:
        _stepper(m)(warm.copy(), 1)
    table: dict[str, dict[str, list[float]]] = {m: {"n": [], "step_seconds": [], "updates_per_s": []} for m in METHODS}
    for n in SIZES:
        v0 = sample_initial("maxwellian", n, 1)
        for m in METHODS:
            steps = _steps(m, n)
            best = float("inf")
            for _ in range(2 if n * steps <= 4e6 else 1):
                v = v0.copy()
                start = time.perf_counter()
                _stepper(m)(v, steps)
                best = min(best, time.perf_counter() - start)
            table[m]["n"].append(n)
            table[m]["step_seconds"].append(best / steps)
            table[m]["updates_per_s"].append(n * steps / best)
    n_max = SIZES[-1]
    v = sample_initial("maxwellian", n_max, 1)
    tracemalloc.start()
    _stepper("numpy")(v, 1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # numba engines allocate only the state v (N × 3 float64) and the matching perm (N int64); their NRT
    # allocations are invisible to tracemalloc, so the figure is these arrays' nbytes (plus O(1) tables).
    numba_bytes = (v.nbytes + np.arange(n_max).nbytes) / n_max
    memory = {m: numba_bytes for m in METHODS if m != "numpy"}
    memory["numpy"] = v.nbytes / n_max + peak / n_max
    out = {"gamma": GAMMA, "h": H, "dt": DT, "threads": int(os.environ.get("NUMBA_NUM_THREADS", os.cpu_count() or 1)),
           "methods": table, "exponent": {m: _fit_exponent(table[m]["n"], table[m]["step_seconds"]) for m in METHODS},
           "memory_bytes_per_particle": {"n": n_max, **memory}}
    (RESULTS / "throughput.json").write_text(json.dumps(out, indent=2))
    lines = ["| method | " + " | ".join(f"N = {n:.0e}" for n in SIZES) + " | cost exponent | bytes/particle |",
             "|---|" + "---|" * (len(SIZES) + 2)]
    for m in METHODS:
        e, se = out["exponent"][m]
        lines.append(f"| {m} | " + " | ".join(f"{u:.2e}" for u in table[m]["updates_per_s"])
                     + f" | {e:.3f} ± {se:.3f} | {memory[m]:.0f} |")
    (RESULTS / "throughput.md").write_text("Particle updates per second (γ = −3, Δt = 0.01, h = 0.1 for MBC)\n\n"
                                            + "\n".join(lines) + "\n")
    print("\n" + "\n".join(lines))
    for m in METHODS:
        assert all(np.isfinite(table[m]["updates_per_s"]))
