"""C7: the H-theorem along deterministic solutions (docs/spec.md §1, §6): dH/dt = −D(f), D(f) ≥ 0.

Runs of the conservative entropic isotropic solver (:func:`mbc_verify.landau.isotropic.solve_isotropic`) from
hypothesis-style drawn initial data: mixtures of 1–3 centred Maxwellians (weights and temperatures drawn from a
fixed-seed numpy Generator, then rescaled to mass 1 and energy 3 by the ``mixture:`` name, docs/spec.md §8) and γ drawn
uniformly in [−3, 1], the first draw Coulomb (γ = −3) and the second γ = 1. Four sub-checks per run, all required:

1. **Entropy never increases** — per SSP-RK3 step, the largest increase of the discrete entropy
   H = Σ ω_i F_i log F_i is at most the solver's round-off bound ``entropy_roundoff_bound`` =
   max over steps of 2 (log₂ n + 2) ε Σ|ω_i F_i log F_i| (pairwise summation of n terms errs by
   ≤ (log₂ n + 1) ε Σ|terms|, one more ε for the products, twice for a difference of two sums;
   :func:`mbc_verify.landau.isotropic_diagnostics.entropy_roundoff_bound`).
   Headline: the worst ratio (largest step increase)/(bound) over all runs, pass if ≤ 1.
2. **D is the entropy-dissipation functional of docs/spec.md §1** — at t = 0 the solver's D = −Σ ω_i log F_i dF_i/dt
equals
   the discrete form of D = ¼ ∫∫ f f_* (∇log f − ∇_* log f_*)·a (∇log f − ∇_* log f_*) (with the ½ of docs/spec.md §1):

       D_h = (Δr / 4) Σ_ab W_ab 𝔽_a 𝔽_b (δ_a − δ_b)²,   δ_a = D(log F)_a,  𝔽_a = logarithmic mean,

   a sum of non-negative terms (derivation: module docstring of :mod:`mbc_verify.landau.isotropic`, summation by
   parts of Σ log F_i (J_i/ρ_i − J_{i−1}/ρ_{i−1}) with the symmetry of W). D_h and the tolerance, the first-order
   round-off bound of the solver's evaluation (matrix–vector products of m = n − 1 terms err by ≤ m ε Σ|terms|, a
   few ε per product and difference, log₂ n ε for the final sum), are
   :func:`mbc_verify.landau.isotropic_diagnostics.dissipation_formula` (an evaluation independent of the solver's
   kernel), plus 4 (log₂ n + 4) ε D_h for the rounding of D_h itself.
3. **D ≥ 0 at every output** — D_k ≥ −B with B the same round-off bound (the larger of its values at the first and
   last state; the flux magnitudes it is built from change by O(1) factors along a run).
4. **dH/dt = −D** — H(t_end) − H(0) = −∫ D dt, the integral by Romberg's extrapolation of the trapezoid rule over
   the outputs (T₁ all outputs, T₂ every other: R = T₁ + (T₁ − T₂)/3); tolerance = |T₁ − T₂|/3 (Richardson's
   estimate of the error of T₁, which bounds the error of R in the asymptotic regime) + twice the entropy round-off
   bound. The SSP-RK3 time error is O(h³) per unit time, far below it.

Every drawn case is one unit. Checks: the headline (sub-check 1, worst run) and, for sub-checks 2–4, the run
closest to failing (largest |measured − expected| / tolerance).

Mutants killing it: ``solver_without_half`` (D doubled against the ½ of docs/spec.md eq. (1): sub-check 2) and
``entropy_sign``
(the flux is no longer the entropic one: sub-check 2).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..certificate import Check
from ..landau.densities import radial_function
from ..landau.isotropic import IsotropicGrid, initial_values, solve_isotropic
from ..landau.isotropic_diagnostics import EPS, dissipation_formula
from .base import Claim, Context
from .common import figure, max_or_nan, worst
from .registry import register

GAMMA_RANGE = (-3.0, 1.0)
TEMPERATURE_RANGE = (0.25, 4.0)


def draw_cases(seed: int, count: int) -> list[tuple[float, str]]:
    """``count`` (γ, mixture name) pairs from a fixed-seed Generator: 1–3 components, weights in [0.2, 1],
    temperatures log-uniform in TEMPERATURE_RANGE, γ uniform in GAMMA_RANGE; draw 0 has γ = −3, draw 1 has γ = 1."""
    rng = np.random.default_rng([seed, 7])
    cases = []
    for k in range(count):
        gamma = float(rng.uniform(*GAMMA_RANGE))
        if k == 0:
            gamma = GAMMA_RANGE[0]
        elif k == 1:
            gamma = GAMMA_RANGE[1]
        comps = int(rng.integers(1, 4))
        w = rng.uniform(0.2, 1.0, comps)
        t = np.exp(rng.uniform(*np.log(TEMPERATURE_RANGE), comps))
        name = "mixture:" + ",".join(f"{wi:.4f},{ti:.4f}" for wi, ti in zip(w, t, strict=True))
        cases.append((round(gamma, 4), name))
    return cases


def romberg_check(times: np.ndarray, entropy: np.ndarray, dissipation: np.ndarray) -> tuple[float, float]:
    """(H(t_end) − H(0) + R, |T₁ − T₂|/3): R the Romberg value of ∫ D dt over the outputs (odd count ≥ 3)."""
    t1 = float(np.trapezoid(dissipation, times))
    t2 = float(np.trapezoid(dissipation[::2], times[::2]))
    return float(entropy[-1] - entropy[0]) + t1 + (t1 - t2) / 3.0, abs(t1 - t2) / 3.0


def check_run(gamma: float, init: str, n: int, t_end: float, snapshots: int, mutant: str | None) -> dict:
    """Run the isotropic solver; the quantities of the four sub-checks (module docstring) for one case."""
    rec = solve_isotropic(gamma, t_end, init=init, snapshots=snapshots, n_grid=n, mutant=mutant)
    grid = IsotropicGrid(n, rec["v_max"], gamma)
    f0 = initial_values(grid, radial_function(init))
    d0, b0 = dissipation_formula(grid, f0)
    _, b1 = dissipation_formula(grid, np.asarray(rec["density"]))
    t = np.asarray(rec["times"])
    h = np.asarray(rec["entropy"])
    d = np.asarray(rec["entropy_dissipation"])
    h_bound = rec["entropy_roundoff_bound"]
    romberg, romberg_tol = romberg_check(t, h, d)
    return {
        "gamma": gamma, "init": init, "steps": rec["steps"], "rejected_steps": rec["rejected_steps"],
        "step_increase": rec["entropy_max_step_increase"], "step_bound": h_bound,
        "step_ratio": rec["entropy_max_step_increase"] / h_bound,
        "d0_solver": float(d[0]), "d0_formula": d0, "d0_tolerance": b0 + 4 * (math.log2(n) + 4) * EPS * d0,
        "d_min": float(d.min()), "d_bound": max(b0, b1),
        "dh_plus_int_d": romberg, "dh_tolerance": romberg_tol + 2 * h_bound,
        "times": t, "entropy": h, "dissipation": d,
    }


def run_checks(r: dict) -> list[Check]:
    """Sub-checks 2–4 of one run (module docstring)."""
    case = f"γ = {r['gamma']:g}, {r['init']}"
    return [
        Check("D = dissipation form at t = 0", r["d0_solver"], r["d0_formula"], r["d0_tolerance"], "abs",
              "first-order round-off bound of the solver's D (matrix-vector products of n - 1 terms) plus the "
              "rounding of the form", f"the solver's D(0) against (Δr/4) Σ W 𝔽𝔽 (δ_a − δ_b)²; {case}"),
        Check("D ≥ 0 at every output", r["d_min"], 0.0, r["d_bound"], "ge",
              "the same round-off bound, the larger of its values at the first and last state",
              f"min over the outputs of the solver's D; {case}"),
        Check("H(t_end) − H(0) = −∫D dt", r["dh_plus_int_d"], 0.0, r["dh_tolerance"], "abs",
              "Richardson estimate |T1 - T2|/3 of the Romberg quadrature of D plus twice the entropy round-off bound",
              f"H(t_end) − H(0) + ∫D dt (Romberg over the outputs); {case}"),
    ]


@register
class HTheorem(Claim):
    """C7 (module docstring)."""

    claim_id = "C7"
    uses = ("isotropic",)
    catches = ("solver_without_half", "entropy_sign")
    sizes = {"quick": {"runs": 10, "n_grid": 60, "t_end": 0.5, "snapshots": 41},
             "full": {"runs": 60, "n_grid": 120, "t_end": 2.0, "snapshots": 81}}
    primary = "entropy step increase / round-off bound"

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        return {f"run {k}: gamma={g:g} {init}": {"gamma": g, "init": init}
                for k, (g, init) in enumerate(draw_cases(ctx.seed, ctx.sizes["runs"]))}

    def run_unit(self, ctx: Context, **params: Any) -> dict:
        s = ctx.sizes
        return check_run(params["gamma"], params["init"], s["n_grid"], s["t_end"], s["snapshots"], ctx.mutant)

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        return {"runs": list(results.values())}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        runs = data["runs"]
        per_run = [run_checks(r) for r in runs]
        head = Check(self.primary, max_or_nan(r["step_ratio"] for r in runs), 1.0, 0.0, "le",
                     "round-off bound 2(log2 n + 2) eps sum|w F log F| of the entropy difference (pairwise "
                     "summation)", "largest per-step increase of the discrete entropy over all drawn runs, in units "
                     "of its round-off bound")
        return [head, *(worst([c[k] for c in per_run], f"{per_run[0][k].name} (worst run)") for k in range(3))]

    def figure(self, ctx: Context, data: dict) -> Any:
        fig, ax = figure(1, 2)
        for r in data["runs"]:
            gap = r["entropy"] - r["entropy"][-1]
            ax[0, 0].semilogy(r["times"][:-1], np.maximum(gap[:-1], 1e-17), lw=1, label=f"γ={r['gamma']:g}")
            ax[0, 1].semilogy(r["times"], np.maximum(r["dissipation"], 1e-17), lw=1)
        ax[0, 0].set_xlabel("t")
        ax[0, 0].set_ylabel("H(t) − H(t_end)")
        ax[0, 0].legend(fontsize=6, ncol=2)
        ax[0, 1].set_xlabel("t")
        ax[0, 1].set_ylabel("entropy dissipation D(t) (floored at 1e-17)")
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        runs = data["runs"]
        failed = [r for r in runs if not r["step_ratio"] <= 1.0 or not all(c.holds for c in run_checks(r))]
        return {
            "gammas": [r["gamma"] for r in runs],
            "worst_D_formula_mismatch_over_tolerance": max(
                abs(r["d0_solver"] - r["d0_formula"]) / r["d0_tolerance"] for r in runs),
            "most_negative_D_over_bound": min(r["d_min"] / r["d_bound"] for r in runs),
            "worst_dH_plus_intD_over_tolerance": max(abs(r["dh_plus_int_d"]) / r["dh_tolerance"] for r in runs),
            "failed_runs": [{"gamma": r["gamma"], "init": r["init"]} for r in failed],
        }
