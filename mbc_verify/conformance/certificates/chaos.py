"""Chaos: the two-particle covariance of φ(v) = v_z² is O(1/N) (the paper's propagation of chaos; claim C6).

As in claim C6 (:mod:`mbc_verify.claims.c06_chaos`), but with the operator under test: from chaotic
``bimaxwellian:2,0.5`` data, R systems for each N ∈ {8, …, 128} are run to T = 1.2 t_rel(γ) (mid-relaxation) in
steps of Δt = 0.05 t_rel(γ), and Cov(φ(v_i), φ(v_j)) is estimated from every pair of every system
(:func:`mbc_verify.stats.pair_covariance`, delta-method errors). Certified: the exponent p of
Cov = C N^p (1 + d/N) (:func:`mbc_verify.claims.c06_chaos.exponent_fits`) is −1 within 5 standard errors; every
|Cov| is resolved (≥ 5 se) and of one sign; and the pairs of adjacent labels (i, i+1) have the all-pairs
covariance within 5 combined standard errors (exchangeability: a pairing tied to the labels leaves partners
correlated at O(1)). Per γ; the worst γ is reported.

Catches :class:`~mbc_verify.conformance.examples.FixedPairs` (exchangeability).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...certificate import Check
from ...claims.c06_chaos import exponent_fits
from ...claims.common import figure, label, worst
from ...stats import covariance_estimate, pair_covariance
from ..base import Z_MAX, OperatorCertificate, OperatorContext
from ..driver import Driver, ensemble
from ..scales import relaxation_time

INIT = "bimaxwellian:2,0.5"
T_REL = 1.2
DT_REL = 0.05
SEED_STRIDE = 104729


def sums(v: np.ndarray) -> np.ndarray:
    """(S₁ = Σ φ(v_i), S₂ = Σ φ(v_i)², S₃ = Σ φ(v_i) φ(v_{i+1 mod N})) per system (R × 3), φ(v) = v_z²."""
    phi = v[..., 2] ** 2
    return np.stack([phi.sum(axis=1), (phi * phi).sum(axis=1), (phi * np.roll(phi, -1, axis=1)).sum(axis=1)], axis=1)


def key(gamma: float, n: int) -> str:
    """``gamma=0 N=8``."""
    return f"gamma={gamma:g} N={n}"


class Chaos(OperatorCertificate):
    """Chaos (module docstring)."""

    claim_id = "chaos"
    statement = "propagation of chaos: the two-particle covariance of v_z² at t > 0 is O(1/N)"
    gammas = (0.0, -3.0)
    catches = ("fixed_pairs",)
    sizes = {"quick": {"n": [8, 16, 32, 64, 128], "replicas": 1000},
             "full": {"n": [16, 32, 64, 128, 256], "replicas": 10000}}
    primary = "covariance exponent in N"

    def units(self, ctx: OperatorContext) -> dict[str, dict[str, Any]]:
        return {key(g, n): {"gamma": g, "n": n} for g in self.selected_gammas(ctx) for n in ctx.sizes["n"]}

    def compute(self, ctx: OperatorContext, driver: Driver, **params: Any) -> dict[str, Any]:
        g, n = params["gamma"], params["n"]
        t_rel = relaxation_time(g)
        s = ensemble(driver, INIT, n, ctx.sizes["replicas"], ctx.seed + SEED_STRIDE * n,
                     np.array([0.0, T_REL * t_rel]), DT_REL * t_rel, sums, block=250)[:, -1]
        cov, se = pair_covariance(s[:, 0], s[:, 1], n)
        cov_adj, se_adj = covariance_estimate(s[:, 2] / n, s[:, 0] / n)
        return {"cov": cov, "stderr": se, "cov_adjacent": cov_adj, "stderr_adjacent": se_adj}

    def per_gamma(self, ctx: OperatorContext, data: dict, g: float) -> dict[str, Any]:
        """The fit and the exchangeability z-scores at one γ."""
        ns = np.array(ctx.sizes["n"], dtype=float)
        rows = [data[key(g, n)] for n in ctx.sizes["n"]]
        cov, se = (np.array([r[k] for r in rows]) for k in ("cov", "stderr"))
        z_adj = np.abs(np.array([r["cov_adjacent"] for r in rows]) - cov) / np.hypot(
            np.array([r["stderr_adjacent"] for r in rows]), se)
        with np.errstate(divide="ignore", invalid="ignore"):
            resolved = np.where(se > 0, np.abs(cov) / np.where(se > 0, se, 1.0), math.inf)
        return {"cov": cov, "stderr": se, **exponent_fits(ns, cov, se), "z_adjacent": z_adj, "resolved": resolved,
                "off_sign": int(min(np.sum(cov <= 0), np.sum(cov >= 0)))}

    def checks(self, ctx: OperatorContext, data: dict) -> list[Check]:
        per = []
        for g in self.selected_gammas(ctx):
            f = self.per_gamma(ctx, data, g)
            case = f"γ = {g:g}, t = {T_REL:g} t_rel, N ∈ {ctx.sizes['n']}"
            per.append([
                Check(self.primary, f["slope"], -1.0, Z_MAX * f["slope_stderr"], "abs",
                      f"{Z_MAX:g} standard errors of p in the weighted fit log|Cov| = a + p log N + d/N",
                      f"fitted exponent p of |Cov(v₁z², v₂z²)| ∝ N^p; {case}"),
                Check("covariances resolved, min |Cov|/se", float(f["resolved"].min()), Z_MAX, 0.0, "ge",
                      f"every |Cov| ≥ {Z_MAX:g} standard errors", f"min over N of |Cov|/se; {case}"),
                Check("covariances off the common sign", f["off_sign"], 0.0, 0.0, "abs",
                      "every covariance has one sign (a count: exact)", f"number of N off the common sign; {case}"),
                Check("exchangeability, max |z|", float(f["z_adjacent"].max()), 0.0, Z_MAX, "abs",
                      f"{Z_MAX:g} combined standard errors of the difference",
                      f"|Cov over adjacent labels − all-pairs Cov| / combined se, max over N; {case}"),
            ])
        return [worst([p[k] for p in per], per[0][k].name) for k in range(4)]

    def hint(self, check: Check) -> str:
        if check.name.startswith("exchangeability"):
            return ("particles with adjacent labels are correlated beyond the all-pairs covariance: the pairing "
                    "depends on the labels (pairs never reshuffled), so partners stay correlated at O(1)")
        return "the two-particle correlations do not decay like 1/N: chaos is not propagated"

    def figure(self, ctx: OperatorContext, data: dict) -> Any:
        fig, ax = figure(1, 1, width=8.0)
        ns = np.array(ctx.sizes["n"], dtype=float)
        for g in self.selected_gammas(ctx):
            f = self.per_gamma(ctx, data, g)
            ax[0, 0].errorbar(ns, np.abs(f["cov"]), Z_MAX * f["stderr"], fmt="o-", ms=4, capsize=2,
                              label=f"γ = {g:g}: p = {f['slope']:.3f} ± {f['slope_stderr']:.3f}")
        ax[0, 0].plot(ns, ns[0] / ns * np.abs(f["cov"][0]), "k--", lw=0.7, label="∝ 1/N")
        label(ax[0, 0], "N", "|Cov(v₁z², v₂z²)| (±5 se)", log=True)
        return fig

    def summary(self, ctx: OperatorContext, data: dict) -> dict[str, Any]:
        out = {}
        for g in self.selected_gammas(ctx):
            f = self.per_gamma(ctx, data, g)
            out[f"gamma={g:g}"] = {"exponent": f["slope"], "exponent_stderr": f["slope_stderr"],
                                   "cov": f["cov"].tolist(), "z_adjacent": f["z_adjacent"].tolist()}
        return {"per_gamma": out}
