"""C6: propagation of chaos — Cov(φ(v_1), φ(v_2)) at t > 0 is O(1/N) (docs/spec.md §6; paper, main theorem).

The paper (Kai Du, arXiv:2511.09035 v1) states propagation of chaos for the whole range γ ∈ [−3, 1], Coulomb
included; this certificate measures it at γ = 0 and γ = −3 (numerical evidence, not a proof): the same statistic,
fit and checks for both, each check reported for the worse γ.

Started from chaotic data (i.i.d. velocities, then shifted to zero momentum and scaled to the nominal energy —
this normalisation already correlates the particles at order 1/N, docs/spec.md §8), the MBC process is run with the
exact engine (mutant passed) to a time t > 0 (γ = 0: t = 0.2; γ = −3: t = 0.5) and the two-particle covariance of
φ(v) = v_z² is estimated from every pair of every replica (the particles are exchangeable). Per replica, with
S₁ = Σ_i φ(v_i), S₂ = Σ_i φ(v_i)²,

    A = (S₁² − S₂) / (N(N − 1))   (the mean of φ(v_i)φ(v_j) over ordered pairs i ≠ j),   B = S₁ / N,
    Cov = E[A] − E[B]²,

estimated by the replica means (E[B]² corrected by Var(B)/R for the bias of the squared mean) with the
delta-method standard error sqrt((Var A − 4 μ_B Cov(A, B) + 4 μ_B² Var B) / R)
(:func:`mbc_verify.stats.pair_covariance`, :func:`mbc_verify.stats.covariance_estimate`). Because A − B² is the
difference of two O(1) quantities whose O(1) parts cancel, this estimator has a relative error that does not
grow with N (Var B = O(1/N)), which makes a slope in N measurable.

Certified: the exponent p of the asymptotic expansion Cov = C N^p (1 + d/N + O(N⁻²)) — fitted by weighted least squares
as log|Cov| = log C + p log N + d/N (:func:`mbc_verify.stats.fit_exponent`), weights from the relative standard errors,
over N ∈ {8, …, 128} (quick) or {16, …, 256} (full: its smaller Monte Carlo errors would otherwise resolve the O(N⁻²)
term at N = 8) at γ = 0, and N ∈ {8, …, 64} (quick) or {8, …, 128} (full) at γ = −3, whose exact-engine runs cost ≈ 4×
more per pair (the rates |u|⁻³ of close pairs); the d/N term absorbs the next order of the expansion, which at N = 8 is
still a 30 % effect, so a plain log-log slope would be biased towards 0 — satisfies |p + 1| ≤ 5 standard errors of p,
and every |Cov| is resolved (|Cov| ≥ 5 standard errors, one sign, so that its logarithm is meaningful). The plain
log-log slope is reported in the details. The anisotropic start ``bimaxwellian:2,0.5`` makes φ = v_z² a non-conserved
observable (Σ|v_i|² is conserved, so φ = |v|² would give Cov = −Var|v|²/(N − 1) identically, by exchangeability alone;
v_z² is not constrained that way).

Exchangeability: the all-pairs estimator presumes that every pair has the same law. The covariance over the
pairs of adjacent labels (i, i+1 mod N) — labelled pairs like the spec's v_1, v_2, averaged over i for power — is
estimated as well and must agree with the all-pairs value within 5 combined standard errors.

Mutants that must fail it: ``one_sided_rotation`` (energy and momentum not conserved: the covariance is no longer
a resolved quantity of one sign); ``frozen_partners`` (every particle always meets the same partner: the
all-pairs average stays O(1/N), but half of the adjacent-label pairs are partners for life, correlated at
O(1)). The rate and azimuth mutants change the dynamics but not its mean-field,
chaotic structure, and are not expected to fail it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..certificate import Check
from ..mbc.ensemble import ensemble_states
from ..stats import covariance_estimate, fit_exponent, fit_power_law, pair_covariance
from .base import Claim, Context
from .common import figure, label, worst
from .registry import register

INIT = "bimaxwellian:2,0.5"
H = 0.5
T_END = {0.0: 0.2, -3.0: 0.5}
"""γ = 0: the traceless relaxation time 1/6, mid-relaxation; γ = −3: T∥ 2 → 1.90 (the exact engine's cost grows like
N² t/h², and the Coulomb rates |u|⁻³ make it the costliest case)."""
GAMMAS = (0.0, -3.0)
SNAPSHOTS = 3  # t = 0, T/2, T
Z_MAX = 5.0
SEED_STRIDE = 104729  # the runs at N use the master seed + SEED_STRIDE · N (+ 1 for γ = −3)


def pair_sums(states: np.ndarray) -> np.ndarray:
    """(R × snapshots × 3) from run states (R × snapshots × N × 3): S₁ = Σ φ(v_i), S₂ = Σ φ(v_i)² and the
    adjacent-label sum S₃ = Σ_i φ(v_i) φ(v_{i+1 mod N}), with φ(v) = v_z²."""
    phi = states[..., 2] ** 2
    return np.stack([phi.sum(axis=-1), (phi * phi).sum(axis=-1), (phi * np.roll(phi, -1, axis=-1)).sum(axis=-1)],
                    axis=-1)


def covariances_at(gamma: float, n: int, replicas: int, seed: int, mutant: str | None) -> dict:
    """All-pairs and adjacent-label Cov(φ(v_i), φ(v_j)) with standard errors at every snapshot, for one (γ, N)."""
    times, states = ensemble_states(gamma, H, n, T_END[gamma], replicas=replicas, init=INIT, engine="exact",
                                    snapshots=SNAPSHOTS, seed=seed, mutant=mutant)
    sums = pair_sums(states)
    out = {"times": times, "cov": [], "stderr": [], "cov_adjacent": [], "stderr_adjacent": []}
    for k in range(SNAPSHOTS):
        cov, se = pair_covariance(sums[:, k, 0], sums[:, k, 1], n)
        cov_adj, se_adj = covariance_estimate(sums[:, k, 2] / n, sums[:, k, 0] / n)
        for key, x in (("cov", cov), ("stderr", se), ("cov_adjacent", cov_adj), ("stderr_adjacent", se_adj)):
            out[key].append(x)
    return out


def exponent_fits(ns: np.ndarray, cov: np.ndarray, se: np.ndarray) -> dict:
    """The fit log|Cov| = a + p log N + d/N and the plain log-log slope (NaN when a covariance is 0)."""
    if not np.all(cov != 0):
        return {"slope": math.nan, "slope_stderr": math.nan, "chi2": math.nan, "coef": None, "plain_slope": math.nan,
                "plain_intercept": math.nan}
    plain = fit_power_law(ns, np.abs(cov), se / np.abs(cov))
    slope, slope_se, chi2, coef = fit_exponent(ns, np.abs(cov), se / np.abs(cov))
    return {"slope": slope, "slope_stderr": slope_se, "chi2": chi2, "coef": coef, "plain_slope": plain.slope,
            "plain_intercept": plain.intercept}


def series(runs: list[dict], sizes_n: list[int]) -> dict:
    """One γ's covariances over N at the final time: the exponent fits, the exchangeability z and resolution."""
    res = {"times": runs[0]["times"], "n": np.array(sizes_n),
           **{k: np.array([r[k] for r in runs]) for k in ("cov", "stderr", "cov_adjacent", "stderr_adjacent")}}
    ns = res["n"].astype(float)
    cov, se = res["cov"][:, -1], res["stderr"][:, -1]
    # exchangeability: pairs of adjacent labels (i, i+1) have the all-pairs covariance (a defect that ties
    # particles to fixed partners keeps the all-pairs average O(1/N) while labelled pairs stay correlated at
    # O(1)); the two estimates share replicas, so the combined error hypot(se_adj, se) is conservative only up
    # to their correlation
    z_adj = np.abs(res["cov_adjacent"][:, -1] - cov) / np.hypot(res["stderr_adjacent"][:, -1], se)
    with np.errstate(divide="ignore", invalid="ignore"):
        resolved_z = np.where(se > 0, np.abs(cov) / np.where(se > 0, se, 1.0), math.inf)
    return {**res, **exponent_fits(ns, cov, se), "z_adjacent": z_adj, "resolved_z": resolved_z,
            "off_sign": int(min(np.sum(cov <= 0), np.sum(cov >= 0)))}


def gamma_checks(key: str, d: dict) -> list[Check]:
    """The four checks of one γ (named by the family; :func:`~.common.worst` picks the worst γ)."""
    g = float(key.split("=")[1])
    return [
        Check("exponent", d["slope"], -1.0, Z_MAX * d["slope_stderr"], "abs",
              f"{Z_MAX:g} standard errors of p in the weighted fit log|Cov| = a + p log N + d/N; weights from the "
              "delta-method standard error of the covariance estimator over replicas",
              f"fitted exponent p of |Cov(v₁z², v₂z²)| ∝ N^p (1 + d/N) at t = {T_END[g]:g} (γ = {g:g}, h = {H:g}, "
              f"init {INIT}, N = {d['n'].tolist()})"),
        Check("resolved", float(d["resolved_z"].min()), Z_MAX, 0.0, "ge",
              f"every |Cov| ≥ {Z_MAX:g} standard errors, so that its logarithm is meaningful",
              f"min over N of |Cov| / se at t = {T_END[g]:g} (γ = {g:g})"),
        Check("sign", d["off_sign"], 0.0, 0.0, "abs", "every covariance has one sign (a count: exact)",
              f"number of N whose Cov does not have the sign shared by the others (γ = {g:g})"),
        Check("exchangeability", float(d["z_adjacent"].max()), 0.0, Z_MAX, "abs",
              f"{Z_MAX:g} combined standard errors hypot(se_adjacent, se_all) of the difference",
              f"|Cov over adjacent labels (i, i+1) − all-pairs Cov| / combined se, max over N (γ = {g:g})"),
    ]


@register
class Chaos(Claim):
    """C6 (module docstring)."""

    claim_id = "C6"
    uses = ("mbc",)
    catches = ("one_sided_rotation", "frozen_partners")
    sizes = {"quick": {"n": [8, 16, 32, 64, 128], "replicas": 1000, "n_coulomb": [8, 16, 32, 64],
                       "replicas_coulomb": 1000},
             "full": {"n": [16, 32, 64, 128, 256], "replicas": 10000, "n_coulomb": [8, 16, 32, 64, 128],
                      "replicas_coulomb": 10000}}
    primary = "covariance exponent in N"
    names = ("covariance exponent in N", "covariances resolved, min |Cov|/se", "covariances off the common sign",
             "exchangeability, max |z|")

    def _sizes(self, ctx: Context, gamma: float) -> tuple[list[int], int]:
        s = ctx.sizes
        return (s["n"], s["replicas"]) if gamma == 0.0 else (s["n_coulomb"], s["replicas_coulomb"])

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        return {(f"N={n}" if g == 0.0 else f"gamma={g:g} N={n}"):
                {"gamma": g, "n": n, "seed_offset": SEED_STRIDE * n + int(g != 0.0)}
                for g in GAMMAS for n in self._sizes(ctx, g)[0]}

    def run_unit(self, ctx: Context, **params: Any) -> dict:
        g = params.get("gamma", 0.0)
        return covariances_at(g, params["n"], self._sizes(ctx, g)[1], ctx.seed + params["seed_offset"], ctx.mutant)

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        out = {}
        for g in GAMMAS:
            ns = self._sizes(ctx, g)[0]
            out[f"gamma={g:g}"] = series([results[f"N={n}" if g == 0.0 else f"gamma={g:g} N={n}"] for n in ns], ns)
        return out

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        per_gamma = [gamma_checks(key, d) for key, d in data.items()]
        return [worst([c[k] for c in per_gamma], name) for k, name in enumerate(self.names)]

    def figure(self, ctx: Context, data: dict) -> Any:
        fig, ax = figure(1, 2)
        for key, d in data.items():
            g = float(key.split("=")[1])
            ns = d["n"].astype(float)
            cov, se, slope = d["cov"][:, -1], d["stderr"][:, -1], d["slope"]
            line = ax[0, 0].errorbar(ns, np.abs(cov), Z_MAX * se, fmt="o",
                                     label=f"γ = {g:g}: |Cov(v₁z², v₂z²)| at t = {T_END[g]:g} (bars 5σ)")[0]
            if math.isfinite(slope):
                nn = np.geomspace(ns[0], ns[-1], 50)
                coef = d["coef"]
                ax[0, 0].plot(nn, np.exp(coef[0] + coef[1] * np.log(nn) + coef[2] / nn), "-", lw=0.8,
                              color=line.get_color(),
                              label=f"fit C N^p e^(d/N): p = {slope:.3f} ± {d['slope_stderr']:.3f}")
            for a, n in enumerate(d["n"]):
                ax[0, 1].errorbar(d["times"], (n - 1) * d["cov"][a], (n - 1) * Z_MAX * d["stderr"][a], fmt="o-",
                                  ms=3, label=f"γ={g:g} N={n}")
        label(ax[0, 0], "N", "|Cov|", log=True, legend=6)
        label(ax[0, 1], "t", "(N−1) Cov(v₁z², v₂z²)", legend=5)
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, d in data.items():
            ns = d["n"].astype(float)
            cov = d["cov"][:, -1]
            out[key] = {"n": d["n"].tolist(), "cov": cov.tolist(), "cov_stderr": d["stderr"][:, -1].tolist(),
                        "scaled_cov_(N-1)": ((ns - 1) * cov).tolist(), "slope": d["slope"],
                        "slope_stderr": d["slope_stderr"], "adjacent_labels_cov": d["cov_adjacent"][:, -1].tolist(),
                        "adjacent_labels_cov_stderr": d["stderr_adjacent"][:, -1].tolist(), "fit_chi2": d["chi2"],
                        "fit_dof": len(ns) - 3, "plain_loglog_slope": d["plain_slope"],
                        "cov_at_t0": d["cov"][:, 0].tolist(), "cov_at_t0_stderr": d["stderr"][:, 0].tolist(),
                        "t_end": T_END[float(key.split("=")[1])]}
        out.update(h=H, init=INIT, engine="exact")
        return out
