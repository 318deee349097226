"""Regenerate ``reference/bkw_checks.json``: the BKW solution (γ = 0, docs/spec.md §4) and the isotropic solver
against it.

Part 1 (exact): for K0 ∈ K0S at t ∈ TIMES: K(t) (derived key ``bkw.K``), ∫|v|⁴ f by the BKW formula and by the
closed-form solution of the derived moment ODE (two independent routes), entropy and Fisher information by
quadrature, and mass/energy/∫|v|⁴ f of the BKW density by quadrature.

Part 2 (solver): γ = 0 from ``bkw:0.7`` on t ∈ [0, 0.5] (11 output times); for each grid
n ∈ GRIDS the largest relative error of ∫|v|⁴ f, entropy and Fisher information against the exact values, and
the least-squares order of each error in n.

Usage: ``python reference/make_bkw_checks.py [--out reference/bkw_checks.json]`` (under a minute).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
from scipy import integrate

from mbc_verify.landau import maxwell
from mbc_verify.landau.densities import radial_density
from mbc_verify.landau.isotropic import solve_isotropic

K0S = (0.6, 0.7, 0.9)
TIMES = tuple(np.round(np.linspace(0.0, 2.0, 11), 12))
SOLVER_K0 = 0.7
SOLVER_T_END = 0.5
SOLVER_SNAPSHOTS = 11
GRIDS = (50, 100, 200, 400)


def exact_part(k0: float) -> dict:
    sol = maxwell.bkw_solution(k0, np.array(TIMES))
    ode_m4 = maxwell.moment4_exact(np.eye(3), maxwell.bkw_moment4(k0), np.array(TIMES)).tolist()

    def quad_moment(k: float, p: int) -> float:
        return integrate.quad(lambda r: 4 * math.pi * r ** p * radial_density(f"bkw:{k}", np.array([r]))[0],
                              0, 40, epsabs=0, epsrel=1e-12, limit=200)[0]

    quad = {"mass": [quad_moment(k, 2) for k in sol["K"]], "energy": [quad_moment(k, 4) for k in sol["K"]],
            "moment4": [quad_moment(k, 6) for k in sol["K"]]}
    return {"k0": k0, **sol, "moment4_ode": ode_m4, "quadrature": quad,
            "max_rel_diff_formula_vs_ode": float(np.max(np.abs(np.array(ode_m4) / sol["moment4"] - 1))),
            "max_rel_diff_formula_vs_quadrature": float(np.max(np.abs(np.array(quad["moment4"]) / sol["moment4"]
                                                                      - 1)))}


def solver_errors(n: int) -> dict:
    rec = solve_isotropic(0.0, SOLVER_T_END, init=f"bkw:{SOLVER_K0}", n_grid=n, snapshots=SOLVER_SNAPSHOTS)
    ex = maxwell.bkw_solution(SOLVER_K0, np.array(rec["times"]))
    err = {q: float(np.max(np.abs(np.array(rec[q]) / np.array(ex[q]) - 1))) for q in ("moment4", "entropy",
                                                                                       "fisher")}
    return {"n": n, "max_rel_error": err, "steps": rec["steps"], "wall_seconds": rec["wall_seconds"],
            "v_max": rec["v_max"]}


def fitted_order(ns: list[int], errs: list[float]) -> dict:
    x, y = np.log(ns), np.log(errs)
    a = np.vstack([np.ones_like(x), -x]).T
    coef, res, *_ = np.linalg.lstsq(a, y, rcond=None)
    s2 = float(res[0]) / (len(ns) - 2) if len(ns) > 2 and res.size else 0.0
    se = math.sqrt(s2 * np.linalg.inv(a.T @ a)[1, 1])
    return {"order": float(coef[1]), "std_error": se,
            "local_orders": [math.log2(errs[i] / errs[i + 1]) for i in range(len(errs) - 1)]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).with_name("bkw_checks.json")))
    args = ap.parse_args()
    t0 = time.perf_counter()
    exact = [exact_part(k0) for k0 in K0S]
    runs = [solver_errors(n) for n in GRIDS]
    orders = {q: fitted_order(list(GRIDS), [r["max_rel_error"][q] for r in runs]) for q in ("moment4", "entropy",
                                                                                           "fisher")}
    data = {"description": __doc__.split("\n\n")[0], "script": "reference/make_bkw_checks.py",
            "normalisation": "docs/spec.md §1 (with the 1/2), mass 1, energy 3", "times": list(TIMES), "exact": exact,
            "solver": {"init": f"bkw:{SOLVER_K0}", "gamma": 0.0, "t_end": SOLVER_T_END,
                       "snapshots": SOLVER_SNAPSHOTS, "runs": runs, "orders": orders},
            "wall_seconds": time.perf_counter() - t0}
    Path(args.out).write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {args.out} ({data['wall_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
