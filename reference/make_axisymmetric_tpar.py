"""Regenerate ``reference/axisymmetric_tpar.json``: converged T∥(t), T⊥(t) for ``bimaxwellian:2,0.5`` at γ = -3.

The Coulomb anisotropy relaxation of docs/spec.md §1 (with its ½), t ∈ [0, 5], by the axisymmetric solver
(:mod:`mbc_verify.landau.axisymmetric`); T∥ = ∫ v_z² f, T⊥ = ½ ∫ (v_x² + v_y²) f (axis z, zero momentum).

Value and error estimate of each number:
- ``value``: Richardson extrapolation in Δt of fixed-step SDIRK4 runs (fourth order) on the fine grid FINE,
  q_R = q_{Δt/2} + (q_{Δt/2} - q_{Δt})/15 with Δt = DTS[1], DTS[2];
- ``error_time`` = |q_R(DTS[1], DTS[2]) - q_R(DTS[0], DTS[1])| (difference of successive extrapolations; the
  observed order log2(|q_{Δt} - q_{Δt/2}| / |q_{Δt/2} - q_{Δt/4}|) is stored to show the fourth-order regime);
- ``error_h``, ``error_n_xi``, ``error_v_max``: |q(FINE) - q(FINE with that one parameter coarsened)| at Δt = DTS[1]
  (the method converges spectrally in each parameter, so the difference bounds the error of the coarser
  and, a fortiori, of the finer run);
- ``error`` = the sum of the four.
``default_run`` holds the library's default run (``solve_axisymmetric(-3, 5, snapshots=SNAPSHOTS)``) for the
regression test, with its settings and wall time.

Usage: ``python reference/make_axisymmetric_tpar.py [--out reference/axisymmetric_tpar.json]`` (a few minutes).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np

from mbc_verify import __version__
from mbc_verify.landau.axisymmetric import DEFAULT_RTOL, solve_axisymmetric

INIT = "bimaxwellian:2,0.5"
GAMMA = -3.0
T_END = 5.0
SNAPSHOTS = 21  # every 0.25
FINE = {"n_r": 70, "v_max": 14.0, "n_xi": 48}  # h = 0.2
COARSE = {"n_r": 56, "v_max": 14.0, "n_xi": 48}, {"n_r": 70, "v_max": 14.0, "n_xi": 32}, \
    {"n_r": 63, "v_max": 12.6, "n_xi": 48}  # h = 0.25; n_xi = 32; v_max = 12.6 at h = 0.2
DTS = (0.25, 0.125, 0.0625)
QUANTITIES = ("tpar", "tperp")


def run(**options: object) -> dict:
    return solve_axisymmetric(GAMMA, T_END, init=INIT, snapshots=SNAPSHOTS, **options)


def build() -> dict:
    start = time.perf_counter()
    by_dt = {dt: run(dt=dt, **FINE) for dt in DTS}
    coarse = [run(dt=DTS[1], **c) for c in COARSE]
    default = run()
    out: dict = {"init": INIT, "gamma": GAMMA, "times": by_dt[DTS[0]]["times"]}
    for key in QUANTITIES:
        q = [np.array(by_dt[dt][key]) for dt in DTS]
        rich = [q[i + 1] + (q[i + 1] - q[i]) / 15.0 for i in range(2)]
        err_t = np.abs(rich[1] - rich[0])
        with np.errstate(divide="ignore", invalid="ignore"):
            order = np.log2(np.abs(q[0] - q[1]) / np.abs(q[1] - q[2]))
        errs = [np.abs(q[1] - np.array(c[key])) for c in coarse]
        total = err_t + sum(errs)
        out[key] = {"value": rich[1].tolist(), "error": total.tolist(), "error_time": err_t.tolist(),
                    "error_h": errs[0].tolist(), "error_n_xi": errs[1].tolist(), "error_v_max": errs[2].tolist(),
                    "observed_time_order": [None if not math.isfinite(x) else float(x) for x in order]}
    out["default_run"] = {k: default[k] for k in ("tpar", "tperp", "n_r", "n_xi", "v_max", "rtol", "steps",
                                                  "wall_seconds", "entropy", "fisher")}
    out["settings"] = {"fine": FINE, "coarse": list(COARSE), "dts": list(DTS), "default_rtol": DEFAULT_RTOL,
                       "snapshots": SNAPSHOTS}
    out["max_error"] = {k: max(out[k]["error"]) for k in QUANTITIES}
    out["description"] = ("Converged T∥(t) = ∫v_z² f and T⊥(t) = ½∫(v_x²+v_y²) f for the Landau equation of "
                          "docs/spec.md §1 (with the ½; a(z) = |z|^(γ+2)Π(z)) from bimaxwellian:2,0.5 at γ = -3, by "
                          "mbc_verify.landau.axisymmetric; value = Richardson extrapolation in Δt on the fine grid, "
                          "error = time + spatial error estimates (see reference/make_axisymmetric_tpar.py)")
    out["generated_by"] = f"reference/make_axisymmetric_tpar.py (mbc_verify {__version__})"
    out["wall_seconds"] = time.perf_counter() - start
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).with_name("axisymmetric_tpar.json")))
    args = ap.parse_args()
    data = build()
    Path(args.out).write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {args.out}: max error T∥ {data['max_error']['tpar']:.2e}, T⊥ {data['max_error']['tperp']:.2e} "
          f"({data['wall_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
