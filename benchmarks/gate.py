"""CI performance gate: speed RATIOS measured in one run, compared with thresholds kept in the repo.

    python -m benchmarks.gate [--thresholds benchmarks/thresholds.json] [--json FILE] [--slowdown K]

Setting (fixed, see ``thresholds.json`` → ``setup``): Coulomb γ = −3, h = 0.1, Δt = 0.01, ``maxwellian`` data,
N = 50 000, every numba engine on ONE thread (``numba.set_num_threads(1)``), so the ratios compare algorithms, not
core counts, and do not depend on how many cores the CI machine has. Timed, each as the best of ``repeats`` runs
on a fresh copy of the same initial state, interleaved round by round (compilation done before timing):

- ``fast``: the fast MBC engine (:func:`mbc_verify.mbc.api.advance`, ``engine="fast"``) for ``steps_numba`` steps;
- ``takizuka_abe``: the Takizuka–Abe baseline through the same driver (``engine="takizuka_abe"``) for
  ``steps_numba`` steps;
- ``numpy``: :class:`mbc_verify.baselines.numpy_mbc.NumpyFastEngine` (the fast engine's algorithm in NumPy) for
  ``steps_numpy`` steps.

Ratios (cost per step of the baseline / cost per step of the fast engine; larger = fast engine better):
``fast_vs_numpy`` and ``fast_vs_takizuka_abe``. The gate FAILS (exit 1) when a ratio falls below
threshold · (1 − margin); ``margin`` (in thresholds.json) absorbs machine-to-machine and run-to-run scatter of a
ratio, which is far smaller than that of absolute times because both sides run in the same process on the same
core. ``--slowdown K`` (K ≥ 1, for the gate's own test) makes the timed fast-engine callable run the engine K
times: an artificial K-fold regression that the gate must catch. Exit 0 = pass, 1 = a ratio below its limit,
2 = bad arguments (one line naming the flag; an unwritable ``--json`` path is refused before the timing).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numba
import numpy as np

from mbc_verify.baselines.numpy_mbc import NumpyFastEngine
from mbc_verify.mbc.api import advance
from mbc_verify.mbc.initial import sample_initial
from mbc_verify.outputs import atomic_write_json, check_output_file
from mbc_verify.validation import ArgumentError

THRESHOLDS = Path(__file__).with_name("thresholds.json")


def best_times(fns: dict[str, Callable[[np.ndarray], object]], v0: np.ndarray, repeats: dict[str, int]) -> dict:
    """Best wall time of each ``fn(copy of v0)``, the callables interleaved round by round (A B C A B C …) so that
    a change of machine load hits all of them alike; ``repeats[name]`` rounds for each (copies made untimed)."""
    best = dict.fromkeys(fns, float("inf"))
    for r in range(max(repeats.values())):
        for name, fn in fns.items():
            if r >= repeats[name]:
                continue
            v = v0.copy()
            start = time.perf_counter()
            fn(v)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def measure(setup: dict[str, Any], slowdown: int = 1) -> dict[str, float]:
    """Per-step seconds of the three engines and the two ratios, for the ``setup`` of thresholds.json."""
    gamma, h, dt = setup["gamma"], setup["h"], setup["dt"]
    n, sn, sp, rep = setup["n"], setup["steps_numba"], setup["steps_numpy"], setup["repeats"]
    v0 = sample_initial("maxwellian", n, 1)

    def fast(v: np.ndarray) -> None:
        for k in range(slowdown):
            advance(v if k == 0 else v.copy(), 0.0, sn * dt, gamma=gamma, h=h, dt=dt, seed=1)

    def takizuka_abe(v: np.ndarray) -> None:
        advance(v, 0.0, sn * dt, gamma=gamma, engine="takizuka_abe", dt=dt, seed=1)

    def numpy_engine(v: np.ndarray) -> None:
        NumpyFastEngine(gamma, h, dt, 1).advance(v, 0.0, sp * dt)

    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        warm = v0[:64].copy()
        advance(warm, 0.0, dt, gamma=gamma, h=h, dt=dt)
        advance(warm, 0.0, dt, gamma=gamma, engine="takizuka_abe", dt=dt)
        best = best_times({"fast": fast, "takizuka_abe": takizuka_abe, "numpy": numpy_engine}, v0,
                          {"fast": rep, "takizuka_abe": rep, "numpy": min(rep, 2)})
    finally:
        numba.set_num_threads(old)
    t_fast, t_ta, t_np = best["fast"] / sn, best["takizuka_abe"] / sn, best["numpy"] / sp
    return {"fast_step_s": t_fast, "takizuka_abe_step_s": t_ta, "numpy_step_s": t_np,
            "fast_vs_numpy": t_np / t_fast, "fast_vs_takizuka_abe": t_ta / t_fast}


def verdict(measured: dict[str, float], thresholds: dict[str, Any]) -> list[str]:
    """Messages for every ratio below threshold · (1 − margin); empty when the gate passes."""
    margin = thresholds["margin"]
    failures = []
    for name, thr in thresholds["ratios"].items():
        limit = thr * (1.0 - margin)
        if not measured[name] >= limit:
            failures.append(f"{name} = {measured[name]:.2f} < {limit:.2f} (threshold {thr:g}, margin {margin:.0%})")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gate", description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", type=Path, default=THRESHOLDS)
    parser.add_argument("--json", type=Path, default=None, help="write the measured figures and verdict here")
    parser.add_argument("--slowdown", type=int, default=1, help="run the timed fast engine K times (gate test)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    if args.slowdown < 1:
        print("slowdown: must be an integer >= 1", file=sys.stderr)
        return 2
    try:
        if args.json is not None:
            check_output_file(args.json, "--json")  # a bad path fails now, not after the timing
        thresholds = json.loads(args.thresholds.read_text())
    except ArgumentError as exc:
        print(exc, file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"--thresholds: cannot read {str(args.thresholds)!r} ({exc.strerror})", file=sys.stderr)
        return 2
    start = time.perf_counter()
    measured = measure(thresholds["setup"], args.slowdown)
    failures = verdict(measured, thresholds)
    wall = time.perf_counter() - start
    for name in thresholds["ratios"]:
        limit = thresholds["ratios"][name] * (1.0 - thresholds["margin"])
        print(f"{name:24s} {measured[name]:8.2f}   limit {limit:6.2f}   "
              f"{'ok' if measured[name] >= limit else 'FAIL'}")
    print(f"per step: fast {measured['fast_step_s']:.3e} s, Takizuka-Abe {measured['takizuka_abe_step_s']:.3e} s, "
          f"NumPy {measured['numpy_step_s']:.3e} s (N = {thresholds['setup']['n']}, 1 thread); gate {wall:.1f} s")
    if args.json is not None:
        atomic_write_json(args.json, {"measured": measured, "failures": failures, "wall_seconds": wall,
                                      "slowdown": args.slowdown}, indent=2)
    for msg in failures:
        print("GATE FAILED:", msg)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
