"""C2: the MBC process is reversible w.r.t. the uniform measure on S_N(E, P) (SPEC §2, §3, §5).

Three pieces of evidence, all required for a pass.

**(a) Kernel symmetry.** The fixed-angle kernel maps u to u' uniformly distributed on the circle
C(u) = {w : |w| = |u|, ∠(u, w) = h}; its density w.r.t. the area measure of the sphere |w| = |u| is
δ(û·ŵ − cos h) / (2π), symmetric in (u, w), and c' = c. So the density of u' → u equals that of u → u' exactly
when (i) |u'| = |u|, (ii) ∠(u, u') = h, (iii) c' = c and (iv) the azimuth of u' about u is uniform. On many random
configurations (|u| over six decades, random centre of mass c) one jump by the engines' single jump routine
:func:`mbc_verify.mbc.kernel.random_jump` (mutant code passed) is checked for (i)–(iii) to round-off,
within ``ROUNDOFF_EPS`` · ε · (|c| + |u|) (the Householder rotation and the pair update v' = c ± u'/2 take fewer
than ten roundings per component, each ≤ ε relative to |u| or |c|, and the check itself a few more; 64 ε is a
safe bound; the angle error is measured as |u| (cos∠ − cos h), an error of u' of that size), and
(iv) by a Kolmogorov–Smirnov test of the azimuth φ = atan2(t·e₂, t·e₁), t = (u' − cos h u)/(sin h |u|), in the
kernel's frame (:func:`mbc_verify.mbc.kernel.frame`) against the uniform law on [0, 2π): √n D_n must stay below
the Kolmogorov quantile at the two-sided 5σ level (p = 5.7·10⁻⁷).

**(b) The one-particle marginal stays the sphere marginal.** Uniform on S_N(E, 0) is sampled exactly by the
``maxwellian`` initial data: i.i.d. Gaussian velocities projected to zero momentum (an isotropic Gaussian on the
D = 3(N − 1)-dimensional subspace Σ v_i = 0) and scaled to the energy (SPEC §6) — the direction of an isotropic
Gaussian is uniform. Its one-particle marginal: v_1 = Σ_k ⟨V, a_k⟩ ê_k with a_k = (e_1 − (1/N) 1) ⊗ ê_k, which lie
in the subspace, are orthogonal and have |a_k|² = (N − 1)/N; so v_1 = √((N−1)/N) · (the projection of V onto three
orthonormal directions). For V uniform on the sphere of radius |V| in R^D, the squared norm of the projection onto
k orthonormal directions divided by |V|² is Beta(k/2, (D − k)/2) (ratio of χ²_k to χ²_k + χ²_{D−k} of a Gaussian
vector). Hence

    X = N |v_1|² / ((N − 1) Σ_i |v_i|²) = |v_1|² / ((N − 1) E),   E = (1/N) Σ |v_i|²,   X ~ Beta(3/2, 3(N − 2)/2).

Runs of the exact engine (mutant passed) started from this law, one particle per replica, at several times, for
γ = 0 and γ = −3: KS test of X against the Beta law at the same 5σ level, per (γ, t).

**(c) Two-time correlations are symmetric.** For a reversible stationary process E[φ(V_0) ψ(V_t)] =
E[ψ(V_0) φ(V_t)]. For the features F = (v_{1,x}, v_{1,y}, v_{1,z}, |v_1|², |v_1|⁴) and every pair a < b, the
per-replica difference F_a(V_0) F_b(V_t) − F_b(V_0) F_a(V_t) has mean 0; its sample mean must be within
5 standard errors of 0 (sd over replicas / √R).

Mutants that must fail it: ``biased_azimuth`` (iv) and ``one_sided_rotation`` ((iii), and the marginal law).
Rate mutants keep a rate that depends on |u| only: they do not break reversibility and are not expected to fail.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from numba import njit
from scipy import stats as sps

from ..certificate import Certificate
from ..mbc.ensemble import replica_seed, run_states
from ..mbc.initial import sample_initial
from ..mbc.kernel import frame, random_jump
from ..mbc.rng import stream_key, substream
from ..mutants import mutant_code
from .common import figure, pick, save_evidence
from .registry import STATEMENTS, claim

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


@njit(cache=True)
def kernel_jumps(u: np.ndarray, c: np.ndarray, h: float, seed: int, mutant: int) -> tuple:
    """One :func:`random_jump` of each configuration (u_k, c_k); returns per configuration, in units of the
    round-off scale s = |c| + |u| of the stored velocities c ± u/2: (|u'| − |u|)/s, (cos∠(u, u') − cos h)|u|/s,
    |c' − c|/s, and the azimuth φ ∈ [0, 2π) in the kernel's frame."""
    n = u.shape[0]
    dr = np.empty(n)
    dcos = np.empty(n)
    dc = np.empty(n)
    phi = np.empty(n)
    base = stream_key(np.uint64(seed), np.uint64(KERNEL_STREAM))
    v = np.empty((2, 3))
    ch, sh = math.cos(h), math.sin(h)
    for k in range(n):
        for a in range(3):
            v[0, a] = c[k, a] + 0.5 * u[k, a]
            v[1, a] = c[k, a] - 0.5 * u[k, a]
        # the pair as the jump sees it (u, c of the stored velocities, same operations as the kernel)
        ux, uy, uz = v[0, 0] - v[1, 0], v[0, 1] - v[1, 1], v[0, 2] - v[1, 2]
        c0x, c0y, c0z = 0.5 * (v[0, 0] + v[1, 0]), 0.5 * (v[0, 1] + v[1, 1]), 0.5 * (v[0, 2] + v[1, 2])
        random_jump(v, 0, 1, 0, h, substream(base, np.uint64(k)), mutant)
        r, nx, ny, nz, e1x, e1y, e1z, e2x, e2y, e2z = frame(ux, uy, uz)
        scale = math.sqrt(c0x * c0x + c0y * c0y + c0z * c0z) + r  # round-off unit of v' = c ± u'/2
        upx, upy, upz = v[0, 0] - v[1, 0], v[0, 1] - v[1, 1], v[0, 2] - v[1, 2]
        rp = math.sqrt(upx * upx + upy * upy + upz * upz)
        dr[k] = (rp - r) / scale
        dcos[k] = ((nx * upx + ny * upy + nz * upz) / rp - ch) * r / scale
        cx, cy, cz = 0.5 * (v[0, 0] + v[1, 0]), 0.5 * (v[0, 1] + v[1, 1]), 0.5 * (v[0, 2] + v[1, 2])
        dc[k] = math.sqrt((cx - c0x) ** 2 + (cy - c0y) ** 2 + (cz - c0z) ** 2) / scale
        tx = (upx / r - ch * nx) / sh
        ty = (upy / r - ch * ny) / sh
        tz = (upz / r - ch * nz) / sh
        a = math.atan2(tx * e2x + ty * e2y + tz * e2z, tx * e1x + ty * e1y + tz * e1z)
        phi[k] = a if a >= 0.0 else a + 2.0 * math.pi
    return dr, dcos, dc, phi


def kernel_check(n_conf: int, seed: int, mutant_id: int) -> dict:
    """Sub-check (a) on ``n_conf`` random configurations (module docstring)."""
    rng = np.random.default_rng([seed, 2])
    u = rng.standard_normal((n_conf, 3)) * 10.0 ** rng.uniform(-3, 3, (n_conf, 1))
    c = rng.standard_normal((n_conf, 3)) * 10.0 ** rng.uniform(-3, 3, (n_conf, 1))
    dr, dcos, dc, phi = kernel_jumps(u, c, H, seed, mutant_id)
    eps = 2.0**-53
    ks = sps.kstest(phi / (2 * math.pi), "uniform")
    worst = {"norm": float(np.max(np.abs(dr)) / eps), "angle": float(np.max(np.abs(dcos)) / eps),
             "centre": float(np.max(dc) / eps)}
    ks_stat = float(math.sqrt(n_conf) * ks.statistic)
    return {"configurations": n_conf, "max_roundoff_eps": worst, "roundoff_bound_eps": ROUNDOFF_EPS,
            "geometry_ok": bool(max(worst.values()) <= ROUNDOFF_EPS), "azimuth_ks": ks_stat,
            "azimuth_p": float(ks.pvalue), "azimuth_ok": bool(ks_stat <= KS_CRIT), "phi": phi}


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
                d = f[:, 0, a] * f[:, k, b] - f[:, 0, b] * f[:, k, a]
                se = d.std(ddof=1) / math.sqrt(d.size)
                zs.append(abs(d.mean()) / se if se > 0 else (0.0 if d.mean() == 0 else math.inf))
        rows.append(zs)
    return np.array(rows)


@claim("C2", uses=("mbc",))
def certify_reversibility(profile: str, seed: int, out_dir: Path, mutant: str | None) -> Certificate:
    code = mutant_code(mutant, "mbc")
    n_conf = pick(profile, 20000, 1000000)
    replicas = pick(profile, 2000, 50000)
    kern = kernel_check(n_conf, seed, code)
    runs = []
    for gi, gamma in enumerate(GAMMAS):
        seeds = np.array([replica_seed(seed + 7919 * (gi + 1), r) for r in range(replicas)], dtype=np.int64)
        v0 = np.stack([sample_initial("maxwellian", N_PARTICLES, int(s)) for s in seeds])
        times = np.linspace(0.0, T_END[gamma], SNAPSHOTS)
        feats = equilibrium_features(run_states(v0, seeds, times, gamma, H, engine="exact", mutant=mutant))
        x = feats[:, :, 3] / ((N_PARTICLES - 1) * feats[:, :, 5])
        ks = [sphere_marginal_ks(x[:, k], N_PARTICLES) for k in range(SNAPSHOTS)]
        z = antisymmetry_z(feats)
        runs.append({"gamma": gamma, "times": times, "ks_stat": [k[0] for k in ks], "ks_p": [k[1] for k in ks],
                     "antisymmetry_max_z": float(z.max()), "x_final": x[:, -1]})
    ks_max = max(max(r["ks_stat"]) for r in runs)
    z_max = max(r["antisymmetry_max_z"] for r in runs)
    marginal_ok = ks_max <= KS_CRIT
    symmetric_ok = z_max <= Z_MAX
    ok = kern["geometry_ok"] and kern["azimuth_ok"] and marginal_ok and symmetric_ok
    measured = max(kern["azimuth_ks"], ks_max)

    fig, ax = figure(1, 3)
    ax[0, 0].hist(kern["phi"], bins=40, density=True)
    ax[0, 0].axhline(1 / (2 * math.pi), color="k", lw=0.8)
    ax[0, 0].set_xlabel(f"azimuth of u' about u (kernel frame); √n D = {kern['azimuth_ks']:.2f}")
    xs = np.linspace(0, 1, 400)
    for r in runs:
        ax[0, 1].hist(r["x_final"], bins=40, density=True, histtype="step",
                      label=f"γ={r['gamma']:g}, t={r['times'][-1]:g}")
    ax[0, 1].plot(xs, sps.beta(1.5, 1.5 * (N_PARTICLES - 2)).pdf(xs), "k-", lw=0.8, label="Beta(3/2, 3(N−2)/2)")
    ax[0, 1].set_xlabel("N|v₁|² / ((N−1) Σ|v_i|²)")
    ax[0, 1].legend(fontsize=6)
    for r in runs:
        ax[0, 2].plot(r["times"], r["ks_stat"], "o-", label=f"γ={r['gamma']:g}")
    ax[0, 2].axhline(KS_CRIT, color="r", ls="--", label="5σ critical value")
    ax[0, 2].set_xlabel("t")
    ax[0, 2].set_ylabel("KS √R D")
    ax[0, 2].legend(fontsize=6)
    data = {"kernel": kern, "runs": runs, "ks_critical": KS_CRIT}
    evidence = save_evidence(out_dir, "C2", fig, data, mutant)
    details = {
        "kernel_max_roundoff_eps": kern["max_roundoff_eps"], "kernel_roundoff_bound_eps": ROUNDOFF_EPS,
        "kernel_geometry_ok": kern["geometry_ok"], "azimuth_ks_sqrt_n_D": kern["azimuth_ks"],
        "azimuth_p": kern["azimuth_p"], "azimuth_ok": kern["azimuth_ok"],
        "marginal_ks_sqrt_n_D": {f"gamma={r['gamma']:g}": dict(zip(map(float, r["times"]), r["ks_stat"], strict=True))
                                 for r in runs},
        "marginal_ks_max": ks_max, "marginal_ok": marginal_ok,
        "antisymmetry_max_z": z_max, "antisymmetry_z_bound": Z_MAX, "two_time_symmetric_ok": symmetric_ok,
        "ks_critical_value": KS_CRIT, "ks_level": P_5SIGMA,
    }
    return Certificate(
        "C2", STATEMENTS["C2"][1],
        quantity="largest KS statistic √n D_n: azimuth of u' about u vs uniform, and N|v₁|²/((N−1)Σ|v_i|²) vs "
                 "Beta(3/2, 3(N−2)/2) at every (γ, t) from equilibrium; kernel geometry and two-time symmetry in "
                 "details",
        measured=measured, expected=KS_CRIT, tolerance=0.0, relation="le",
        tolerance_source="Kolmogorov distribution quantile at the two-sided 5σ level (p = 5.7e-7) for each KS "
                         f"test; kernel geometry within the round-off bound {ROUNDOFF_EPS:g} ε (module docstring); "
                         f"two-time antisymmetric parts within {Z_MAX:g} Monte Carlo standard errors",
        verdict="pass" if ok else "fail",
        seeds=[seed], sizes={"kernel_configurations": n_conf, "particles": N_PARTICLES, "replicas": replicas,
                             "h": H, "gammas": list(GAMMAS), "t_end": {str(g): T_END[g] for g in GAMMAS},
                             "snapshots": SNAPSHOTS},
        evidence=evidence, details=details,
    )
