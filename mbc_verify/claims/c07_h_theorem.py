"""C7: the H-theorem along deterministic solutions (docs/spec.md §1.3 eqs. (8), (9), §6): dH/dt = −D(f), D(f) ≥ 0.

**Isotropic data.** Runs of the conservative entropic isotropic solver
(:func:`mbc_verify.landau.isotropic.solve_isotropic`) from hypothesis-style drawn initial data: mixtures of 1–3
centred Maxwellians (weights and temperatures drawn from a fixed-seed numpy Generator, then rescaled to mass 1 and
energy 3 by the ``mixture:`` name, docs/spec.md §8) and γ drawn uniformly in [−3, 1], the first draw Coulomb (γ = −3)
and the second γ = 1. Four sub-checks per run, all required:

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

**Anisotropic data** (the axisymmetric solver :func:`mbc_verify.landau.axisymmetric.solve_axisymmetric`, whose
H-theorem is *not* structural: its entropy decrease is resolved only down to the error level of its operator).
Bi-Maxwellians and Maxwellian mixtures displaced along the axis (``AXI_CASES``; γ = -3, -2, -1, 0, 1 in the quick
profile, Coulomb included, γ = -2 through the quadrature kernel route; more data and fractional γ in ``full``), each
run over ``axi_relaxation_times`` relaxation times τ = H(f₀|M)/D(f₀) (50 in quick: D falls from O(1) to 1e-10 …
1e-16, i.e. to and below the operator's error level) at the solver's default resolution (v_max raised to resolve
the equilibrium; :mod:`mbc_verify.claims.anisotropic`). The error terms are those of
:mod:`mbc_verify.landau.axisymmetric_diagnostics` (derivations there):

5. **Entropy never increases beyond the operator's error** — per SDIRK4 step, ΔH_j ≤ A_j = R + Δt_j E, E the
   bound on how fast H_h can rise although D ≥ 0: the operator error measured at the Maxwellian
   Σ ω |log(f/M_f)| |Q_h(M_f)| (Q(M) = 0 exactly, docs/spec.md eq. (12); ≈ 1e-12 of max M at the default
   resolution), a first-order round-off bound of Q_h, and the tail nodes where f ≤ 0 (the larger value at the two
   outputs around the step); R the round-off of H and of the invariants. Check: the largest ΔH_j / A_j over all
   steps and runs, pass if ≤ 1.
6. **D ≥ 0** — at every output the conservation form D̂_h = -Σ ω log(f/M_f) Q_h(f) (equal to the recorded
   D_h = -Σ ω log f Q_h(f) in exact arithmetic) is ≥ -(operator error + round-off bound) of that output.
7. **dH/dt = -D** — as sub-check 4, with the recorded D_h over the outputs; tolerance |T₁ − T₂|/3 plus the
   excluded-tail, invariant and entropy round-off terms (``integral_allowance``). The SDIRK4 time error of H is
   ~1e-10 at the default rtol, far below it.
8. **Cross-check** — from the isotropic datum ``CROSS_INIT`` the isotropic solver (n and 2n cells) and the
   axisymmetric solver (default resolution and its coarser partner: ¾ of n_r and n_ξ, 10 × rtol) give the same
   H(t): |H_axi − H_iso,2n| ≤ |H_iso,n − H_iso,2n| + |H_axi,coarse − H_axi| + R at every output (Richardson: under
   monotone convergence each fine error is at most its coarse–fine difference). R = Σ (steps + 1) R_H over the two
   runs is the rounding that Richardson does not see: each step rounds every nodal value by a few ulps, which moves
   H by at most about the entropy round-off bound R_H. Near equilibrium (γ = 1, t = 2 in ``full``) the two H(t)
   differ by ~2e-13, and the isotropic H_n − H_2n does not decrease with n there (~2e-13 for n = 120, ~8e-13 for
   240): that floor is accumulated rounding, not resolution.

A flag check requires every axisymmetric run to complete within its step budget (:mod:`.anisotropic`).

Every drawn case, anisotropic datum and cross-check γ is one unit. Checks: the headline (sub-check 1, worst run)
and, for sub-checks 2–4 and 6–8, the run closest to failing (largest |measured − expected| / tolerance); sub-check
5 is the worst ratio over the anisotropic runs.

Mutants killing it: ``solver_without_half`` (D doubled against the ½ of docs/spec.md eq. (1): sub-check 2) and
``entropy_sign`` (the flux is no longer the entropic one: sub-check 2); ``axisymmetric_without_half`` (the
axisymmetric operator doubled: every internal check is consistent, the cross-check 8 fails) and
``axisymmetric_friction_sign`` (its friction term flipped: the cross-check 8 fails, and at γ = -3, -2 the density
concentrates and the runs exceed their step budget). Sub-checks 5 and 6 do not catch the friction flip: their
allowance uses the operator's error level measured at the Maxwellian *with the same operator*, which a defect that
breaks the equilibrium makes O(1). They certify that H decreases as far as a consistent operator resolves it; the
consistency of the operator is the cross-check's subject (the equilibrium residual max|Q_h(M)|/max M of every run is
in the details).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..certificate import Check
from ..landau.axisymmetric_diagnostics import coarser, entropy_budget
from ..landau.densities import radial_function
from ..landau.isotropic import IsotropicGrid, initial_values, solve_isotropic
from ..landau.isotropic_diagnostics import EPS, dissipation_formula
from .anisotropic import STEPS_PER_OUTPUT, Datum, RunFailed, datum_label, run_length, run_pair, solve_guarded
from .base import Claim, Context
from .common import figure, label, max_or_nan, worst
from .registry import register

GAMMA_RANGE = (-3.0, 1.0)
TEMPERATURE_RANGE = (0.25, 4.0)
#: anisotropic data of sub-checks 5–7: (γ, bi-Maxwellian name or axial mixture (w, T, u) triples); the quick
#: profile runs the first five (γ = -3, -2, -1, 0, 1; γ = -2 and fractional γ take the quadrature kernel route)
AXI_CASES = [[-3.0, "bimaxwellian:1.3,0.85"], [-2.0, [[0.5, 1.0, 1.0], [0.5, 1.0, -1.0]]],
             [-1.0, "bimaxwellian:0.7,1.15"], [0.0, [[0.7, 0.8, 0.5], [0.3, 1.2, -1.2]]],
             [1.0, "bimaxwellian:1.3,0.85"], [-3.0, "bimaxwellian:2,0.5"], [-2.5, [[0.6, 0.7, 0.9], [0.4, 1.0, -1.3]]],
             [-1.5, "bimaxwellian:0.6,1.2"], [-0.5, [[0.5, 1.0, 1.0], [0.5, 1.0, -1.0]]],
             [0.5, [[0.5, 0.6, 1.2], [0.3, 1.0, 0.0], [0.2, 0.8, -2.0]]], [1.0, "bimaxwellian:1.5,0.75"]]
#: isotropic datum of the cross-check (sub-check 8)
CROSS_INIT = "mixture:0.5,0.5,0.5,1.5"
AXI_STEP = "axisymmetric: entropy step increase / allowance"


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


def axisymmetric_run(gamma: float, spec: Datum, relaxation_times: float, snapshots: int,
                     mutant: str | None) -> dict:
    """Sub-checks 5–7 for one anisotropic datum: an axisymmetric run over ``relaxation_times`` τ and its entropy
    budget (:func:`mbc_verify.landau.axisymmetric_diagnostics.entropy_budget`)."""
    try:
        rec, _ = run_pair(gamma, spec, run_length(gamma, spec, relaxation_times), snapshots, mutant, coarse=False)
    except RunFailed as err:
        return failed_run(gamma, datum_label(spec), str(err))
    budget = entropy_budget(rec)
    t, h, d = (np.asarray(rec[k]) for k in ("times", "entropy", "entropy_dissipation"))
    romberg, romberg_tol = romberg_check(t, h, d)
    dhat, bound = np.asarray(budget["dissipation"]), np.asarray(budget["bound"])
    k = int(np.argmin(dhat / bound))
    ratios = np.asarray(budget["step_increase"]) / np.asarray(budget["step_allowance"])
    return {
        "gamma": gamma, "init": datum_label(spec), "completed": True, "failure": "", "t_end": rec["t_end"],
        "steps": rec["steps"],
        "grid": [rec["n_r"], rec["n_xi"], rec["v_max"]], "step_ratio": float(ratios.max()),
        "largest_step_increase": float(max(budget["step_increase"])),
        "d_worst": float(dhat[k]), "d_worst_bound": float(bound[k]), "d_worst_time": float(t[k]),
        "dh_plus_int_d": romberg, "dh_tolerance": romberg_tol + budget["integral_allowance"],
        "equilibrium_residual": max(budget["equilibrium_residual"]),
        "times": t, "entropy": h, "dissipation": dhat, "dissipation_bound": bound,
    }


def failed_run(gamma: float, init: str, failure: str) -> dict:
    """The result of an anisotropic run that did not complete (:class:`~.anisotropic.RunFailed`): NaN values, so
    that its checks fail."""
    nan, empty = math.nan, np.zeros(0)
    return {"gamma": gamma, "init": init, "completed": False, "failure": failure, "t_end": nan, "steps": 0,
            "grid": [], "step_ratio": nan, "largest_step_increase": nan, "d_worst": nan, "d_worst_bound": nan,
            "d_worst_time": nan, "dh_plus_int_d": nan, "dh_tolerance": nan, "equilibrium_residual": nan,
            "times": empty, "entropy": empty, "dissipation": empty, "dissipation_bound": empty}


def cross_run(gamma: float, init: str, n: int, t_end: float, snapshots: int, mutant: str | None) -> dict:
    """Sub-check 8: H(t) of the isotropic solver (n and 2n cells) and of the axisymmetric solver (default and
    :func:`~mbc_verify.landau.axisymmetric_diagnostics.coarser` resolution) from one isotropic datum."""
    iso = [solve_isotropic(gamma, t_end, init=init, snapshots=snapshots, n_grid=m, mutant=mutant) for m in (n, 2 * n)]
    try:
        fine = solve_guarded(gamma, t_end, init=init, snapshots=snapshots, mutant=mutant)
        coarse = solve_guarded(gamma, t_end, init=init, snapshots=snapshots, mutant=mutant, **coarser(fine))
    except RunFailed as err:
        return {"gamma": gamma, "init": init, "completed": False, "failure": str(err), "times": np.zeros(0),
                "entropy_isotropic": np.zeros(0), "entropy_axisymmetric": np.zeros(0), "allowance": np.zeros(0),
                "worst_difference": math.nan, "worst_allowance": math.nan, "worst_time": math.nan}
    h_ic, h_if, h_a, h_ac = (np.asarray(r["entropy"]) for r in (*iso, fine, coarse))
    rounding = sum((r["steps"] + 1) * r["entropy_roundoff_bound"] for r in (iso[1], fine))
    allowance = np.abs(h_ic - h_if) + np.abs(h_ac - h_a) + rounding
    k = int(np.argmax(np.abs(h_a - h_if) / allowance))
    return {"gamma": gamma, "init": init, "completed": True, "failure": "", "times": np.asarray(fine["times"]),
            "entropy_isotropic": h_if, "entropy_axisymmetric": h_a, "allowance": allowance,
            "worst_difference": float(h_a[k] - h_if[k]), "worst_allowance": float(allowance[k]),
            "worst_time": float(fine["times"][k])}


def _last(values: np.ndarray) -> float:
    return float(values[-1]) if len(values) else math.nan


def axisymmetric_checks(r: dict) -> list[Check]:
    """Sub-checks 6 and 7 of one anisotropic run (module docstring)."""
    case = f"γ = {r['gamma']:g}, {r['init']}"
    return [
        Check("axisymmetric: D ≥ 0 at every output", r["d_worst"], 0.0, r["d_worst_bound"], "ge",
              "operator error measured at the Maxwellian (Q_h(M) vs Q(M) = 0) plus the first-order round-off bound "
              "of the evaluation, at the same output",
              f"conservation-form D_h at the output closest to failing (t = {r['d_worst_time']:.4g}); {case}"),
        Check("axisymmetric: H(t_end) − H(0) = −∫D dt", r["dh_plus_int_d"], 0.0, r["dh_tolerance"], "abs",
              "Richardson estimate |T1 - T2|/3 of the Romberg quadrature of D, plus the excluded-tail, invariant "
              "and entropy round-off terms", f"H(t_end) − H(0) + ∫D dt (Romberg over the outputs); {case}"),
    ]


def cross_check(c: dict) -> Check:
    """Sub-check 8 for one γ."""
    return Check("isotropic and axisymmetric solvers agree on H(t)", c["worst_difference"], 0.0,
                 c["worst_allowance"], "abs",
                 "Richardson: |H_n − H_2n| (isotropic, order 2) + |H_coarse − H_default| (axisymmetric) + the "
                 "accumulated rounding (steps + 1) × entropy round-off bound of the two runs, at the same output",
                 f"H_axisymmetric − H_isotropic(2n) at the output closest to failing (t = {c['worst_time']:.4g}); "
                 f"γ = {c['gamma']:g}, {c['init']}")


def anisotropic_checks(axi: list[dict], cross: list[dict]) -> list[Check]:
    """Sub-checks 5–8 and the completion flag. Checks 5–8 are taken over the completed runs (over all, with NaN
    values, when none completed)."""
    done = [r for r in axi if r["completed"]] or axi
    done_cross = [c for c in cross if c["completed"]] or cross
    out = [Check(AXI_STEP, max_or_nan(r["step_ratio"] for r in done), 1.0, 0.0, "le",
                 "allowance R + Δt E per step: entropy and invariant round-off R, and E = operator error measured at "
                 "the Maxwellian + first-order round-off of Q_h + excluded tail nodes, the larger value at the two "
                 "outputs around the step",
                 "largest per-step increase of the axisymmetric solver's entropy over all anisotropic runs "
                 "(bi-Maxwellians, axially displaced mixtures), in units of its allowance")]
    per_axi = [axisymmetric_checks(r) for r in done]
    out += [worst([c[k] for c in per_axi], f"{per_axi[0][k].name} (worst run)") for k in range(2)]
    out.append(worst([cross_check(c) for c in done_cross],
                     "isotropic and axisymmetric solvers agree on H(t) (worst γ)"))
    out.append(Check.flag("axisymmetric runs complete within their step budget",
                          all(r["completed"] for r in axi + cross),
                          f"at most {STEPS_PER_OUTPUT} adaptive steps per output interval on average (correct runs "
                          "take ≤ 4), and no collapse of the step size",
                          "every anisotropic and cross-check run of the axisymmetric solver (failures in details)"))
    return out


@register
class HTheorem(Claim):
    """C7 (module docstring)."""

    claim_id = "C7"
    uses = ("isotropic", "axisymmetric")
    catches = ("solver_without_half", "entropy_sign", "axisymmetric_without_half", "axisymmetric_friction_sign")
    sizes = {"quick": {"runs": 10, "n_grid": 60, "t_end": 0.5, "snapshots": 41,
                       "axi_cases": AXI_CASES[:5], "axi_relaxation_times": 50.0, "axi_snapshots": 41,
                       "cross_gammas": [-3.0], "cross_n_grid": 60, "cross_t_end": 2.0, "cross_snapshots": 11},
             "full": {"runs": 60, "n_grid": 120, "t_end": 2.0, "snapshots": 81,
                      "axi_cases": AXI_CASES, "axi_relaxation_times": 80.0, "axi_snapshots": 81,
                      "cross_gammas": [-3.0, -1.0, 0.0, 1.0], "cross_n_grid": 120, "cross_t_end": 2.0,
                      "cross_snapshots": 21}}
    primary = "entropy step increase / round-off bound"

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        s = ctx.sizes
        out: dict[str, dict[str, Any]] = {
            f"run {k}: gamma={g:g} {init}": {"part": "isotropic", "gamma": g, "init": init}
            for k, (g, init) in enumerate(draw_cases(ctx.seed, s["runs"]))}
        out.update({f"axisymmetric {k}: gamma={g:g} {datum_label(spec)}": {"part": "axisymmetric", "gamma": g,
                                                                           "datum": spec}
                    for k, (g, spec) in enumerate(s["axi_cases"])})
        out.update({f"cross gamma={g:g}": {"part": "cross", "gamma": g} for g in s["cross_gammas"]})
        return out

    def run_unit(self, ctx: Context, **params: Any) -> dict:
        s, part, gamma = ctx.sizes, params["part"], params["gamma"]
        if part == "isotropic":
            return check_run(gamma, params["init"], s["n_grid"], s["t_end"], s["snapshots"], ctx.mutant)
        if part == "axisymmetric":
            return axisymmetric_run(gamma, params["datum"], s["axi_relaxation_times"], s["axi_snapshots"],
                                    ctx.mutant)
        return cross_run(gamma, CROSS_INIT, s["cross_n_grid"], s["cross_t_end"], s["cross_snapshots"], ctx.mutant)

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        def part(prefix: str) -> list:
            return [v for k, v in results.items() if k.startswith(prefix)]

        return {"runs": part("run "), "axisymmetric": part("axisymmetric "), "cross": part("cross ")}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        runs = data["runs"]
        per_run = [run_checks(r) for r in runs]
        head = Check(self.primary, max_or_nan(r["step_ratio"] for r in runs), 1.0, 0.0, "le",
                     "round-off bound 2(log2 n + 2) eps sum|w F log F| of the entropy difference (pairwise "
                     "summation)", "largest per-step increase of the discrete entropy over all drawn runs, in units "
                     "of its round-off bound")
        out = [head, *(worst([c[k] for c in per_run], f"{per_run[0][k].name} (worst run)") for k in range(3))]
        return out + anisotropic_checks(data["axisymmetric"], data["cross"])

    def figure(self, ctx: Context, data: dict) -> Any:
        fig, ax = figure(2, 2)
        for r in data["runs"]:
            gap = r["entropy"] - r["entropy"][-1]
            ax[0, 0].semilogy(r["times"][:-1], np.maximum(gap[:-1], 1e-17), lw=1, label=f"γ={r['gamma']:g}")
            ax[0, 1].semilogy(r["times"], np.maximum(r["dissipation"], 1e-17), lw=1)
        label(ax[0, 0], "t", "isotropic runs: H(t) − H(t_end)", legend=None)
        ax[0, 0].legend(fontsize=6, ncol=2)
        label(ax[0, 1], "t", "isotropic: entropy dissipation D(t) (floored at 1e-17)", legend=None)
        for r in data["axisymmetric"]:
            line, = ax[1, 0].semilogy(r["times"] / r["t_end"], np.abs(r["dissipation"]), lw=1,
                                      label=f"γ={r['gamma']:g}, {r['init'][:24]}")
            ax[1, 0].semilogy(r["times"] / r["t_end"], r["dissipation_bound"], ":", lw=1, color=line.get_color())
        label(ax[1, 0], "t / t_end", "axisymmetric: |D_h| (solid), error bound (dotted)", legend=5)
        for c in data["cross"]:
            line, = ax[1, 1].semilogy(c["times"], np.abs(c["entropy_axisymmetric"] - c["entropy_isotropic"]) + 1e-17,
                                      "o-", ms=3, label=f"|ΔH|, γ={c['gamma']:g}")
            ax[1, 1].semilogy(c["times"], c["allowance"], ":", color=line.get_color(), label="allowance")
        label(ax[1, 1], "t", f"axisymmetric vs isotropic H(t), {CROSS_INIT}")
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        runs, axi = data["runs"], data["axisymmetric"]
        failed = [r for r in runs if not r["step_ratio"] <= 1.0 or not all(c.holds for c in run_checks(r))]
        return {
            "gammas": [r["gamma"] for r in runs],
            "worst_D_formula_mismatch_over_tolerance": max(
                abs(r["d0_solver"] - r["d0_formula"]) / r["d0_tolerance"] for r in runs),
            "most_negative_D_over_bound": min(r["d_min"] / r["d_bound"] for r in runs),
            "worst_dH_plus_intD_over_tolerance": max(abs(r["dh_plus_int_d"]) / r["dh_tolerance"] for r in runs),
            "failed_runs": [{"gamma": r["gamma"], "init": r["init"]} for r in failed],
            "axisymmetric_runs": [{
                "gamma": r["gamma"], "init": r["init"], "t_end": r["t_end"], "steps": r["steps"],
                "n_r, n_xi, v_max": r["grid"], "step_increase_over_allowance": r["step_ratio"],
                "largest_step_increase": r["largest_step_increase"],
                "most_negative_D_over_bound": r["d_worst"] / r["d_worst_bound"],
                "final_D": _last(r["dissipation"]), "final_D_bound": _last(r["dissipation_bound"]),
                "dH_plus_intD_over_tolerance": abs(r["dh_plus_int_d"]) / r["dh_tolerance"],
                "equilibrium_residual_max_QM_over_max_M": r["equilibrium_residual"], "failure": r["failure"]}
                for r in axi],
            "cross_check": [{"gamma": c["gamma"], "init": c["init"],
                             "worst_difference_over_allowance": abs(c["worst_difference"]) / c["worst_allowance"],
                             "failure": c["failure"]} for c in data["cross"]],
        }
