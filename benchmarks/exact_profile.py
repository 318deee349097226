"""What limits the exact engine: cost per jump against N, and the share of the rate updates.

    python -m benchmarks.exact_profile [--out benchmarks/results]

The exact engine (:mod:`mbc_verify.mbc.exact`) is Gillespie's direct method over all N(N−1)/2 pairs, without a
majorant (for γ < 0 the pair rate R_h = (2/N)·4|u|^γ/h² is unbounded as |u| → 0, so thinning has no bound to
thin against). After a jump of the pair (i, j) both velocities have changed, so the N − 1 rates of i and the N − 1
rates of j are new: 2(N − 1) evaluations of |u|^γ (a square root and a power or a reciprocal each) and the row
sums of the other N − 2 particles change by two increments each. This is Θ(N) work per jump that no data
structure removes: a sum tree would make the *selection* of (i, j) O(log N), but the selection is not the cost —
the update of the 2(N − 1) changed rates is, and it is intrinsic to exact all-pairs rates. An O(log N)-per-jump
update would need rates that change for O(1) pairs per jump (true only for γ = 0, where every rate is the same
constant and the engine's uniform pair choice could be done in O(1); the γ = 0 process is simulated exactly by
the fast engine for N = 2 and by uniformisation in general, so nothing is gained there by a special case).

Measured here (one thread, γ = −3, h = 0.1, ``maxwellian`` data): jumps per second and the fitted exponent of the
cost per jump against N (expected 1), and the time of the rate updates alone (2(N − 1) rate evaluations, timed
by a kernel doing only that) as a fraction of the cost per jump. Writes ``exact_profile.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numba
import numpy as np
from numba import njit

from mbc_verify.mbc.api import advance
from mbc_verify.mbc.exact import _rate, jump_law
from mbc_verify.mbc.initial import sample_initial
from mbc_verify.mutants import NO_DEFECT
from mbc_verify.stats import fit_power_law

GAMMA, H = -3.0, 0.1
SIZES = (32, 64, 128, 256, 512, 1024)
RESULTS = Path(__file__).with_name("results")


@njit(cache=True)
def _rate_updates(v: np.ndarray, law, repeats: int) -> float:  # noqa: ANN001 — a JumpLaw
    """2(N − 1) rate evaluations per repeat (the rows of a jumping pair (0, 1)), as in the engine's update."""
    acc = 0.0
    n = v.shape[0]
    for _ in range(repeats):
        for k in range(2, n):
            acc += _rate(v, 0, k, law, NO_DEFECT) + _rate(v, 1, k, law, NO_DEFECT)
    return acc


def measure(n: int) -> dict[str, float]:
    v0 = sample_initial("maxwellian", n, 0)
    advance(v0.copy(), 0.0, 1e-4, gamma=GAMMA, h=H, engine="exact")
    window = 2e4 / (n * 400.0)  # about 2e4 jumps (total rate ≈ 4 (N − 1) ⟨r^γ⟩ / h² ≈ 400 N)
    best = float("inf")
    for _ in range(3):
        v = v0.copy()
        start = time.perf_counter()
        jumps = advance(v, 0.0, window, gamma=GAMMA, h=H, engine="exact")
        best = min(best, (time.perf_counter() - start) / jumps)
    law = jump_law(GAMMA, H, 0, n, NO_DEFECT)
    _rate_updates(v0, law, 1)
    reps = max(1, int(2e5 // n))
    start = time.perf_counter()
    _rate_updates(v0, law, reps)
    update = (time.perf_counter() - start) / reps
    return {"n": n, "seconds_per_jump": best, "jumps_per_second": 1.0 / best, "rate_update_seconds": update,
            "rate_update_share": update / best}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.exact_profile", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        rows = [measure(n) for n in SIZES]
    finally:
        numba.set_num_threads(old)
    fit = fit_power_law([r["n"] for r in rows], [r["seconds_per_jump"] for r in rows])
    lo, hi = fit.interval(0.95)
    doc = {"gamma": GAMMA, "h": H, "rows": rows, "cost_exponent": fit.slope, "cost_exponent_95": [lo, hi]}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "exact_profile.json").write_text(json.dumps(doc, indent=1) + "\n")
    lines = ["| N | jumps/s | rate updates (2(N−1) evaluations) / cost per jump |", "|---|---|---|"]
    lines += [f"| {r['n']} | {r['jumps_per_second']:.3e} | {r['rate_update_share']:.2f} |" for r in rows]
    lines += ["", f"Cost per jump ∝ N^p, p = {fit.slope:.3f} (95 % interval [{lo:.3f}, {hi:.3f}])."]
    text = "\n".join(lines) + "\n"
    (args.out / "exact_profile.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
