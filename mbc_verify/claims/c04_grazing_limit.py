"""C4: the Landau master equation is the h → 0 limit of MBC at fixed N (docs/spec.md §2, §3, §6).

The paper (Kai Du, arXiv:2511.09035 v1) states that the Landau master equation is the grazing limit of the MBC
process; this certificate compares the laws of the two processes at fixed N through several observables — one-time
moments and a two-time correlation — as numerical evidence, not a proof.

Observables, per replica, from the anisotropic chaotic start ``INIT`` (exact engine, mutant passed,
``ensemble_states``): T∥(t) = M_zz(t), M = (1/N) Σ v_i ⊗ v_i (``mbc.observables.moments``, bit for bit the value
``run_ensemble`` records), m4(t) = (1/N) Σ |v_i|⁴, and the two-time correlation C(t) = (1/N) Σ_i v_i(0)·v_i(t) of
each particle with its own past. All h share the replica seeds, hence the same initial states (common random
numbers), so the initial-state noise cancels in comparisons between h.

**(A) γ = 0, N = 16: the finite-h law and its h → 0 limit.** For Maxwell molecules the MBC second moment closes
at every h and N (derived keys ``mbc.gamma0.alpha_h``, ``mbc.gamma0.beta_h``, proofs_checks):
d/dt E[M | M_0] = α_h tr(M) I + β_h M, with tr M = E conserved, so per replica

    E[M_zz(t) | V_0] = m_h(t; M_zz(0)) := −α_h E/β_h + (M_zz(0) + α_h E/β_h) e^{β_h t}
                                           (:func:`mbc_verify.landau.maxwell.second_moment_diagonal`),

and its h → 0 limit m_0 uses the Landau master-equation rates (``maxwell.second_moment_alpha``/``_beta``; the
pair generator on quadratics is the Landau one, docs/spec.md §2). Certified: (i) the replica mean of
M_zz(t) − m_h(t; M_zz(0)) (a control variate: the initial-state noise drops out) is 0 within 5 standard errors at
every (h, t); (ii) the deviation from the limit Δ(h) = mean of M_zz(t*) − m_0(t*; M_zz(0)) has the order of the
derived law: the weighted log-log slope p over h ∈ {1.6, 0.8, 0.4} (quick; full adds 0.2; weights from the Monte
Carlo errors) agrees within 5 standard errors with the same weighted slope of the derived finite-h deviation
m_h − m_0 at the same h (its pre-asymptotic order, ≈ 1.96 at these h: at h = 1.6 the h⁴ terms still matter, so
the MC slope is compared with the law's, not with the bare 2, which the full profile's errors would resolve from
it); and (iii) that law's order as h → 0 is exactly 2: the derived traceless rate (``mbc.gamma0.traceless_rate_h``)
minus its h → 0 limit (``maxwell.traceless_rate``) has the leading term ∝ h² (sympy series).
(iv) The two-time law: at γ = 0 the mean jump increment of a particle is (cos h − 1)(v_i − v_j)/2, so
L_h v_i = κ_h v_i with κ_h = 4(cos h − 1)/h² (derived, ``mbc.gamma0.tagged_velocity_rate_h``, any N, zero
momentum) and E[C(t) | V_0] = E e^{κ_h t} exactly (E = (1/N)Σ|v_i(0)|² is the nominal energy, fixed by the
normalisation): the replica mean of C(t) − E e^{κ_h t} is 0 within 5 standard errors at every (h, t); and κ_h → −2,
the Landau master generator's rate (``master.gamma0.tagged_velocity_rate``, differentiated literally), with the
leading term h²/6 (sympy series: order exactly 2).

**(B) γ = −3, N = 8 (no closed form): Richardson differences.** Q(h) = T∥(t*) at h, h/2, h/4 (same initial states);
with Q(h) = Q₀ + c h² + O(h⁴) the differences Δ₁ = Q(h) − Q(h/2), Δ₂ = Q(h/2) − Q(h/4) give the order
p = log₂(Δ₁/Δ₂), whose standard error comes from the per-replica differences (delta method,
:func:`mbc_verify.stats.richardson_order`). Certified:
|p − 2| ≤ 5 standard errors and Δ₂ resolved (≥ 5 standard errors; else the order is not resolvable at these
sizes and the sub-check fails rather than passes vacuously). The pre-asymptotic bias of this estimator at these h,
measured on the γ = 0 closed form (``richardson_order_gamma0_law``, ≈ 1.94), is reported beside it: it is below
the Monte Carlo tolerance of both profiles. The same Richardson order is computed for m4(t*) and C(t*) from the same
runs and reported (details ``coulomb_richardson_orders``), not certified: their Δ₂ are resolved to only ≈ 3 standard
errors at 2000 replicas (measured: p = 1.8 ± 0.6 for m4, 2.3 ± 0.9 for C at t* = 3), which would make a 5σ bound on
p vacuous; resolving them to 5σ needs ≈ 6000 replicas, three times the cost of the quick profile's costliest unit.

(v) **Precision run.** (i) and (iv) again at h = 1.6 with many more replicas (quick 150 000, full 10⁶; own seed):
the exact engine's cost grows as 1/h², while a relative error of the jump rate or the angle moves κ_h and β_h by
the same relative amount at every h, so the cheapest h carries the power (measured at 60 000 replicas: a 1 % rate
error gives |z| ≈ 3.5, hence 150 000 for 5σ).

Mutants that must fail it: ``rate_doubled`` (A(i), A(iv): relaxation twice as fast; A(ii): Δ(h) no longer → 0),
``one_sided_rotation`` (energy not conserved: A(i), A(ii), B), ``biased_azimuth`` (an anisotropic kernel: the
finite-h law A(i) and the orders A(ii), B), ``frozen_partners`` (every particle meets one partner, the moment
closure of A does not hold: A(i), A(ii), B) and ``rate_without_gamma`` (identical at γ = 0; at γ = −3 the rate
4/h² relaxes T∥ to its equilibrium E/3 before t* at every h, so Δ₂ is not resolved: B). Fixed-N h-convergence at
γ = −3 is certified only through the Richardson order at h ∈ {1.6, 0.8, 0.4}: smaller h are not resolvable against
the Monte Carlo noise at quick sizes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import sympy as sp

from .. import derived
from ..certificate import Check
from ..initial import parse_init
from ..landau.maxwell import second_moment_diagonal
from ..mbc.ensemble import ensemble_states
from ..mbc.observables import moments
from ..stats import fit_power_law, mean_stderr, richardson_order
from .base import Claim, Context
from .common import figure, label
from .registry import register

INIT = "bimaxwellian:2.8,0.1"
N_MAXWELL = 16
N_COULOMB = 8
T_MAXWELL = 1.0 / 3.0  # snapshots at T/4, T/2 (= 1/6, the traceless relaxation time), 3T/4, T
T_COULOMB = 6.0
SNAPSHOTS = 5
Z_MAX = 5.0
H_COULOMB = (1.6, 0.8, 0.4)
K_STAR = SNAPSHOTS // 2 - 1  # index into times[1:] of t* = T/2 (part A)
OBSERVABLES_B = {"tpar": "T∥", "moment4": "∫|v|⁴", "corr": "C(t*) = (1/N)Σ v_i(0)·v_i(t*)"}
"""Part B's observables at t*: their Richardson orders in h."""


def derived_deviation(h: float, t: float) -> float:
    """e^{β_h t} − e^{β_0 t}: the derived γ = 0 deviation of M_zz from its h → 0 limit per unit initial anisotropy
    (M_zz(0) − E/3 = 1; the fixed point −α E/β = E/3 is the same at every h)."""
    beta_h = float(derived.function("mbc.gamma0.beta_h", "h")(h))
    return math.exp(beta_h * t) - math.exp(derived.number("maxwell.second_moment_beta") * t)


LIMIT_LAWS = {"traceless": ("mbc.gamma0.traceless_rate_h", "maxwell.traceless_rate"),
              "two-time": ("mbc.gamma0.tagged_velocity_rate_h", "master.gamma0.tagged_velocity_rate")}
"""The derived finite-h rates of part A and their h → 0 limits (Landau / Landau master equation)."""


def limit_order(rate_key: str = "mbc.gamma0.traceless_rate_h",
                limit_key: str = "maxwell.traceless_rate") -> tuple[int, str]:
    """Exponent k and leading term of (derived finite-h rate) − (its h → 0 limit, which must be the derived rate
    ``limit_key``) ∝ h^k; (0, reason) when the limit differs."""
    rate = derived.expr(rate_key)
    (h,) = rate.free_symbols
    limit = sp.limit(rate, h, 0)
    if sp.simplify(limit - derived.expr(limit_key)) != 0:
        return 0, f"limit {limit} differs from {limit_key}"
    lead = (rate - limit).as_leading_term(h)
    return int(sp.degree(lead, h)), str(lead)


def finite_h_rates(h: float) -> tuple[float, float]:
    """(α_h, β_h) of the MBC second-moment closure at γ = 0 (derived keys ``mbc.gamma0.alpha_h``, ``..._beta_h``)."""
    return tuple(float(derived.function(k, "h")(h)) for k in ("mbc.gamma0.alpha_h", "mbc.gamma0.beta_h"))


def _samples(gamma: float, h: float, n: int, t_end: float, replicas: int, seed: int, mutant: str | None) -> dict:
    """Per replica and snapshot: T∥ = M_zz (``mbc.observables.moments``, as ``run_ensemble`` records it), ∫|v|⁴ and
    the two-time correlation C(t) = (1/N) Σ_i v_i(0)·v_i(t) (exact engine)."""
    times, states = ensemble_states(gamma, h, n, t_end, replicas=replicas, init=INIT, engine="exact",
                                    snapshots=SNAPSHOTS, seed=seed, mutant=mutant)
    mom = [[moments(np.ascontiguousarray(states[r, k])) for k in range(SNAPSHOTS)] for r in range(replicas)]
    return {"times": times, "tpar": np.array([[m[0][2, 2] for m in row] for row in mom]),
            "moment4": np.array([[m[3] for m in row] for row in mom]),
            "corr": np.einsum("rnd,rknd->rk", states[:, 0], states) / n}


def maxwell_row(h: float, replicas: int, seed: int, mutant: str | None) -> dict:
    """Part A at one h: z of the control-variate residual, deviation from the h → 0 law (and its derived value)
    at every t > 0."""
    energy = parse_init(INIT).energy
    a0, b0 = derived.number("maxwell.second_moment_alpha"), derived.number("maxwell.second_moment_beta")
    ah, bh = finite_h_rates(h)
    s = _samples(0.0, h, N_MAXWELL, T_MAXWELL, replicas, seed, mutant)
    m0 = s["tpar"][:, 0]
    kappa = float(derived.function("mbc.gamma0.tagged_velocity_rate_h", "h")(h))
    z, dev, dev_se, exact_dev, z_corr = [], [], [], [], []
    for k, t in enumerate(s["times"][1:], start=1):
        mean, se = mean_stderr(s["corr"][:, k] - energy * math.exp(kappa * t))
        z_corr.append(float(abs(mean) / se))
        law_h = second_moment_diagonal(ah, bh, energy, m0, t)
        law_0 = second_moment_diagonal(a0, b0, energy, m0, t)
        mean, se = mean_stderr(s["tpar"][:, k] - law_h)
        z.append(float(abs(mean) / se))
        mean, se = mean_stderr(s["tpar"][:, k] - law_0)
        dev.append(float(mean))
        dev_se.append(float(se))
        exact_dev.append(float(np.mean(law_h - law_0)))
    return {"h": h, "times": s["times"], "tpar_mean": s["tpar"].mean(axis=0), "z": z, "max_z": max(z),
            "deviation": dev, "deviation_se": dev_se, "exact_deviation": exact_dev, "z_corr": z_corr,
            "max_z_corr": max(z_corr), "corr_mean": s["corr"].mean(axis=0)}


def maxwell_order(rows: list[dict]) -> dict:
    """Part A(ii): weighted log-log slope of the deviation at t* over h (NaN unless every deviation is > 0) and the
    same slope of the derived deviation, with the same weights."""
    hs = np.array([r["h"] for r in rows])
    dev = np.array([r["deviation"][K_STAR] for r in rows])
    dev_se = np.array([r["deviation_se"][K_STAR] for r in rows])
    exact = np.array([r["exact_deviation"][K_STAR] for r in rows])
    order = order_se = math.nan
    if np.all(dev > 0):
        fit = fit_power_law(hs, dev, dev_se / dev)
        order, order_se = fit.slope, fit.slope_stderr
    exact_order = fit_power_law(hs, np.abs(exact), dev_se / np.abs(dev)).slope
    return {"rows": rows, "t_star": float(rows[0]["times"][K_STAR + 1]), "deviation": dev, "deviation_se": dev_se,
            "exact_deviation": exact, "order": float(order), "order_se": float(order_se),
            "exact_order": float(exact_order), "max_z": max(r["max_z"] for r in rows),
            "max_z_corr": max(r["max_z_corr"] for r in rows)}


def coulomb_richardson(q: list[np.ndarray]) -> dict:
    """Part B: Richardson order of an observable at t* (γ = −3) from its per-replica values q at h, h/2, h/4."""
    rich = richardson_order(q[0] - q[1], q[1] - q[2])
    return {"h": list(H_COULOMB), "t_star": T_COULOMB * (SNAPSHOTS // 2) / (SNAPSHOTS - 1),
            "q": [float(x.mean()) for x in q], "q_se": [float(mean_stderr(x)[1]) for x in q],
            "order": rich.order, "order_se": rich.order_stderr, "delta2": rich.delta2,
            "delta2_se": rich.delta2_stderr}


def richardson_of_law(t_star: float) -> float:
    """The Richardson estimator applied to the derived γ = 0 deviation at t* and the part-B h (its pre-asymptotic
    bias)."""
    law = [derived_deviation(h, t_star) for h in H_COULOMB]
    return math.log((law[0] - law[1]) / (law[1] - law[2])) / math.log(2.0)


@register
class GrazingLimit(Claim):
    """C4 (module docstring)."""

    claim_id = "C4"
    uses = ("mbc",)
    catches = ("one_sided_rotation", "biased_azimuth", "rate_without_gamma", "rate_doubled", "frozen_partners")
    # precision run: the finite-h laws (i), (iv) at the cheapest h (the exact engine's cost grows as 1/h²; the
    # rate and angle defects shift κ_h, β_h by the same relative amount at every h), with many replicas
    sizes = {"quick": {"maxwell_h": [1.6, 0.8, 0.4], "maxwell_replicas": 3000, "coulomb_replicas": 2000,
                       "precision_h": 1.6, "precision_replicas": 150000},
             "full": {"maxwell_h": [1.6, 0.8, 0.4, 0.2], "maxwell_replicas": 40000, "coulomb_replicas": 20000,
                      "precision_h": 1.6, "precision_replicas": 1000000}}
    primary = "grazing order (γ = 0)"
    formula_checks = ("h → 0 order of the derived law",)

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {"limit order": {"part": "limit"}}
        out.update({f"maxwell h={h:g}": {"part": "maxwell", "h": h} for h in ctx.sizes["maxwell_h"]})
        out.update({f"coulomb h={h:g}": {"part": "coulomb", "h": h} for h in H_COULOMB})
        out["maxwell precision"] = {"part": "precision"}
        return out

    def run_unit(self, ctx: Context, **params: Any) -> Any:
        if params["part"] == "limit":
            return {name: dict(zip(("order", "leading_term"), limit_order(*keys), strict=True))
                    for name, keys in LIMIT_LAWS.items()}
        if params["part"] == "maxwell":
            return maxwell_row(params["h"], ctx.sizes["maxwell_replicas"], ctx.seed, ctx.mutant)
        if params["part"] == "precision":
            return maxwell_row(ctx.sizes["precision_h"], ctx.sizes["precision_replicas"], ctx.seed + 2, ctx.mutant)
        s = _samples(-3.0, params["h"], N_COULOMB, T_COULOMB, ctx.sizes["coulomb_replicas"], ctx.seed + 1,
                     ctx.mutant)
        return {name: s[name][:, SNAPSHOTS // 2] for name in OBSERVABLES_B}

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        mx = maxwell_order([results[f"maxwell h={h:g}"] for h in ctx.sizes["maxwell_h"]])
        cbs = {name: coulomb_richardson([results[f"coulomb h={h:g}"][name] for h in H_COULOMB])
               for name in OBSERVABLES_B}
        return {"maxwell": mx, "precision": results["maxwell precision"], "coulomb": cbs["tpar"],
                "coulomb_observables": cbs, "limit": results["limit order"],
                "richardson_order_gamma0_law": richardson_of_law(mx["t_star"])}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        mx, cb, pr = data["maxwell"], data["coulomb"], data["precision"]
        d2_z = abs(cb["delta2"]) / cb["delta2_se"] if cb["delta2_se"] > 0 else math.inf
        return [
            Check(self.primary, mx["order"], mx["exact_order"], Z_MAX * mx["order_se"], "abs",
                  f"{Z_MAX:g} standard errors of the weighted log-log slope (Monte Carlo errors of the per-replica "
                  "deviations)", f"fitted order p of T∥,h(t*) − T∥,0(t*) in h (γ = 0, N = {N_MAXWELL}, h = "
                  f"{ctx.sizes['maxwell_h']}) vs the derived law's order at the same h"),
            Check("finite-h law, max |z|", mx["max_z"], 0.0, Z_MAX, "abs",
                  f"{Z_MAX:g} Monte Carlo standard errors of the control-variate residual at every (h, t)",
                  "|mean of M_zz(t) − m_h(t; M_zz(0))| / se"),
            Check("finite-h law of the two-time correlation, max |z|", mx["max_z_corr"], 0.0, Z_MAX, "abs",
                  f"{Z_MAX:g} Monte Carlo standard errors of the residual at every (h, t)",
                  "|mean of C(t) − E e^{κ_h t}| / se, C(t) = (1/N)Σ v_i(0)·v_i(t), κ_h = 4(cos h − 1)/h² (derived)"),
            Check("precision run: finite-h laws of T∥ and C, max |z|", max(pr["max_z"], pr["max_z_corr"]), 0.0,
                  Z_MAX, "abs", f"{Z_MAX:g} Monte Carlo standard errors of both residuals at every t",
                  f"(i) and (iv) at h = {ctx.sizes['precision_h']:g} with {ctx.sizes['precision_replicas']} replicas "
                  "(own seed): a relative error δ of the jump rate or of κ_h moves C(t) by ≈ δ E|κ_h| t e^{κ_h t}"),
            *[Check(f"h → 0 order of the derived law ({name})", lim["order"], 2.0, 0.0, "abs",
                    f"exact (sympy series of the derived {name} rate minus its h → 0 limit, which is checked to be "
                    "the Landau (master-equation) rate)", f"leading term {lim['leading_term']}")
              for name, lim in data["limit"].items()],
            Check("Richardson order (γ = −3)", cb["order"], 2.0, Z_MAX * cb["order_se"], "abs",
                  f"{Z_MAX:g} delta-method standard errors (per-replica differences, common random numbers)",
                  f"p = log₂(Δ₁/Δ₂) of T∥(t*) at h = {list(H_COULOMB)}, N = {N_COULOMB}"),
            Check("Richardson Δ₂ resolved", d2_z, Z_MAX, 0.0, "ge",
                  f"|Δ₂| ≥ {Z_MAX:g} standard errors, else the order is not resolvable at these sizes",
                  "|Δ₂| / se(Δ₂)"),
        ]

    def figure(self, ctx: Context, data: dict) -> Any:
        mx, cb = data["maxwell"], data["coulomb"]
        fig, ax = figure(1, 2)
        energy = parse_init(INIT).energy
        tt = np.linspace(0, T_MAXWELL, 60)
        for r in mx["rows"]:
            line = ax[0, 0].plot(r["times"], r["tpar_mean"], "o", ms=3, label=f"MC h={r['h']:g}")[0]
            ah, bh = finite_h_rates(r["h"])
            ax[0, 0].plot(tt, [second_moment_diagonal(ah, bh, energy, r["tpar_mean"][0], t) for t in tt], "-",
                          color=line.get_color(), lw=0.7)
        ax[0, 0].set_xlabel("t")
        ax[0, 0].set_ylabel(f"T∥ (γ = 0, N = {N_MAXWELL}); lines: derived finite-h law")
        ax[0, 0].legend(fontsize=6)
        hs = np.array([r["h"] for r in mx["rows"]])
        ax[0, 1].errorbar(hs, mx["deviation"], Z_MAX * mx["deviation_se"], fmt="o",
                          label=f"γ=0: T∥,h − T∥,0 at t={mx['t_star']:.3g}; p={mx['order']:.2f}±{mx['order_se']:.2f}")
        ax[0, 1].plot(hs, mx["exact_deviation"], "k--", lw=0.7, label="derived finite-h law")
        ax[0, 1].plot(np.array(cb["h"][:2]), np.abs(np.diff(cb["q"])), "s-",
                      label=f"γ=−3: |Q(h) − Q(h/2)|; p={cb['order']:.2f}±{cb['order_se']:.2f}")
        label(ax[0, 1], "h", "T∥ differences at t*", log=True, legend=6)
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        mx, cb = data["maxwell"], data["coulomb"]
        return {"derived_law_leading_terms": {k: v["leading_term"] for k, v in data["limit"].items()},
                "coulomb_richardson_orders": {k: {"order": c["order"], "order_se": c["order_se"], "delta2": c["delta2"],
                                                  "delta2_se": c["delta2_se"], "q": c["q"]}
                                              for k, c in data["coulomb_observables"].items()},
                "maxwell_two_time_correlation_max_z": mx["max_z_corr"],
                "precision_run": {"h": ctx.sizes["precision_h"], "replicas": ctx.sizes["precision_replicas"],
                                  "z_tpar": data["precision"]["z"], "z_corr": data["precision"]["z_corr"]},
                "richardson_order_gamma0_law": data["richardson_order_gamma0_law"],
                "maxwell_order_se": mx["order_se"], "coulomb_richardson_order_se": cb["order_se"],
                "maxwell_deviation": mx["deviation"].tolist(), "maxwell_deviation_se": mx["deviation_se"].tolist(),
                "coulomb_delta2": cb["delta2"], "coulomb_delta2_se": cb["delta2_se"],
                "coulomb_q": cb["q"], "coulomb_q_se": cb["q_se"], "n_maxwell": N_MAXWELL, "n_coulomb": N_COULOMB,
                "t_end_maxwell": T_MAXWELL, "t_end_coulomb": T_COULOMB, "init": INIT, "engine": "exact"}

    def seeds(self, ctx: Context) -> list[int]:
        return [ctx.seed, ctx.seed + 1, ctx.seed + 2]
