"""Report of the accuracy-per-cost study (:mod:`benchmarks.accuracy_cost`): ``accuracy_cost.json`` (everything),
``accuracy_cost.md`` (tables), ``accuracy_cost.png`` (total error against wall time with Pareto fronts; bias against
Δt with the fitted laws) and ``accuracy_cost_readme.md`` (the README section, every number from the result).

Definitions (bias, resolution level 2 SE, fitted law b₀ + C Δt^p, noise σ, total error E, Pareto front) are those
of :mod:`benchmarks.accuracy_fit`; the design follows Dimits et al. [Dim09] and Cohen et al. [Coh10]
(docs/references.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.accuracy_fit import cheapest, pareto_front


def _ci(fit: dict[str, Any], name: str, fmt: str) -> str:
    if "error" in fit:
        return "—"
    lo, hi = fit[name + "_ci95"]
    return f"{fit[name]:{fmt}} [{lo:{fmt}}, {hi:{fmt}}]"


def _chi2(fit: dict[str, Any]) -> str:
    if "error" in fit:
        return fit["error"]
    pv = fit["chi2_pvalue"]
    return f"{fit['chi2']:.1f}/{fit['dof']}" + ("" if pv is None else f" (p = {pv:.2f})")


def bias_lines(result: dict[str, Any]) -> list[str]:
    """The bias table: per method and Δt, b(T) ± SE, max_t |b|, resolution 2 SE, paired difference, correlation."""
    t_end = result["study"]["t_end"]
    lines = [f"| method | Δt | b(T={t_end:g}) ± SE | max_t abs(b) ± SE | resolved at (2 SE) | "
             "b(Δt) − b(Δt/2) ± paired SE | unpaired SE | corr(Δt, Δt/2) |", "|---|---|---|---|---|---|---|---|"]
    for b in result["biases"].values():
        for i, dt in enumerate(b["dts"]):
            row = (f"| {b['method']} | {dt:g} | {b['bias'][i][-1]:+.2e} ± {b['se'][i][-1]:.1e} | "
                   f"{b['bias_max'][i]:.2e} ± {b['bias_max_se'][i]:.1e} | {2 * b['se'][i][-1]:.1e} |")
            if i + 1 < len(b["dts"]):
                unpaired = float(np.hypot(b["se"][i][-1], b["se"][i + 1][-1]))
                row += (f" {b['paired_diff'][i]:+.2e} ± {b['paired_diff_se'][i]:.1e} | {unpaired:.1e} | "
                        f"{b['corr_t_end'][i][i + 1]:.2f} |")
            else:
                row += " | | |"
            lines.append(row)
    return lines


def fit_lines(result: dict[str, Any]) -> list[str]:
    """The fit table: the law b(T) = b₀ + C Δt^p per method, with and without the plateau b₀."""
    lines = ["| method | order p [95 % CI] | constant C [95 % CI] | plateau b₀ [95 % CI] | b₀ estimate (κ₂) | χ²/dof | "
             "p with b₀ = 0 [95 % CI] | C with b₀ = 0 | χ²/dof (b₀ = 0) |", "|---|---|---|---|---|---|---|---|---|"]
    for b in result["biases"].values():
        f, g = b["fits"]["plateau"], b["fits"]["no_plateau"]
        est = "—" if b["plateau_estimate"] is None else f"{b['plateau_estimate']:+.1e}"
        lines.append(f"| {b['method']} | {_ci(f, 'order', '.2f')} | {_ci(f, 'constant', '.2e')} | "
                     f"{_ci(f, 'plateau', '+.1e')} | {est} | {_chi2(f)} | {_ci(g, 'order', '.2f')} | "
                     f"{_ci(g, 'constant', '.2e')} | {_chi2(g)} |")
    return lines


def grid_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The cost grid: wall seconds per run, noise σ, bias, total error E and the directly measured RMS error."""
    lines = ["| method | N | Δt | wall s/run (min) | max_t abs(b) | σ = s/√N | E = max abs(b) + σ | "
             "σ of the grid's runs ± SE | E with it | RMS max_t abs(T∥ − T_ref) (direct) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['method']} | {r['n']:.0e} | {r['dt']:g} | {r['wall_seconds']:.3g} | "
                     f"{r['bias_max']:.2e} | {r['noise']:.2e} | {r['total_error']:.2e} | "
                     f"{r['sigma']:.2e} ± {r['sigma_se']:.1e} | {r['total_error_grid']:.2e} | "
                     f"{r['direct_rms_error']:.2e} |")
    return lines


def _point(r: dict[str, Any]) -> str:
    return f"{r['method']} (N = {r['n']:.0e}, Δt = {r['dt']:g}): {r['wall_seconds']:.3g} s, E = {r['total_error']:.2e}"


def fronts(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Pareto fronts (wall seconds, E): per method, and ``"overall"`` over all methods."""
    groups = {r["method"]: [] for r in rows}
    for r in rows:
        groups[r["method"]].append(r)
    groups["overall"] = rows
    return {k: [g[i] for i in pareto_front([r["wall_seconds"] for r in g], [r["total_error"] for r in g])]
            for k, g in groups.items()}


def cheapest_lines(rows: list[dict[str, Any]], levels: list[float]) -> list[str]:
    """Per accuracy level: the cheapest run overall and each method's cheapest wall time (ratio to the best)."""
    methods = list(dict.fromkeys(r["method"] for r in rows))
    lines = ["| E ≤ | cheapest | " + " | ".join(methods) + " |", "|---|---|" + "---|" * len(methods)]
    for level in levels:
        best = cheapest(rows, level)
        cells = []
        for m in methods:
            c = cheapest([r for r in rows if r["method"] == m], level)
            cells.append("not reached" if c is None or best is None else
                         f"{c['wall_seconds']:.3g} s (×{c['wall_seconds'] / best['wall_seconds']:.1f}; "
                         f"N = {c['n']:.0e}, Δt = {c['dt']:g})")
        lines.append(f"| {level:.0e} | {'none on the grid' if best is None else best['method']} | "
                     + " | ".join(cells) + " |")
    return lines


def _pred(p: dict[str, float] | None) -> str:
    if p is None:
        return "bias-limited"
    return f"{p['seconds']:.3g} s (N = {p['n']:.1e}, Δt = {p['dt']:.3g})"


def model_lines(result: dict[str, Any]) -> list[str]:
    """The model table: σ ≈ s/√N (free slope as a check), seconds per particle update, predicted cheapest runs."""
    levels = [f"{lv:g}" for lv in result["levels"]]
    lines = ["| method | s (σ ≈ s/√N) | free slope of the grid's log σ | s per particle update | "
             + " | ".join(f"predicted E ≤ {lv}" for lv in levels) + " |", "|---|---|---|---|" + "---|" * len(levels)]
    for label, m in result["models"].items():
        cells = [_pred(m["cheapest"].get(lv)) if m["cheapest"] else "no fit" for lv in levels]
        lines.append(f"| {label} | {m['noise_constant']:.3f} | {m['noise_slope']:.2f} | "
                     f"{m['seconds_per_update']:.2e} | " + " | ".join(cells) + " |")
    return lines


def model_winners(result: dict[str, Any]) -> list[tuple[float, str | None, dict[str, float] | None]]:
    """Per level: the method with the least predicted cost (None where every method is bias-limited)."""
    out = []
    for lv in result["levels"]:
        preds = [(m["cheapest"][f"{lv:g}"]["seconds"], label, m["cheapest"][f"{lv:g}"])
                 for label, m in result["models"].items() if m["cheapest"] and m["cheapest"][f"{lv:g}"] is not None]
        out.append((lv, *min(preds)[1:]) if preds else (lv, None, None))
    return out


def plot(result: dict[str, Any], path: Path) -> None:
    """Left: E against wall seconds per run (log-log), Pareto fronts; right: |b(T)| against Δt, fitted laws."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(13, 5.2))
    markers = dict(zip(result["study"]["grid_n"], "os^Dv", strict=False))
    front = fronts(result["grid"])
    for idx, b in enumerate(result["biases"].values()):
        colour, m = f"C{idx}", b["method"]
        for r in (r for r in result["grid"] if r["method"] == m):
            ax.loglog(r["wall_seconds"], r["total_error"], markers[r["n"]], color=colour, alpha=0.7, ms=5)
        ax.loglog([r["wall_seconds"] for r in front[m]], [r["total_error"] for r in front[m]], "-", color=colour,
                  label=m)
        _bias_panel(bx, b, colour, 1.0 + 0.025 * (idx - 2.5))
    ax.loglog([r["wall_seconds"] for r in front["overall"]], [r["total_error"] for r in front["overall"]], "k--",
              lw=2, alpha=0.5, label="overall Pareto front")
    for level in result["levels"]:
        ax.axhline(level, color="grey", ls=":", lw=0.8)
    symbol = {"o": "○", "s": "□", "^": "△", "D": "◇", "v": "▽"}
    ns = ", ".join(f"{symbol[mk]} N = {n:.0e}" for n, mk in markers.items())
    ax.set_xlabel(f"wall seconds per run (one process, {result['grid_threads']} thread; markers {ns})")
    ax.set_ylabel("total error E = max_t |bias| + s/√N")
    ax.set_title("Coulomb, bimaxwellian:2,0.5, T∥ on [0, T]: error vs cost")
    ax.legend(fontsize=8)
    bx.set_xlabel("Δt")
    bx.set_ylabel(f"|b(T = {result['study']['t_end']:g})| = |E T∥ − T∥_ref|  (bars: 2 SE)")
    bx.set_title(f"Δt bias, N = {result['study']['n_bias']}, R = {result['study']['replicas']}; lines: b₀ + C Δt^p")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _bias_panel(bx: Any, b: dict[str, Any], colour: str, shift: float) -> None:
    """|b(T)| ± 2 SE against Δt (abscissae scaled by ``shift`` to separate the methods) and the fitted law."""
    dts = np.asarray(b["dts"]) * shift
    bias = np.array([row[-1] for row in b["bias"]])
    se = np.array([row[-1] for row in b["se"]])
    bx.errorbar(dts, np.abs(bias), yerr=2 * se, fmt="o", color=colour, ms=4, capsize=2, label=b["method"])
    fit = b["fits"]["plateau"]
    if "error" not in fit:
        fine = np.geomspace(dts.min(), dts.max(), 50)
        law = fit["plateau"] + fit["constant"] * (fine / shift) ** fit["order"]
        bx.loglog(fine, np.abs(law), "-", color=colour, lw=1)
    bx.set_xscale("log")
    bx.set_yscale("log")
    bx.legend(fontsize=7)
