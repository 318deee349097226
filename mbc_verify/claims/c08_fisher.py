"""C8: the Fisher information I(f) = ∫|∇f|²/f is non-increasing along the Landau flow (docs/spec.md §1, §6).

**The theorem.** N. Guillen and L. Silvestre, *The Landau equation does not blow up*, Acta Math. 234 (2025) 315–375
(arXiv:2311.09420). Their Landau equation has a(z) = α(|z|) |z|² Π(z) (docs/spec.md §1 is α(r) = r^γ). Text of the
stored arXiv v2 page (https://arxiv.org/html/2311.09420v2, found with the project's search tool; its displayed
formulas did not survive the HTML extraction, reconstructed in brackets):

    "Theorem 1.1. Let f be a classical solution to the space-homogeneous Landau equation (1.1). Assume that the
    interaction potential α satisfies, for all r > 0, [ r |α'(r)| ≤ √22 α(r) ] then the Fisher information i(f)
    is monotone decreasing as a function of time."
    "The assumption of Theorem 1.1 holds for any power-law interaction [α(r) = r^γ] with [γ] in the usual range
    [[−3, 1]]. It even goes beyond that range if the Landau collision operator is understood appropriately taking
    into account the cancellations in the integrand of (1.2) for r small. Our parameter [√22] is not optimal."

For α = r^γ, r α'/α = γ, so the hypothesis reads |γ| ≤ √22 ≈ 4.69 and covers every γ ∈ [−3, 1] of docs/spec.md §1,
Coulomb (γ = −3) included (S. Ji, arXiv:2408.13954, bounds the optimal constant of the underlying Bakry–Émery
inequality on the sphere, 5.5 ≤ Λ₃ ≤ 5.739, consistent with √(4 · 5.5) = √22). The bracketed constant √22 is our
reading of the published hypothesis; the range statement "[−3, 1], Coulomb included" is the paper's text.

**Certificate** (all required for a pass):

1. **Monotonicity (isotropic data).** Isotropic-solver runs (:func:`mbc_verify.landau.isotropic.solve_isotropic`, its
   ``fisher`` diagnostic I_h = 4π Σ_a Δr ρ_a⁴ DF_a²/𝔽_a) for γ in the theorem's range, Coulomb included, from three
   initial data (a two-temperature mixture, BKW, and a flat-topped super-Gaussian e^{−(λr)⁸}), each on n and 2n
   cells. Per output interval the fine-grid increase ΔI_2n must not exceed its allowance |ΔI_n − ΔI_2n| +
   2(log₂ n + 6) ε I: under monotone convergence of any order ≥ 1 the fine-grid discretisation error is at most the
   coarse–fine difference (Richardson; the scheme is second order, so this allowance is ≥ 3× the asymptotic
   estimate), plus the round-off of two positive n-term sums (:func:`mbc_verify.stats.increase_ratios`,
   :func:`mbc_verify.landau.isotropic_diagnostics.functional_roundoff_bound`). Headline: the largest ratio
   increase/allowance over all runs (pass ≤ 1). The flat-topped datum is
   :class:`mbc_verify.landau.densities.SuperGaussian`.
2. **Negative control that can fail and does.** The same test applied to the Dirichlet energy G(f) = ∫|∇f|² —
   the Fisher information without its weight 1/f, convex and smooth like I but not a Lyapunov functional of the
   Landau equation — along BKW runs (γ = 0 and γ = −3; densities at the output times from separate runs) must
   *detect* an increase beyond the same allowance (ratio > 1). This shows the monotonicity test has power.
   (G by :func:`mbc_verify.landau.isotropic_diagnostics.dirichlet_energy`.)
3. **The runs are Landau solutions.** At γ = 0 from ``bkw:K0`` the solver's I_h(t) agrees with the Fisher
   information of the exact BKW solution (:func:`mbc_verify.landau.maxwell.bkw_fisher` at K(t), derived key
   ``bkw.K``) within the same Richardson allowance |I_n − I_2n| + quadrature error 1e-12.

**Anisotropic data** (the axisymmetric solver :func:`mbc_verify.landau.axisymmetric.solve_axisymmetric`, its
``fisher`` I_h = 4 Σ ω |G√f|²; error bounds of :mod:`mbc_verify.landau.axisymmetric_diagnostics`):

4. **Monotonicity on bi-Maxwellians and axially displaced mixtures** (``AXI_CASES``: γ = -3, -2, 1 in quick,
   Coulomb included; more data and γ in ``full``), each run over ``axi_relaxation_times`` relaxation times τ at the
   default resolution and at its coarser partner (¾ of n_r and n_ξ, 10 × rtol: coarser in every resolution
   parameter, :func:`~mbc_verify.landau.axisymmetric_diagnostics.coarser`). Per output interval the increase of
   I_h must not exceed |ΔI_coarse − ΔI| (Richardson, as item 1: the spectral scheme converges monotonically, the
   time error is ≤ 1e-9 against a coarse–fine difference ≥ 1e-7) plus the first-order round-off bounds of the two
   values (:func:`~mbc_verify.landau.axisymmetric_diagnostics.functional_series`). Check: the largest ratio.
5. **Anisotropic negative control.** The same test on the Dirichlet energy G = ∫|∇f|² along the run from two equal
   beams displaced along the axis (``BEAMS``, γ = -2): G first falls below its equilibrium value as the beams
   merge, then rises to it, and the test must detect that increase (ratio > 1).
6. **The axisymmetric runs are Landau solutions.** At γ = 0 from ``bkw:K0`` (an isotropic datum, v_max = √(80 T)
   as for the isotropic solver) the axisymmetric I_h(t) agrees with the exact BKW Fisher information within
   |I_coarse − I| + its round-off bound + QUAD_ERROR.

A flag check requires every axisymmetric run to complete within its step budget (:mod:`.anisotropic`).

Units: one per (γ, datum) monotonicity run, one per negative-control γ, one for the BKW comparison, one per
anisotropic datum (items 4, 5), one for item 6. Checks: the headline, one yes/no check per negative control (an
increase was detected), the BKW comparison; the anisotropic headline, its negative control, the axisymmetric BKW
comparison, the completion flag.

Mutants killing it: ``solver_without_half`` and ``entropy_sign`` (sub-check 3: the BKW Fisher information is not
reproduced; the first runs the equation at twice the speed, the second a different, non-conservative flow);
``axisymmetric_without_half`` (item 6: twice the speed) and ``axisymmetric_friction_sign`` (items 4, 5 and 6: I
increases, the density concentrates).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..certificate import Check
from ..landau.axisymmetric_diagnostics import coarser, functional_series
from ..landau.densities import SuperGaussian, radial_function
from ..landau.isotropic import IsotropicGrid, default_v_max, initial_values, solve_isotropic
from ..landau.isotropic_diagnostics import dirichlet_energy, functional_roundoff_bound
from ..landau.maxwell import bkw_fisher, bkw_k
from ..stats import increase_ratios
from .anisotropic import STEPS_PER_OUTPUT, Datum, RunFailed, datum_label, run_length, run_pair, solve_guarded
from .base import Claim, Context
from .common import figure, label, max_or_nan
from .registry import register

#: the γ range Guillén–Silvestre's Theorem 1.1 covers for α(r) = r^γ, as their text states it (module docstring)
GS_GAMMA_RANGE = (-3.0, 1.0)
#: |γ| bound of the hypothesis r|α'(r)| ≤ √22 α(r) for α = r^γ (our reading of the display, module docstring)
GS_HYPOTHESIS_BOUND = math.sqrt(22.0)
BKW_K0 = 0.7
FLAT_POWER = 8.0
QUAD_ERROR = 1e-12
INITS = ("mixture:1,0.3,1,2", f"bkw:{BKW_K0}", SuperGaussian(FLAT_POWER).name)
CONTROL_GAMMAS = (0.0, -3.0)
#: two equal beams displaced along the axis: their Dirichlet energy first falls below its equilibrium value as the
#: beams merge, then rises to it (the anisotropic negative control)
BEAMS = [[0.5, 1.0, 1.0], [0.5, 1.0, -1.0]]
#: anisotropic data of item 4: (γ, bi-Maxwellian name or axial mixture (w, T, u) triples); quick: the first three
AXI_CASES = [[-3.0, "bimaxwellian:1.3,0.85"], [-2.0, BEAMS], [1.0, [[0.7, 0.8, 0.5], [0.3, 1.2, -1.2]]],
             [-3.0, BEAMS], [-2.5, "bimaxwellian:2,0.5"], [-1.0, [[0.6, 0.7, 0.9], [0.4, 1.0, -1.3]]],
             [0.0, "bimaxwellian:0.6,1.2"], [0.5, [[0.5, 0.6, 1.2], [0.3, 1.0, 0.0], [0.2, 0.8, -2.0]]]]
AXI_HEAD = "anisotropic Fisher information increase / allowance"
THEOREM = ("Guillen & Silvestre, The Landau equation does not blow up, Acta Math. 234 (2025) 315-375, "
           "arXiv:2311.09420, Theorem 1.1: 'Assume that the interaction potential alpha satisfies, for all r > 0, "
           "[r|alpha'(r)| <= sqrt(22) alpha(r)] then the Fisher information i(f) is monotone decreasing as a "
           "function of time.' 'The assumption of Theorem 1.1 holds for any power-law interaction "
           "[alpha(r) = r^gamma] with [gamma] in the usual range [[-3, 1]].' (brackets: displays lost in the stored "
           "HTML copy, see the module docstring)")


def initial_datum(label: str) -> str | Callable:
    """The datum a unit's label names: the super-Gaussian object for its label, the name itself otherwise."""
    flat = SuperGaussian(FLAT_POWER)
    return flat if label == flat.name else label


def monotonicity_ratios(coarse: np.ndarray, fine: np.ndarray, n: int) -> np.ndarray:
    """Per output interval: (fine-grid increase) / (|Δcoarse − Δfine| + 2(log₂ 2n + 6) ε |fine|) (item 1 above)."""
    return increase_ratios(coarse, fine, functional_roundoff_bound(2 * n, fine[1:]))


def fisher_run(gamma: float, label: str, n: int, t_end: float, snapshots: int, mutant: str | None) -> dict:
    """Item 1 for one (γ, datum): I_h(t) on n and 2n cells; the monotonicity ratios of the fine run."""
    init = initial_datum(label)
    recs = [solve_isotropic(gamma, t_end, init=init, snapshots=snapshots, n_grid=m, mutant=mutant)
            for m in (n, 2 * n)]
    coarse, fine = (np.asarray(r["fisher"]) for r in recs)
    ratios = monotonicity_ratios(coarse, fine, n)
    return {"gamma": gamma, "init": label, "times": np.asarray(recs[1]["times"]), "fisher_coarse": coarse,
            "fisher": fine, "worst_ratio": float(ratios.max()),
            "largest_relative_increase": float((np.diff(fine) / fine[:-1]).max())}


def control_run(gamma: float, init: str, n: int, times: np.ndarray, mutant: str | None) -> dict:
    """Item 2: G(f) at ``times`` on n and 2n cells (separate runs to each time; t = 0 from the initial values)."""
    values = {}
    for m in (n, 2 * n):
        grid = IsotropicGrid(m, default_v_max(init), gamma)
        f0 = initial_values(grid, radial_function(init))
        g = [dirichlet_energy(grid.r, f0)]
        for t in times[1:]:
            rec = solve_isotropic(gamma, float(t), init=init, snapshots=2, n_grid=m, mutant=mutant)
            g.append(dirichlet_energy(np.asarray(rec["r"]), np.asarray(rec["density"])))
        values[m] = np.asarray(g)
    ratios = monotonicity_ratios(values[n], values[2 * n], n)
    return {"gamma": gamma, "init": init, "times": times, "dirichlet_coarse": values[n], "dirichlet": values[2 * n],
            "worst_ratio": float(ratios.max()), "detected_increase": bool(ratios.max() > 1.0)}


def bkw_check(n: int, t_end: float, snapshots: int, mutant: str | None) -> dict:
    """Item 3: I_h(t) at γ = 0 from ``bkw:K0`` against the exact BKW Fisher information."""
    init = f"bkw:{BKW_K0}"
    recs = [solve_isotropic(0.0, t_end, init=init, snapshots=snapshots, n_grid=m, mutant=mutant) for m in (n, 2 * n)]
    times = np.asarray(recs[1]["times"])
    exact = np.array([bkw_fisher(float(k)) for k in bkw_k(BKW_K0, times, mutant)])
    coarse, fine = (np.asarray(r["fisher"]) for r in recs)
    allowance = np.abs(coarse - fine) + QUAD_ERROR
    ratio = np.abs(fine - exact) / allowance
    return {"times": times, "exact": exact, "fisher": fine, "fisher_coarse": coarse,
            "worst_ratio": float(ratio.max()), "max_abs_error": float(np.abs(fine - exact).max())}


def axisymmetric_fisher_run(gamma: float, spec: Datum, relaxation_times: float, snapshots: int,
                            mutant: str | None) -> dict:
    """Items 4 and 5 for one anisotropic datum: I_h(t) and the Dirichlet energy G(t) of an axisymmetric run and of
    its coarser partner; the monotonicity ratios of both (allowance: coarse–fine difference of the increments plus
    the first-order round-off bounds of the two fine values)."""
    try:
        fine, coarse = run_pair(gamma, spec, run_length(gamma, spec, relaxation_times), snapshots, mutant)
    except RunFailed as err:
        empty = np.zeros(0)
        return {"gamma": gamma, "init": datum_label(spec), "completed": False, "failure": str(err), "times": empty,
                "grids": [], "fisher": empty, "fisher_coarse": empty, "fisher_worst_ratio": math.nan,
                "dirichlet": empty, "dirichlet_coarse": empty, "dirichlet_worst_ratio": math.nan,
                "largest_relative_increase": math.nan}
    out: dict[str, Any] = {"gamma": gamma, "init": datum_label(spec), "completed": True, "failure": "",
                           "times": np.asarray(fine["times"]),
                           "grids": [[r["n_r"], r["n_xi"], r["rtol"]] for r in (fine, coarse)]}
    for key in ("fisher", "dirichlet"):
        (values, bound), (coarse_values, _) = (functional_series(r, key) for r in (fine, coarse))
        ratios = increase_ratios(coarse_values, values, bound[1:] + bound[:-1])
        out.update({key: values, f"{key}_coarse": coarse_values, f"{key}_worst_ratio": float(ratios.max())})
    out["largest_relative_increase"] = float((np.diff(out["fisher"]) / out["fisher"][:-1]).max())
    return out


def bkw_axisymmetric(t_end: float, snapshots: int, mutant: str | None) -> dict:
    """Item 6: the axisymmetric solver's I_h(t) at γ = 0 from ``bkw:K0`` (v_max = √(80 T) as for the isotropic
    solver) against the exact BKW Fisher information; allowance |I_coarse − I| + its round-off + QUAD_ERROR."""
    init = f"bkw:{BKW_K0}"
    try:
        fine = solve_guarded(0.0, t_end, init=init, snapshots=snapshots, v_max=default_v_max(init), mutant=mutant,
                             keep_states=True)
        coarse = solve_guarded(0.0, t_end, init=init, snapshots=snapshots, mutant=mutant, **coarser(fine))
    except RunFailed as err:
        empty = np.zeros(0)
        return {"completed": False, "failure": str(err), "times": empty, "exact": empty, "fisher": empty,
                "worst_ratio": math.nan, "max_abs_error": math.nan, "grid": []}
    times = np.asarray(fine["times"])
    exact = np.array([bkw_fisher(float(k)) for k in bkw_k(BKW_K0, times, mutant)])
    values, bound = functional_series(fine, "fisher")
    allowance = np.abs(np.asarray(coarse["fisher"]) - values) + bound + QUAD_ERROR
    return {"completed": True, "failure": "", "times": times, "exact": exact, "fisher": values,
            "worst_ratio": float((np.abs(values - exact) / allowance).max()),
            "max_abs_error": float(np.abs(values - exact).max()), "grid": [fine["n_r"], fine["n_xi"]]}


def _at(values: np.ndarray, k: int) -> float:
    return float(values[k]) if len(values) else math.nan


def anisotropic_checks(data: dict) -> list[Check]:
    """Items 4–6 (module docstring) and the completion flag; item 4 over the completed runs (all, with NaN values,
    when none completed)."""
    runs, bkw = data["anisotropic"], data["axisymmetric_bkw"]
    done = [r for r in runs if r["completed"]] or runs
    source = ("allowance |ΔI_coarse − ΔI| + the first-order round-off bounds of the two values: under monotone "
              "convergence the default-resolution error is at most the difference to the run coarser in n_r, n_xi "
              "and rtol (Richardson)")
    out = [Check(AXI_HEAD, max_or_nan(r["fisher_worst_ratio"] for r in done), 1.0, 0.0, "le", source,
                 "largest increase of I(f_t) between consecutive outputs over the axisymmetric runs (bi-Maxwellians, "
                 "axially displaced mixtures; γ in the theorem's range, Coulomb included), in units of its "
                 "allowance")]
    out += [Check.flag(f"anisotropic negative control detects an increase, γ = {r['gamma']:g}",
                       r["dirichlet_worst_ratio"] > 1.0,
                       "the anisotropic headline's allowance: the Dirichlet energy must exceed it (ratio > 1)",
                       f"G = ∫|∇f|² along the axisymmetric run from {r['init']} (two beams displaced along the axis), "
                       "largest increase / allowance (reported in details)")
            for r in runs if r["init"] == datum_label(BEAMS)]
    out.append(Check("BKW Fisher information, axisymmetric solver: error / allowance", bkw["worst_ratio"], 1.0, 0.0,
                     "le", "Richardson allowance |I_coarse − I| + round-off bound of I + quadrature error 1e-12 of the "
                     "exact value", f"max over outputs of |I_h − I_BKW(K(t))| / allowance, γ = 0, bkw:{BKW_K0}"))
    out.append(Check.flag("axisymmetric runs complete within their step budget",
                          all(r["completed"] for r in [*runs, bkw]),
                          f"at most {STEPS_PER_OUTPUT} adaptive steps per output interval on average (correct runs "
                          "take ≤ 4), and no collapse of the step size",
                          "every anisotropic and BKW run of the axisymmetric solver (failures in details)"))
    return out


@register
class FisherMonotone(Claim):
    """C8 (module docstring)."""

    claim_id = "C8"
    uses = ("isotropic", "maxwell", "axisymmetric")
    catches = ("solver_without_half", "entropy_sign", "axisymmetric_without_half", "axisymmetric_friction_sign")
    sizes = {"quick": {"gammas": [-3.0, -2.0, 0.0, 1.0], "n_grid": 48, "t_end": 1.0, "snapshots": 21,
                       "control_t_end": 1.0, "control_times": 6, "axi_cases": AXI_CASES[:3],
                       "axi_relaxation_times": 10.0, "axi_snapshots": 21, "axi_bkw_t_end": 1.0,
                       "axi_bkw_snapshots": 21},
             "full": {"gammas": [-3.0, -2.5, -2.0, -1.0, 0.0, 0.5, 1.0], "n_grid": 100, "t_end": 2.0,
                      "snapshots": 41, "control_t_end": 2.0, "control_times": 11, "axi_cases": AXI_CASES,
                      "axi_relaxation_times": 20.0, "axi_snapshots": 41, "axi_bkw_t_end": 2.0,
                      "axi_bkw_snapshots": 41}}
    primary = "Fisher information increase / allowance"

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {f"fisher gamma={g:g} {init}": {"part": "fisher", "gamma": g, "init": init}
                                          for g in ctx.sizes["gammas"] for init in INITS}
        out.update({f"control gamma={g:g}": {"part": "control", "gamma": g} for g in CONTROL_GAMMAS})
        out["bkw"] = {"part": "bkw"}
        out.update({f"anisotropic {k}: gamma={g:g} {datum_label(spec)}": {"part": "anisotropic", "gamma": g,
                                                                          "datum": spec}
                    for k, (g, spec) in enumerate(ctx.sizes["axi_cases"])})
        out["axisymmetric bkw"] = {"part": "axisymmetric bkw"}
        return out

    def run_unit(self, ctx: Context, **params: Any) -> dict:
        s, part = ctx.sizes, params["part"]
        if part == "fisher":
            return fisher_run(params["gamma"], params["init"], s["n_grid"], s["t_end"], s["snapshots"], ctx.mutant)
        if part == "control":
            times = np.linspace(0.0, s["control_t_end"], s["control_times"])
            return control_run(params["gamma"], f"bkw:{BKW_K0}", s["n_grid"], times, ctx.mutant)
        if part == "anisotropic":
            return axisymmetric_fisher_run(params["gamma"], params["datum"], s["axi_relaxation_times"],
                                           s["axi_snapshots"], ctx.mutant)
        if part == "axisymmetric bkw":
            return bkw_axisymmetric(s["axi_bkw_t_end"], s["axi_bkw_snapshots"], ctx.mutant)
        return bkw_check(s["n_grid"], s["t_end"], s["snapshots"], ctx.mutant)

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        def part(prefix: str) -> list:
            return [v for k, v in results.items() if k.startswith(prefix)]

        return {"runs": part("fisher"), "controls": part("control"), "bkw": results["bkw"],
                "anisotropic": part("anisotropic"), "axisymmetric_bkw": results["axisymmetric bkw"]}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        source = ("allowance |ΔI_n − ΔI_2n| + 2(log2 2n + 6) eps I: the fine-grid error is at most the coarse–fine "
                  "difference under monotone convergence of order ≥ 1 (scheme order 2), plus round-off of positive "
                  "sums")
        out = [Check(self.primary, max_or_nan(r["worst_ratio"] for r in data["runs"]), 1.0, 0.0, "le", source,
                     "largest increase of I(f_t) between consecutive outputs over all runs (γ in the theorem's "
                     "range, Coulomb included), in units of its Richardson + round-off allowance")]
        out += [Check.flag(f"negative control detects an increase, γ = {c['gamma']:g}", c["detected_increase"],
                           "the same allowance as the headline: the Dirichlet energy must exceed it (ratio > 1)",
                           f"G = ∫|∇f|² along {c['init']} runs, largest increase / allowance "
                           f"(reported in details)") for c in data["controls"]]
        out.append(Check("BKW Fisher information: error / allowance", data["bkw"]["worst_ratio"], 1.0, 0.0, "le",
                         "Richardson allowance |I_n − I_2n| + quadrature error 1e-12 of the exact value",
                         "max over outputs of |I_h − I_BKW(K(t))| / allowance, γ = 0, bkw:0.7"))
        return out + anisotropic_checks(data)

    def figure(self, ctx: Context, data: dict) -> Any:
        fig, ax = figure(2, 3)
        for r in data["runs"]:
            ax[0, 0].plot(r["times"], r["fisher"], lw=1, label=f"γ={r['gamma']:g}, {r['init']}")
        label(ax[0, 0], "t", f"Fisher information I(f_t) (n = {2 * ctx.sizes['n_grid']})", legend=5)
        for c in data["controls"]:
            ax[0, 1].plot(c["times"], c["dirichlet"] / c["dirichlet"][0], "o-", label=f"∫|∇f|², γ={c['gamma']:g}")
        label(ax[0, 1], "t", "negative control G(t)/G(0)")
        bkw = data["bkw"]
        ax[0, 2].plot(bkw["times"], bkw["exact"], "k-", label="exact BKW I(K(t))")
        ax[0, 2].plot(bkw["times"], bkw["fisher"], "o", ms=3, label="isotropic solver")
        ax[0, 2].plot(data["axisymmetric_bkw"]["times"], data["axisymmetric_bkw"]["fisher"], "x", ms=3,
                      label="axisymmetric solver")
        label(ax[0, 2], "t", "I (γ = 0, BKW)")
        for r in (r for r in data["anisotropic"] if r["completed"]):
            name = f"γ={r['gamma']:g}, {r['init'][:26]}"
            ax[1, 0].plot(r["times"], r["fisher"], lw=1, label=name)
            ax[1, 1].plot(r["times"], r["dirichlet"] / r["dirichlet"][0], "o-", ms=2, label=name)
        label(ax[1, 0], "t", "axisymmetric runs: Fisher information I(f_t)", legend=5)
        label(ax[1, 1], "t", "axisymmetric runs: G(t)/G(0), G = ∫|∇f|²", legend=5)
        err = np.abs(data["axisymmetric_bkw"]["fisher"] - data["axisymmetric_bkw"]["exact"])
        ax[1, 2].semilogy(data["axisymmetric_bkw"]["times"], np.maximum(err, 1e-17), "o-", ms=3)
        label(ax[1, 2], "t", "axisymmetric |I_h − I_BKW| (floored at 1e-17)", legend=None)
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        runs, bkw, axi = data["runs"], data["bkw"], data["anisotropic"]
        return {
            "theorem": THEOREM, "theorem_gamma_range": list(GS_GAMMA_RANGE),
            "hypothesis_abs_gamma_bound": GS_HYPOTHESIS_BOUND, "initial_data": list(INITS),
            "worst_ratio_per_run": {f"{r['gamma']:g} {r['init']}": r["worst_ratio"] for r in runs},
            "largest_relative_increase_of_I": max(r["largest_relative_increase"] for r in runs),
            "negative_control": {f"G=int|grad f|^2, gamma={c['gamma']:g}, {c['init']}": {
                "worst_ratio": c["worst_ratio"], "G_first": float(c["dirichlet"][0]),
                "G_last": float(c["dirichlet"][-1])} for c in data["controls"]},
            "bkw_exact_fisher": {"worst_error_over_allowance": bkw["worst_ratio"],
                                 "max_abs_error": bkw["max_abs_error"]},
            "anisotropic_runs": {f"{r['gamma']:g} {r['init']}": {
                "fisher_worst_ratio": r["fisher_worst_ratio"], "dirichlet_worst_ratio": r["dirichlet_worst_ratio"],
                "largest_relative_increase_of_I": r["largest_relative_increase"], "I_first": _at(r["fisher"], 0),
                "I_last": _at(r["fisher"], -1), "G_min": float(np.min(r["dirichlet"], initial=math.inf)),
                "G_last": _at(r["dirichlet"], -1), "t_end": _at(r["times"], -1),
                "n_r, n_xi, rtol (default, coarse)": r["grids"], "failure": r["failure"]} for r in axi},
            "axisymmetric_bkw_exact_fisher": {"worst_error_over_allowance": data["axisymmetric_bkw"]["worst_ratio"],
                                              "max_abs_error": data["axisymmetric_bkw"]["max_abs_error"],
                                              "n_r, n_xi": data["axisymmetric_bkw"]["grid"],
                                              "failure": data["axisymmetric_bkw"]["failure"]},
        }
