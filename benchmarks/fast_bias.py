"""Fitted order in Δt of the fast engine's bias against the exact engine.

    python -m benchmarks.fast_bias [--gammas=0,-2,-3] [--replicas 20000] [--dts=0.0025,...] [--json FILE]

For each γ: N = 64, h = 0.3, ``bimaxwellian:2.0,0.5``, observable T∥(t) = M_zz at t = t_end. The exact and fast
ensembles share the master seed, so replica r starts from the same initial state in both (common random numbers:
the initial-data noise cancels in the paired difference d_r = T∥_fast,r − T∥_exact,r). The bias b(Δt) = mean d_r
with standard error sd(d_r)/√R. The order p is the weighted least-squares slope of log|b| against log Δt (weights
from the relative standard errors, delta method), with its 95 % interval (mbc_verify.stats.fit_power_law); only Δt
whose bias exceeds 3 standard errors enter the fit. Output: a table and optionally a JSON file.
"""

from __future__ import annotations

import argparse
import math
import time

from mbc_verify.mbc.ensemble import run_ensemble
from mbc_verify.outputs import atomic_write_json, check_output_file
from mbc_verify.stats import fit_power_law
from mbc_verify.validation import ArgumentError

DTS = (0.0025, 0.005, 0.01, 0.02, 0.04, 0.08)
T_END = {0.0: 0.3, -2.0: 1.0, -3.0: 1.0}


def bias_table(gamma: float, replicas: int, dts: tuple[float, ...] = DTS, n: int = 64, h: float = 0.3,
               seed: int = 31) -> dict:
    t_end = T_END.get(gamma, 1.0)
    kw = dict(replicas=replicas, init="bimaxwellian:2.0,0.5", snapshots=2, seed=seed,
              observables=("temperatures",), return_samples=True)
    start = time.perf_counter()
    ex = run_ensemble(gamma, h, n, t_end, engine="exact", **kw)
    t_exact = time.perf_counter() - start
    ref = ex["samples"]["temperatures"][:, -1, 0]
    rows = []
    for dt in dts:
        start = time.perf_counter()
        fa = run_ensemble(gamma, h, n, t_end, engine="fast", dt=dt, **kw)
        d = fa["samples"]["temperatures"][:, -1, 0] - ref
        rows.append({"dt": dt, "bias": float(d.mean()), "se": float(d.std(ddof=1) / math.sqrt(d.size)),
                     "wall_seconds": time.perf_counter() - start})
    use = [r for r in rows if abs(r["bias"]) > 3.0 * r["se"]]
    fit = None
    if len(use) >= 2:
        lf = fit_power_law([r["dt"] for r in use], [abs(r["bias"]) for r in use],
                           [r["se"] / abs(r["bias"]) for r in use])
        lo, hi = lf.interval(0.95)
        fit = {"order": lf.slope, "ci95": [lo, hi], "points": len(use)}
    return {"gamma": gamma, "n": n, "h": h, "t_end": t_end, "replicas": replicas, "exact_T_par": float(ref.mean()),
            "exact_wall_seconds": t_exact, "rows": rows, "fit": fit}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gammas", default="0,-2,-3")
    ap.add_argument("--replicas", type=int, default=20000)
    ap.add_argument("--dts", default=",".join(str(d) for d in DTS))
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    if args.json:
        try:
            check_output_file(args.json, "--json")  # before the campaign, not after it
        except ArgumentError as exc:
            ap.error(str(exc))
    out = []
    for g in (float(x) for x in args.gammas.split(",")):
        res = bias_table(g, args.replicas, tuple(float(x) for x in args.dts.split(",")))
        out.append(res)
        print(f"gamma={g:g} N={res['n']} h={res['h']} t={res['t_end']} R={res['replicas']} "
              f"exact T_par={res['exact_T_par']:.5f} ({res['exact_wall_seconds']:.1f}s)")
        for r in res["rows"]:
            print(f"  dt={r['dt']:<7g} bias={r['bias']:+.5f} se={r['se']:.5f} z={r['bias'] / r['se']:+6.1f} "
                  f"({r['wall_seconds']:.1f}s)")
        f = res["fit"]
        if f:
            print(f"  fitted order {f['order']:.3f}, 95% CI [{f['ci95'][0]:.3f}, {f['ci95'][1]:.3f}] "
                  f"from {f['points']} points")
        else:
            print("  bias not resolved above 3 se at >= 2 step sizes: no fit")
    if args.json:
        atomic_write_json(args.json, out, indent=1)


if __name__ == "__main__":
    main()
