"""C11: the Maxwellian is the equilibrium (Q(M, M) = 0) and runs relax to it (SPEC §1, §3, §5).

Three parts, all required for a pass:

**(a) Q(M, M) = 0 for the isotropic solver's operator.** On the scheme's grid (:mod:`mbc_verify.landau.isotropic`)
the sampled Maxwellian F_i = e^{α − β r_i²/2} has D(log F)_a = −β exactly at every interface (r_{a+1}² − r_a² =
2 ρ_a Δr), so every flux J_a = 𝔽_a Σ_b W_ab 𝔽_b (δ_a − δ_b) vanishes: the discrete operator annihilates it exactly,
not only to quadrature precision (the continuous identity Q(M, M) = 0 is derived in proofs_checks, SPEC §4).
Certified: α, β fitted so that the discrete mass is 1 and the energy 3, one SSP-RK3 step of length τ of the solver
from it changes F_i by at most the first-order round-off bound

    |ΔF_i| ≤ 8 ε F_i + 2τ c [(m + 6) ε (A_i + A_{i−1}) + J*_i + J*_{i−1}] / ω_i,     c = ½,

(:func:`.c07_h_theorem.flux_magnitudes`: A bounds the terms of the flux, whose m-term sums err by ≤ m ε A; J* the
exact-arithmetic flux of the rounded datum; 8 ε F the roundings of the three SSP stages). Reported beside it: the
same step's change relative to the change of a non-equilibrium mixture.

**(b) Relaxation of the isotropic solver.** From ``mixture:1,0.3,1,2`` (γ = 0 and γ = −3) the entropy gap
H(t) − H(M_h), M_h the discrete Maxwellian with the run's own (conserved) mass and energy — a discrete relative
entropy, ≥ 0 by Gibbs' inequality — is non-increasing (solver's per-step increase ≤ its round-off bound) and decays
exponentially: the least-squares slope of log(gap) over the later half of the outputs whose gap is still above
10³ × the entropy round-off bound is negative with its 99 % Student interval below 0 (a relaxation to any other
state would leave a plateau there, slope 0).

**(c) MBC particles relax to the microcanonical equilibrium.** Ensembles of the fast engine
(:func:`mbc_verify.mbc.ensemble.run_ensemble`) from ``bimaxwellian:2,0.5`` (energy 3) at γ = 0 and γ = −3: at the
last time T∥ − T⊥ = 0 and (1/N) Σ|v_i|⁴ equals its value under the uniform law on S_N(3N, 0), the reversible
equilibrium of SPEC §3: with d = 3(N − 1) and v_1 = √((N−1)/N) × (three orthonormal coordinates of a uniform point
of the radius-√(3N) sphere in R^d), E|v_1|⁴ = ((N−1)/N)² · 15 (3N)²/(d(d+2)) = 15 (3N − 3)/(3N − 1) (→ 15, the
Maxwellian value at energy 3). Each within 5 standard errors of the replica mean (replicas independent). The fast
engine's step Δt only changes the path, not the equilibrium (every pair rotation preserves the uniform measure),
so a coarse Δt is used.

Headline: the largest |z| of part (c); verdict: (a), (b) and (c) all hold. Mutants killing it: ``entropy_sign``
((a): the Maxwellian is not stationary), ``one_sided_rotation`` ((c): energy is not conserved, ∫|v|⁴ runs away).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from scipy import optimize

from ..certificate import Certificate
from ..landau.densities import radial_function
from ..landau.isotropic import IsotropicGrid, default_v_max, initial_values, solve_isotropic
from ..mbc.ensemble import run_ensemble
from ..stats import fit_line
from .c07_h_theorem import EPS, HALF, cell_sums, flux_magnitudes
from .common import figure, pick, save_evidence
from .registry import STATEMENTS, claim

MIXTURE = "mixture:1,0.3,1,2"
BIMAXWELLIAN = "bimaxwellian:2,0.5"
Z_MAX = 5.0
STEP = 1e-4  # τ of part (a): λτ ≤ 1 for the stability bound λ of every grid used here


def discrete_maxwellian(grid: IsotropicGrid, mass: float = 1.0, energy: float = 3.0) -> tuple[float, float]:
    """(α, β) with Σ ω_i e^{α − β r_i²/2} = mass and Σ ω_i r_i² e^{α − β r_i²/2} = energy on ``grid``."""
    r2 = grid.r * grid.r

    def mean_r2(beta: float) -> float:
        w = grid.omega * np.exp(-beta * (r2 - r2.min()) / 2.0)
        return float(np.sum(w * r2) / np.sum(w))

    beta = optimize.brentq(lambda b: mean_r2(b) - energy / mass, 0.05, 20.0, xtol=1e-15, rtol=4 * EPS)
    alpha = math.log(mass / float(np.sum(grid.omega * np.exp(-beta * r2 / 2.0))))
    return alpha, beta


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
    a, jstar = flux_magnitudes(grid, f0)
    m = n - 1
    bound = 8 * EPS * f0 + 2 * STEP * HALF * ((m + 6) * EPS * cell_sums(a) + cell_sums(jstar)) / grid.omega
    neq = solve_isotropic(gamma, STEP, init=MIXTURE, snapshots=2, n_grid=n, v_max=vm, dt=STEP, mutant=mutant)
    f_neq0 = initial_values(grid, radial_function(MIXTURE))
    neq_change = float(np.abs(np.asarray(neq["density"]) - f_neq0).max())
    return {"gamma": gamma, "n": n, "worst_ratio": float((change / bound).max()),
            "max_change": float(change.max()), "max_change_nonequilibrium": neq_change,
            "relative_to_nonequilibrium": float(change.max()) / neq_change, "ok": bool((change <= bound).all())}


def relaxation(gamma: float, n: int, t_end: float, snapshots: int, mutant: str | None) -> dict:
    """Part (b) at one γ: the entropy gap to the discrete Maxwellian with the run's mass and energy."""
    rec = solve_isotropic(gamma, t_end, init=MIXTURE, snapshots=snapshots, n_grid=n, mutant=mutant)
    grid = IsotropicGrid(n, rec["v_max"], gamma)
    try:
        alpha, beta = discrete_maxwellian(grid, rec["mass"][-1], rec["energy"][-1])
    except ValueError:  # no Maxwellian on the grid has the run's final energy: the run did not conserve it
        return {"gamma": gamma, "times": np.asarray(rec["times"]), "gap": np.full(len(rec["times"]), np.nan),
                "rate": math.nan, "slope_upper_99": math.nan, "monotone": False, "gap_min_over_floor": math.nan,
                "final_gap": math.nan, "final_density_error": math.nan, "ok": False,
                "reason": f"no discrete Maxwellian with mass {rec['mass'][-1]:.6g}, energy {rec['energy'][-1]:.6g}"}
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
    monotone = rec["entropy_max_step_increase"] <= rec["entropy_roundoff_bound"]
    density_error = float(np.abs(np.asarray(rec["density"]) - m_eq).max() / m_eq.max())
    return {"gamma": gamma, "times": t, "gap": gap, "rate": -slope, "slope_upper_99": upper,
            "monotone": bool(monotone), "gap_min_over_floor": float(gap.min() / rec["entropy_roundoff_bound"]),
            "final_gap": float(gap[-1]), "final_density_error": density_error,
            "ok": bool(monotone and gap.min() >= -rec["entropy_roundoff_bound"] and upper < 0.0)}


def microcanonical_moment4(n: int) -> float:
    """E|v_1|⁴ under the uniform law on S_N(3N, 0): 15 (3N − 3)/(3N − 1) (module docstring, part (c))."""
    return 15.0 * (3 * n - 3) / (3 * n - 1)


def particle_relaxation(gamma: float, n: int, replicas: int, t_end: float, dt: float, seed: int,
                        mutant: str | None) -> dict:
    """Part (c) at one γ: z-scores of T∥ − T⊥ and of (1/N)Σ|v|⁴ − 15(3N−3)/(3N−1) at the last time."""
    rec = run_ensemble(gamma, 0.5, n, t_end, replicas=replicas, init=BIMAXWELLIAN, engine="fast", dt=dt,
                       snapshots=11, seed=seed, mutant=mutant, observables=("temperatures", "moment4"),
                       return_samples=True)
    temps = rec["samples"]["temperatures"]
    diff = temps[:, :, 0] - temps[:, :, 1]
    m4 = rec["samples"]["moment4"]
    target = microcanonical_moment4(n)

    def z(x: np.ndarray, expected: float) -> float:
        return float((x.mean() - expected) / (x.std(ddof=1) / math.sqrt(x.size)))

    return {"gamma": gamma, "times": rec["times"], "anisotropy": diff.mean(axis=0),
            "anisotropy_se": diff.std(axis=0, ddof=1) / math.sqrt(replicas), "moment4": m4.mean(axis=0),
            "moment4_se": m4.std(axis=0, ddof=1) / math.sqrt(replicas), "moment4_target": target,
            "z_anisotropy": z(diff[:, -1], 0.0), "z_moment4": z(m4[:, -1], target)}


@claim("C11", uses=("isotropic", "mbc"))
def certify_equilibrium(profile: str, seed: int, out_dir: Path, mutant: str | None) -> Certificate:
    n = pick(profile, 60, 120)
    eq = [equilibrium_step(g, n, mutant) for g in pick(profile, (-3.0, -1.0, 0.0, 1.0),
                                                        (-3.0, -2.0, -1.0, 0.0, 0.5, 1.0))]
    relax = [relaxation(0.0, n, pick(profile, 3.0, 4.0), 31, mutant),
             relaxation(-3.0, n, pick(profile, 20.0, 40.0), 31, mutant)]
    n_part = pick(profile, 200, 1000)
    replicas = pick(profile, 48, 200)
    particles = [particle_relaxation(0.0, n_part, replicas, 4.0, 0.01, seed, mutant),
                 particle_relaxation(-3.0, n_part, replicas, 100.0, 0.05, seed, mutant)]
    zs = [abs(p[k]) for p in particles for k in ("z_anisotropy", "z_moment4")]
    worst_z = max(zs) if all(math.isfinite(z) for z in zs) else math.nan
    ok_a = all(e["ok"] for e in eq)
    ok_b = all(r["ok"] for r in relax)
    ok_c = bool(worst_z <= Z_MAX)
    fig, ax = figure(1, 3)
    for r in relax:
        ax[0, 0].semilogy(r["times"], np.maximum(r["gap"], 1e-16), "o-", ms=3,
                          label=f"γ={r['gamma']:g}: rate {r['rate']:.3g}")
    ax[0, 0].set_xlabel("t")
    ax[0, 0].set_ylabel("H(t) − H(M) (isotropic solver)")
    ax[0, 0].legend(fontsize=7)
    for p in particles:
        ax[0, 1].errorbar(p["times"], p["anisotropy"], 5 * p["anisotropy_se"], fmt="o-", ms=3, capsize=2,
                          label=f"γ={p['gamma']:g}")
        ax[0, 2].errorbar(p["times"], p["moment4"], 5 * p["moment4_se"], fmt="o-", ms=3, capsize=2,
                          label=f"γ={p['gamma']:g}")
    ax[0, 1].axhline(0.0, color="k", lw=0.8)
    ax[0, 1].set_xscale("symlog", linthresh=1.0)
    ax[0, 1].set_xlim(left=0.0)
    ax[0, 1].set_xlabel("t")
    ax[0, 1].set_ylabel("T∥ − T⊥ (MBC, ±5 s.e.)")
    ax[0, 1].legend(fontsize=7)
    ax[0, 2].axhline(microcanonical_moment4(n_part), color="k", lw=0.8, label="15(3N−3)/(3N−1)")
    ax[0, 2].set_xscale("symlog", linthresh=1.0)
    ax[0, 2].set_xlim(left=0.0)
    ax[0, 2].set_xlabel("t")
    ax[0, 2].set_ylabel("(1/N) Σ|v|⁴ (MBC, ±5 s.e.)")
    ax[0, 2].legend(fontsize=7)
    evidence = save_evidence(out_dir, "C11", fig, {"equilibrium_step": eq, "relaxation": relax,
                                                   "particles": particles}, mutant)
    return Certificate(
        "C11", STATEMENTS["C11"][1],
        quantity="largest |z| of T∥ − T⊥ and of (1/N)Σ|v|⁴ against the microcanonical equilibrium at the last time "
                 "(MBC fast engine, γ = 0 and −3); plus Q_h(M) = 0 to round-off and the solver's exponential "
                 "entropy relaxation",
        measured=worst_z, expected=0.0, tolerance=Z_MAX, relation="abs",
        tolerance_source="5 standard errors of the replica mean (independent replicas); (a) first-order round-off "
                         "bound of one solver step at the discrete Maxwellian; (b) 99% Student interval of the "
                         "fitted log-entropy-gap slope",
        verdict="pass" if (ok_a and ok_b and ok_c) else "fail",
        seeds=[seed], sizes={"n_grid": n, "particles": n_part, "replicas": replicas, "h": 0.5,
                             "particle_t_end": {"0": 4.0, "-3": 100.0}, "particle_dt": {"0": 0.01, "-3": 0.05}},
        evidence=evidence,
        details={
            "a_maxwellian_stationary": {"ok": ok_a, "per_gamma": [
                {k: e[k] for k in ("gamma", "worst_ratio", "max_change", "relative_to_nonequilibrium")} for e in eq]},
            "b_entropy_relaxation": {"ok": ok_b, "per_gamma": [
                {k: r[k] for k in ("gamma", "rate", "slope_upper_99", "monotone", "final_gap",
                                   "final_density_error")} for r in relax]},
            "c_particles": {"ok": ok_c, "per_gamma": [
                {"gamma": p["gamma"], "z_anisotropy": p["z_anisotropy"], "z_moment4": p["z_moment4"],
                 "anisotropy_last": float(p["anisotropy"][-1]), "moment4_last": float(p["moment4"][-1]),
                 "moment4_target": p["moment4_target"]} for p in particles]},
        },
    )
