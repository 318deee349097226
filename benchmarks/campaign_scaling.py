"""How the campaign scales out: parallel efficiency on this machine, task times, critical path, projection.

    python -m benchmarks.campaign_scaling IN_PROCESS/report.json DASK/report.json [--out benchmarks/results]

reads two reports of the same campaign (``mbc-verify certify --profile full --out IN_PROCESS`` and the same with
``--scheduler local:2 --out DASK``) and writes ``campaign_scaling.{md,json,png}``:

- the wall times of both runs, the speed-up S = T_in-process / T_dask (the same two cores: one process with two
  numba threads against W = 2 workers of one thread each) and the parallel efficiency of the Dask run
  E = T₁ / (W · T_dask), the share of the workers' time spent in units;
- the distribution of the unit (task) times of the Dask run (each unit on one core), their sum T₁ and the longest
  unit T_∞: units are independent, so T_∞ is the critical path (the combine step of a claim is milliseconds);
- a projection of the makespan on W workers by the longest-processing-time-first schedule of the measured unit
  times (Graham 1969: at most (4/3 − 1/(3W)) times the optimum), against the bounds max(T_∞, T₁/W).

The projection assumes the units' one-core times carry over to the workers and ignores scheduling and transfer
overhead (measured here as T_dask − makespan(2)).
"""

from __future__ import annotations

import argparse
import heapq
import json
from pathlib import Path
from typing import Any

import numpy as np

WORKERS = (1, 2, 4, 8, 16, 32, 64, 128)


def lpt_makespan(times: list[float], workers: int) -> float:
    """Makespan of the longest-processing-time-first list schedule of ``times`` on ``workers`` machines."""
    loads = [0.0] * workers
    heapq.heapify(loads)
    for t in sorted(times, reverse=True):
        heapq.heappush(loads, heapq.heappop(loads) + t)
    return max(loads)


def unit_times(report: dict[str, Any]) -> list[tuple[str, float]]:
    """(claim/unit label, seconds) of every unit a report ran (cached units excluded)."""
    return [(f"{u['claim']}/{u['key']}", float(u["seconds"])) for u in report["units"]
            if u.get("status") == "done" and not u.get("cached")]


def scaling(inproc: dict[str, Any], dask: dict[str, Any]) -> dict[str, Any]:
    """The measured and projected figures (module docstring)."""
    units = unit_times(dask)
    times = [t for _, t in units]
    t1, tinf = sum(times), max(times)
    q = np.quantile(times, [0.0, 0.25, 0.5, 0.75, 0.9, 1.0])
    proj = [{"workers": w, "lpt_makespan": lpt_makespan(times, w), "lower_bound": max(tinf, t1 / w),
             "speedup_vs_one_core": t1 / lpt_makespan(times, w)} for w in WORKERS]
    return {"in_process_wall": inproc["wall_seconds"], "dask_wall": dask["wall_seconds"],
            "speedup": inproc["wall_seconds"] / dask["wall_seconds"], "units": len(times),
            "efficiency": t1 / (2 * dask["wall_seconds"]),
            "sum_unit_seconds": t1, "critical_path_seconds": tinf,
            "critical_path_unit": max(units, key=lambda u: u[1])[0],
            "quantiles": dict(zip(("min", "q25", "median", "q75", "q90", "max"), q.tolist(), strict=True)),
            "overhead_seconds": dask["wall_seconds"] - lpt_makespan(times, 2),
            "longest_units": sorted(units, key=lambda u: -u[1])[:10], "projection": proj,
            "profile": dask["profile"], "all_passed": (inproc["all_passed"], dask["all_passed"]),
            "certificates_equal": _verdicts(inproc) == _verdicts(dask)}


def _verdicts(report: dict[str, Any]) -> list[tuple[str, str, list]]:
    return [(c["claim_id"], c["verdict"], [k["measured"] for k in c["checks"]]) for c in report["certificates"]]


def markdown(s: dict[str, Any], cmd: str) -> str:
    """The Markdown report."""
    lines = [f"# Campaign scaling ({s['profile']} profile)", "", f"Command: `{cmd}`", "",
             f"- in-process (1 process, 2 numba threads): {s['in_process_wall']:.0f} s; LocalCluster, 2 workers "
             f"× 1 thread: {s['dask_wall']:.0f} s; speed-up {s['speedup']:.2f}; parallel efficiency of the Dask run "
             f"T₁/(2 T_dask) = {s['efficiency']:.2f}",
             f"- certificates identical (verdicts and every measured value): {s['certificates_equal']}",
             f"- {s['units']} units; sum of unit times T₁ = {s['sum_unit_seconds']:.0f} s; critical path "
             f"T_∞ = {s['critical_path_seconds']:.0f} s ({s['critical_path_unit']})",
             "- unit times (s): " + ", ".join(f"{k} {v:.2f}" for k, v in s["quantiles"].items()),
             f"- scheduling overhead on 2 workers (Dask wall − LPT makespan): {s['overhead_seconds']:.0f} s", "",
             "| workers | LPT makespan (s) | bound max(T_∞, T₁/W) (s) | speed-up vs one core |", "|---|---|---|---|"]
    lines += [f"| {p['workers']} | {p['lpt_makespan']:.0f} | {p['lower_bound']:.0f} | "
              f"{p['speedup_vs_one_core']:.1f} |" for p in s["projection"]]
    lines += ["", "Longest units:", ""] + [f"- {name}: {t:.1f} s" for name, t in s["longest_units"]]
    return "\n".join(lines) + "\n"


def figure(s: dict[str, Any], times: list[float]) -> Any:
    """Histogram of unit times and the projected makespan against the worker count."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
    a.hist(times, bins=np.logspace(np.log10(max(min(times), 1e-3)), np.log10(max(times)), 30))
    a.set_xscale("log")
    a.set_xlabel("unit (task) time on one core [s]")
    a.set_ylabel("number of units")
    a.set_title(f"{s['units']} units, critical path {s['critical_path_seconds']:.0f} s", fontsize=9)
    w = [p["workers"] for p in s["projection"]]
    b.loglog(w, [p["lpt_makespan"] for p in s["projection"]], "o-", label="LPT schedule of the measured units")
    b.loglog(w, [p["lower_bound"] for p in s["projection"]], "k--", label="max(T_∞, T₁/W)")
    b.plot([2], [s["dask_wall"]], "rs", label="measured, LocalCluster(2)")
    b.set_xlabel("workers W")
    b.set_ylabel("campaign wall time [s]")
    b.legend(fontsize=8)
    fig.tight_layout()
    return fig


def main(argv: list[str] | None = None) -> None:
    import sys

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("in_process")
    p.add_argument("dask")
    p.add_argument("--out", default=str(Path(__file__).with_name("results")))
    a = p.parse_args(argv)
    inproc, dask = (json.loads(Path(x).read_text(encoding="utf-8")) for x in (a.in_process, a.dask))
    s = scaling(inproc, dask)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "campaign_scaling.json").write_text(json.dumps(s, indent=1), encoding="utf-8")
    (out / "campaign_scaling.md").write_text(markdown(s, "python -m benchmarks.campaign_scaling " + " ".join(
        sys.argv[1:] if argv is None else argv)), encoding="utf-8")
    figure(s, [t for _, t in unit_times(dask)]).savefig(out / "campaign_scaling.png", dpi=120)
    print(markdown(s, "python -m benchmarks.campaign_scaling"))


if __name__ == "__main__":
    main()
