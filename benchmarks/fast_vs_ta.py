"""Per-step throughput of the fast MBC engine against Takizuka–Abe, measured as ratios in the same run.

    python -m benchmarks.fast_vs_ta [--quick] [--out benchmarks/results]

Both run through the one matched-pair driver (:mod:`mbc_verify.mbc.matching`: the same random matching, random
numbers and pair loop), from the same ``maxwellian`` state at γ = −3, on ONE numba thread, timed interleaved
(A B A B …, best of ``repeats``) so that a change of machine load hits both alike. Grid: N ∈ {5·10⁴, 10⁶},
Δt ∈ {10⁻³, 10⁻²}, h ∈ {0.05, 0.1, 0.3}. Also: the cost variation of the fast engine across h at each (N, Δt), its
two-thread speed-up at N = 10⁶ (the machine must be idle for that figure to mean anything), and the bytes per
particle of the step's state (velocities, the matching permutation). Writes ``fast_vs_ta.json`` and
``fast_vs_ta.md``. No timed assertion: the figures are reported, the CI gate (``benchmarks/gate.py``) protects
the ratio at one setting.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numba
import numpy as np

from mbc_verify.mbc.fast import fast_law
from mbc_verify.mbc.initial import sample_initial
from mbc_verify.mbc.matching import OP_TAKIZUKA_ABE, Segment, baseline_law, steps_parallel, steps_serial
from mbc_verify.mutants import NO_DEFECT

GAMMA = -3.0
HS = (0.05, 0.1, 0.3)
DTS = (1e-3, 1e-2)
RESULTS = Path(__file__).with_name("results")


def step_seconds(law: Any, v0: np.ndarray, dt: float, steps: int, parallel: bool = False) -> float:
    """Seconds per step of ``steps`` steps of the driver with ``law`` from a copy of v0."""
    run = steps_parallel if parallel else steps_serial
    v = v0.copy()
    seg = Segment(np.int64(1), np.int64(1), 0.0, steps * dt, dt)
    start = time.perf_counter()
    run(v, np.arange(v.shape[0]), seg, 0, steps, law, NO_DEFECT)
    return (time.perf_counter() - start) / steps


def interleaved(runs: dict[str, Any], repeats: int) -> dict[str, float]:
    """Best time of each callable over ``repeats`` interleaved rounds."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeats):
        for name, fn in runs.items():
            best[name] = min(best[name], fn())
    return best


def grid(sizes: tuple[int, ...], repeats: int) -> list[dict[str, Any]]:
    """Rows (N, Δt, method, h, seconds per step, particle updates per second, ratio to TA)."""
    ta = baseline_law(OP_TAKIZUKA_ABE, GAMMA)
    laws = {h: fast_law(GAMMA, h, 0) for h in HS}
    rows = []
    for n in sizes:
        v0 = sample_initial("maxwellian", n, 1)
        steps = max(2, int(2e6 // n))
        for law in (ta, *laws.values()):
            step_seconds(law, v0[:64], 1e-3, 1)  # compile outside the timing
        for dt in DTS:
            named = {"takizuka_abe": ta, **{f"fast h={h:g}": law for h, law in laws.items()}}
            runs = {name: (lambda law=law, v0=v0, dt=dt, steps=steps: step_seconds(law, v0, dt, steps))
                    for name, law in named.items()}
            best = interleaved(runs, repeats)
            for name, sec in best.items():
                rows.append({"n": n, "dt": dt, "method": name, "step_seconds": sec, "updates_per_second": n / sec,
                             "vs_takizuka_abe": best["takizuka_abe"] / sec})
    return rows


def speedup(n: int, h: float, dt: float, repeats: int) -> dict[str, float]:
    """Two-thread speed-up of one system of N particles (parallel blocks of pairs)."""
    law = fast_law(GAMMA, h, 0)
    v0 = sample_initial("maxwellian", n, 1)
    steps = 3
    step_seconds(law, v0[:8192], dt, 1, parallel=True)
    out = {}
    for threads in (1, 2):
        numba.set_num_threads(threads)
        out[threads] = min(step_seconds(law, v0, dt, steps, parallel=True) for _ in range(repeats))
    return {"n": n, "h": h, "dt": dt, "one_thread_s": out[1], "two_threads_s": out[2], "speedup": out[1] / out[2]}


def markdown(rows: list[dict[str, Any]], spread: list[dict[str, Any]], sp: dict[str, float] | None) -> str:
    lines = ["| N | Δt | method | particle updates/s (1 thread) | vs Takizuka–Abe |", "|---|---|---|---|---|"]
    lines += [f"| {r['n']:.0e} | {r['dt']:g} | {r['method']} | {r['updates_per_second']:.3e} | "
              f"{r['vs_takizuka_abe']:.2f} |" for r in rows]
    lines += ["", "| N | Δt | fast-engine cost per step, max/min over h |", "|---|---|---|"]
    lines += [f"| {s['n']:.0e} | {s['dt']:g} | {s['max_over_min']:.2f} |" for s in spread]
    if sp is not None:
        lines += ["", f"Two-thread speed-up at N = {sp['n']:.0e}, h = {sp['h']:g}, Δt = {sp['dt']:g}: "
                      f"{sp['speedup']:.2f}× ({sp['one_thread_s']:.3g} s → {sp['two_threads_s']:.3g} s per step)."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fast_vs_ta", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 5e4 only, 3 repeats (a smoke run)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        rows = grid((50_000,) if args.quick else (50_000, 1_000_000), 3 if args.quick else 5)
        sp = None if args.quick or old < 2 else speedup(1_000_000, 0.1, 1e-3, 3)
    finally:
        numba.set_num_threads(old)
    spread = []
    for n in sorted({r["n"] for r in rows}):
        for dt in DTS:
            cost = [r["step_seconds"] for r in rows if r["n"] == n and r["dt"] == dt and r["method"] != "takizuka_abe"]
            spread.append({"n": n, "dt": dt, "max_over_min": max(cost) / min(cost)})
    doc = {"gamma": GAMMA, "rows": rows, "cost_spread_over_h": spread, "two_thread_speedup": sp,
           "bytes_per_particle": 3 * 8 + 8, "numba_threads_available": old}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "fast_vs_ta.json").write_text(json.dumps(doc, indent=1) + "\n")
    text = markdown(rows, spread, sp)
    (args.out / "fast_vs_ta.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
