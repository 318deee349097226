"""C2: the MBC process is reversible w.r.t. the uniform measure on S_N(E, P) (docs/spec.md §2, §3, §6).

Three pieces of evidence, all required for a pass.

**(a) Kernel symmetry.** The fixed-angle kernel maps u to u' uniformly distributed on the circle
C(u) = {w : |w| = |u|, ∠(u, w) = h}; its density w.r.t. the area measure of the sphere |w| = |u| is
δ(û·ŵ − cos h) / (2π), symmetric in (u, w), and c' = c. So the density of u' → u equals that of u → u' exactly
when (i) |u'| = |u|, (ii) ∠(u, u') = h, (iii) c' = c and (iv) the azimuth of u' about u is uniform. On many random
configurations (|u| over six decades, random centre of mass c) one jump by the engines' single jump routine
:func:`mbc_verify.mbc.kernel.random_jump` (mutant passed; :func:`mbc_verify.mbc.probes.kernel_jumps`) is checked
for (i)–(iii) to round-off,
within ``ROUNDOFF_EPS`` · ε · (|c| + |u|) (the Householder rotation and the pair update v' = c ± u'/2 take fewer
than ten roundings per component, each ≤ ε relative to |u| or |c|, and the check itself a few more; 64 ε is a
safe bound; the angle error is measured as |u| (cos∠ − cos h), an error of u' of that size), and
(iv) by a Kolmogorov–Smirnov test of the azimuth φ = atan2(t·e₂, t·e₁), t = (u' − cos h u)/(sin h |u|), in the
kernel's frame (:func:`mbc_verify.mbc.kernel.frame`) against the uniform law on [0, 2π): √n D_n must stay below
the Kolmogorov quantile at the two-sided 5σ level (p = 5.7·10⁻⁷).

**(b) The one-particle marginal stays the sphere marginal.** Uniform on S_N(E, 0) is sampled exactly by the
``maxwellian`` initial data: i.i.d. Gaussian velocities projected to zero momentum (an isotropic Gaussian on the
D = 3(N − 1)-dimensional subspace Σ v_i = 0) and scaled to the energy (docs/spec.md §8) — the direction of an isotropic
Gaussian is uniform. Its one-particle marginal: v_1 = Σ_k ⟨V, a_k⟩ ê_k with a_k = (e_1 − (1/N) 1) ⊗ ê_k, which lie
in the subspace, are orthogonal and have |a_k|² = (N − 1)/N; so v_1 = √((N−1)/N) · (the projection of V onto three
orthonormal directions). For V uniform on the sphere of radius |V| in R^D, the squared norm of the projection onto
k orthonormal directions divided by |V|² is Beta(k/2, (D − k)/2) (ratio of χ²_k to χ²_k + χ²_{D−k} of a Gaussian
vector). Hence

    X = N |v_1|² / ((N − 1) Σ_i |v_i|²) = |v_1|² / ((N − 1) E),   E = (1/N) Σ |v_i|²,   X ~ Beta(3/2, 3(N − 2)/2).

Runs of the exact engine (mutant passed; :func:`mbc_verify.mbc.ensemble.ensemble_states`) started from this law,
one particle per replica, at several times, for γ = 0 and γ = −3: KS test of X against the Beta law at the same
5σ level, per (γ, t).

**(c) Two-time correlations are symmetric.** For a reversible stationary process E[φ(V_0) ψ(V_t)] =
E[ψ(V_0) φ(V_t)]. For the features F = (v_{1,x}, v_{1,y}, v_{1,z}, |v_1|², |v_1|⁴) and every pair a < b, the
per-replica difference F_a(V_0) F_b(V_t) − F_b(V_0) F_a(V_t) has mean 0; its sample mean must be within
5 standard errors of 0 (sd over replicas / √R).

Mutants that must fail it: ``biased_azimuth`` (iv) and ``one_sided_rotation`` ((iii), and the marginal law).
Rate mutants keep a rate that depends on |u| only: they do not break reversibility and are not expected to fail.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy import stats as sps

from ..certificate import Check
from ..mbc.ensemble import ensemble_states
from ..mbc.probes import kernel_jumps
from ..stats import mean_stderr
from .base import Claim, Context
from .common import figure
from .registry import register

H = 0.5
N_PARTICLES = 8
GAMMAS = (0.0, -3.0)
T_END = {0.0: 1.0, -3.0: 8.0}  # about one relaxation time of the marginal (γ = −3: typical |u|^γ ≈ 0.03–0.1)
SNAPSHOTS = 5  # t = 0, T/4, T/2, 3T/4, T
ROUNDOFF_EPS = 64.0
Z_MAX = 5.0
P_5SIGMA = 2.0 * sps.norm.sf(5.0)  # two-sided 5σ level, 5.7e-7
KS_CRIT = float(sps.kstwobign.isf(P_5SIGMA))  # √n D_n quantile of the Kolmogorov law at that level
KERNEL_STREAM = 0xC2
KS_SOURCE = "Kolmogorov distribution quantile of √n D_n at the two-sided 5σ level (p = 5.7e-7)"


def kernel_check(n_conf: int, seed: int, mutant: str | None) -> dict:
    """Sub-check (a) on ``n_conf`` random configurations (module docstring)."""
    rng = np.random.default_rng([seed, 2])
    u = rng.standard_normal((n_conf, 3)) * 10.0 ** rng.uniform(-3, 3, (n_conf, 1))
    c = rng.standard_normal((n_conf, 3)) * 10.0 ** rng.uniform(-3, 3, (n_conf, 1))
    dr, dcos, dc, phi = kernel_jumps(u, c, H, seed, KERNEL_STREAM, mutant)
    eps = 2.0**-53
    ks = sps.kstest(phi / (2 * math.pi), "uniform")
    worst = {"norm": float(np.max(np.abs(dr)) / eps), "angle": float(np.max(np.abs(dcos)) / eps),
             "centre": float(np.max(dc) / eps)}
    return {"configurations": n_conf, "max_roundoff_eps": worst, "azimuth_ks": float(math.sqrt(n_conf) * ks.statistic),
            "azimuth_p": float(ks.pvalue), "phi": phi}


def equilibrium_features(states: np.ndarray) -> np.ndarray:
    """Features (R × snapshots × 6) of run states (R × snapshots × N × 3): v_1 (3), |v_1|², |v_1|⁴, E = (1/N)Σ|v_i|²."""
    v1 = states[:, :, 0, :]
    s = (v1**2).sum(axis=-1)
    e = (states**2).sum(axis=(-1, -2)) / states.shape[2]
    return np.concatenate([v1, s[..., None], (s * s)[..., None], e[..., None]], axis=-1)


def sphere_marginal_ks(x: np.ndarray, n: int) -> tuple[float, float]:
    """(√R D_R, p) of the KS test of X = |v_1|²/((N−1)E) against Beta(3/2, 3(N−2)/2) (module docstring)."""
    res = sps.kstest(x, sps.beta(1.5, 1.5 * (n - 2)).cdf)
    return float(math.sqrt(x.size) * res.statistic), float(res.pvalue)


def antisymmetry_z(feats: np.ndarray) -> np.ndarray:
    """|z| of the mean of F_a(V_0)F_b(V_t) − F_b(V_0)F_a(V_t) for every pair a < b of the five features, every
    t > 0 (array snapshots−1 × pairs)."""
    f = feats[:, :, :5]
    rows = []
    for k in range(1, f.shape[1]):
        zs = []
        for a in range(5):
            for b in range(a + 1, 5):
                mean, se = mean_stderr(f[:, 0, a] * f[:, k, b] - f[:, 0, b] * f[:, k, a])
                zs.append(abs(mean) / se if se > 0 else (0.0 if mean == 0 else math.inf))
        rows.append(zs)
    return np.array(rows)


def equilibrium_run(gamma: float, replicas: int, seed: int, mutant: str | None) -> dict:
    """Sub-checks (b) and (c) for one γ: exact-engine runs from the uniform law on S_N(E, 0)."""
    times, states = ensemble_states(gamma, H, N_PARTICLES, T_END[gamma], replicas=replicas, init="maxwellian",
                                    engine="exact", snapshots=SNAPSHOTS, seed=seed, mutant=mutant)
    feats = equilibrium_features(states)
    x = feats[:, :, 3] / ((N_PARTICLES - 1) * feats[:, :, 5])
    ks = [sphere_marginal_ks(x[:, k], N_PARTICLES) for k in range(SNAPSHOTS)]
    return {"gamma": gamma, "times": times, "ks_stat": [k[0] for k in ks], "ks_p": [k[1] for k in ks],
            "antisymmetry_max_z": float(antisymmetry_z(feats).max()), "x_final": x[:, -1]}


@register
class Reversibility(Claim):
    """C2 (module docstring)."""

    claim_id = "C2"
    uses = ("mbc",)
    catches = ("one_sided_rotation", "biased_azimuth")
    # kernel configurations: the KS test of the azimuth resolves φ = 2π U^(1+ε) when 0.37 ε √n ≥ 2.68 (the 5σ
    # Kolmogorov quantile; max |x^(1/(1+ε)) − x| ≈ ε/e): 500 000 for ε = 0.01 (the azimuth target is 0.02)
    sizes = {"quick": {"kernel_configurations": 500000, "replicas": 2000},
             "full": {"kernel_configurations": 1000000, "replicas": 50000}}
    primary = "largest KS statistic"

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {"kernel": {}}
        for gi, gamma in enumerate(GAMMAS):
            out[f"equilibrium gamma={gamma:g}"] = {"gamma": gamma, "seed_offset": 7919 * (gi + 1)}
        return out

    def run_unit(self, ctx: Context, **params: Any) -> dict:
        if not params:
            return kernel_check(ctx.sizes["kernel_configurations"], ctx.seed, ctx.mutant)
        return equilibrium_run(params["gamma"], ctx.sizes["replicas"], ctx.seed + params["seed_offset"], ctx.mutant)

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        runs = [v for k, v in results.items() if k != "kernel"]
        return {"kernel": results["kernel"], "runs": runs, "ks_critical": KS_CRIT,
                "marginal_ks_max": max(max(r["ks_stat"]) for r in runs),
                "antisymmetry_max_z": max(r["antisymmetry_max_z"] for r in runs)}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        kern = data["kernel"]
        geometry = f"round-off bound {ROUNDOFF_EPS:g} ε·(|c| + |u|) of one jump (module docstring)"
        return [
            Check(self.primary, max(kern["azimuth_ks"], data["marginal_ks_max"]), KS_CRIT, 0.0, "le",
                  f"{KS_SOURCE}, for each KS test (the larger of the two checks below)",
                  "largest √n D_n: azimuth of u' about u vs uniform, and N|v₁|²/((N−1)Σ|v_i|²) vs "
                  "Beta(3/2, 3(N−2)/2) at every (γ, t) from equilibrium"),
            Check("azimuth KS", kern["azimuth_ks"], KS_CRIT, 0.0, "le", KS_SOURCE,
                  "√n D_n of the azimuth of u' about u (kernel frame) vs uniform on [0, 2π)"),
            Check("sphere marginal KS", data["marginal_ks_max"], KS_CRIT, 0.0, "le", KS_SOURCE,
                  "largest √R D_R of N|v₁|²/((N−1)Σ|v_i|²) vs Beta(3/2, 3(N−2)/2) over (γ, t)"),
            Check("kernel |u'| − |u|", kern["max_roundoff_eps"]["norm"], 0.0, ROUNDOFF_EPS, "abs", geometry,
                  "max |(|u'| − |u|)| / (ε (|c| + |u|))"),
            Check("kernel angle ∠(u, u') − h", kern["max_roundoff_eps"]["angle"], 0.0, ROUNDOFF_EPS, "abs",
                  geometry, "max |cos∠(u, u') − cos h| |u| / (ε (|c| + |u|))"),
            Check("kernel centre of mass", kern["max_roundoff_eps"]["centre"], 0.0, ROUNDOFF_EPS, "abs", geometry,
                  "max |c' − c| / (ε (|c| + |u|))"),
            Check("two-time antisymmetry, max |z|", data["antisymmetry_max_z"], 0.0, Z_MAX, "abs",
                  f"{Z_MAX:g} Monte Carlo standard errors (sd over replicas / √R) of every antisymmetric part"),
        ]

    def figure(self, ctx: Context, data: dict) -> Any:
        kern, runs = data["kernel"], data["runs"]
        fig, ax = figure(1, 3)
        ax[0, 0].hist(kern["phi"], bins=40, density=True)
        ax[0, 0].axhline(1 / (2 * math.pi), color="k", lw=0.8)
        ax[0, 0].set_xlabel(f"azimuth of u' about u (kernel frame); √n D = {kern['azimuth_ks']:.2f}")
        ax[0, 0].set_ylabel("density")
        xs = np.linspace(0, 1, 400)
        for r in runs:
            ax[0, 1].hist(r["x_final"], bins=40, density=True, histtype="step",
                          label=f"γ={r['gamma']:g}, t={r['times'][-1]:g}")
        ax[0, 1].plot(xs, sps.beta(1.5, 1.5 * (N_PARTICLES - 2)).pdf(xs), "k-", lw=0.8, label="Beta(3/2, 3(N−2)/2)")
        ax[0, 1].set_xlabel("N|v₁|² / ((N−1) Σ|v_i|²)")
        ax[0, 1].set_ylabel("density")
        ax[0, 1].legend(fontsize=6)
        for r in runs:
            ax[0, 2].plot(r["times"], r["ks_stat"], "o-", label=f"γ={r['gamma']:g}")
        ax[0, 2].axhline(KS_CRIT, color="r", ls="--", label="5σ critical value")
        ax[0, 2].set_xlabel("t")
        ax[0, 2].set_ylabel("KS √R D")
        ax[0, 2].legend(fontsize=6)
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        runs = data["runs"]
        return {
            "azimuth_p": data["kernel"]["azimuth_p"],
            "marginal_ks_sqrt_n_D": {f"gamma={r['gamma']:g}": dict(zip(map(float, r["times"]), r["ks_stat"],
                                                                       strict=True)) for r in runs},
            "marginal_ks_p": {f"gamma={r['gamma']:g}": dict(zip(map(float, r["times"]), r["ks_p"], strict=True))
                              for r in runs},
            "ks_level": P_5SIGMA, "particles": N_PARTICLES, "h": H, "gammas": list(GAMMAS),
            "t_end": {str(g): T_END[g] for g in GAMMAS}, "snapshots": SNAPSHOTS,
        }
