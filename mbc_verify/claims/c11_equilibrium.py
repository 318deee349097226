"""C11: the Maxwellian is the equilibrium (Q(M, M) = 0) and runs relax to it (docs/spec.md §1, §3, §6).

Three parts, all required for a pass:

**(a) Q(M, M) = 0 for the isotropic solver's operator.** On the scheme's grid (:mod:`mbc_verify.landau.isotropic`)
the sampled Maxwellian F_i = e^{α − β r_i²/2} has D(log F)_a = −β exactly at every interface (r_{a+1}² − r_a² =
2 ρ_a Δr), so every flux J_a = 𝔽_a Σ_b W_ab 𝔽_b (δ_a − δ_b) vanishes: the discrete operator annihilates it exactly,
not only to quadrature precision (the continuous identity Q(M, M) = 0 is derived in proofs_checks, docs/spec.md §4).
Certified: α, β fitted so that the discrete mass is 1 and the energy 3, one SSP-RK3 step of length τ of the solver
from it changes F_i by at most the first-order round-off bound

    |ΔF_i| ≤ 8 ε F_i + 2τ c [(m + 6) ε (A_i + A_{i−1}) + J*_i + J*_{i−1}] / ω_i,     c = ½,

(:func:`mbc_verify.landau.isotropic_diagnostics.step_roundoff_bound`, built on its ``flux_magnitudes``: A bounds
the terms of the flux, whose m-term sums err by ≤ m ε A; J* the exact-arithmetic flux of the rounded datum; 8 ε F
the roundings of the three SSP stages). Reported beside it: the same step's change relative to the change of a
non-equilibrium mixture. (α, β): :func:`mbc_verify.landau.isotropic_diagnostics.discrete_maxwellian`.

**(b) Relaxation of the isotropic solver.** From ``mixture:1,0.3,1,2`` (γ = 0 and γ = −3) the entropy gap
H(t) − H(M_h), M_h the discrete Maxwellian with the run's own (conserved) mass and energy — a discrete relative
entropy, ≥ 0 by Gibbs' inequality — is non-increasing (solver's per-step increase ≤ its round-off bound) and decays
exponentially: the least-squares slope of log(gap) over the later half of the outputs whose gap is still above
10³ × the entropy round-off bound is negative with its 99 % Student interval below 0 (a relaxation to any other
state would leave a plateau there, slope 0).

**(c) MBC particles relax to the microcanonical equilibrium.** Ensembles of the fast engine
(:func:`mbc_verify.mbc.ensemble.run_ensemble`) from ``bimaxwellian:2,0.5`` (energy 3) at γ = 0 and γ = −3: at the
last time T∥ − T⊥ = 0 and (1/N) Σ|v_i|⁴ equals its value under the uniform law on S_N(3N, 0), the reversible
equilibrium of docs/spec.md §3: with d = 3(N − 1) and v_1 = √((N−1)/N) × (three orthonormal coordinates of a uniform
point
of the radius-√(3N) sphere in R^d), E|v_1|⁴ = ((N−1)/N)² · 15 (3N)²/(d(d+2)) = 15 (3N − 3)/(3N − 1) (→ 15, the
Maxwellian value at energy 3; :func:`mbc_verify.mbc.observables.microcanonical_moment4`). Each within 5 standard
errors of the replica mean (replicas independent). The fast
engine's step Δt only changes the path, not the equilibrium (every pair rotation preserves the uniform measure),
so a coarse Δt is used.

Units: one per γ of each part. Checks: the headline, the largest |z| of part (c); part (a), the largest ratio
change / bound over γ; part (b), for each of its three conditions the γ closest to failing. Mutants killing it:
``entropy_sign`` ((a): the Maxwellian is not stationary), ``one_sided_rotation`` ((c): energy is not conserved,
∫|v|⁴ runs away), ``biased_azimuth`` and ``frozen_partners`` ((c): the particles do not reach the microcanonical
equilibrium in the time given).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..certificate import Check
from ..landau.densities import radial_function
from ..landau.isotropic import IsotropicGrid, default_v_max, initial_values, solve_isotropic
from ..landau.isotropic_diagnostics import discrete_maxwellian, step_roundoff_bound
from ..mbc.ensemble import run_ensemble
from ..mbc.observables import microcanonical_moment4
from ..stats import fit_line, mean_stderr
from .base import Claim, Context
from .common import figure, max_or_nan, worst
from .registry import register

MIXTURE = "mixture:1,0.3,1,2"
BIMAXWELLIAN = "bimaxwellian:2,0.5"
Z_MAX = 5.0
STEP = 1e-4  # τ of part (a): λτ ≤ 1 for the stability bound λ of every grid used here
RELAXATION_GAMMAS = (0.0, -3.0)
PARTICLE_GAMMAS = (0.0, -3.0)
PARTICLE_SNAPSHOTS = 11


def equilibrium_step(gamma: float, n: int, mutant: str | None) -> dict:
    """Part (a) at one γ: one solver step from the discrete Maxwellian, its change against the round-off bound."""
    vm = default_v_max(MIXTURE)  # one grid for the Maxwellian and the non-equilibrium reference
    grid = IsotropicGrid(n, vm, gamma)
    alpha, beta = discrete_maxwellian(grid)

    def maxwellian(r: np.ndarray) -> np.ndarray:
        return np.exp(alpha - beta * np.asarray(r, dtype=np.float64) ** 2 / 2.0)

    f0 = initial_values(grid, maxwellian)
    rec = solve_isotropic(gamma, STEP, init=maxwellian, snapshots=2, n_grid=n, v_max=vm, dt=STEP, mutant=mutant)
    change = np.abs(np.asarray(rec["density"]) - f0)
    bound = step_roundoff_bound(grid, f0, STEP)
    neq = solve_isotropic(gamma, STEP, init=MIXTURE, snapshots=2, n_grid=n, v_max=vm, dt=STEP, mutant=mutant)
    f_neq0 = initial_values(grid, radial_function(MIXTURE))
    neq_change = float(np.abs(np.asarray(neq["density"]) - f_neq0).max())
    return {"gamma": gamma, "n": n, "worst_ratio": float((change / bound).max()),
            "max_change": float(change.max()), "max_change_nonequilibrium": neq_change,
            "relative_to_nonequilibrium": float(change.max()) / neq_change}


def _no_maxwellian(gamma: float, rec: dict) -> dict:
    nan = math.nan
    return {"gamma": gamma, "times": np.asarray(rec["times"]), "gap": np.full(len(rec["times"]), nan),
            "rate": nan, "slope_upper_99": nan, "step_increase": nan, "roundoff_bound": rec["entropy_roundoff_bound"],
            "gap_min": nan, "gap_min_over_floor": nan, "final_gap": nan, "final_density_error": nan,
            "reason": f"no discrete Maxwellian with mass {rec['mass'][-1]:.6g}, energy {rec['energy'][-1]:.6g}"}


def relaxation(gamma: float, n: int, t_end: float, snapshots: int, mutant: str | None) -> dict:
    """Part (b) at one γ: the entropy gap to the discrete Maxwellian with the run's mass and energy."""
    rec = solve_isotropic(gamma, t_end, init=MIXTURE, snapshots=snapshots, n_grid=n, mutant=mutant)
    grid = IsotropicGrid(n, rec["v_max"], gamma)
    try:
        alpha, beta = discrete_maxwellian(grid, rec["mass"][-1], rec["energy"][-1])
    except ValueError:  # no Maxwellian on the grid has the run's final energy: the run did not conserve it
        return _no_maxwellian(gamma, rec)
    m_eq = np.exp(alpha - beta * grid.r**2 / 2.0)
    h_eq = float(np.sum(grid.omega * m_eq * np.log(m_eq)))
    t = np.asarray(rec["times"])
    gap = np.asarray(rec["entropy"]) - h_eq
    floor = 1e3 * rec["entropy_roundoff_bound"]
    above = np.flatnonzero(gap > floor)
    use = above[len(above) // 2:]  # the later half of the outputs still above the round-off floor
    if use.size >= 3:
        fit = fit_line(t[use], np.log(gap[use]))
        slope, upper = fit.slope, float(fit.interval(0.99)[1])
    else:
        slope = upper = math.nan
    return {"gamma": gamma, "times": t, "gap": gap, "rate": -slope, "slope_upper_99": upper,
            "step_increase": rec["entropy_max_step_increase"], "roundoff_bound": rec["entropy_roundoff_bound"],
            "gap_min": float(gap.min()), "gap_min_over_floor": float(gap.min() / rec["entropy_roundoff_bound"]),
            "final_gap": float(gap[-1]),
            "final_density_error": float(np.abs(np.asarray(rec["density"]) - m_eq).max() / m_eq.max())}


def _signed_z(x: np.ndarray, expected: float) -> float:
    mean, se = mean_stderr(x)
    return float((mean - expected) / se)


def particle_relaxation(gamma: float, n: int, replicas: int, h: float, t_end: float, dt: float, seed: int,
                        mutant: str | None) -> dict:
    """Part (c) at one γ: z-scores of T∥ − T⊥ and of (1/N)Σ|v|⁴ − 15(3N−3)/(3N−1) at the last time."""
    rec = run_ensemble(gamma, h, n, t_end, replicas=replicas, init=BIMAXWELLIAN, engine="fast", dt=dt,
                       snapshots=PARTICLE_SNAPSHOTS, seed=seed, mutant=mutant,
                       observables=("temperatures", "moment4"), return_samples=True)
    temps = rec["samples"]["temperatures"]
    diff = temps[:, :, 0] - temps[:, :, 1]
    m4 = rec["samples"]["moment4"]
    target = microcanonical_moment4(n)
    anisotropy, anisotropy_se = mean_stderr(diff, axis=0)
    moment4, moment4_se = mean_stderr(m4, axis=0)
    return {"gamma": gamma, "times": rec["times"], "anisotropy": anisotropy, "anisotropy_se": anisotropy_se,
            "moment4": moment4, "moment4_se": moment4_se, "moment4_target": target,
            "z_anisotropy": _signed_z(diff[:, -1], 0.0), "z_moment4": _signed_z(m4[:, -1], target)}


def relaxation_checks(r: dict) -> list[Check]:
    """The three conditions of part (b) at one γ."""
    case = f"γ = {r['gamma']:g}, {MIXTURE}"
    return [
        Check("(b) entropy step increase ≤ round-off bound", r["step_increase"], 0.0, r["roundoff_bound"], "le",
              "the solver's entropy round-off bound 2(log2 n + 2) eps sum|w F log F|",
              f"largest increase of the discrete entropy in one step; {case}"),
        Check("(b) entropy gap ≥ 0", r["gap_min"], 0.0, r["roundoff_bound"], "ge",
              "Gibbs' inequality up to the entropy round-off bound",
              f"min over the outputs of H(t) − H(M_h); {case}"),
    ]


def _key(gamma: float) -> str:
    return f"{gamma:g}"


@register
class Equilibrium(Claim):
    """C11 (module docstring)."""

    claim_id = "C11"
    uses = ("isotropic", "mbc")
    catches = ("one_sided_rotation", "biased_azimuth", "frozen_partners", "entropy_sign")
    sizes = {"quick": {"n_grid": 60, "equilibrium_gammas": [-3.0, -1.0, 0.0, 1.0],
                       "relaxation_t_end": {"0": 3.0, "-3": 20.0}, "relaxation_snapshots": 31, "particles": 200,
                       "replicas": 48, "h": 0.5, "particle_t_end": {"0": 4.0, "-3": 100.0},
                       "particle_dt": {"0": 0.01, "-3": 0.05}},
             "full": {"n_grid": 120, "equilibrium_gammas": [-3.0, -2.0, -1.0, 0.0, 0.5, 1.0],
                      "relaxation_t_end": {"0": 4.0, "-3": 40.0}, "relaxation_snapshots": 31, "particles": 1000,
                      "replicas": 200, "h": 0.5, "particle_t_end": {"0": 4.0, "-3": 100.0},
                      "particle_dt": {"0": 0.01, "-3": 0.05}}}
    primary = "(c) particles at the microcanonical equilibrium, max |z|"

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        out = {f"equilibrium gamma={g:g}": {"part": "a", "gamma": g} for g in ctx.sizes["equilibrium_gammas"]}
        out.update({f"relaxation gamma={g:g}": {"part": "b", "gamma": g} for g in RELAXATION_GAMMAS})
        out.update({f"particles gamma={g:g}": {"part": "c", "gamma": g, "seed_offset": 0} for g in PARTICLE_GAMMAS})
        return out

    def run_unit(self, ctx: Context, **params: Any) -> dict:
        s, g = ctx.sizes, params["gamma"]
        if params["part"] == "a":
            return equilibrium_step(g, s["n_grid"], ctx.mutant)
        if params["part"] == "b":
            return relaxation(g, s["n_grid"], s["relaxation_t_end"][_key(g)], s["relaxation_snapshots"], ctx.mutant)
        return particle_relaxation(g, s["particles"], s["replicas"], s["h"], s["particle_t_end"][_key(g)],
                                   s["particle_dt"][_key(g)], ctx.seed + params["seed_offset"], ctx.mutant)

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        parts = {"equilibrium": "equilibrium_step", "relaxation": "relaxation", "particles": "particles"}
        return {name: [v for k, v in results.items() if k.startswith(prefix)] for prefix, name in parts.items()}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        zs = [abs(p[k]) for p in data["particles"] for k in ("z_anisotropy", "z_moment4")]
        worst_z = max(zs) if all(math.isfinite(z) for z in zs) else math.nan
        per_gamma = [relaxation_checks(r) for r in data["relaxation"]]
        return [
            Check(self.primary, worst_z, 0.0, Z_MAX, "abs",
                  "5 standard errors of the replica mean (independent replicas)",
                  "largest |z| of T∥ − T⊥ and of (1/N)Σ|v|⁴ against the microcanonical equilibrium at the last "
                  "time (MBC fast engine, γ = 0 and −3)"),
            Check("(a) Maxwellian step change / round-off bound",
                  max_or_nan(e["worst_ratio"] for e in data["equilibrium_step"]), 1.0, 0.0, "le",
                  "first-order round-off bound of one SSP-RK3 step at the discrete Maxwellian",
                  "largest |ΔF_i| / bound over cells and γ: Q_h(M) = 0 to round-off"),
            *(worst([c[k] for c in per_gamma], f"{per_gamma[0][k].name} (worst γ)") for k in range(2)),
            Check("(b) log entropy gap slope, 99 % upper limit (worst γ)",
                  max_or_nan(r["slope_upper_99"] for r in data["relaxation"]), 0.0, 0.0, "le",
                  "99% Student interval of the least-squares slope of log(H − H(M_h)) over the later outputs "
                  "above 1e3 × the round-off bound",
                  "upper end of the interval of the fitted exponential rate of the entropy gap: must be < 0"),
        ]

    def figure(self, ctx: Context, data: dict) -> Any:
        fig, ax = figure(1, 3)
        for r in data["relaxation"]:
            ax[0, 0].semilogy(r["times"], np.maximum(r["gap"], 1e-16), "o-", ms=3,
                              label=f"γ={r['gamma']:g}: rate {r['rate']:.3g}")
        ax[0, 0].set_xlabel("t")
        ax[0, 0].set_ylabel("H(t) − H(M) (isotropic solver)")
        ax[0, 0].legend(fontsize=7)
        for p in data["particles"]:
            ax[0, 1].errorbar(p["times"], p["anisotropy"], Z_MAX * p["anisotropy_se"], fmt="o-", ms=3, capsize=2,
                              label=f"γ={p['gamma']:g}")
            ax[0, 2].errorbar(p["times"], p["moment4"], Z_MAX * p["moment4_se"], fmt="o-", ms=3, capsize=2,
                              label=f"γ={p['gamma']:g}")
        ax[0, 1].axhline(0.0, color="k", lw=0.8)
        ax[0, 1].set_ylabel("T∥ − T⊥ (MBC, ±5 s.e.)")
        ax[0, 2].axhline(microcanonical_moment4(ctx.sizes["particles"]), color="k", lw=0.8, label="15(3N−3)/(3N−1)")
        ax[0, 2].set_ylabel("(1/N) Σ|v|⁴ (MBC, ±5 s.e.)")
        for a in (ax[0, 1], ax[0, 2]):
            a.set_xscale("symlog", linthresh=1.0)
            a.set_xlim(left=0.0)
            a.set_xlabel("t")
            a.legend(fontsize=7)
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        def pick(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
            return [{k: r[k] for k in keys} for r in rows]

        return {
            "a_maxwellian_stationary": {"per_gamma": pick(data["equilibrium_step"], (
                "gamma", "worst_ratio", "max_change", "relative_to_nonequilibrium"))},
            "b_entropy_relaxation": {"per_gamma": pick(data["relaxation"], (
                "gamma", "rate", "slope_upper_99", "final_gap", "final_density_error"))},
            "c_particles": {"per_gamma": [
                {"gamma": p["gamma"], "z_anisotropy": p["z_anisotropy"], "z_moment4": p["z_moment4"],
                 "anisotropy_last": float(p["anisotropy"][-1]), "moment4_last": float(p["moment4"][-1]),
                 "moment4_target": p["moment4_target"]} for p in data["particles"]]},
        }
