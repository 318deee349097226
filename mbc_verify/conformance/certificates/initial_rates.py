"""Bi-Maxwellian initial rates dT∥/dt at t = 0 for γ ∈ {1, 0, −1, −2, −3}, with the fitted Δt order.

At f = N(0, diag(T⊥, T⊥, T∥)) the Landau equation gives dT∥/dt at t = 0 as a 30-digit mpmath number
(docs/spec.md §4.3, eq. (44); keys :func:`mbc_verify.derived.bimaxwellian_rate_key`). One step of the operator from
bi-Maxwellian data estimates it: per system, Ṙ(Δt) = (T∥(Δt) − T∥(0))/Δt, T∥ = (1/N) Σ v_z², whose mean tends to
the master equation's initial rate as Δt → 0 (at N = 32768 its finite-N difference from the Landau rate is O(1/N):
the pair differences of the normalised sample, eq. (69), are those of i.i.d. draws up to the common energy scale
1 + O(1/N), so ≲ 10⁻⁴ relative, below 1 % of the standard errors; not added to the tolerance). The time steps are
Δt = s t_rel(γ) for the profile's s (:mod:`mbc_verify.conformance.scales`; each twice the previous), from the same
systems and seeds; the step at Δt is repeated Δt_max/Δt times with independent seeds and averaged per system, so
that every Δt has about the same standard error (the one-step noise is ∝ (N Δt)^{-1/2}) for a cost ∝ 1/Δt. Even
an operator exact in time has a one-step bias, ½ Δt d²T∥/dt² (and at γ = −3, where that derivative is infinite
— close pairs saturate — a bias ∝ Δt^{2/3}, the order of docs/spec.md eq. (56)); the Δt → 0 limit removes it
(:mod:`mbc_verify.conformance.convergence`), and the fitted order and constant of the one-step rate are reported.

Catches :class:`~mbc_verify.conformance.examples.MissingSpeedFactor` (wrong at every γ ≠ 0) and
:class:`~mbc_verify.conformance.examples.DoubledFrequency` (twice the rate at every γ).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import derived
from ...certificate import Check
from ...claims.common import worst
from ..base import OperatorCertificate, OperatorContext
from ..convergence import LadderResult, analyse_ladder, ladder_figure
from ..driver import Driver, ladder, tpar
from ..scales import relaxation_time

GAMMAS = (1.0, 0.0, -1.0, -2.0, -3.0)
TEMPERATURES = ((2.0, 0.5), (1.5, 0.75), (0.5, 1.25))
"""(T∥, T⊥) with derived rates (energy 3 each)."""


def unit_key(gamma: float, tpar_: float, tperp: float) -> str:
    """``gamma=-3 Tpar=2 Tperp=0.5``."""
    return f"gamma={gamma:g} Tpar={tpar_:g} Tperp={tperp:g}"


def initial_rate_ladder(driver: Driver, gamma: float, tpar_: float, tperp: float, n: int, replicas: int, seed: int,
                        dt_rel: list[float]) -> dict[str, Any]:
    """The one-step initial-rate ladder of one bi-Maxwellian (module docstring): a :class:`LadderResult` dict."""
    reference = derived.number(derived.bimaxwellian_rate_key(gamma, tpar_, tperp))
    dts = [s * relaxation_time(gamma) for s in dt_rel]
    repeats = [round(max(dt_rel) / s) for s in dt_rel]
    runs = ladder(driver, f"bimaxwellian:{tpar_:g},{tperp:g}", n, replicas, seed, dts,
                  lambda dt: np.array([0.0, dt]), tpar, block=8, repeats=repeats)
    errors = np.stack([(r[:, 1, 0] - r[:, 0, 0]) / dt - reference for r, dt in zip(runs, dts, strict=True)], axis=1)
    return analyse_ladder(dts, errors, reference).to_dict()


def rate_check(name: str, res: LadderResult, gamma: float, tpar_: float, tperp: float, n: int) -> Check:
    """The limit check of one initial-rate ladder."""
    return res.limit_check(name, f"Δt → 0 limit of the one-step dT∥/dt at t = 0 from bimaxwellian:{tpar_:g},"
                                 f"{tperp:g}, γ = {gamma:g}, N = {n}, against eq. (44) (derived key); Δt ∈ "
                                 f"[{res.dts[0]:.3g}, {res.dts[-1]:.3g}]; order {res.order_text()}")


class InitialRates(OperatorCertificate):
    """Bi-Maxwellian initial rates (module docstring)."""

    claim_id = "initial-rates"
    statement = "bi-Maxwellian initial rates dT∥/dt (eq. (44)), γ ∈ {1, 0, −1, −2, −3}, as Δt → 0"
    gammas = GAMMAS
    any_gamma = False
    needs_time_step = True
    catches = ("missing_speed_factor", "doubled_frequency")
    sizes = {"quick": {"n": 32768, "replicas": 32, "dt_rel": [0.0075, 0.015, 0.03, 0.06], "temperatures": 1},
             "full": {"n": 32768, "replicas": 512, "dt_rel": [0.00375, 0.0075, 0.015, 0.03, 0.06],
                      "temperatures": 3}}
    primary = "initial rate, Δt → 0 limit (worst γ)"

    def cases(self, ctx: OperatorContext) -> list[tuple[float, float, float]]:
        """(γ, T∥, T⊥) of the units."""
        temps = TEMPERATURES[:ctx.sizes["temperatures"]]
        return [(g, tp, tq) for g in self.selected_gammas(ctx) for tp, tq in temps]

    def units(self, ctx: OperatorContext) -> dict[str, dict[str, Any]]:
        return {unit_key(*c): {"gamma": c[0], "tpar": c[1], "tperp": c[2]} for c in self.cases(ctx)}

    def compute(self, ctx: OperatorContext, driver: Driver, **params: Any) -> dict[str, Any]:
        s = ctx.sizes
        return initial_rate_ladder(driver, params["gamma"], params["tpar"], params["tperp"], s["n"], s["replicas"],
                                   ctx.seed, s["dt_rel"])

    def checks(self, ctx: OperatorContext, data: dict) -> list[Check]:
        per = [rate_check(f"initial rate, Δt → 0 limit, γ = {c[0]:g}, T∥ = {c[1]:g}",
                          LadderResult.from_dict(data[unit_key(*c)]), *c, ctx.sizes["n"]) for c in self.cases(ctx)]
        return [worst(per, self.primary), *per]

    def hint(self, check: Check) -> str:
        return (f"the operator's initial relaxation rate tends to {check.measured:.4g} instead of the Landau value "
                f"{check.expected:.4g} (ratio {check.measured / check.expected:.3g}): a collision frequency off by a "
                "constant factor gives the same ratio at every γ; a ratio that varies with γ points to the speed "
                "dependence |u|^γ of the deflection")

    def orders(self, ctx: OperatorContext, data: dict) -> list[dict[str, Any]]:
        rows = []
        for c in self.cases(ctx):
            d = data[unit_key(*c)]
            label = f"γ={c[0]:g}" + (f" T∥={c[1]:g}" if ctx.sizes["temperatures"] > 1 else "")
            rows.append({"gamma": c[0], "label": label, "quantity": f"one-step dT∥/dt, bimaxwellian:{c[1]:g},{c[2]:g}",
                         "order": d["order"], "order_ci": d["order_ci"], "constant": d["constant"],
                         "limit": d["limit"], "limit_stderr": d["limit_stderr"],
                         "limit_holds": d.get("limit_holds", True)})
        return rows

    def figure(self, ctx: OperatorContext, data: dict) -> Any:
        series = [(f"γ = {c[0]:g}, T∥ = {c[1]:g}", LadderResult.from_dict(data[unit_key(*c)]))
                  for c in self.cases(ctx)]
        return ladder_figure(series, "|one-step dT∥/dt − eq. (44)| (±5σ)")
