"""C6: propagation of chaos — Cov(φ(v_1), φ(v_2)) at t > 0 is O(1/N) (SPEC §5; paper, main theorem).

Started from chaotic data (i.i.d. velocities, then shifted to zero momentum and scaled to the nominal energy —
this normalisation already correlates the particles at order 1/N, SPEC §6), the MBC process is run with the exact
engine (mutant passed) to a time t > 0 and the two-particle covariance of φ(v) = v_z² is estimated from every pair
of every replica (the particles are exchangeable). Per replica, with S₁ = Σ_i φ(v_i), S₂ = Σ_i φ(v_i)²,

    A = (S₁² − S₂) / (N(N − 1))   (the mean of φ(v_i)φ(v_j) over ordered pairs i ≠ j),   B = S₁ / N,
    Cov = E[A] − E[B]²,

estimated by the replica means (E[B]² corrected by Var(B)/R for the bias of the squared mean) with the
delta-method standard error sqrt((Var A − 4 μ_B Cov(A, B) + 4 μ_B² Var B) / R). Because A − B² is the
difference of two O(1) quantities whose O(1) parts cancel, this estimator has a relative error that does not
grow with N (Var B = O(1/N)), which makes a slope in N measurable.

Certified: the exponent p of the asymptotic expansion Cov = C N^p (1 + d/N + O(N⁻²)) — fitted by weighted least
squares as log|Cov| = log C + p log N + d/N, weights from the relative standard errors, over N ∈ {8, …, 128}
(quick) or {16, …, 256} (full: its smaller Monte Carlo errors would otherwise resolve the O(N⁻²) term at N = 8);
the d/N term absorbs the next order of the expansion, which at N = 8 is still a 30 % effect, so a plain log-log
slope would be biased towards 0 — satisfies |p + 1| ≤ 5 standard errors of p, and every |Cov| is resolved
(|Cov| ≥ 5 standard errors, one sign, so that its logarithm is meaningful). The plain log-log slope is reported
in the details. The anisotropic start ``bimaxwellian:2,0.5`` makes φ = v_z² a non-conserved observable
(Σ|v_i|² is conserved, so φ = |v|² would give Cov = −Var|v|²/(N − 1) identically, by exchangeability alone;
v_z² is not constrained that way).

Exchangeability: the all-pairs estimator presumes that every pair has the same law. The covariance over the
pairs of adjacent labels (i, i+1 mod N) — labelled pairs like the SPEC's v_1, v_2, averaged over i for power — is
estimated as well and must agree with the all-pairs value within 5 combined standard errors.

Mutants that must fail it: ``one_sided_rotation`` (energy and momentum not conserved: the covariance is no longer
a resolved quantity of one sign); ``frozen_partners`` (every particle always meets the same partner: the
all-pairs average stays O(1/N), but half of the adjacent-label pairs are partners for life, correlated at
O(1)). The rate and azimuth mutants change the dynamics but not its mean-field,
chaotic structure, and are not expected to fail it.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..certificate import Certificate
from ..mbc.ensemble import replica_seed, run_states
from ..mbc.initial import sample_initial
from ..stats import fit_power_law
from .common import figure, pick, save_evidence
from .registry import STATEMENTS, claim

INIT = "bimaxwellian:2,0.5"
GAMMA = 0.0
H = 0.5
T_END = 0.2  # traceless relaxation time 1/6 at γ = 0: mid-relaxation, far from both data and equilibrium
SNAPSHOTS = 3  # t = 0, T/2, T
Z_MAX = 5.0


def pair_sums(states: np.ndarray) -> np.ndarray:
    """(R × snapshots × 3) from run states (R × snapshots × N × 3): S₁ = Σ φ(v_i), S₂ = Σ φ(v_i)² and the
    adjacent-label sum S₃ = Σ_i φ(v_i) φ(v_{i+1 mod N}), with φ(v) = v_z²."""
    phi = states[..., 2] ** 2
    return np.stack([phi.sum(axis=-1), (phi * phi).sum(axis=-1), (phi * np.roll(phi, -1, axis=-1)).sum(axis=-1)],
                    axis=-1)


def pair_covariance(s1: np.ndarray, s2: np.ndarray, n: int) -> tuple[float, float]:
    """(Cov, standard error) of φ(v_i), φ(v_j), i ≠ j, from per-replica sums S₁, S₂ (module docstring)."""
    return covariance_estimate((s1 * s1 - s2) / (n * (n - 1)), s1 / n)


def covariance_estimate(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(E[A] − E[B]², delta-method standard error) from per-replica A (mean of φφ over a set of pairs) and B."""
    r = a.size
    mu_a, mu_b = a.mean(), b.mean()
    var_a, var_b = a.var(ddof=1), b.var(ddof=1)
    cov_ab = np.cov(a, b, ddof=1)[0, 1]
    cov = mu_a - (mu_b * mu_b - var_b / r)
    se = math.sqrt(max(var_a - 4 * mu_b * cov_ab + 4 * mu_b * mu_b * var_b, 0.0) / r)
    return float(cov), float(se)


def fit_exponent(n: np.ndarray, y: np.ndarray, sigma_rel: np.ndarray) -> tuple[float, float, float, np.ndarray]:
    """Weighted least squares of log y = a + p log n + d/n (weights 1/sigma_rel²); returns (p, se(p), χ², (a, p, d)).
    """
    x = np.stack([np.ones_like(n, dtype=float), np.log(n), 1.0 / n], axis=1)
    w = 1.0 / np.asarray(sigma_rel, dtype=float) ** 2
    cov = np.linalg.inv(x.T @ (w[:, None] * x))
    beta = cov @ (x.T @ (w * np.log(y)))
    chi2 = float((w * (np.log(y) - x @ beta) ** 2).sum())
    return float(beta[1]), float(math.sqrt(cov[1, 1])), chi2, beta


def covariances(n_values: tuple[int, ...], replicas: int, seed: int, mutant: str | None) -> dict:
    """Cov and its standard error at every snapshot for every N."""
    times = np.linspace(0.0, T_END, SNAPSHOTS)
    cov = np.empty((len(n_values), SNAPSHOTS))
    se = np.empty_like(cov)
    cov_adj = np.empty_like(cov)
    se_adj = np.empty_like(cov)
    for a, n in enumerate(n_values):
        seeds = np.array([replica_seed(seed + 104729 * n, r) for r in range(replicas)], dtype=np.int64)
        v0 = np.stack([sample_initial(INIT, n, int(s)) for s in seeds])
        sums = pair_sums(run_states(v0, seeds, times, GAMMA, H, engine="exact", mutant=mutant))
        for k in range(SNAPSHOTS):
            cov[a, k], se[a, k] = pair_covariance(sums[:, k, 0], sums[:, k, 1], n)
            cov_adj[a, k], se_adj[a, k] = covariance_estimate(sums[:, k, 2] / n, sums[:, k, 0] / n)
    return {"times": times, "n": np.array(n_values), "cov": cov, "stderr": se, "cov_adjacent": cov_adj,
            "stderr_adjacent": se_adj}


@claim("C6", uses=("mbc",))
def certify_chaos(profile: str, seed: int, out_dir: Path, mutant: str | None) -> Certificate:
    n_values = pick(profile, (8, 16, 32, 64, 128), (16, 32, 64, 128, 256))
    replicas = pick(profile, 1000, 10000)
    res = covariances(n_values, replicas, seed, mutant)
    ns = res["n"].astype(float)
    cov, se = res["cov"][:, -1], res["stderr"][:, -1]
    resolved = bool(np.all(np.abs(cov) >= Z_MAX * se))
    same_sign = bool(np.all(cov > 0) or np.all(cov < 0))
    if np.all(cov != 0):
        fit = fit_power_law(ns, np.abs(cov), se / np.abs(cov))
        slope, slope_se, chi2, coef = fit_exponent(ns, np.abs(cov), se / np.abs(cov))
    else:
        slope, slope_se, chi2 = math.nan, math.nan, math.nan
    slope_ok = math.isfinite(slope) and abs(slope + 1.0) <= Z_MAX * slope_se
    # exchangeability: pairs of adjacent labels (i, i+1) have the all-pairs covariance (a defect that ties particles
    # to fixed partners keeps the all-pairs average O(1/N) while labelled pairs stay correlated at O(1)); the two
    # estimates share replicas, so the combined error hypot(se_adj, se) is conservative only up to their correlation
    z_adj = np.abs(res["cov_adjacent"][:, -1] - cov) / np.hypot(res["stderr_adjacent"][:, -1], se)
    exchangeable = bool(np.all(z_adj <= Z_MAX))
    ok = slope_ok and resolved and same_sign and exchangeable

    fig, ax = figure(1, 2)
    ax[0, 0].errorbar(ns, np.abs(cov), Z_MAX * se, fmt="o", label=f"|Cov(v₁z², v₂z²)| at t = {T_END:g} (bars 5σ)")
    if math.isfinite(slope):
        ax[0, 0].plot(ns, np.exp(fit.intercept) * ns**fit.slope, "k:", label=f"plain log-log slope {fit.slope:.3f}")
        ax[0, 0].plot(ns, np.abs(cov[-1]) * (ns / ns[-1]) ** -1.0, "k--", lw=0.7, label="∝ 1/N")
        nn = np.geomspace(ns[0], ns[-1], 50)
        ax[0, 0].plot(nn, np.exp(coef[0] + coef[1] * np.log(nn) + coef[2] / nn), "r-", lw=0.8,
                      label=f"fit C N^p e^(d/N): p = {slope:.3f} ± {slope_se:.3f}")
    ax[0, 0].set_xscale("log")
    ax[0, 0].set_yscale("log")
    ax[0, 0].set_xlabel("N")
    ax[0, 0].legend(fontsize=7)
    for a, n in enumerate(n_values):
        ax[0, 1].errorbar(res["times"], (n - 1) * res["cov"][a], (n - 1) * Z_MAX * res["stderr"][a], fmt="o-",
                          ms=3, label=f"N={n}")
    ax[0, 1].set_xlabel("t")
    ax[0, 1].set_ylabel("(N−1) Cov(v₁z², v₂z²)")
    ax[0, 1].legend(fontsize=6)
    evidence = save_evidence(out_dir, "C6", fig, res, mutant)
    return Certificate(
        "C6", STATEMENTS["C6"][1],
        quantity=f"fitted exponent p of |Cov(v₁z², v₂z²)| ∝ N^p (1 + d/N) at t = {T_END:g} (γ = {GAMMA:g}, h = {H:g}, "
                 f"init {INIT})",
        measured=slope, expected=-1.0, tolerance=Z_MAX * slope_se if math.isfinite(slope_se) else None,
        relation="abs",
        tolerance_source="5 standard errors of p in the weighted fit log|Cov| = a + p log N + d/N; weights from the "
                         "delta-method standard error of the covariance estimator over replicas; every |Cov| "
                         "must also be resolved (≥ 5 standard errors) with one sign, and pairs of adjacent labels "
                         "(i, i+1) must have the all-pairs covariance within 5 combined standard errors "
                         "(exchangeability)",
        verdict="pass" if ok else "fail",
        seeds=[seed], sizes={"n_values": list(n_values), "replicas": replicas, "t_end": T_END, "h": H,
                             "gamma": GAMMA, "init": INIT, "engine": "exact"},
        evidence=evidence,
        details={"cov": cov.tolist(), "cov_stderr": se.tolist(), "scaled_cov_(N-1)": ((ns - 1) * cov).tolist(),
                 "all_resolved": resolved, "one_sign": same_sign, "slope_ok": slope_ok, "slope_stderr": slope_se,
                 "adjacent_labels_cov": res["cov_adjacent"][:, -1].tolist(),
                 "adjacent_labels_cov_stderr": res["stderr_adjacent"][:, -1].tolist(),
                 "adjacent_vs_all_pairs_max_z": float(z_adj.max()), "exchangeable": exchangeable,
                 "fit_chi2": chi2, "fit_dof": len(n_values) - 3,
                 "plain_loglog_slope": fit.slope if math.isfinite(slope) else math.nan,
                 "cov_at_t0": res["cov"][:, 0].tolist(), "cov_at_t0_stderr": res["stderr"][:, 0].tolist()},
    )
