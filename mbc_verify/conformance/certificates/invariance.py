"""Invariance of the uniform measure on the microcanonical sphere S_N(E, 0), started from equilibrium.

An operator that conserves momentum and energy and rotates each colliding pair's relative velocity with a law that
depends on |u| only and is isotropic leaves the uniform law on S_N(E, 0) invariant (docs/spec.md §3.2, eq. (26);
every pair move satisfies detailed balance). ``maxwellian`` initial data sample that law exactly (eq. (49)):
under it the one-particle marginal is v_1 = |v_1| ω with

    X = |v_1|² / ((N − 1) E) ~ Beta(3/2, 3(N − 2)/2),   E = (1/N) Σ|v_i|²,   ω uniform on S² and independent of X

(:func:`mbc_verify.claims.c02_reversibility.sphere_marginal_ks` for X). R systems of N = 8 particles are run by the
operator to T = 3 t_rel(γ) in steps of Δt = T/40; at t = 0, T/4, …, T the marginal of particle 0 (one per system:
independent samples) is tested by Kolmogorov–Smirnov: X against the Beta law, ω_z against U(−1, 1) and the azimuth
of ω against U(0, 2π). Certified: every √R D_R below the Kolmogorov quantile at the two-sided 5σ level
(p = 5.7·10⁻⁷), per (γ, t, statistic).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import stats as sps

from ...certificate import Check
from ...claims.c02_reversibility import KS_CRIT, KS_SOURCE, sphere_marginal_ks
from ...claims.common import figure, label
from ..base import OperatorCertificate, OperatorContext, gamma_key
from ..driver import Driver, ensemble
from ..scales import relaxation_time

T_REL = 3.0
STEPS = 40
SNAPSHOTS = 5
N_PARTICLES = 8
STATISTICS = ("X = |v_1|²/((N−1)E) vs Beta(3/2, 3(N−2)/2)", "ω_z vs U(−1, 1)", "azimuth of ω vs U(0, 2π)")


def marginal(v: np.ndarray) -> np.ndarray:
    """(X, ω_z, azimuth/2π) of particle 0 per system (R × 3) (module docstring)."""
    v0 = v[:, 0, :]
    s = np.sum(v0 * v0, axis=1)
    energy = np.sum(v * v, axis=(1, 2)) / v.shape[1]
    speed = np.sqrt(s)
    az = np.mod(np.arctan2(v0[:, 1], v0[:, 0]), 2.0 * math.pi) / (2.0 * math.pi)
    return np.stack([s / ((v.shape[1] - 1) * energy), v0[:, 2] / speed, az], axis=1)


def ks_statistics(feats: np.ndarray, n: int) -> np.ndarray:
    """√R D_R of the three statistics (K × 3) at each snapshot of ``feats`` (R × K × 3)."""
    out = np.empty((feats.shape[1], 3))
    for k in range(feats.shape[1]):
        out[k, 0] = sphere_marginal_ks(feats[:, k, 0], n)[0]
        out[k, 1] = math.sqrt(feats.shape[0]) * sps.kstest(feats[:, k, 1], sps.uniform(-1.0, 2.0).cdf).statistic
        out[k, 2] = math.sqrt(feats.shape[0]) * sps.kstest(feats[:, k, 2], "uniform").statistic
    return out


class Invariance(OperatorCertificate):
    """Microcanonical invariance (module docstring)."""

    claim_id = "invariance"
    statement = "the uniform law on the microcanonical sphere is invariant (marginals from equilibrium)"
    gammas = (0.0, -3.0)
    sizes = {"quick": {"replicas": 2000}, "full": {"replicas": 20000}}
    primary = "largest KS statistic"

    def compute(self, ctx: OperatorContext, driver: Driver, **params: Any) -> dict[str, Any]:
        g = params["gamma"]
        t_end = T_REL * relaxation_time(g)
        times = np.linspace(0.0, t_end, SNAPSHOTS)
        feats = ensemble(driver, "maxwellian", N_PARTICLES, ctx.sizes["replicas"], ctx.seed, times,
                         t_end / STEPS, marginal, block=256)
        return {"gamma": g, "times": times.tolist(), "ks": ks_statistics(feats, N_PARTICLES).tolist(),
                "x_final": feats[:, -1, 0].tolist()}

    def checks(self, ctx: OperatorContext, data: dict) -> list[Check]:
        rows = [data[gamma_key(g)] for g in self.selected_gammas(ctx)]
        ks = np.array([r["ks"] for r in rows])  # G × K × 3
        g, k, s = np.unravel_index(int(np.argmax(ks)), ks.shape)
        out = [Check(self.primary, float(ks.max()), KS_CRIT, 0.0, "le", KS_SOURCE,
                     f"largest √R D_R over γ, t and statistics: {STATISTICS[s]} at γ = {rows[g]['gamma']:g}, "
                     f"t = {rows[g]['times'][k]:.3g} (N = {N_PARTICLES}, particle 0 of each system)")]
        for j, name in enumerate(("sphere marginal KS", "direction KS", "azimuth KS")):
            out.append(Check(name, float(ks[..., j].max()), KS_CRIT, 0.0, "le", KS_SOURCE,
                             f"largest √R D_R of {STATISTICS[j]} over γ and t"))
        return out

    def hint(self, check: Check) -> str:
        return ("started from the uniform law on the microcanonical sphere, the operator drives particle 0's "
                "marginal away from it: the uniform measure is not invariant (an anisotropic deflection, a rate "
                "that depends on more than |u|, or a step that does not conserve momentum and energy)")

    def figure(self, ctx: OperatorContext, data: dict) -> Any:
        fig, ax = figure(1, 2)
        xs = np.linspace(0.0, 1.0, 400)
        for g in self.selected_gammas(ctx):
            r = data[gamma_key(g)]
            ax[0, 0].hist(r["x_final"], bins=40, density=True, histtype="step", label=f"γ = {g:g}, t = T")
            ax[0, 1].plot(r["times"], np.max(r["ks"], axis=1), "o-", label=f"γ = {g:g}")
        ax[0, 0].plot(xs, sps.beta(1.5, 1.5 * (N_PARTICLES - 2)).pdf(xs), "k-", lw=0.8, label="Beta(3/2, 3(N−2)/2)")
        label(ax[0, 0], "|v₁|² / ((N−1)E)", "density")
        ax[0, 1].axhline(KS_CRIT, color="r", ls="--", label="5σ critical value")
        label(ax[0, 1], "t", "largest KS √R D")
        return fig

    def summary(self, ctx: OperatorContext, data: dict) -> dict[str, Any]:
        return {"ks_critical": KS_CRIT, "particles": N_PARTICLES,
                "ks": {k: v["ks"] for k, v in data.items()}}
