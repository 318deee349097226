"""Benchmarks: throughput of every method vs N, and accuracy at equal cost for Coulomb relaxation.

    python -m pytest benchmarks/test_bench_baselines.py -s            (N = 10³ … 10⁶; add MBC_BENCH_1E7=1 for 10⁷)

Writes under ``benchmarks/results/``: ``throughput.{json,md}`` (particle updates per second vs N, fitted cost
exponent, memory per particle at the largest N) and ``accuracy_cost.{json,md,png}``. No timed assertion.

Methods: ``fast`` (the fast MBC engine, h = 0.1), ``numpy`` (its algorithm in NumPy,
:mod:`mbc_verify.baselines.numpy_mbc`), ``takizuka_abe``, ``nanbu``, ``spherical_bm`` (:mod:`mbc_verify.baselines`).
All numba methods run with the same
thread count (``NUMBA_NUM_THREADS``, default all cores), the same matching and random-number scheme.
One particle update = one particle advanced by one step Δt. Setting: γ = −3, Δt = 0.01, ``maxwellian`` data.

Accuracy at equal cost (Coulomb, ``bimaxwellian:2,0.5``, T∥(t) = M_zz on t ∈ [0, 2], 21 snapshots): error =
max over snapshots of |T∥ − T∥_ref|, plotted against the run's wall time, for a grid of (N, Δt) per method (and
h ∈ {0.1, 0.3} for the fast engine). Reference: the blob solver (``mbc_verify.landau.blob``) is not converged at
affordable resolutions (its T∥ drop over t ∈ [0, 0.2] changes by 30 % between n_per_dim = 8 and 12, and both
differ from the derived initial rate ``bimaxwellian.dTpar_dt.gamma=-3.Tpar=2.Tperp=0.5``), so the reference is a
Monte Carlo one, stated as such: the spherical-BM method at N_ref = 10⁶ (``MBC_BENCH_NREF``), Richardson-extrapolated
to Δt → 0 from Δt = 0.005 and 0.01 (T_ref = 2 T(0.005) − T(0.01): every method's Δt bias is O(Δt)), as the mean
of two independent halves whose difference gives its standard error (recorded; errors below ~2× that level are
not resolved). It is cached in ``results/reference_tpar.json``. Every run (reference included) starts from
moment-matched data (:func:`moment_matched`): exact initial T∥, T⊥, so the initial-sampling noise does not
swamp the comparison; the initial wall time excludes this preparation for all methods alike.
"""

from __future__ import annotations

import json
import math
import os
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from mbc_verify.baselines.numpy_mbc import NumpyFastEngine
from mbc_verify.mbc.api import advance, simulate
from mbc_verify.mbc.initial import sample_initial
from mbc_verify.runspec import BASELINES

RESULTS = Path(__file__).with_name("results")
GAMMA, H, DT = -3.0, 0.1, 0.01
SIZES = [10**3, 10**4, 10**5, 3 * 10**5, 10**6] + ([10**7] if os.environ.get("MBC_BENCH_1E7") == "1" else [])
METHODS = ("fast", "numpy", "takizuka_abe", "nanbu", "spherical_bm")
INIT, T_END, SNAPS = "bimaxwellian:2,0.5", 2.0, 21


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


def moment_matched(n: int, seed: int) -> np.ndarray:
    """``bimaxwellian:2,0.5`` particles whose empirical second moment is exactly diag(T⊥, T⊥, T∥) = diag(.5, .5, 2).

    The docs/spec.md §8 sample (zero momentum, exact energy), whitened by the Cholesky factor of its second moment and
    rescaled per axis: the initial-sampling noise of T∥(0) (std ≈ 2.8/√N) vanishes, which leaves the noise the
    dynamics generates (measured ≈ 1e-3 at N = 10⁵ for t ≤ 2). Variance reduction used for every method alike.
    """
    v = sample_initial(INIT, n, seed)
    chol = np.linalg.cholesky(v.T @ v / n)
    return np.ascontiguousarray(np.linalg.solve(chol, v.T).T * np.sqrt([0.5, 0.5, 2.0]))


def _reference() -> dict:
    """Richardson (Δt → 0) spherical-BM T∥(t), mean of two independent halves of N_ref; cached (module docstring)."""
    path = RESULTS / "reference_tpar.json"
    n_ref = int(os.environ.get("MBC_BENCH_NREF", 10**6))
    if path.exists():
        ref = json.loads(path.read_text())
        if ref["n"] == n_ref:
            return ref
    halves, wall = [], 0.0
    for seed in (777, 778):
        legs = {}
        for dt in (0.005, 0.01):
            rec = simulate(GAMMA, None, n_ref // 2, T_END, engine="spherical_bm", dt=dt,
                           init=moment_matched(n_ref // 2, seed), snapshots=SNAPS, seed=seed)
            legs[dt] = rec["second_moment"][:, 2, 2]
            wall += rec["wall_seconds"]
        halves.append(2.0 * legs[0.005] - legs[0.01])
    tpar = 0.5 * (halves[0] + halves[1])
    se = float(np.max(np.abs(halves[0] - halves[1]))) / 2.0  # per-snapshot |d|/2: s.e. of the mean (1 dof, crude)
    ref = {"n": n_ref, "times": np.linspace(0.0, T_END, SNAPS).tolist(), "tpar": tpar.tolist(),
           "halves": [h.tolist() for h in halves], "standard_error": se, "wall_seconds": wall,
           "method": "spherical_bm, Richardson in dt from 0.005 and 0.01, two halves (seeds 777, 778)"}
    path.write_text(json.dumps(ref, indent=2))
    return ref


def _accuracy_grid() -> list[tuple[str, dict]]:
    grid = []
    for n in (10**4, 10**5):
        for dt in (0.04, 0.02, 0.01):
            for m in ("takizuka_abe", "nanbu", "spherical_bm"):
                grid.append((m, {"n": n, "dt": dt}))
            for h in (0.3, 0.1):
                grid.append(("fast", {"n": n, "dt": dt, "h": h}))
    return grid


def plot_accuracy(rows: list[dict], ref_se: float, path: Path) -> None:
    """Error vs wall time: one colour per method (and h), marker per N, line = the method's Pareto front."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 5))
    markers = {10**4: "o", 10**5: "s", 10**6: "D"}
    labels = sorted({(r["method"], r.get("h")) for r in rows}, key=str)
    for idx, (method, h) in enumerate(labels):
        colour = f"C{idx}"
        sel = sorted((r for r in rows if r["method"] == method and r.get("h") == h), key=lambda r: r["wall_seconds"])
        for r in sel:
            ax.loglog(r["wall_seconds"], r["error"], markers.get(r["n"], "x"), color=colour, alpha=0.8)
        front, best = [], float("inf")
        for r in sel:
            if r["error"] < best:
                best = r["error"]
                front.append(r)
        name = method if h is None else f"fast MBC h={h}"
        ax.loglog([r["wall_seconds"] for r in front], [r["error"] for r in front], "-", color=colour, label=name)
    ax.axhline(2 * ref_se, color="grey", ls=":", label="2 × reference s.e. (not resolved below)")
    ax.set_xlabel("wall time [s]  (markers: ○ N = 10⁴, □ N = 10⁵, ◇ N = 10⁶; Δt ∈ {0.04, 0.02, 0.01})")
    ax.set_ylabel("max_t |T∥(t) − T∥_ref(t)|, t ∈ [0, 2]")
    ax.set_title("Coulomb, bimaxwellian:2,0.5: error vs cost (lines: Pareto fronts)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


@pytest.mark.parametrize("seed", [5])
def test_accuracy_at_equal_cost(seed: int) -> None:
    RESULTS.mkdir(exist_ok=True)
    ref = _reference()
    tref = np.asarray(ref["tpar"])
    simulate(GAMMA, H, 64, 0.01, init=INIT, dt=0.01, snapshots=2, seed=0)  # compile outside the timings
    for m in BASELINES:
        simulate(GAMMA, None, 64, 0.01, engine=m, init=INIT, dt=0.01, snapshots=2, seed=0)
    rows = []
    for method, p in _accuracy_grid():
        if method == "fast":
            rec = simulate(GAMMA, p["h"], p["n"], T_END, init=moment_matched(p["n"], seed), dt=p["dt"],
                           snapshots=SNAPS, seed=seed)
        else:
            rec = simulate(GAMMA, None, p["n"], T_END, engine=method, dt=p["dt"],
                           init=moment_matched(p["n"], seed), snapshots=SNAPS, seed=seed)
        err = float(np.max(np.abs(rec["second_moment"][:, 2, 2] - tref)))
        rows.append({"method": method, **p, "error": err, "wall_seconds": rec["wall_seconds"]})
    (RESULTS / "accuracy_cost.json").write_text(json.dumps({"reference": {k: ref[k] for k in ("n", "method",
                                                            "standard_error")}, "rows": rows}, indent=2))
    lines = ["| method | N | Δt | h | max |T∥ − T∥_ref| | wall s |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['method']} | {r['n']:.0e} | {r['dt']} | {r.get('h', '')} | {r['error']:.2e} | "
                     f"{r['wall_seconds']:.2f} |")
    (RESULTS / "accuracy_cost.md").write_text(
        f"Coulomb bi-Maxwellian relaxation, T∥ on [0, 2]; reference: {ref['method']}, N = {ref['n']:.0e}, "
        f"standard error {ref['standard_error']:.1e}\n\n" + "\n".join(lines) + "\n")
    plot_accuracy(rows, ref["standard_error"], RESULTS / "accuracy_cost.png")
    print("\n" + "\n".join(lines))
    assert all(math.isfinite(r["error"]) for r in rows)
