"""C9: Fisher-information control at the particle level (docs/spec.md §6, C9; eq. (67)).

**What the paper states.** The analysis rests on a Fisher-information dissipation mechanism that extends
Guillén–Silvestre's to the conservative N-particle system and controls singular (near-collision) configurations.
The paper's quantity is the Fisher information of the N-particle law; the certificate computes it exactly for N = 2
and tests its monotonicity numerically (evidence, not proof).

**(a) N = 2 exactly** (:mod:`mbc_verify.mbc.pair_law`, :mod:`mbc_verify.mbc.pair_search`). The law of (v₁, v₂)
evolves only through u = v₁ − v₂ on each sphere |u| = r: degree-ℓ harmonics decay by exp(−λ_h(r)(1 − P_ℓ(cos h)) t)
under MBC and by exp(−r^γ ℓ(ℓ+1) t) under the master equation; I(F) = ½ I_c + 2 I_u for laws of product form in
(c, u), I by radial × angular quadrature (≥ 10 digits, convergence shown). An adversarial search over parameterised
initial laws (mixtures, angular modulations across radii, modulations correlated with radial gradients), in two
tiers: the exact small-amplitude worst ratio λ* (the second-order dissipation is non-positive for every
perturbation iff λ* ≤ 1) and a finite-amplitude search of the largest increase of I over [0, T] (not only dI/dt at
t = 0). For γ ∈ {−3, −2.5, −2, −1, 0, 1}, the master equation and MBC at h from 0.05 to 1 (quick: h ∈ {0.05, 1}).

The claim concerns the N-particle law of the MBC process from chaotic data, which is exchangeable; its pair fibres
are even in u (exchangeable two-particle laws), the class of Guillén–Silvestre's symmetric-function inequality
(their Theorem 1.1; S. Ji, arXiv:2408.13954: "positive symmetric functions"). **Finding** (reported in the
details, the README and pinned in tests/test_pair_search.py): for NON-exchangeable two-particle laws the Fisher
information increases at γ = −3, under the master equation and under MBC at every h (the ℓ = 1 mode: the
second-order dissipation is non-positive iff |γ| ≤ 2√(ℓ(ℓ+1)) = 2√2 < 3; counterexample
:func:`mbc_verify.mbc.pair_search.counterexample_law`, dI_u/dt(10⁻⁵) = +4.0152e-4, converged to 1e-16). It does not
contradict the statement for exchangeable laws, and the certificate tests exactly that class, with the general
class reported for every γ.

Checks: exchangeable laws λ* ≤ 1 and no resolved increase in the finite-amplitude search; general laws the same
for γ ≥ −2.5 (where |γ| ≤ 2√2); the negative control — the non-power rate law α(r) = 1 + 0.9 tanh((r − 1.5)/0.1),
which violates Guillén–Silvestre's hypothesis r|α'| ≤ √22 α (sup r|α'|/α ≈ 17.9) — DOES show an increase (the
certificate can fail); the quadrature converged to 10⁻¹⁰; the N = 2 relative entropy (w.r.t. the uniform law on each
sphere, a consequence of reversibility) non-increasing even where I increases.

**N ≥ 3** (:data:`mbc_verify.mbc.pair_search.N_PARTICLE_STATEMENT`, proofs_checks/derivations/lifting.py): the
N-particle dissipation reduces exactly (symbolic identities) to pair terms ≤ 0 plus twice the N = 2 dissipation of
each fibre; for exchangeable N-particle laws every fibre is an exchangeable pair law. Certified: the reduction and
the N = 2 inequality on the searched families; not certified: any N ≥ 3 law's Fisher information (not computed).

**N = 3 relative entropy** (:mod:`mbc_verify.mbc.microcanonical_entropy`): H(F_t | U) of the 3-particle law with
respect to the uniform law U on the microcanonical sphere S⁵ (a consequence of reversibility: non-increasing), by a
Kozachenko–Leonenko estimator with a stated error (3 se + |bias|), along exact-engine ensembles from
``bimaxwellian:4,0.25`` at γ = −3 (quick; also −2, 0 in full); and the invariance of U itself: from ``maxwellian``
data the law is exactly U, the estimator is exactly unbiased there, and Ĥ(F_t | U)/se ≤ 5. Planted defect that
fails the invariance check: ``biased_azimuth`` (an anisotropic kernel does not keep U).

**(b) The Hardy-type pair moment** (secondary), along MBC runs (fast engine) for γ = −3, −2 from chaotic data with
finite I(f₀) (``bkw:0.7``, ``bimaxwellian:2,0.5``): S(t) = E[(1/(N(N−1))) Σ_{i≠j} |v_i − v_j|^{-2}] ≤ I(f₀)/2
(Hardy's inequality with C_H = 4 and Stam's inequality, key ``hardy.S_bound_constant``; I(f_t) ≤ I(f₀) by
Guillén–Silvestre), measured as the upper 5σ limit of the truncated moment S_M(t) (pair terms min(|u|⁻², M),
M = :data:`HARDY_CAP`), which is ≤ S(t), so S_M ≤ I(f₀)/2 is implied by the statement. A single untruncated pair
term has infinite variance in R³ (E|u|⁻⁴ diverges at u = 0), so the mean of S would have no valid 5σ interval: one
near collision among the replicas lifts it (seed 11 of the false-alarm study, issue 12: 1.38 of the bound); the
truncated term is bounded by M and its variance is finite. The untruncated mean is reported in the details. No
planted defect fails it (``biased_azimuth`` lowers S(t)); C9's declared catch is the N = 3 invariance check.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..certificate import Check
from ..landau.densities import hardy_stam_bound
from ..landau.maxwell import initial_fisher
from ..mbc import pair_search as ps
from ..mbc.ensemble import ensemble_states
from ..mbc.microcanonical_entropy import mbc_relative_entropy, uniform_invariance
from ..mbc.observables import pair_singular_moments
from ..mbc.pair_law import Dynamics, convergence, evaluate, modulated_law
from ..mbc.rate_laws import PowerLaw, TanhStep
from ..stats import mean_stderr
from .base import Claim, Context
from .common import figure, label, max_or_nan
from .registry import register

Z_MARGIN = 5.0
EPS = float(np.finfo(np.float64).eps)
GENERAL_GAMMA_MIN = -2.5
"""General (non-exchangeable) laws are certified for γ ≥ this; below it the counterexample applies (|γ| > 2√2)."""


def _run(gamma: float, init: str, n: int, h: float) -> dict[str, Any]:
    return {"gamma": gamma, "init": init, "n": n, "h": h}


HARDY_CAP = 100.0
"""M of the truncated Hardy moment: pair terms min(|u|⁻², M), i.e. pairs closer than M^{-1/2} = 0.1 (a tenth of the
unit thermal speed) count as |u| = 0.1. The truncation removes ∫_{|u|<ρ} (|u|⁻² − ρ⁻²) k du ≈ (8π/3) ρ k(0) of S
(ρ = 0.1: about 1 % on the quick runs' data); the variance of a term is ≤ ∫ min(|u|⁻⁴, M²) k du ≈ (16π/3) k(0) √M."""

N3_INIT = "bimaxwellian:4,0.25"
"""The N = 3 decay runs' datum: far from U (Ĥ(F₀ | U) ≫ its error) and of finite entropy."""


def singular_moment(v: np.ndarray, cap: float) -> tuple[float, float]:
    """(S_M, S) of one configuration: (1/(N(N−1))) Σ_{i≠j} min(|v_i − v_j|^{-2}, cap) and the untruncated sum (inf
    if two velocities coincide), in one pass over the pairs."""
    n = v.shape[0]
    truncated, full = pair_singular_moments(np.ascontiguousarray(v), -2.0, cap)
    return truncated * n / (n - 1), full * n / (n - 1)


def singular_run(gamma: float, init: str, n: int, h: float, replicas: int, t_end: float, snapshots: int, seed: int,
                 mutant: str | None) -> dict:
    """One run: the truncated moment S_M(t) over the replicas at the snapshots, against the bound I(f₀)/2 (module
    docstring, (b)); the untruncated mean S(t) alongside (no valid interval: infinite variance)."""
    times, states = ensemble_states(gamma, h, n, t_end, replicas=replicas, init=init, snapshots=snapshots,
                                    seed=seed, mutant=mutant)
    both = np.array([[singular_moment(states[r, i], HARDY_CAP) for i in range(snapshots)] for r in range(replicas)])
    s, full = both[..., 0], both[..., 1]
    mean, se = mean_stderr(s, axis=0)
    b = hardy_stam_bound(initial_fisher(init))
    upper = (mean + Z_MARGIN * se) / b
    ratio = float(np.max(upper)) if np.all(np.isfinite(upper)) else math.inf
    return {"gamma": gamma, "init": init, "n": n, "h": h, "fisher0": 2 * b, "bound": b, "times": times,
            "S_mean": mean, "S_se": se, "S_untruncated_mean": full.mean(axis=0), "cap": HARDY_CAP,
            "max_upper5sigma_over_bound": ratio}


def entropy_traces() -> dict[str, dict]:
    """The N = 2 relative entropy along the control law (step rate law and r⁻³, master and MBC h = 0.5) and the
    counterexample law (r⁻³): the largest increase between consecutive times and its round-off scale."""
    times = np.linspace(0.0, 2.0, 21)
    cases = {"control, step law, master": (ps.control_law(), Dynamics(TanhStep())),
             "control, step law, MBC h=0.5": (ps.control_law(), Dynamics(TanhStep(), "mbc", 0.5)),
             "control, r^-3, master": (ps.control_law(), Dynamics(PowerLaw(-3.0))),
             "counterexample, r^-3, master": (ps.counterexample_law(), Dynamics(PowerLaw(-3.0)))}
    out = {}
    for name, (law, dyn) in cases.items():
        ev = evaluate(law, dyn, times)
        out[name] = {"times": times, "entropy": ev["entropy"],
                     "largest_increase": float(np.max(np.diff(ev["entropy"]))),
                     "roundoff": float(8 * EPS * np.max(ev["entropy_scale"]))}
    return out


def _worst(rows: list[dict], key: str) -> dict:
    return max(rows, key=lambda r: r[key] if math.isfinite(r[key]) else -math.inf)


def _resolved_increases(rows: list[dict]) -> int:
    """Rows whose finite-amplitude search found a resolved increase (ν > 0, above the quadrature error)."""
    return sum(1 for r in rows if r.get("nonlinear_rate", -1.0) > 0.0 and (r["rate_significant"]
                                                                            or r["increase_significant"]))


def pair_checks(data: dict) -> list[Check]:
    """The checks of part (a), from the table, the control, the convergence and the entropy traces."""
    rows = data["table"]
    exch = [r for r in rows if r["law_class"] == "exchangeable"]
    general = [r for r in rows if r["law_class"] == "general" and r["gamma"] >= GENERAL_GAMMA_MIN]
    w = _worst(exch, "linear_ratio")
    wg = _worst(general, "linear_ratio")
    ctl = data["control"]
    conv = [c for part in data["convergence"].values() for c in (part["fisher"], part["dfisher"])]
    worst_conv = max(c["diff_to_finest"][-1] / max(abs(c["values"][-1]), 1e-300) for c in conv)
    ent = max(data["entropy"].values(), key=lambda e: e["largest_increase"] - e["roundoff"])
    tol = ps.LINEAR_TOLERANCE
    return [
        Check("exchangeable laws: worst second-order ratio λ*", w["linear_ratio"], 1.0, tol, "le",
              "λ* ≤ 1 ⟺ the second-order dissipation of I is ≤ 0 for every perturbation (exact worst case over the "
              f"searched radial families); tolerance: the quadrature spread of λ* across levels ({tol:g})",
              f"max over γ and dynamics of λ*; worst: γ = {w['gamma']:g}, {w['dynamics']}"),
        Check("exchangeable laws: resolved increases in the finite-amplitude search", _resolved_increases(exch), 0.0,
              0.0, "abs", "an increase counts when dI/dt or the window increase exceeds its quadrature error (level "
              "difference)", "number of (γ, dynamics) rows whose worst searched law increases I on [0, T]"),
        Check(f"general laws, γ ≥ {GENERAL_GAMMA_MIN:g}: worst second-order ratio λ*", wg["linear_ratio"], 1.0, tol,
              "le", "as for exchangeable laws; below γ = −2√2 the ℓ = 1 mode breaks it (the finding, details)",
              f"max over γ ≥ {GENERAL_GAMMA_MIN:g} and dynamics; worst: γ = {wg['gamma']:g}, {wg['dynamics']}"),
        Check(f"general laws, γ ≥ {GENERAL_GAMMA_MIN:g}: resolved increases", _resolved_increases(general), 0.0, 0.0,
              "abs", "as for exchangeable laws", "rows with a resolved increase"),
        Check("negative control (non-power α): increase detected, λ*", ctl["search"]["linear_ratio"], 1.0 + tol, 0.0,
              "ge", "the same search must find an increase for α = 1 + 0.9 tanh((r − 1.5)/0.1), which violates "
              f"r|α'| ≤ √22 α (sup r|α'|/α = {ctl['gs_log_slope']:.3g}): shows the certificate can fail",
              "λ* of the control's search (> 1: an increase)"),
        Check("negative control: window increase of I over its error", ctl["control:master"]["window_increase"]
              / max(ctl["control:master"]["fisher_error"], 1e-300), 5.0, 0.0, "ge",
              "the increase of I(t) on [0, 2] (control law, master equation) must exceed 5 quadrature errors",
              "window increase / quadrature error"),
        Check("quadrature convergence of I and dI/dt", worst_conv, 0.0, 1e-10, "abs",
              "the issue's accuracy target (≥ 10 digits): relative difference of the last level to the finest",
              "max over the control and counterexample studies"),
        Check("N = 2 relative entropy non-increasing", ent["largest_increase"], 0.0, ent["roundoff"], "le",
              "reversibility: the entropy relative to the uniform law on each sphere decreases; tolerance 8 ε × its "
              "round-off scale (two quadrature sums)", "largest H(t_{k+1}) − H(t_k) over the traces (control laws "
              "included, where I increases)"),
    ]


@register
class SingularControl(Claim):
    """C9 (module docstring)."""

    claim_id = "C9"
    uses = ("mbc",)
    catches = ("biased_azimuth",)
    # (γ, datum, N, h): both γ, both data; N and h varied at γ = −3 for uniformity
    sizes = {"quick": {"replicas": 24, "t_end": 1.0, "snapshots": 6, "engine": "fast",
                       "runs": [_run(-3.0, "bkw:0.7", 64, 0.3), _run(-3.0, "bkw:0.7", 256, 0.3),
                                _run(-3.0, "bkw:0.7", 256, 0.1), _run(-2.0, "bkw:0.7", 256, 0.3),
                                _run(-3.0, "bimaxwellian:2,0.5", 128, 0.3),
                                _run(-2.0, "bimaxwellian:2,0.5", 128, 0.3)],
                       # N = 3 relative entropy: (γ, h) of the decay runs and of the invariance runs
                       "n3_decay": [(-3.0, 0.3)], "n3_decay_replicas": 20000,
                       "n3_uniform": [(0.0, 1.0)], "n3_uniform_replicas": 100000},
             "full": {"replicas": 200, "t_end": 2.0, "snapshots": 11, "engine": "fast",
                      "runs": [_run(g, d, n, h) for g in (-3.0, -2.0) for d in ("bkw:0.7", "bimaxwellian:2,0.5")
                               for n in (64, 256, 1024) for h in (0.1, 0.3)],
                      "n3_decay": [(-3.0, 0.3), (-2.0, 0.3), (0.0, 0.5)], "n3_decay_replicas": 80000,
                      "n3_uniform": [(0.0, 0.5), (0.0, 1.0), (-3.0, 0.3)], "n3_uniform_replicas": 200000}}
    primary = "exchangeable laws: worst second-order ratio λ*"

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for k, (gamma, dyn, _) in enumerate(ps.dynamics_grid(ctx.profile)):
            out[f"pair search {k}: gamma={gamma:g} {dyn.name}"] = {"part": "search", "k": k}
        for j, (gamma, which) in enumerate(ps.PROFILES[ctx.profile]["non_axisymmetric"]):
            out[f"pair search non-axisymmetric {j}: gamma={gamma:g} {which}"] = {"part": "search3d", "j": j}
        for part in ("control", "counterexample", "convergence", "entropy", "hardy"):
            out[f"pair {part}"] = {"part": part}
        for k, (gamma, h) in enumerate(ctx.sizes["n3_decay"]):
            out[f"n3 entropy decay {k}: gamma={gamma:g} h={h:g}"] = {"part": "n3_decay", "gamma": gamma, "h": h,
                                                                     "seed_offset": 100 + k}
        for k, (gamma, h) in enumerate(ctx.sizes["n3_uniform"]):
            out[f"n3 uniform invariance {k}: gamma={gamma:g} h={h:g}"] = {"part": "n3_uniform", "gamma": gamma,
                                                                          "h": h, "seed_offset": 200 + k}
        for k, r in enumerate(ctx.sizes["runs"]):
            out[f"run {k}: gamma={r['gamma']:g} {r['init']} N={r['n']} h={r['h']:g}"] = {"part": "run", **r,
                                                                                        "seed_offset": k}
        return out

    def defect_free(self, params: Mapping[str, Any]) -> bool:
        """Part (a), the N = 2 pair-law studies: closed-form spectral evolutions (mbc.pair_law), no engine."""
        return params["part"] not in ("run", "n3_decay", "n3_uniform")

    def run_unit(self, ctx: Context, **params: Any) -> Any:
        part, s = params["part"], ctx.sizes
        if part == "run":
            return singular_run(params["gamma"], params["init"], params["n"], params["h"], s["replicas"],
                                s["t_end"], s["snapshots"], ctx.seed + params["seed_offset"], ctx.mutant)
        if part == "n3_decay":
            return mbc_relative_entropy(params["gamma"], params["h"], init=N3_INIT, t_end=2.0, snapshots=5,
                                        replicas=s["n3_decay_replicas"], seed=ctx.seed + params["seed_offset"],
                                        mutant=ctx.mutant)
        if part == "n3_uniform":
            return uniform_invariance(params["gamma"], params["h"], t_end=2.0, snapshots=3,
                                      replicas=s["n3_uniform_replicas"], seed=ctx.seed + params["seed_offset"],
                                      mutant=ctx.mutant)
        return _pair_unit(part, params, ctx.profile, ctx.seed)

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        rows = [row for k, v in results.items() if k.startswith("pair search") for row in v]
        return {"table": [{**r, "verdict": ps.verdict(r)} for r in rows],
                **{part: results[f"pair {part}"] for part in ("control", "counterexample", "convergence", "entropy",
                                                             "hardy")},
                "runs": [v for k, v in results.items() if k.startswith("run ")],
                "n3_decay": [v for k, v in results.items() if k.startswith("n3 entropy decay")],
                "n3_uniform": [v for k, v in results.items() if k.startswith("n3 uniform invariance")]}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        hardy = min(h["margin"] for h in data["hardy"].values())
        decay = max(data["n3_decay"], key=lambda r: r["largest_rise"])
        start = min(data["n3_decay"], key=lambda r: r["value"][0] / r["error"][0])
        uniform = max(data["n3_uniform"], key=lambda r: r["max_z"])
        return [*pair_checks(data),
                Check("N = 3 relative entropy: largest rise beyond the stated errors", decay["largest_rise"], 0.0, 0.0,
                      "le", "reversibility: H(F_t | U) is non-increasing; the measured side already subtracts the "
                      "stated errors (3 se + |bias| of the Kozachenko–Leonenko estimator at each time)",
                      f"max over pairs t_i < t_j of Ĥ(t_j) − Ĥ(t_i) − err_i − err_j; worst γ = {decay['gamma']:g}, "
                      f"h = {decay['h']:g}, from {N3_INIT}, exact engine"),
                Check("N = 3 relative entropy: initial value over its error", start["value"][0] / start["error"][0],
                      10.0, 0.0, "ge", "the decay runs start far from U, so that a rise could be resolved",
                      "min over the decay runs of Ĥ(F₀ | U) / err₀"),
                Check("N = 3 uniform law kept: Ĥ(F_t | U) / se", uniform["max_z"], 5.0, 0.0, "le",
                      "from the uniform law F_t = U and the estimator is exactly unbiased (Beta(k, M − k) masses): "
                      "5σ, se from 50 batches",
                      f"max over t > 0 and runs; worst γ = {uniform['gamma']:g}, h = {uniform['h']:g}"),
                Check("Hardy pair moment of the N = 2 laws: margin", hardy, 0.0, 0.0, "ge",
                      "Hardy's inequality in R³ with g = √k: ∫ k/|u|² du ≤ 4 ∫|∇√k|² = I(k), so S/I(k_t) ≤ 1 at every "
                      "time (quadrature)",
                      "min over laws and dynamics of 1 − max_t S/I(k_t)"),
                Check("S(t) upper 5σ limit / Hardy–Stam bound", max_or_nan(r["max_upper5sigma_over_bound"]
                                                                         for r in data["runs"]), 1.0, 0.0, "le",
                      "no slack on the bound; the measured side is already the upper 5σ Monte Carlo limit "
                      "(standard error over independent replicas) of the truncated moment S_M ≤ S, whose terms are "
                      f"bounded by M = {HARDY_CAP:g} (finite variance: a valid interval)",
                      "max over MBC runs and times of (mean + 5 se) of S_M(t) = E[(1/(N(N-1))) Σ_{i≠j} "
                      "min(|v_i - v_j|^-2, M)] / (I(f0)/2) (key hardy.S_bound_constant)")]

    def figure(self, ctx: Context, data: dict) -> Any:
        fig, ax = figure(1, 4)
        for cls, marker in (("exchangeable", "o"), ("general", "x")):
            rows = [r for r in data["table"] if r["law_class"] == cls and r["kind"] == "master"]
            ax[0, 0].plot([r["gamma"] for r in rows], [r["linear_ratio"] for r in rows], marker, label=f"{cls} laws")
        ax[0, 0].axhline(1.0, color="k", ls="--", label="λ* = 1 (an increase above)")
        label(ax[0, 0], "γ", "worst second-order ratio λ* (master equation)", legend=7)
        ctl = data["control"]
        for key in ("control:master", "power_-3:master"):
            ax[0, 1].plot(ctl[key]["times"], np.asarray(ctl[key]["fisher"]) / ctl[key]["fisher"][0], label=key)
        label(ax[0, 1], "t", "I(t)/I(0): negative control vs r⁻³", legend=7)
        for r in data["runs"]:
            b = r["bound"]
            ax[0, 2].errorbar(r["times"], r["S_mean"] / b, yerr=Z_MARGIN * r["S_se"] / b, marker="o", ms=3, capsize=2,
                              label=f"γ={r['gamma']:g} {r['init'].split(':')[0]} N={r['n']} h={r['h']:g}")
        ax[0, 2].axhline(1.0, color="k", ls="--", label="Hardy–Stam bound I(f₀)/2")
        label(ax[0, 2], "t", f"S_M(t) / (I(f₀)/2)  (±5σ, M = {HARDY_CAP:g}), MBC runs", legend=5)
        for r in data["n3_decay"]:
            ax[0, 3].errorbar(r["times"], r["value"], yerr=r["error"], marker="o", ms=3, capsize=2,
                              label=f"from {N3_INIT}, γ={r['gamma']:g} h={r['h']:g}")
        for r in data["n3_uniform"]:
            ax[0, 3].errorbar(r["times"], r["value"], yerr=Z_MARGIN * r["se"], marker="s", ms=3, capsize=2,
                              label=f"from U (±5 se), γ={r['gamma']:g} h={r['h']:g}")
        label(ax[0, 3], "t", "N = 3: Ĥ(F_t | U) ± stated error", legend=6)
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        ce = data["counterexample"]
        finding = {name: {"dI_dt_at_1e-5": tr["convergence"]["dfisher"]["values"][-1],
                          "level_differences": tr["convergence"]["dfisher"]["diff_to_finest"],
                          "window_increase": tr["window_increase"]} for name, tr in ce.items() if isinstance(tr, dict)}
        keep = ("gamma", "init", "n", "h", "fisher0", "bound", "cap", "max_upper5sigma_over_bound")
        return {"finding_non_exchangeable_gamma_-3": {
                    "statement": "for non-exchangeable two-particle laws the Fisher information increases at γ = −3 "
                                 "(master equation and MBC at every h); law: pair_search.counterexample_law "
                                 f"(ε = {ce['epsilon']})", "traces": finding,
                    "general_rows_failing": [(r["gamma"], r["dynamics"]) for r in data["table"]
                                             if r["law_class"] == "general" and r["verdict"] == "FAIL"]},
                "table": [{k: r[k] for k in ("gamma", "dynamics", "law_class", "linear_ratio", "linear_margin",
                                              "verdict")} for r in data["table"]],
                "n_particle": ps.N_PARTICLE_STATEMENT,
                "n3_relative_entropy": {
                    "decay": [{"gamma": r["gamma"], "h": r["h"], "replicas": r["replicas"],
                               "value": np.asarray(r["value"]).tolist(), "error": np.asarray(r["error"]).tolist(),
                               "largest_rise": r["largest_rise"]} for r in data["n3_decay"]],
                    "uniform": [{"gamma": r["gamma"], "h": r["h"], "replicas": r["replicas"],
                                 "value": np.asarray(r["value"]).tolist(), "se": np.asarray(r["se"]).tolist(),
                                 "max_z": r["max_z"]} for r in data["n3_uniform"]]},
                "hardy_pair_moment_margins": {k: h["margin"] for k, h in data["hardy"].items()},
                "particle_runs": [{k: r[k] for k in keep} | {"S_final": float(r["S_mean"][-1]),
                                                              "S_final_se": float(r["S_se"][-1]),
                                                              "S_untruncated_final": float(r["S_untruncated_mean"][-1])}
                                  for r in data["runs"]]}

    def evidence(self, ctx: Context, data: dict) -> Any:
        return {k: v for k, v in data.items() if k != "table"} | {"table": [
            {k: v for k, v in r.items() if k not in ("trace", "atoms")} for r in data["table"]]}

    def seeds(self, ctx: Context) -> list[int]:
        return [ctx.seed + k for k in range(len(ctx.sizes["runs"]))]


def _pair_unit(part: str, params: Mapping[str, Any], profile: str, seed: int) -> Any:
    """One unit of part (a) (the seeds as in :func:`mbc_verify.mbc.pair_search.c9_data`)."""
    if part == "search":
        grid = ps.dynamics_grid(profile)
        gamma, dyn, nonlinear = grid[params["k"]]
        return [{"gamma": gamma, **row} for row in ps.search_dynamics(dyn, profile, seed + 2 * params["k"], nonlinear)]
    if part == "search3d":
        j = params["j"]
        gamma, which = ps.PROFILES[profile]["non_axisymmetric"][j]
        dyn = Dynamics(PowerLaw(gamma)) if which == "master" else Dynamics(PowerLaw(gamma), "mbc",
                                                                                      float(which))
        k = len(ps.dynamics_grid(profile)) + j
        return [{"gamma": gamma, **row} for row in ps.search_dynamics(dyn, profile, seed + 2 * k, True,
                                                                      ps.NON_AXISYMMETRIC_SEARCH)]
    if part == "control":
        control = ps.negative_control(profile, seed)
        control["search"]["verdict"] = ps.verdict(control["search"])
        return control
    if part == "counterexample":
        return ps.pinned_counterexample()
    if part == "convergence":
        return {"control": convergence(ps.control_law(), Dynamics(TanhStep()), 0.2),
                "counterexample": convergence(ps.counterexample_law(), Dynamics(PowerLaw(-3.0)), 1e-5)}
    if part == "entropy":
        return entropy_traces()
    times = np.linspace(0.0, 2.0, 21)
    return {f"{name}:{dyn.rate.name}": ps.hardy_check(law, dyn, times)
            for name, law in (("control", ps.control_law()), ("counterexample", ps.counterexample_law()),
                              ("gaussian", modulated_law([1.0], [2.0], ())))
            for dyn in (Dynamics(PowerLaw(-3.0)), Dynamics(TanhStep()))}
