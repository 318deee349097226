"""C3: the MBC generator converges to the Landau master generator with an O(h²) error (docs/spec.md §2, §3, §6).

Two pieces of evidence, both required for a pass.

**(a) Deterministic generator on test functions.** For one pair with relative velocity u (|u| = r fixed, docs/spec.md
§3)
the MBC generator acts on a function of the direction as

    G_h φ(û) = λ_h(r) ( E_n[ φ(u'/r) ] − φ(û) ),   u' = cos h · u + sin h · r n,   n uniform on the circle ⊥ u,

and the Landau master generator of the pair (docs/spec.md §2: A = |u|^γ Δ_S) as r^γ Δ_S φ. For the zonal harmonics
φ(û) = P_ℓ(û·ê), ℓ = 1, 2, 3, Δ_S φ = −ℓ(ℓ+1) φ. We evaluate G_h φ with the library's REAL rotation
(:func:`mbc_verify.mbc.probes.zonal_generator`: the kernel's rotation and rate, mutant passed), the
azimuth average by the M-point trapezoid rule in the azimuth φ, φ_m = 2πm/M. The trapezoid rule is exact for
trigonometric polynomials of degree < M in φ; φ(u') is a polynomial of degree ℓ in (cos φ, sin φ), so with
M = 16 > ℓ the average is exact up to round-off. The relative error

    e_ℓ(h) = G_h φ / (r^γ Δ_S φ) − 1 = (4/h²)(1 − P_ℓ(cos h)) / (ℓ(ℓ+1)) − 1 = c_ℓ h² + O(h⁴)

(Funk–Hecke; c_ℓ = derived key ``mbc.c_ell``). Certified: (i) the least-squares slope p of log|e_ℓ| against
log h over h ∈ {0.4, 0.2, 0.1, 0.05, 0.025} is 2 within the 99 % confidence interval of the fit (OLS, Student t;
the only source of scatter about a line is the O(h⁴) term, which the fit's residuals measure), at |u| = 1.7 ≠ 1
and γ ∈ {0, −3}; (ii) the h² coefficient, the intercept of the linear fit of e_ℓ(h)/h² against h² over the three
smallest h, equals c_ℓ within the Richardson error estimate (|intercept of the line − smallest-h value|, the size
of the neglected O(h²) correction), floored at the round-off level 100 ε/h_min⁴ (the difference φ(u') − φ(û) = O(h²)
carries an absolute round-off of a few ε, i.e. a relative error ~ε/h² of G_h φ, and e_ℓ/h² divides once more by h²).

**(b) Monte Carlo, the exact N = 2 law (docs/spec.md §3).** For N = 2, zero momentum and energy (1/N)Σ|v|² = 3
(docs/spec.md §8)
give v_1 = −v_0, |v_0|² = 3, so |u| = 2√3 for every replica and

    E[P_ℓ(û_0·û_t)] = exp(−λ_h(2√3) t (1 − P_ℓ(cos h))).

Both engines (exact, and fast, which is exact for N = 2 at any Δt: we use Δt = τ/8), γ ∈ {0, −3},
h ∈ {0.1, 0.3}, ℓ = 1, 2, 3, at three times spanning the decay of ℓ = 1 (t = τ/4, τ/2, τ with τ = 1/(2 r^γ)),
compared within 5 Monte Carlo standard errors (sample standard deviation over replicas / √R) at every point.

**(c) The fast engine's one-step law at γ = −3** (:mod:`mbc_verify.mbc.step_law`). For the matched-pair engine the
conditional mean of T∥ after one step is an exact pair sum over the state before it, at any γ:
E[T∥' | V] = T∥ − (1/(2N(N − 1))) Σ_{i<j} (1 − g₂(r_ij))(u_z² − |u|²/3)_ij, g₂(r) = exp(2(N − 1)β_h τ r^γ/N), with
β_h the derived γ = 0 traceless rate and r^γ the rate law (nothing read from the engine). Along runs of N = 64
from ``bimaxwellian:2,0.5`` (h = 0.3, steps of τ = 0.2 recorded one by one), the differences
D_k = T∥(t_{k+1}) − E[T∥(t_{k+1}) | V(t_k)] are martingale increments: each step's replica mean and that of their
sum over the steps are 0 within 5 standard errors. Unlike (b), whose N = 2 pairs all have |u| = 2√3, the pairs
here spread over the speeds, so an error of the exponent of |u|^γ moves the pair means unevenly and is resolved
(1 % at |z| ≈ 8 in the quick profile, measured).

Mutants that must fail it: ``rate_doubled`` (e_ℓ → 1, order 0; the N = 2 decay twice as fast) and
``rate_without_gamma`` (at γ = −3, r ≠ 1: e_ℓ → r^3 − 1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import derived
from ..certificate import Check
from ..legendre import legendre
from ..mbc.ensemble import ensemble_states, run_ensemble
from ..mbc.moment_equations import second_moment_rates
from ..mbc.probes import n2_legendre_decay, zonal_generator
from ..mbc.step_law import tpar_increments
from ..stats import fit_line, fit_power_law, max_abs_z, mean_stderr
from .base import Claim, Context
from .common import figure
from .registry import register

ELLS = (1, 2, 3)
GAMMAS = (0.0, -3.0)
H_DET = (0.4, 0.2, 0.1, 0.05, 0.025)
H_MC = (0.1, 0.3)
ENGINES = ("exact", "fast")
R_DET = 1.7  # |u| ≠ 1 so that a rate without |u|^γ is visible
AZIMUTH_NODES = 16  # trapezoid rule exact for trigonometric degree < 16 > ℓ
Z_MAX = 5.0
LEVEL = 0.99
R_N2 = 2.0 * math.sqrt(3.0)  # |u| for N = 2 at energy (1/N)Σ|v|² = 3 and zero momentum (module docstring)


def relative_errors(u: np.ndarray, e: np.ndarray, ell: int, gamma: float, hs: tuple[float, ...],
                    mutant: str | None) -> np.ndarray:
    """e_ℓ(h) = G_h φ / (|u|^γ Δ_S φ) − 1 for each h (module docstring)."""
    r = float(np.linalg.norm(u))
    landau = -(r**gamma) * ell * (ell + 1) * legendre(ell, float(u @ e) / r)
    return np.array([zonal_generator(u, e, ell, gamma, h, mutant, AZIMUTH_NODES) / landau - 1.0 for h in hs])


def _configuration(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A direction û (|u| = R_DET) and an axis ê with |P_ℓ(û·ê)| ≥ 0.2 for ℓ = 1, 2, 3 (well-conditioned ratio)."""
    rng = np.random.default_rng([seed, 3])
    while True:
        u = rng.standard_normal(3)
        e = rng.standard_normal(3)
        u *= R_DET / np.linalg.norm(u)
        e /= np.linalg.norm(e)
        x = float(u @ e) / R_DET
        if min(abs(legendre(ell, x)) for ell in ELLS) >= 0.2:
            return u, e


def deterministic_part(seed: int, mutant: str | None) -> dict:
    """Sub-checks (a)(i) and (a)(ii) for every (γ, ℓ): fitted orders and h² coefficients."""
    u, e = _configuration(seed)
    hs = np.array(H_DET)
    rows = []
    for gamma in GAMMAS:
        for ell in ELLS:
            err = relative_errors(u, e, ell, gamma, H_DET, mutant)
            fit = fit_power_law(hs, np.abs(err))
            # h² coefficient: line e/h² = c + d h² through the three smallest h (Richardson)
            small = slice(len(hs) - 3, None)
            c_meas = fit_line(hs[small] ** 2, err[small] / hs[small] ** 2).intercept
            rows.append({
                "gamma": gamma, "ell": ell, "rel_error": err, "order": fit.slope, "order_stderr": fit.slope_stderr,
                "order_interval": fit.interval(LEVEL), "c_measured": c_meas,
                "c_expected": float(derived.function("mbc.c_ell", "ell")(ell)),
                "c_tolerance": max(abs(c_meas - err[-1] / hs[-1] ** 2), 100 * 2.0**-52 / hs[-1] ** 4),
            })
    return {"u": u, "e": e, "h": hs, "rows": rows}


def n2_law(engine: str, gamma: float, h: float, replicas: int, seed: int, mutant: str | None) -> dict:
    """Sub-check (b) for one (engine, γ, h): E[P_ℓ(û₀·û_t)] at t = τ/4, τ/2, τ against the exact N = 2 law."""
    tau = 1.0 / (2.0 * R_N2**gamma)
    # the fast engine is exact for N = 2 at any Δt (|u| constant: Poisson(λ_h t) jumps), so Δt = τ/8
    dt = tau / 8 if engine == "fast" else None
    res = run_ensemble(gamma, h, 2, tau, replicas=replicas, init="maxwellian", engine=engine, dt=dt,
                       snapshots=5, seed=seed, mutant=mutant, observables=("legendre",))
    idx = [1, 2, 4]  # τ/4, τ/2, τ
    t = res["times"][idx]
    exp_ = np.array([[n2_legendre_decay(R_N2, ti, ell, gamma, h) for ell in ELLS] for ti in t])
    mean = res["legendre"][idx][:, : len(ELLS)]
    se = res["legendre_se"][idx][:, : len(ELLS)]
    return {"engine": engine, "gamma": gamma, "h": h, "times": t, "measured": mean, "stderr": se,
            "expected": exp_, "max_z": max_abs_z(mean, exp_, se)}


STEP_LAW = {"gamma": -3.0, "h": 0.3, "n": 64, "tau": 0.2, "steps": 5, "init": "bimaxwellian:2,0.5"}
"""Sub-check (c): one fast-engine run per replica, every step recorded."""


def step_law_part(replicas: int, seed: int, mutant: str | None) -> dict:
    """Sub-check (c): z of each step's martingale increment D_k and of their sum (module docstring)."""
    p = STEP_LAW
    n, tau, k_steps = p["n"], p["tau"], p["steps"]
    _, beta_h = second_moment_rates(p["h"], n)
    _, states = ensemble_states(p["gamma"], p["h"], n, k_steps * tau, replicas=replicas, init=p["init"],
                                engine="fast", snapshots=k_steps + 1, seed=seed, dt=tau, mutant=mutant)
    d = tpar_increments(states, beta_h, p["gamma"], tau)
    mean, se = mean_stderr(d, axis=0)
    total, total_se = mean_stderr(d.sum(axis=1))
    z = np.append(mean / se, total / total_se)
    return {**p, "replicas": replicas, "beta_h": beta_h, "mean": mean, "se": se, "sum": float(total),
            "sum_se": float(total_se), "z": z, "max_z": float(np.max(np.abs(z)))}


@register
class Generator(Claim):
    """C3 (module docstring)."""

    claim_id = "C3"
    uses = ("mbc",)
    catches = ("rate_doubled", "rate_without_gamma")
    sizes = {"quick": {"replicas": 3000, "step_replicas": 20000}, "full": {"replicas": 40000, "step_replicas": 200000}}
    primary = "generator order in h"
    formula_checks = ("generator order in h", "orders with 2 in their interval", "h² coefficient vs mbc.c_ell (worst)")

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {"deterministic": {}}
        k = 0
        for engine in ENGINES:
            for gamma in GAMMAS:
                for h in H_MC:
                    k += 1
                    out[f"n2 {engine} gamma={gamma:g} h={h:g}"] = {"engine": engine, "gamma": gamma, "h": h,
                                                                  "seed_offset": 1000 * k}
        out["step law"] = {"part": "step law"}
        return out

    def run_unit(self, ctx: Context, **params: Any) -> dict:
        if not params:
            return deterministic_part(ctx.seed, ctx.mutant)
        if params.get("part") == "step law":
            return step_law_part(ctx.sizes["step_replicas"], ctx.seed + 77, ctx.mutant)
        return n2_law(params["engine"], params["gamma"], params["h"], ctx.sizes["replicas"],
                      ctx.seed + params["seed_offset"], ctx.mutant)

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        runs = [v for k, v in results.items() if k not in ("deterministic", "step law")]
        return {"deterministic": results["deterministic"], "step_law": results["step law"],
                "monte_carlo": {"replicas": ctx.sizes["replicas"], "runs": runs,
                                "max_z": max(r["max_z"] for r in runs)}}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        rows = data["deterministic"]["rows"]
        worst = max(rows, key=lambda r: abs(r["order"] - 2.0) / max(r["order_stderr"], 1e-300))
        lo, hi = worst["order_interval"]
        orders_in = sum(r["order_interval"][0] <= 2.0 <= r["order_interval"][1] for r in rows)
        c_worst = max(rows, key=lambda r: abs(r["c_measured"] - r["c_expected"]) / r["c_tolerance"])
        return [
            Check(self.primary, worst["order"], 2.0, 0.5 * (hi - lo), "abs",
                  f"{LEVEL:.0%} confidence interval (Student t) of the OLS log-log slope over h = "
                  f"{', '.join(map(str, H_DET))} (worst of ℓ = 1, 2, 3 × γ = 0, −3)",
                  "fitted order p of |G_h φ/(r^γ Δ_S φ) − 1| ∝ h^p"),
            Check("orders with 2 in their interval", orders_in, len(rows), 0.0, "abs",
                  f"every (γ, ℓ) fit's {LEVEL:.0%} interval must contain 2"),
            Check("h² coefficient vs mbc.c_ell (worst)", c_worst["c_measured"], c_worst["c_expected"],
                  c_worst["c_tolerance"], "abs",
                  "Richardson error estimate of the intercept of e_ℓ/h² vs h², floored at 100 ε/h_min⁴ (round-off)",
                  f"γ = {c_worst['gamma']:g}, ℓ = {c_worst['ell']}"),
            Check("N = 2 law, max |z|", data["monte_carlo"]["max_z"], 0.0, Z_MAX, "abs",
                  f"{Z_MAX:g} Monte Carlo standard errors (sample sd over replicas / √R) at every "
                  "(engine, γ, h, ℓ, t)"),
            Check("fast engine's one-step law of T∥ (γ = −3), max |z|", data["step_law"]["max_z"], 0.0, Z_MAX, "abs",
                  f"{Z_MAX:g} Monte Carlo standard errors (sd over replicas / √R) of each step's martingale "
                  "increment and of their sum",
                  f"D_k = T∥(t_(k+1)) − E[T∥ | V(t_k)] (exact pair sum), N = {STEP_LAW['n']}, τ = {STEP_LAW['tau']:g}, "
                  f"{ctx.sizes['step_replicas']} replicas"),
        ]

    def figure(self, ctx: Context, data: dict) -> Any:
        det, mc = data["deterministic"], data["monte_carlo"]
        fig, ax = figure(1, 2)
        for r in det["rows"]:
            ax[0, 0].loglog(det["h"], np.abs(r["rel_error"]), "o-", ms=3,
                            label=f"γ={r['gamma']:g} ℓ={r['ell']}: p={r['order']:.3f}")
        ax[0, 0].loglog(det["h"], det["h"] ** 2 / 10, "k--", label="∝ h²")
        ax[0, 0].set_xlabel("h")
        ax[0, 0].set_ylabel("|G_h φ / (r^γ Δ_S φ) − 1|")
        ax[0, 0].legend(fontsize=6)
        for run in mc["runs"]:
            if run["engine"] != "exact":
                continue
            for j in range(len(ELLS)):
                x = run["times"] * (2.0 * R_N2 ** run["gamma"])
                ax[0, 1].errorbar(x, run["measured"][:, j], 5 * run["stderr"][:, j], fmt="o", ms=3)
                ax[0, 1].plot(x, run["expected"][:, j], "k-", lw=0.6)
        ax[0, 1].set_xlabel("t / τ   (τ = 1/(2 r^γ))")
        ax[0, 1].set_ylabel("E[P_ℓ(û₀·û_t)], N = 2 (exact engine; bars 5σ)")
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        rows = data["deterministic"]["rows"]
        return {
            "order_fits": [{k: r[k] for k in ("gamma", "ell", "order", "order_stderr", "order_interval")}
                           for r in rows],
            "h2_coefficients": [{k: r[k] for k in ("gamma", "ell", "c_measured", "c_expected", "c_tolerance")}
                                for r in rows],
            "n2_law_per_run_max_z": [{k: r[k] for k in ("engine", "gamma", "h", "max_z")}
                                     for r in data["monte_carlo"]["runs"]],
            "step_law": {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in data["step_law"].items()},
        }
