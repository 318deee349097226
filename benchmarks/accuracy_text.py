"""The text of the accuracy-per-cost report: ``accuracy_cost.md`` and the README section, every figure taken from
the study's result (:mod:`benchmarks.accuracy_cost`; definitions in :mod:`benchmarks.accuracy_fit`; design after
Dimits et al. [Dim09] and Cohen et al. [Coh10], docs/references.md)."""

from __future__ import annotations

from typing import Any

from benchmarks.accuracy_report import (
    bias_lines,
    cheapest_lines,
    fit_lines,
    fronts,
    grid_lines,
    model_lines,
    model_winners,
)


def _setting(result: dict[str, Any]) -> str:
    s = result["study"]
    return (f"γ = −3 (Coulomb), `bimaxwellian:2,0.5` (T∥ = 2, T⊥ = ½), observable T∥(t) = (1/N) Σ v_z² at "
            f"t ∈ {{{', '.join(f'{t:g}' for t in result['times'])}}} (T = {s['t_end']:g}; the anisotropy "
            f"T∥ − T⊥ = (3 T∥ − 3)/2 falls from 1.5 to {1.5 * (result['tref'][-1] - 1):.3f} on [0, T], "
            f"{100 * (2 - result['tref'][-1]):.0f} % of its relaxation). Reference: the converged "
            f"axisymmetric Landau solver, `reference/axisymmetric_tpar.json` (error ≤ {result['reference_error']:.0e}; "
            "docs/spec.md §1, the paper's ½; no Monte Carlo reference). Every run starts from moment-matched data "
            "(exact T∥(0), T⊥(0)). Methods: the fast MBC engine (docs/spec.md §5.4) at h ∈ {0.05, 0.1, 0.3} and the "
            "baselines of docs/spec.md §5.6: Takizuka–Abe [TA77], Nanbu [Nan97], spherical BM [DLXY25], all with "
            "the random matching of eq. (53) and the τ-mapping of eq. (63).")


def _bias_text(result: dict[str, Any]) -> str:
    s = result["study"]
    return (f"Per method: R = {s['replicas']} replicas of N = {s['n_bias']} particles; replica r has the same "
            "initial sample and the same seed at every Δt (common random numbers), so the differences between "
            "levels are paired. b = mean over replicas of T∥ − T∥_ref, SE = replica sd/√R; a bias is resolved at "
            "the level 2 SE. The last columns compare the paired SE of b(Δt) − b(Δt/2) with the SE the difference "
            "would have from independent ensembles (the gain of common random numbers) and give the correlation "
            "of the two levels at t = T. The bias includes the finite-N bias of the N-particle master equation at "
            f"N = {s['n_bias']} (and, for the fast engine, the O(h²) difference of the MBC process from Landau): "
            "both sit in the plateau b₀ of the fit.")


def _fit_text() -> str:
    return ("b(T) = b₀ + C Δt^p fitted by generalised least squares with the covariance of the levels estimated "
            "from the replicas (95 % normal intervals from the Gauss–Newton covariance; χ² with L − 3 degrees of "
            "freedom, L − 2 for b₀ = 0). For the baselines b₀ is the finite-N bias, for the fast engine at fixed h "
            "it is the h-bias plateau of the MBC process at that h (plus the finite-N bias); the fit without b₀ "
            "tests whether a plateau is needed. An interval that spans the whole admissible range of p (0.05–4) "
            "means the order is not determined by the data. The column κ₂ is an estimate of the fast engine's "
            "h-plateau from h alone: the MBC generator multiplies the instantaneous rate of M_zz by κ₂ = sin²h/h² "
            "(docs/spec.md eqs. (27)–(28), ℓ = 2), so b₀ ≈ (κ₂ − 1) T T∥_ref'(T) to first order (it neglects the "
            "O(h²) change of the distribution's shape). The order expected for the one-partner-per-step splitting "
            "at γ = −3 is 2/3 (docs/spec.md eq. (56), measured there for the fast engine against the exact engine).")


def _cost_text(result: dict[str, Any]) -> str:
    s = result["study"]
    ns, dts = ", ".join(f"{n:.0e}" for n in s["grid_n"]), ", ".join(f"{d:g}" for d in s["grid_dts"])
    return (f"Grid N ∈ {{{ns}}} × Δt ∈ {{{dts}}}; "
            f"{s['runs']} single runs per method and grid point (the same initial samples and seeds for every "
            "method), interleaved run by run in one process with "
            f"{result['grid_threads']} numba thread (the bias ensembles use {result['threads']}), wall time per run = "
            "the minimum over the runs, the estimate least disturbed by the machine's other processes (all runs "
            "are in the JSON; the engine is prepared once beforehand, the moment matching is not timed). "
            "The noise of one run is σ = RMS over runs of max_t |T∥ − T∥_ref − b(t)|; it is taken from the bias "
            f"ensembles (R = {s['replicas']} at N = {s['n_bias']}, Δt by Δt) as σ = s/√N, s = σ(N_bias) √N_bias "
            "(central-limit scaling), because the grid's few runs per point estimate σ only to ≈ 30 %; the grid's "
            "own σ and the E it gives are shown as the check of that scaling, and so is the directly measured RMS "
            "over runs of max_t |T∥ − T∥_ref|. E = max_t |b(t)| + σ, b from the bias study at that Δt. "
            "The load average at the start was "
            f"{', '.join(f'{x:.1f}' for x in result['load_average_start'])} on {result.get('cpus', 2)} cores: "
            "absolute seconds are inflated by the load, only ratios within this run are meaningful.")


def markdown(result: dict[str, Any]) -> str:
    """accuracy_cost.md."""
    rows, parts = result["grid"], []
    parts.append("# Accuracy per cost: Coulomb temperature isotropization\n")
    parts.append(f"Produced by `{result['command']}` in {result['wall_seconds']:.0f} s of wall time.\n")
    parts.append(_setting(result) + "\n")
    parts.append("## 1. Δt bias, separated from noise\n\n" + _bias_text(result) + "\n")
    parts.append("\n".join(bias_lines(result)) + "\n")
    parts.append(f"## 2. Fitted Δt law at t = {result['study']['t_end']:g}\n\n" + _fit_text() + "\n")
    parts.append("\n".join(fit_lines(result)) + "\n")
    parts.append("## 3. Total error against cost\n\n" + _cost_text(result) + "\n")
    parts.append("\n".join(grid_lines(rows)) + "\n")
    parts.append("### Pareto fronts (wall seconds per run, E)\n")
    parts.append("\n".join(f"- **{k}**: " + "; ".join(_front_point(r) for r in v) for k, v in fronts(rows).items())
                 + "\n")
    parts.append("### Cheapest method at each accuracy level\n")
    parts.append("\n".join(cheapest_lines(rows, result["levels"])) + "\n")
    parts.append("### Beyond the grid: the cheapest run the fitted models predict\n\n" + _model_text() + "\n")
    parts.append("\n".join(model_lines(result)) + "\n")
    parts.append("![accuracy per cost](accuracy_cost.png)\n")
    return "\n".join(parts)


def _model_text() -> str:
    return ("For levels the grid does not reach: the measured max_t |b(Δt)| of §1 (interpolated linearly in log-log "
            "between the measured Δt, never beyond them), the noise σ = s/√N (central-limit scaling, s from the "
            "bias ensembles; the free slope of the grid's σ against N is shown as its check) and the cost "
            "a · N · T/Δt (a from the largest N of the grid, one thread), minimised over Δt; 'bias-limited': the "
            "bias exceeds the level at every measured Δt. A prediction from measured ingredients, not a "
            "measured run.")


def _winners(result: dict[str, Any]) -> str:
    out = []
    for lv, label, p in model_winners(result):
        out.append(f"E ≤ {lv:g}: " + ("every method bias-limited" if label is None else
                   f"{label} ({p['seconds']:.3g} s, N ≈ {p['n']:.1e}, Δt ≈ {p['dt']:.3g})"))
    return "; ".join(out)


def _front_point(r: dict[str, Any]) -> str:
    return f"N = {r['n']:.0e}, Δt = {r['dt']:g}: {r['wall_seconds']:.3g} s, E = {r['total_error']:.2e}"


def summary_lines(result: dict[str, Any]) -> list[str]:
    """Per method: the fitted law, the κ₂ estimate of the plateau, the noise constant and the cost per particle
    update relative to Takizuka–Abe (one thread, the largest N of the grid)."""
    ta = result["models"]["takizuka_abe"]["seconds_per_update"]
    lines = ["| method | order p [95 % CI] | C | plateau b₀ [95 % CI] | b₀ estimate (κ₂) | noise s (σ = s/√N) | "
             "cost per particle update ÷ TA |", "|---|---|---|---|---|---|---|"]
    for label, b in result["biases"].items():
        f, m = b["fits"]["plateau"], result["models"][label]
        est = "—" if b["plateau_estimate"] is None else f"{b['plateau_estimate']:+.1e}"
        law = ("no fit | | " if "error" in f else
               f"{f['order']:.2f} [{f['order_ci95'][0]:.2f}, {f['order_ci95'][1]:.2f}] | {f['constant']:.3f} | "
               f"{f['plateau']:+.1e} [{f['plateau_ci95'][0]:+.1e}, {f['plateau_ci95'][1]:+.1e}]")
        lines.append(f"| {label} | {law} | {est} | {m['noise_constant']:.2f} | "
                     f"{m['seconds_per_update'] / ta:.2f} |")
    return lines


def readme_section(result: dict[str, Any]) -> str:
    """The README section: setting, resolution reached, fitted laws, costs and the cheapest method per level."""
    s, rows = result["study"], result["grid"]
    se = [b["se"][-1][-1] for b in result["biases"].values()]
    return "\n".join([
        "### Accuracy per cost (Coulomb temperature isotropization)\n",
        f"`{result['command']}` ({result['wall_seconds'] / 60:.1f} min on 2 shared cores) measures the Δt bias of "
        "T∥(t) of every method against the converged axisymmetric Landau solution (`reference/axisymmetric_tpar.json`, "
        f"γ = −3, `bimaxwellian:2,0.5`, t ∈ [0, {s['t_end']:g}]), separated from noise with common random numbers "
        f"(R = {s['replicas']} paired replicas of N = {s['n_bias']} at every Δt ∈ "
        f"{{{', '.join(f'{d:g}' for d in s['dts'])}}}, the design of Dimits et al. 2009 and Cohen et al. 2010), "
        f"fits b(Δt) = b₀ + C Δt^p at t = {s['t_end']:g} by generalised least squares, and compares the total error "
        "E = max_t |bias| + σ(N) of one run with its wall time (`benchmarks/results/accuracy_cost.md`).\n",
        f"- The bias is resolved at 2 SE = {min(se) * 2:.1e} to {max(se) * 2:.1e} depending on the method (the "
        "issue asked 1e-4; reaching it would take about "
        f"{(max(se) * 2 / 1e-4) ** 2:.0f}× the replicas).",
        f"- Fitted laws at t = {s['t_end']:g}, noise and cost per particle update:\n",
        "\n".join(summary_lines(result)) + "\n",
        "- Cheapest method at each accuracy level on the measured grid (wall time per run, one thread, measured "
        "interleaved in one process under a shared machine's load: ratios are meaningful, absolute seconds are "
        "not):\n",
        "\n".join(cheapest_lines(rows, result["levels"])) + "\n",
        "- Predicted beyond the grid from the measured biases (Δt within the measured range), σ = s/√N and "
        "cost ∝ N/Δt: " + _winners(result) + ".\n",
        "![accuracy per cost](benchmarks/results/accuracy_cost.png)\n",
    ])
