"""C7: the H-theorem along deterministic solutions (SPEC §1, §5): dH/dt = −D(f), D(f) ≥ 0.

Runs of the conservative entropic isotropic solver (:func:`mbc_verify.landau.isotropic.solve_isotropic`) from
hypothesis-style drawn initial data: mixtures of 1–3 centred Maxwellians (weights and temperatures drawn from a
fixed-seed numpy Generator, then rescaled to mass 1 and energy 3 by the ``mixture:`` name, SPEC §6) and γ drawn
uniformly in [−3, 1], the first draw Coulomb (γ = −3) and the second γ = 1. Four sub-checks per run, all required:

1. **Entropy never increases** — per SSP-RK3 step, the largest increase of the discrete entropy
   H = Σ ω_i F_i log F_i is at most the solver's round-off bound ``entropy_roundoff_bound`` =
   max over steps of 2 (log₂ n + 2) ε Σ|ω_i F_i log F_i| (pairwise summation of n terms errs by
   ≤ (log₂ n + 1) ε Σ|terms|, one more ε for the products, twice for a difference of two sums).
   Headline: the worst ratio (largest step increase)/(bound) over all runs, pass if ≤ 1.
2. **D is the entropy-dissipation functional of SPEC §1** — at t = 0 the solver's D = −Σ ω_i log F_i dF_i/dt equals
   the discrete form of D = ¼ ∫∫ f f_* (∇log f − ∇_* log f_*)·a (∇log f − ∇_* log f_*) (with the ½ of SPEC §1):

       D_h = (Δr / 4) Σ_ab W_ab 𝔽_a 𝔽_b (δ_a − δ_b)²,   δ_a = D(log F)_a,  𝔽_a = logarithmic mean,

   a sum of non-negative terms (derivation: module docstring of :mod:`mbc_verify.landau.isotropic`, summation by
   parts of Σ log F_i (J_i/ρ_i − J_{i−1}/ρ_{i−1}) with the symmetry of W). Tolerance: the first-order round-off
   bound of the solver's evaluation, :func:`dissipation_formula` (matrix–vector products of m = n − 1 terms err by
   ≤ m ε Σ|terms|, a few ε per product and difference, log₂ n ε for the final sum).
3. **D ≥ 0 at every output** — D_k ≥ −B with B the same round-off bound (the larger of its values at the first and
   last state; the flux magnitudes it is built from change by O(1) factors along a run).
4. **dH/dt = −D** — H(t_end) − H(0) = −∫ D dt, the integral by Romberg's extrapolation of the trapezoid rule over
   the outputs (T₁ all outputs, T₂ every other: R = T₁ + (T₁ − T₂)/3); tolerance = |T₁ − T₂|/3 (Richardson's
   estimate of the error of T₁, which bounds the error of R in the asymptotic regime) + twice the entropy round-off
   bound. The SSP-RK3 time error is O(h³) per unit time, far below it.

Mutants killing it: ``solver_without_half`` (D doubled against the SPEC ½: sub-check 2) and ``entropy_sign``
(the flux is no longer the entropic one: sub-check 2).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..certificate import Certificate
from ..landau.densities import radial_function
from ..landau.isotropic import IsotropicGrid, initial_values, solve_isotropic
from .common import figure, pick, save_evidence
from .registry import STATEMENTS, claim

EPS = float(np.finfo(np.float64).eps)
#: the ½ of SPEC §1 (the coefficient c of the scheme's flux; see mbc_verify.landau.isotropic_kernel)
HALF = 0.5
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


def interface_values(grid: IsotropicGrid, f: np.ndarray) -> tuple[np.ndarray, ...]:
    """(log F, 𝔽, δ, DF) of a positive grid density: 𝔽_a = F_a (e^ξ − 1)/ξ with ξ = log F_{a+1} − log F_a (the
    logarithmic mean, by expm1), δ_a = ξ/(ρ_a Δr) = D(log F)_a and DF_a = (F_{a+1} − F_a)/(ρ_a Δr) (SPEC §1 in the
    variable x = r²/2; scheme of :mod:`mbc_verify.landau.isotropic`)."""
    logf = np.log(f)
    xi = np.diff(logf)
    safe = np.where(xi == 0.0, 1.0, xi)
    ratio = np.where(xi == 0.0, 1.0, np.expm1(safe) / safe)
    step = grid.rho * grid.dr
    return logf, f[:-1] * ratio, xi / step, np.diff(f) / step


def dissipation_formula(grid: IsotropicGrid, f: np.ndarray) -> tuple[float, float]:
    """(D_h, B): the non-negative form D_h = (Δr/4) Σ_ab W_ab 𝔽_a 𝔽_b (δ_a − δ_b)² and the first-order round-off
    bound B of the solver's D = −Σ ω_i log F_i dF_i/dt at ``f`` (module docstring, sub-check 2):

        B = c ε (m + log₂ n + 8) Σ_i |log F_i| (A_i + A_{i−1}),   A_a = (|DF_a| (W𝔽)_a + 𝔽_a (|W||DF|)_a)/ρ_a,

    with c = ½: (W𝔽)_a and (W DF)_a are m-term sums (error ≤ m ε Σ|terms|), the flux J_a/ρ_a a few roundings more,
    and the final n-term sum of log F_i times the flux differences (log₂ n + 2) ε of its magnitude.
    """
    logf, fm, delta, df = interface_values(grid, f)
    w = grid.w
    diff = delta[:, None] - delta[None, :]
    d_h = HALF * grid.dr / 2.0 * float(np.sum(w * np.outer(fm, fm) * diff * diff))
    a, _ = flux_magnitudes(grid, f)
    m = grid.n - 1
    bound = HALF * EPS * (m + math.log2(grid.n) + 8) * float(np.sum(np.abs(logf) * cell_sums(a)))
    return d_h, bound


def flux_magnitudes(grid: IsotropicGrid, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(A, J*) per interface: A_a = (|DF_a| (W𝔽)_a + 𝔽_a (|W||DF|)_a)/ρ_a, the magnitude of the terms the solver's
    flux J_a/ρ_a is computed from (its rounding error is ≤ (m + 6) ε A_a), and J*_a = 𝔽_a Σ_b W_ab 𝔽_b |δ_a − δ_b|/ρ_a,
    a bound of the exact-arithmetic |J_a|/ρ_a (J_a = 𝔽_a Σ_b W_ab 𝔽_b (δ_a − δ_b) since DF = 𝔽 δ)."""
    _, fm, delta, df = interface_values(grid, f)
    w = grid.w
    a = (np.abs(df) * (w @ fm) + fm * (np.abs(w) @ np.abs(df))) / grid.rho
    jstar = fm * ((w * np.abs(delta[:, None] - delta[None, :])) @ fm) / grid.rho
    return a, jstar


def cell_sums(x: np.ndarray) -> np.ndarray:
    """x_i + x_{i−1} per cell from interface values x_a (zero beyond the ends, where the flux vanishes)."""
    return np.concatenate([x, [0.0]]) + np.concatenate([[0.0], x])


def romberg_check(times: np.ndarray, entropy: np.ndarray, dissipation: np.ndarray) -> tuple[float, float]:
    """(H(t_end) − H(0) + R, |T₁ − T₂|/3): R the Romberg value of ∫ D dt over the outputs (odd count ≥ 3)."""
    t1 = float(np.trapezoid(dissipation, times))
    t2 = float(np.trapezoid(dissipation[::2], times[::2]))
    return float(entropy[-1] - entropy[0]) + t1 + (t1 - t2) / 3.0, abs(t1 - t2) / 3.0


def check_run(gamma: float, init: str, n: int, t_end: float, snapshots: int, mutant: str | None) -> dict:
    """Run the isotropic solver and evaluate the four sub-checks of the module docstring for one case."""
    rec = solve_isotropic(gamma, t_end, init=init, snapshots=snapshots, n_grid=n, mutant=mutant)
    grid = IsotropicGrid(n, rec["v_max"], gamma)
    f0 = initial_values(grid, radial_function(init))
    d0, b0 = dissipation_formula(grid, f0)
    _, b1 = dissipation_formula(grid, np.asarray(rec["density"]))
    bound_d = max(b0, b1)
    t = np.asarray(rec["times"])
    h = np.asarray(rec["entropy"])
    d = np.asarray(rec["entropy_dissipation"])
    h_bound = rec["entropy_roundoff_bound"]
    romberg, romberg_tol = romberg_check(t, h, d)
    out = {
        "gamma": gamma, "init": init, "steps": rec["steps"], "rejected_steps": rec["rejected_steps"],
        "step_increase": rec["entropy_max_step_increase"], "step_bound": h_bound,
        "step_ratio": rec["entropy_max_step_increase"] / h_bound,
        "d0_solver": float(d[0]), "d0_formula": d0, "d0_tolerance": b0 + 4 * (math.log2(n) + 4) * EPS * d0,
        "d_min": float(d.min()), "d_bound": bound_d,
        "dh_plus_int_d": romberg, "dh_tolerance": romberg_tol + 2 * h_bound,
        "times": t, "entropy": h, "dissipation": d,
    }
    out["ok_step"] = bool(out["step_ratio"] <= 1.0)
    out["ok_formula"] = bool(abs(out["d0_solver"] - d0) <= out["d0_tolerance"])
    out["ok_positive"] = bool(out["d_min"] >= -bound_d)
    out["ok_identity"] = bool(abs(romberg) <= out["dh_tolerance"])
    out["ok"] = out["ok_step"] and out["ok_formula"] and out["ok_positive"] and out["ok_identity"]
    return out


@claim("C7", uses=("isotropic",))
def certify_h_theorem(profile: str, seed: int, out_dir: Path, mutant: str | None) -> Certificate:
    count = pick(profile, 10, 60)
    n = pick(profile, 60, 120)
    t_end = pick(profile, 0.5, 2.0)
    snapshots = pick(profile, 41, 81)
    runs = [check_run(g, init, n, t_end, snapshots, mutant) for g, init in draw_cases(seed, count)]
    worst = max(r["step_ratio"] for r in runs)
    ok = all(r["ok"] for r in runs)
    fig, ax = figure(1, 2)
    for r in runs:
        gap = r["entropy"] - r["entropy"][-1]
        ax[0, 0].semilogy(r["times"][:-1], np.maximum(gap[:-1], 1e-17), lw=1, label=f"γ={r['gamma']:g}")
        ax[0, 1].semilogy(r["times"], np.maximum(r["dissipation"], 1e-17), lw=1)
    ax[0, 0].set_xlabel("t")
    ax[0, 0].set_ylabel("H(t) − H(t_end)")
    ax[0, 0].legend(fontsize=6, ncol=2)
    ax[0, 1].set_xlabel("t")
    ax[0, 1].set_ylabel("entropy dissipation D(t) (floored at 1e-17)")
    keys = ("gamma", "init", "steps", "rejected_steps", "step_increase", "step_bound", "step_ratio", "d0_solver",
            "d0_formula", "d0_tolerance", "d_min", "d_bound", "dh_plus_int_d", "dh_tolerance", "ok_step",
            "ok_formula", "ok_positive", "ok_identity")
    table = [{k: r[k] for k in keys} for r in runs]
    evidence = save_evidence(out_dir, "C7", fig, {
        "runs": table, "series": [{"gamma": r["gamma"], "init": r["init"], "times": r["times"],
                                   "entropy": r["entropy"], "dissipation": r["dissipation"]} for r in runs],
    }, mutant)
    return Certificate(
        "C7", STATEMENTS["C7"][1],
        quantity="largest per-step increase of the discrete entropy over all drawn runs, in units of its "
                 "round-off bound (plus sub-checks: D = the SPEC §1 dissipation form, D ≥ 0, dH/dt = −D)",
        measured=worst, expected=1.0, tolerance=0.0, relation="le",
        tolerance_source="round-off bound 2(log2 n + 2) eps sum|w F log F| of the entropy difference (pairwise "
                         "summation); sub-checks: first-order round-off bound of the solver's D (matrix-vector "
                         "products of n-1 terms), Romberg/Richardson estimate of the time quadrature of D",
        verdict="pass" if ok else "fail",
        seeds=[seed], sizes={"runs": count, "n_grid": n, "t_end": t_end, "snapshots": snapshots},
        evidence=evidence,
        details={"all_sub_checks": {"entropy_step": all(r["ok_step"] for r in runs),
                                    "dissipation_formula": all(r["ok_formula"] for r in runs),
                                    "dissipation_nonnegative": all(r["ok_positive"] for r in runs),
                                    "dH_dt_equals_minus_D": all(r["ok_identity"] for r in runs)},
                 "gammas": [r["gamma"] for r in runs],
                 "worst_D_formula_mismatch_over_tolerance": max(
                     abs(r["d0_solver"] - r["d0_formula"]) / r["d0_tolerance"] for r in runs),
                 "most_negative_D_over_bound": min(r["d_min"] / r["d_bound"] for r in runs),
                 "worst_dH_plus_intD_over_tolerance": max(abs(r["dh_plus_int_d"]) / r["dh_tolerance"] for r in runs),
                 "failed_runs": [{"gamma": r["gamma"], "init": r["init"]} for r in runs if not r["ok"]]},
    )
