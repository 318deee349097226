"""Accuracy per cost of Coulomb temperature isotropization: Δt bias first, separated from noise, then total error
against wall time, for the fast MBC engine at h ∈ {0.05, 0.1, 0.3} and the Takizuka–Abe, Nanbu and spherical-BM
baselines (issue 13, item 2; the design of Dimits et al. [Dim09] and Cohen et al. [Coh10], docs/references.md).

    python -m benchmarks.accuracy_cost [--quick] [--out benchmarks/results]

1. **Bias** (:func:`bias_study`). Per method, R replicas of N_bias particles from moment-matched
   ``bimaxwellian:2,0.5`` data (:mod:`benchmarks.accuracy_runs`), the same replicas (initial samples and seeds) at
   every Δt of the study: the bias of T∥(t) against the axisymmetric Landau reference with its standard error from
   the replica spread, paired differences between levels, and the fitted law b(Δt) = b₀ + C Δt^p at t = T
   (:func:`benchmarks.accuracy_fit.fit_bias`; generalised least squares with the estimated covariance of the levels).
2. **Cost** (:func:`cost_grid`). On a grid of (N, Δt), single runs of every method, interleaved run by run in one
   process with one thread count (timings under a shared machine's load are meaningful as ratios within the run);
   the noise σ = s/√N of one run (s from the bias ensembles, checked against the grid's runs) and the total error
   E = max_t |b(t)| + σ (module :mod:`benchmarks.accuracy_fit`).
3. **Report** (:mod:`benchmarks.accuracy_report`): ``accuracy_cost.{json,md,png}`` and the README section
   ``accuracy_cost_readme.md`` under ``--out``, with the Pareto fronts and the cheapest method at each accuracy level.

Time unit: docs/spec.md eq. (1) (the paper's ½), shared by the reference, the MBC engines and the baselines
(their angle laws are calibrated to the same Landau operator, docs/spec.md §5.6, eq. (63)).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numba
import numpy as np

from benchmarks.accuracy_fit import (
    bias_stats,
    fit_bias,
    level_covariance,
    model_cheapest,
    noise_constant,
    noise_rms,
)
from benchmarks.accuracy_report import fronts, plot
from benchmarks.accuracy_runs import (
    METHODS,
    Method,
    ensemble_tpar,
    moment_matched,
    prepare,
    reference_slope,
    reference_tpar,
    timed_run,
)
from benchmarks.accuracy_text import markdown, readme_section
from mbc_verify.mbc.ensemble import replica_seeds
from mbc_verify.mbc.matching import PARALLEL_MIN_N

RESULTS = Path(__file__).with_name("results")
GRID_THREADS = 1
"""numba threads of the timed runs (the same for every method)."""
LEVELS = (1e-2, 3e-3, 1e-3)
"""Accuracy levels of the cheapest-method table (total error E)."""


@dataclass(frozen=True)
class Study:
    """Sizes of one study: horizon, bias ensembles (N_bias, replicas, Δt levels) and the cost grid."""

    t_end: float
    dts: tuple[float, ...]
    n_bias: int
    replicas: int
    grid_n: tuple[int, ...]
    grid_dts: tuple[float, ...]
    runs: int
    seed: int = 2024

    def __post_init__(self) -> None:
        if not set(self.grid_dts) <= set(self.dts):
            raise ValueError(f"grid_dts: must be among the bias levels {self.dts}, got {self.grid_dts}")
        if len(self.dts) < 3 or self.replicas < 2 or self.runs < 2:
            raise ValueError("dts: a study needs >= 3 time steps, >= 2 replicas and >= 2 runs per grid point")


FULL = Study(t_end=1.0, dts=(0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125), n_bias=4000, replicas=768,
             grid_n=(1000, 10000, 100000), grid_dts=(0.125, 0.0625, 0.03125, 0.015625, 0.0078125), runs=6)
"""The stored study (≈ 40 min on 2 shared cores)."""
QUICK = Study(t_end=1.0, dts=(0.25, 0.125, 0.0625, 0.03125), n_bias=500, replicas=96, grid_n=(500, 5000),
              grid_dts=(0.125, 0.0625), runs=3)
"""The smoke-test sizes (≈ 1 min)."""


def h_plateau_estimate(h: float | None, t_end: float) -> float | None:
    """Estimate of the fast engine's Δt → 0 bias at t = T from the grazing parameter alone: the MBC generator
    multiplies the instantaneous rate of M_zz by κ₂ = λ_h (1 − P₂(cos h))/6 = sin²h/h² (docs/spec.md eqs. (21),
    (27), (28) with ℓ = 2; exact on every state, since M_zz is a sum of pair functions of degree 2 in û), so to
    first order the run follows T∥_ref(κ₂ t): b₀ ≈ (κ₂ − 1) T T∥_ref'(T). It neglects the O(h²) change of the
    distribution's shape (the ℓ ≥ 4 rates); None for the baselines."""
    if h is None:
        return None
    return (math.sin(h) ** 2 / h**2 - 1.0) * t_end * reference_slope(t_end)


def bias_study(method: Method, study: Study, times: np.ndarray, tref: np.ndarray) -> dict[str, Any]:
    """Bias of T∥(t) per Δt level (mean, SE, max over t), paired level differences and the fitted Δt laws at
    t = T, from ``study.replicas`` common-random-number replicas (module docstring, step 1)."""
    samples, wall = ensemble_tpar(method, study.dts, study.n_bias, study.replicas, times, study.seed)
    err = samples - tref
    bias, se = bias_stats(err)
    cov = level_covariance(err[:, :, -1])
    diff = err[:-1, :, -1] - err[1:, :, -1]
    k_max = np.argmax(np.abs(bias), axis=1)
    noise = [noise_rms(samples[i], tref, bias[i]) for i in range(len(study.dts))]
    fits = {}
    for name, plateau in (("plateau", True), ("no_plateau", False)):
        try:
            fits[name] = fit_bias(study.dts, bias[:, -1], cov, plateau=plateau).as_dict()
        except (ValueError, np.linalg.LinAlgError) as exc:
            fits[name] = {"error": str(exc)}
    return {"method": method.label, "engine": method.engine, "h": method.h, "dts": list(study.dts),
            "bias": bias.tolist(), "se": se.tolist(), "cov_t_end": cov.tolist(),
            "corr_t_end": (cov / np.sqrt(np.outer(np.diag(cov), np.diag(cov)))).tolist(),
            "bias_max": [float(abs(bias[i, k])) for i, k in enumerate(k_max)],
            "bias_max_se": [float(se[i, k]) for i, k in enumerate(k_max)],
            "paired_diff": diff.mean(axis=1).tolist(),
            "paired_diff_se": (diff.std(axis=1, ddof=1) / np.sqrt(diff.shape[1])).tolist(),
            "noise_sqrt_n": [x * np.sqrt(study.n_bias) for x, _ in noise],
            "noise_sqrt_n_se": [x * np.sqrt(study.n_bias) for _, x in noise],
            "fits": fits, "plateau_estimate": h_plateau_estimate(method.h, study.t_end), "wall_seconds": wall}


def _grid_point(n: int, dt: float, study: Study, times: np.ndarray, tref: np.ndarray,
                biases: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of every method at (N, Δt): runs interleaved method by method so that load changes hit all alike."""
    seeds = replica_seeds(study.seed + 1, 0, study.runs)
    v0 = [moment_matched(n, int(s)) for s in seeds]
    engines, prep = {}, {}
    for m in METHODS:
        start = time.perf_counter()
        engines[m.label] = prepare(m, n, dt, study.t_end, 1)
        prep[m.label] = time.perf_counter() - start
    tpar = {m.label: [] for m in METHODS}
    walls = {m.label: [] for m in METHODS}
    for s, v in zip(seeds, v0, strict=True):
        for m in METHODS:
            t, w = timed_run(engines[m.label], v, int(s), times, dt)
            tpar[m.label].append(t)
            walls[m.label].append(w)
    rows = []
    for m in METHODS:
        b = biases[m.label]
        level = b["dts"].index(dt)
        sigma, sigma_se = noise_rms(np.array(tpar[m.label]), tref, np.asarray(b["bias"][level]))
        direct = float(np.sqrt(np.mean(np.max(np.abs(np.array(tpar[m.label]) - tref), axis=1) ** 2)))
        noise = b["noise_sqrt_n"][level] / math.sqrt(n)
        rows.append({"method": m.label, "n": n, "dt": dt, "wall_seconds": float(np.min(walls[m.label])),
                     "wall_all": walls[m.label], "prepare_seconds": prep[m.label], "noise": noise,
                     "sigma": sigma, "sigma_se": sigma_se, "bias_max": b["bias_max"][level],
                     "bias_max_se": b["bias_max_se"][level], "total_error": b["bias_max"][level] + noise,
                     "total_error_grid": b["bias_max"][level] + sigma, "direct_rms_error": direct})
    return rows


def warm_up(times: np.ndarray, grid_n: tuple[int, ...]) -> None:
    """Compile (or load from the numba cache) every method's serial step, and its parallel step if the grid has an
    N ≥ PARALLEL_MIN_N, outside the timings."""
    sizes = (64, PARALLEL_MIN_N) if max(grid_n) >= PARALLEL_MIN_N else (64,)
    for m in METHODS:
        for n in sizes:
            timed_run(prepare(m, n, 0.25, float(times[-1]), 1), moment_matched(n, 1), 1, times[:2], 0.25)
        ensemble_tpar(m, (0.25,), 64, 2, times[:2], 1)


def cost_grid(study: Study, times: np.ndarray, tref: np.ndarray,
              biases: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Total error and wall time per run for every method on the (N, Δt) grid (module docstring, step 2), timed
    on :data:`GRID_THREADS` numba thread(s): on a shared machine a parallel region waits for its slowest, possibly
    descheduled, thread, which swamps the cost of short runs."""
    rows, threads = [], numba.get_num_threads()
    numba.set_num_threads(GRID_THREADS)
    try:
        for n in study.grid_n:
            for dt in study.grid_dts:
                rows += _grid_point(n, dt, study, times, tref, biases)
                print(f"  grid N={n} dt={dt:g} done", flush=True)
    finally:
        numba.set_num_threads(threads)
    return rows


def cost_models(study: Study, biases: dict[str, dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per method: the noise constant s (σ ≈ s/√N; the median over Δt of the bias ensembles' σ √N_bias, with the
    free slope of the grid's σ against N as its check), the seconds per particle update a (at the largest N of the grid)
    and the cheapest (N, Δt) those models and the measured biases predict for each level (:func:`model_cheapest`)."""
    out = {}
    for label, b in biases.items():
        mine = [r for r in rows if r["method"] == label]
        slope = noise_constant([r["n"] for r in mine], [r["sigma"] for r in mine])[1]
        s = float(np.median(b["noise_sqrt_n"]))
        big = [r for r in mine if r["n"] == max(study.grid_n)]
        a = float(np.mean([r["wall_seconds"] * r["dt"] / (r["n"] * study.t_end) for r in big]))
        pred = {f"{lv:g}": model_cheapest(study.dts, b["bias_max"], s, a, lv, study.t_end) for lv in LEVELS}
        out[label] = {"noise_constant": s, "noise_slope": slope, "seconds_per_update": a, "cheapest": pred}
    return out


def run_study(study: Study) -> dict[str, Any]:
    """The whole study: reference, warm-up, bias per method, cost grid; the JSON-ready result."""
    times, tref, ref_err = reference_tpar(study.t_end)
    start = time.perf_counter()
    warm_up(times, study.grid_n)
    biases = {}
    for m in METHODS:
        biases[m.label] = bias_study(m, study, times, tref)
        print(f"  bias {m.label}: {biases[m.label]['wall_seconds']:.1f} s", flush=True)
    rows = cost_grid(study, times, tref, biases)
    return {"study": asdict(study), "times": times.tolist(), "tref": tref.tolist(), "reference_error": ref_err,
            "threads": numba.get_num_threads(), "grid_threads": GRID_THREADS, "cpus": os.cpu_count(),
            "load_average_start": os.getloadavg(), "biases": biases, "grid": rows, "levels": list(LEVELS),
            "wall_seconds": time.perf_counter() - start}


def write_report(result: dict[str, Any], out: Path) -> None:
    """Add the cost models (:func:`cost_models`) and the Pareto fronts to ``result``; write
    ``accuracy_cost.{json,md,png}`` and ``accuracy_cost_readme.md`` under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    study = result["study"]
    result["models"] = cost_models(Study(**{k: tuple(v) if isinstance(v, list) else v for k, v in study.items()}),
                                   result["biases"], result["grid"])
    result["fronts"] = {k: [(r["n"], r["dt"]) for r in v] for k, v in fronts(result["grid"]).items()}
    (out / "accuracy_cost.json").write_text(json.dumps(result, indent=1))
    (out / "accuracy_cost.md").write_text(markdown(result))
    (out / "accuracy_cost_readme.md").write_text(readme_section(result))
    plot(result, out / "accuracy_cost.png")


def main(argv: list[str] | None = None) -> None:
    """CLI: run the study (``--quick``: small sizes, ≤ 3 min on 2 cores) and write the report under ``--out``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    ap.add_argument("--out", type=Path, default=RESULTS, help="output folder")
    ap.add_argument("--from-json", type=Path, help="re-render the report of a stored accuracy_cost.json")
    args = ap.parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text())
    else:
        result = run_study(QUICK if args.quick else FULL)
        result["command"] = "python -m benchmarks.accuracy_cost" + (" --quick" if args.quick else "")
    write_report(result, args.out)
    print(f"wrote {args.out}/accuracy_cost.{{json,md,png}} and accuracy_cost_readme.md "
          f"({result['wall_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
