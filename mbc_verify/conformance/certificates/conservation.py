"""Conservation per step: momentum and energy change only by round-off, and their drift is a random walk.

R systems of N particles (``maxwellian`` data) are advanced S steps of Δt = 0.2 t_rel(γ); after every step the
total energy E = Σ|v_i|² and momentum P = Σ v_i of each system are measured with error-free transformations: E as
an unevaluated double-double by Dot2 (:func:`energy_dd`, relative error ~2⁻¹⁰⁰), P by compensated summation
(:func:`mbc_verify.exact_sums.exact_momentum`; at zero total momentum its error is ~ε² Σ|v_i|). Changes are
therefore measured to a small fraction of an ulp (drifts are reported in ulps of E and of √E).

1. **Per-step bound.** A pair update of the matched-pair kind (each particle in one collision per step) changes
   the pair's energy by at most 96 ε of the pair energy (the round-off bound of claim C1 for a rotation about the
   centre of mass with fewer than ~10 roundings per component, ε = 2⁻⁵³); summed over the disjoint pairs of a step,
   |ΔE| ≤ 96 ε Σ|v_i|², and likewise |ΔP_k| ≤ 96 ε Σ_i |v_i|. Certified: the largest per-step change over all
   steps and systems, in those units, is ≤ 96.
2. **Random walk.** Unbiased round-off makes the drift a random walk: its increments over disjoint intervals are
   independent with variance ∝ the interval's length, while a systematic error per step gives increments ∝ the
   length. With checkpoints s_0 < s_1 < … (log-spaced), the mean square increment m_k = mean_r (E(s_k) −
   E(s_{k−1}))² over the systems is fitted as m_k ∝ (s_k − s_{k−1})^{2p}; a random walk has p = ½ (a drift p =
   1). Each m_k is the mean of R independent squares of a (central-limit) Gaussian, so log m_k has the known
   standard deviation sqrt(2/R), and disjoint increments are independent: the weighted fit's error is exact.
   Certified: p ≤ ½ + 5 standard errors (one-sided: slower growth, round-off that reverts, is not a defect),
   fitted over the intervals whose RMS increment is ≥ 0.01 ulp (a floor far above the measurement error,
   excluding intervals without collisions); for the momentum the three components are pooled (3R increments).
   When fewer than three intervals reach the floor, the check becomes "RMS drift after S steps ≤ 0.01 ulp".

Catches :class:`~mbc_verify.conformance.examples.ReusedPartners` (a particle's collisions overwritten: O(1)
changes) and :class:`~mbc_verify.conformance.examples.FirstOrderEnergy` (energy grows by O(τ²) per collision:
far above the bound, increments ∝ length).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit, prange

from ...certificate import Check
from ...claims.common import figure, label, worst
from ...exact_sums import exact_momentum, two_prod, two_sum
from ...stats import fit_power_law
from ..base import Z_MAX, OperatorCertificate, OperatorContext, gamma_key
from ..driver import Driver, blocks
from ..scales import relaxation_time

STEP_BOUND = 96.0
FLOOR_ULPS = 0.01
DT_REL = 0.2
EPS = 2.0**-53


@njit(cache=True)
def energy_dd(v: np.ndarray) -> tuple:
    """Σ|v_i|² as an unevaluated double-double (hi, lo) by Dot2 (Ogita, Rump, Oishi, SIAM J. Sci. Comput. 26
    (2005) 1955): hi + lo equals the exact sum to a relative ~2⁻¹⁰⁰, so that energy changes far below an ulp of
    the total are measured."""
    s = 0.0
    c = 0.0
    for i in range(v.shape[0]):
        for k in range(3):
            p, e = two_prod(v[i, k], v[i, k])
            s, q = two_sum(s, p)
            c += q + e
    return two_sum(s, c)


@njit(cache=True, parallel=True)
def invariants(v: np.ndarray) -> np.ndarray:
    """Per system (R × 6): the energy Σ|v_i|² as (hi, lo) (:func:`energy_dd`), the momentum Σv_i by compensated
    summation (accurate to ε² Σ|v_i| at zero total momentum) and Σ|v_i|."""
    out = np.empty((v.shape[0], 6))
    for r in prange(v.shape[0]):
        out[r, 0], out[r, 1] = energy_dd(v[r])
        out[r, 2:5] = exact_momentum(v[r])
        s = 0.0
        for i in range(v.shape[1]):
            s += math.sqrt(v[r, i, 0] ** 2 + v[r, i, 1] ** 2 + v[r, i, 2] ** 2)
        out[r, 5] = s
    return out


def energy_change(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """b − a for double-double energies (columns 0, 1): hi − hi is exact (Sterbenz: within a factor 2)."""
    return (b[..., 0] - a[..., 0]) + (b[..., 1] - a[..., 1])


def checkpoints(steps: int, count: int) -> np.ndarray:
    """0 and ``count`` log-spaced step counts from 1 to ``steps`` (unique)."""
    return np.unique(np.concatenate([[0], np.geomspace(1, steps, count).astype(np.int64)]))


def walk_fit(drift: np.ndarray, cps: np.ndarray, unit: np.ndarray) -> dict[str, Any]:
    """The random-walk fit of drifts (M × K at checkpoints ``cps``) in units ``unit`` (M) (module docstring)."""
    inc = np.diff(drift, axis=1) / unit[:, None]
    with np.errstate(over="ignore", invalid="ignore"):
        msq = np.mean(inc * inc, axis=0)
        rms_end = float(np.sqrt(np.mean((drift[:, -1] / unit) ** 2)))
    lengths = np.diff(cps).astype(float)
    use = np.isfinite(msq) & (msq >= FLOOR_ULPS**2)
    out = {"lengths": lengths.tolist(), "rms_increment": np.sqrt(msq).tolist(), "rms_end": rms_end,
           "fitted": int(use.sum()), "exponent": math.nan, "exponent_stderr": math.nan, "intercept": math.nan}
    if use.sum() >= 3 and np.all(np.isfinite(msq)):
        fit = fit_power_law(lengths[use], msq[use], np.full(int(use.sum()), math.sqrt(2.0 / drift.shape[0])))
        out.update(exponent=fit.slope / 2, exponent_stderr=fit.slope_stderr / 2, intercept=fit.intercept)
    return out


def run(driver: Driver, n: int, replicas: int, steps: int, count: int, seed: int, dt: float) -> dict[str, Any]:
    """Per-step changes and drifts of R systems (module docstring)."""
    cps = checkpoints(steps, count)
    seeds, v = next(blocks("maxwellian", n, replicas, seed, replicas))
    first = invariants(v)
    prev = first
    worst_e = worst_p = 0.0
    at = [first]
    for s in range(steps):
        driver.advance(v, seeds, s * dt, (s + 1) * dt, dt, s)
        cur = invariants(v)
        with np.errstate(invalid="ignore"):
            worst_e = max(worst_e, float(np.max(np.abs(energy_change(prev, cur)) / (EPS * prev[:, 0]))))
            worst_p = max(worst_p, float(np.max(np.abs(cur[:, 2:5] - prev[:, 2:5]) / (EPS * prev[:, 5:6]))))
        prev = cur
        if s + 1 in cps:
            at.append(cur)
    inv = np.stack(at, axis=1)  # R × K × 6
    energy = energy_change(inv[:, :1], inv)
    momentum = (inv[:, :, 2:5] - inv[:, :1, 2:5]).transpose(0, 2, 1).reshape(-1, cps.size)
    e_ulp = np.spacing(first[:, 0])
    p_ulp = np.repeat(np.spacing(np.sqrt(first[:, 0])), 3)
    return {"checkpoints": cps.tolist(), "dt": dt, "max_step_energy": worst_e, "max_step_momentum": worst_p,
            "energy": walk_fit(energy, cps, e_ulp), "momentum": walk_fit(momentum, cps, p_ulp)}


def _walk_check(name: str, walk: dict, what: str, case: str) -> Check:
    if math.isfinite(walk["exponent"]):
        return Check(name, walk["exponent"], 0.5, Z_MAX * walk["exponent_stderr"], "le",
                     f"{Z_MAX:g} standard errors of the weighted fit of the mean square increment over disjoint "
                     "intervals (independent; log sd sqrt(2/R) from the chi-square law); one-sided: a drift that "
                     "grows more slowly than a random walk (round-off that reverts, e.g. a pair colliding again and "
                     "again) conserves better, not worse",
                     f"exponent p of the RMS {what} drift ∝ steps^p (random walk: ½, systematic drift: 1); {case}")
    return Check(name, walk["rms_end"], 0.0, FLOOR_ULPS, "le",
                 f"fewer than three intervals above the {FLOOR_ULPS:g}-ulp measurement floor: the drift must stay "
                 "below it", f"RMS {what} drift after the last step, ulps; {case}")


class Conservation(OperatorCertificate):
    """Conservation per step (module docstring)."""

    claim_id = "conservation"
    statement = "momentum and energy conserved per step to round-off; the drift is a random walk"
    gammas = (0.0, -3.0)
    catches = ("reused_partners", "first_order_energy")
    sizes = {"quick": {"n": 32, "replicas": 12, "steps": 10_000, "checkpoints": 14},
             "full": {"n": 64, "replicas": 32, "steps": 100_000, "checkpoints": 18}}
    primary = "energy drift exponent"

    def compute(self, ctx: OperatorContext, driver: Driver, **params: Any) -> dict[str, Any]:
        s, g = ctx.sizes, params["gamma"]
        return {"gamma": g, **run(driver, s["n"], s["replicas"], s["steps"], s["checkpoints"], ctx.seed,
                                  DT_REL * relaxation_time(g))}

    def checks(self, ctx: OperatorContext, data: dict) -> list[Check]:
        rows = [data[gamma_key(g)] for g in self.selected_gammas(ctx)]
        per = []
        for r in rows:
            case = f"γ = {r['gamma']:g}, N = {ctx.sizes['n']}, Δt = {r['dt']:.4g}"
            per.append([
                _walk_check("energy drift exponent", r["energy"], "energy", case),
                Check("max per-step energy change", r["max_step_energy"], 0.0, STEP_BOUND, "le",
                      f"round-off bound {STEP_BOUND:g} ε Σ|v_i|² of a step of disjoint pair updates (module "
                      "docstring)", f"max over steps and systems of |ΔE| / (ε Σ|v_i|²), ε = 2^-53; {case}"),
                _walk_check("momentum drift exponent", r["momentum"], "momentum", case),
                Check("max per-step momentum change", r["max_step_momentum"], 0.0, STEP_BOUND, "le",
                      f"round-off bound {STEP_BOUND:g} ε Σ|v_i| of a step of disjoint pair updates",
                      f"max over steps, systems and components of |ΔP_k| / (ε Σ|v_i|); {case}"),
            ])
        return [worst([p[k] for p in per], per[0][k].name) for k in range(4)]

    def hint(self, check: Check) -> str:
        if check.name.startswith("max per-step energy"):
            return (f"a step changes the energy by {check.measured:.3g} ε relative, {check.measured / STEP_BOUND:.3g}× "
                    "the round-off bound: the pair update does not conserve energy (a rotation that changes |u|, a "
                    "truncated expansion, or a particle updated twice in one step)")
        if check.name.startswith("max per-step momentum"):
            return ("a step changes the momentum beyond round-off: the centre of mass of a pair is not kept (or a "
                    "particle is updated twice in one step, the last write winning)")
        return ("the drift is not an unbiased random walk of round-off (RMS ∝ steps^½): a systematic error per "
                "step accumulates (exponent → 1), or the steps' changes are not round-off at all")

    def figure(self, ctx: OperatorContext, data: dict) -> Any:
        fig, ax = figure(1, 2)
        for g in self.selected_gammas(ctx):
            r = data[gamma_key(g)]
            for a, what in zip(ax[0], ("energy", "momentum"), strict=True):
                w = r[what]
                a.loglog(w["lengths"], np.maximum(w["rms_increment"], 1e-3), "o-", ms=3, label=f"γ = {g:g}")
        for a, what in zip(ax[0], ("energy", "momentum"), strict=True):
            a.axhline(FLOOR_ULPS, color="k", ls=":", lw=0.8, label="measurement floor")
            label(a, "interval length (steps)", f"RMS {what} increment (ulps)", log=True)
        return fig

    def summary(self, ctx: OperatorContext, data: dict) -> dict[str, Any]:
        return {"per_gamma": {k: {"max_step_energy": v["max_step_energy"], "max_step_momentum": v["max_step_momentum"],
                                  "energy_exponent": v["energy"]["exponent"],
                                  "momentum_exponent": v["momentum"]["exponent"]} for k, v in data.items()}}
