"""Regenerate ``reference/isotropic_mixture.json``: isotropic Landau reference values with error estimates.

For ``mixture:0.5,0.5,0.5,1.5`` and γ ∈ {0, -2, -3}: ∫|v|⁴ f, entropy ∫ f log f and Fisher information
∫|∇f|²/f at t ∈ {0.1, 0.5, 1, 2, 5}, by the conservative entropic isotropic solver
(:mod:`mbc_verify.landau.isotropic`, docs/spec.md §1 with its ½).

Error estimate of each number (all three components stored):
- grid: runs at n ∈ GRIDS (same v_max); Richardson extrapolation for a second-order scheme
  q_R = q_{4n} + (q_{4n} - q_{2n})/3; its error is estimated by the difference of the two successive
  extrapolations |q_R(2n, 4n) - q_R(n, 2n)| (and the observed order log2(|q_n - q_2n| / |q_2n - q_4n|) is
  stored to show the second-order regime);
- time stepping: |q(cfl) - q(cfl/2)| · 8/7 at the middle grid (SSP-RK3, third order);
- truncation of the velocity domain: |q(v_max) - q(1.25 v_max)| at the middle grid spacing.
``value`` = q_R, ``error`` = the sum of the three.

Usage: ``python reference/make_isotropic_mixture.py [--out reference/isotropic_mixture.json]`` (a few minutes).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np

from mbc_verify.landau.isotropic import CFL, default_v_max, solve_isotropic

INIT = "mixture:0.5,0.5,0.5,1.5"
GAMMAS = (0.0, -2.0, -3.0)
TIMES = (0.1, 0.5, 1.0, 2.0, 5.0)
T_END = 5.0
SNAPSHOTS = 51  # output every 0.1
GRIDS = (100, 200, 400)
QUANTITIES = ("moment4", "entropy", "fisher")


def run(gamma: float, n: int, *, t_end: float = T_END, snapshots: int = SNAPSHOTS, v_max: float | None = None,
        cfl: float = CFL) -> dict:
    """One solver run with the reference settings."""
    return solve_isotropic(gamma, t_end, init=INIT, snapshots=snapshots, n_grid=n, v_max=v_max, cfl=cfl)


def pick(rec: dict, t: float) -> int:
    """Index of output time t in a run record."""
    k = int(np.argmin(np.abs(np.array(rec["times"]) - t)))
    assert abs(rec["times"][k] - t) < 1e-12
    return k


def estimate(gamma: float) -> dict:
    vm = default_v_max(INIT)
    runs = {n: run(gamma, n) for n in GRIDS}
    mid = GRIDS[1]
    half_cfl = run(gamma, mid, cfl=CFL / 2)
    wider = run(gamma, int(round(mid * 1.25)), v_max=vm * 1.25)
    out: dict = {"grids": list(GRIDS), "v_max": vm, "wall_seconds": {str(n): runs[n]["wall_seconds"] for n in GRIDS},
                 "steps": {str(n): runs[n]["steps"] for n in GRIDS}, "values": {}}
    for q in QUANTITIES:
        rows = []
        for t in TIMES:
            v = [runs[n][q][pick(runs[n], t)] for n in GRIDS]
            r_fine = v[2] + (v[2] - v[1]) / 3.0
            r_coarse = v[1] + (v[1] - v[0]) / 3.0
            d01, d12 = abs(v[0] - v[1]), abs(v[1] - v[2])
            order = math.log2(d01 / d12) if d12 > 0 and d01 > 0 else None
            e_grid = abs(r_fine - r_coarse)
            e_time = abs(runs[mid][q][pick(runs[mid], t)] - half_cfl[q][pick(half_cfl, t)]) * 8.0 / 7.0
            e_vmax = abs(runs[mid][q][pick(runs[mid], t)] - wider[q][pick(wider, t)])
            rows.append({"t": t, "value": r_fine, "error": e_grid + e_time + e_vmax, "error_grid": e_grid,
                         "error_time": e_time, "error_v_max": e_vmax, "observed_order": order,
                         "per_grid": {str(n): x for n, x in zip(GRIDS, v, strict=True)}})
        out["values"][q] = rows
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).with_name("isotropic_mixture.json")))
    args = ap.parse_args()
    t0 = time.perf_counter()
    data = {"description": __doc__.split("\n\n")[0], "init": INIT, "times": list(TIMES), "t_end": T_END,
            "snapshots": SNAPSHOTS, "cfl": CFL, "normalisation": "docs/spec.md §1 (with the 1/2), mass 1, energy 3",
            "script": "reference/make_isotropic_mixture.py", "gammas": {}}
    for g in GAMMAS:
        data["gammas"][repr(g)] = estimate(g)
        print(f"gamma = {g}: done ({time.perf_counter() - t0:.0f} s)", flush=True)
    data["wall_seconds"] = time.perf_counter() - t0
    Path(args.out).write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
