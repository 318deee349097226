"""Relaxation to the Maxwellian: from bi-Maxwellian data the operator reaches the microcanonical equilibrium.

R systems of N = 256 particles from ``bimaxwellian:2,0.5`` (energy 3) are run to T = 24 t_rel(γ) (the anisotropy
decays like e^{−t/t_rel}: e^{−24} at T; :mod:`mbc_verify.conformance.scales`) in steps of Δt = 0.05 t_rel(γ). The
equilibrium of an operator that conserves momentum and energy and mixes the particles is the uniform law on
S_N(3N, 0) (docs/spec.md §3.2, §4.4), whose one-particle marginal tends to the Maxwellian: at T, T∥ − T⊥ = 0 and
(1/N) Σ|v_i|⁴ = 15 (3N − 3)/(3N − 1) (eq. (49), :func:`mbc_verify.mbc.observables.microcanonical_moment4`).
Certified, as in claim C11 (c): each within 5 standard errors of the replica mean (independent systems), per γ.

Catches :class:`~mbc_verify.conformance.examples.FixedPairs` (a fixed pair keeps its centre of mass: the
anisotropy of the centres of mass never relaxes).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...certificate import Check
from ...claims.common import figure, label, worst
from ...mbc.observables import microcanonical_moment4
from ...stats import mean_stderr
from ..base import Z_MAX, OperatorCertificate, OperatorContext, gamma_key
from ..driver import Driver, ensemble
from ..scales import relaxation_time

INIT = "bimaxwellian:2,0.5"
T_REL = 24.0
DT_REL = 0.05
SNAPSHOTS = 11


def temperatures_moment4(v: np.ndarray) -> np.ndarray:
    """(T∥ − T⊥, (1/N) Σ|v_i|⁴) per system (R × 2)."""
    m = np.mean(v * v, axis=1)
    s = np.sum(v * v, axis=2)
    return np.stack([m[:, 2] - 0.5 * (m[:, 0] + m[:, 1]), np.mean(s * s, axis=1)], axis=1)


class Relaxation(OperatorCertificate):
    """Relaxation to the Maxwellian (module docstring)."""

    claim_id = "relaxation"
    statement = "relaxation from bi-Maxwellian data to the microcanonical equilibrium"
    gammas = (0.0, -3.0)
    catches = ("fixed_pairs",)
    sizes = {"quick": {"n": 256, "replicas": 64}, "full": {"n": 1024, "replicas": 256}}
    primary = "equilibrium at T, max |z|"

    def compute(self, ctx: OperatorContext, driver: Driver, **params: Any) -> dict[str, Any]:
        g, s = params["gamma"], ctx.sizes
        t_rel = relaxation_time(g)
        times = np.linspace(0.0, T_REL * t_rel, SNAPSHOTS)
        feats = ensemble(driver, INIT, s["n"], s["replicas"], ctx.seed, times, DT_REL * t_rel, temperatures_moment4)
        mean, se = mean_stderr(feats, axis=0)
        target = microcanonical_moment4(s["n"])
        return {"gamma": g, "times": times.tolist(), "anisotropy": mean[:, 0].tolist(),
                "anisotropy_se": se[:, 0].tolist(), "moment4": mean[:, 1].tolist(), "moment4_se": se[:, 1].tolist(),
                "moment4_target": target, "z_anisotropy": float(mean[-1, 0] / se[-1, 0]),
                "z_moment4": float((mean[-1, 1] - target) / se[-1, 1])}

    def checks(self, ctx: OperatorContext, data: dict) -> list[Check]:
        per = []
        for g in self.selected_gammas(ctx):
            r = data[gamma_key(g)]
            case = f"γ = {g:g}, N = {ctx.sizes['n']}, t = {r['times'][-1]:.3g}"
            per.append([Check("anisotropy T∥ − T⊥ at T", r["anisotropy"][-1], 0.0, Z_MAX * r["anisotropy_se"][-1],
                              "abs", f"{Z_MAX:g} standard errors of the replica mean (independent systems)",
                              f"mean T∥ − T⊥ at the last time; {case}"),
                        Check("∫|v|⁴ at T", r["moment4"][-1], r["moment4_target"], Z_MAX * r["moment4_se"][-1], "abs",
                              f"{Z_MAX:g} standard errors of the replica mean (independent systems)",
                              f"mean (1/N) Σ|v|⁴ at the last time against 15(3N−3)/(3N−1) (eq. (49)); {case}")])
        checks = [worst([p[k] for p in per], per[0][k].name) for k in range(2)]
        return [worst(checks, self.primary), *checks]

    def hint(self, check: Check) -> str:
        return ("the operator does not relax to the microcanonical equilibrium: the particles do not mix (pairs "
                "that never change, so that centre-of-mass anisotropy survives), or momentum and energy drift")

    def figure(self, ctx: OperatorContext, data: dict) -> Any:
        fig, ax = figure(1, 2)
        for g in self.selected_gammas(ctx):
            r = data[gamma_key(g)]
            t = np.array(r["times"]) / relaxation_time(g)
            ax[0, 0].errorbar(t, r["anisotropy"], Z_MAX * np.array(r["anisotropy_se"]), fmt="o-", ms=3, capsize=2,
                              label=f"γ = {g:g}")
            ax[0, 1].errorbar(t, r["moment4"], Z_MAX * np.array(r["moment4_se"]), fmt="o-", ms=3, capsize=2,
                              label=f"γ = {g:g}")
        ax[0, 0].axhline(0.0, color="k", lw=0.8)
        ax[0, 1].axhline(microcanonical_moment4(ctx.sizes["n"]), color="k", lw=0.8, label="15(3N−3)/(3N−1)")
        label(ax[0, 0], "t / t_rel(γ)", "T∥ − T⊥ (±5 se)")
        label(ax[0, 1], "t / t_rel(γ)", "(1/N) Σ|v|⁴ (±5 se)")
        return fig

    def summary(self, ctx: OperatorContext, data: dict) -> dict[str, Any]:
        return {"per_gamma": {k: {"z_anisotropy": v["z_anisotropy"], "z_moment4": v["z_moment4"]}
                              for k, v in data.items()}}
