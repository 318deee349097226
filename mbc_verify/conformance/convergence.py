"""Δt-convergence of an operator: the Δt → 0 limit of its error and the fitted order, from common-random-number runs.

A certificate runs the operator at K time steps Δt_1 < … < Δt_K from the same initial velocities and seeds
(:func:`mbc_verify.conformance.driver.ladder`) and forms per-replica errors X[r, k] (the operator's observable
minus the exact value, or a per-replica paired difference with zero exact mean). With e = mean_r X and C the
sample covariance of the means (the K runs share their replicas, so their errors are correlated),
:func:`analyse_ladder` gives

- the **Δt → 0 limit** of the error, e₀, with its standard error: when the constant model e_k = e₀ fits (its
  generalised χ² is below the 5σ quantile of χ²_{K−1}: no Δt dependence resolved), e₀ is the error at the finest
  Δt (not the mean over the Δt: a trend below the χ² test's resolution would bias the mean by the coarse steps'
  error, while the finest step's is the smallest); otherwise
  the GLS fit e_k = e₀ + c Δt_k^p with p free (:func:`mbc_verify.stats.fit_offset_power`, K ≥ 4), so that the
  uncertainty of the order enters that of the limit (with fewer than four Δt, the error at the finest Δt itself: a
  conservative comparison that includes its bias). A consistent operator has e₀ = 0: the certified check is
  |e₀| ≤ 5 sqrt(se(e₀)² + ε_ref²), ε_ref the reference's own error;
- the **order** p and error constant C of e ≈ C Δt^p — the model with the certified limit e₀ = 0 — by GLS in
  linear space over every Δt (:func:`mbc_verify.stats.fit_power_gls`: resolved or not, each point counts with
  its covariance), reported with its 99 % interval (normal quantile, known errors) when a Δt dependence is
  resolved and the limit is certified ("not resolved" when the constant model fits or the fit cannot determine p —
  p at the edge of the range fitted, 0.1–4; none when the limit fails: the model e₀ = 0 is then rejected). It is
  reported, not certified: its interval says how fast the operator converges.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import stats as sps

from ..certificate import Check
from ..claims.common import figure, label
from ..stats import fit_gls, fit_offset_power, fit_power_gls
from .base import Z_MAX

ORDERS = (0.1, 4.0)
"""The range of orders fitted; an order at its edge is not determined."""
P_5SIGMA = 2.0 * sps.norm.sf(5.0)
LEVEL = 0.99


@dataclass(frozen=True)
class LadderResult:
    """The analysis of one Δt ladder (module docstring); errors in the units of the observable."""

    dts: list[float]
    mean: list[float]
    stderr: list[float]
    reference: float
    reference_error: float
    limit_model: str
    limit: float
    limit_stderr: float
    order: float
    order_stderr: float
    order_ci: tuple[float, float]
    constant: float
    resolved: int
    chi2_constant: float
    limit_holds: bool = True

    def to_dict(self) -> dict:
        """Plain data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> LadderResult:
        """Inverse of :meth:`to_dict`."""
        return cls(**{**d, "order_ci": tuple(d["order_ci"])})

    @property
    def tolerance(self) -> float:
        """5 sqrt(se(e₀)² + ε_ref²)."""
        return Z_MAX * math.hypot(self.limit_stderr, self.reference_error)

    def limit_check(self, name: str, quantity: str) -> Check:
        """|e₀| ≤ 5 σ, shown as the extrapolated observable against the exact value."""
        model = {"constant": "the finest Δt (no Δt dependence resolved)", "offset power": "GLS fit e₀ + c Δt^p, p free",
                 "finest dt": "the finest Δt (fewer than 4 Δt: no extrapolation)"}[self.limit_model]
        return Check(name, self.reference + self.limit, self.reference, self.tolerance, "abs",
                     f"{Z_MAX:g} standard errors of the Δt → 0 limit ({model}; covariance of the common-random-"
                     "number runs), with the reference's error in quadrature", quantity)

    def order_text(self) -> str:
        """``0.98 [0.91, 1.05], C = 0.95``, ``not resolved`` or ``none (the limit fails)``."""
        if not self.limit_holds:
            return "none (the Δt → 0 limit fails)"
        if not math.isfinite(self.order):
            return "not resolved"
        lo, hi = self.order_ci
        return f"{self.order:.2f} [{lo:.2f}, {hi:.2f}], C = {self.constant:.3g}"


def _order(dts: np.ndarray, mean: np.ndarray, cov: np.ndarray) -> tuple[float, float, tuple[float, float], float]:
    """(p, se, 99 % interval, C) of e ≈ C Δt^p (NaN when p is not determined)."""
    fit = fit_power_gls(dts, mean, cov, ORDERS)
    interior = ORDERS[0] + 1e-3 < fit.order < ORDERS[1] - 1e-3
    if not (interior and math.isfinite(fit.order_stderr) and fit.order_stderr > 0):
        return math.nan, math.nan, (math.nan, math.nan), math.nan
    q = float(sps.norm.ppf(0.5 + LEVEL / 2))
    return fit.order, fit.order_stderr, (fit.order - q * fit.order_stderr, fit.order + q * fit.order_stderr), \
        fit.coefficient


def analyse_ladder(dts: list[float], samples: np.ndarray, reference: float,
                   reference_error: float = 0.0) -> LadderResult:
    """The Δt → 0 limit and order of the per-replica errors ``samples`` (R × K, column k at ``dts[k]``)."""
    x = np.asarray(dts, dtype=float)
    s = np.asarray(samples, dtype=float)
    if s.ndim != 2 or s.shape[1] != x.size or s.shape[0] < 2 * x.size:
        raise ValueError(f"samples: must have shape (R, {x.size}) with R >= {2 * x.size}, got {s.shape}")
    mean = s.mean(axis=0)
    cov = np.atleast_2d(np.cov(s, rowvar=False)) / s.shape[0]
    const = fit_gls(np.ones((x.size, 1)), mean, cov)
    if x.size == 1 or const.chi2 <= sps.chi2.isf(P_5SIGMA, x.size - 1):
        model, limit, limit_se = "constant", float(mean[0]), float(math.sqrt(cov[0, 0]))
    elif x.size < 4:
        model, limit, limit_se = "finest dt", float(mean[0]), float(math.sqrt(cov[0, 0]))
    else:
        off = fit_offset_power(x, mean, cov)
        model, limit, limit_se = "offset power", off.offset, off.offset_stderr
    resolved = int(np.sum(np.abs(mean) >= Z_MAX * np.sqrt(np.diag(cov))))
    limit_holds = abs(limit) <= Z_MAX * math.hypot(limit_se, reference_error)
    if model == "constant" or x.size < 3 or not limit_holds:
        order, order_se, ci, constant = math.nan, math.nan, (math.nan, math.nan), math.nan
    else:
        order, order_se, ci, constant = _order(x, mean, cov)
    return LadderResult([float(d) for d in x], mean.tolist(), np.sqrt(np.diag(cov)).tolist(), float(reference),
                        float(reference_error), model, limit, limit_se, order, order_se,
                        (float(ci[0]), float(ci[1])), constant, resolved, float(const.chi2), bool(limit_holds))


def ladder_figure(series: list[tuple[str, LadderResult]], ylabel: str) -> Any:
    """|error| ± 5 se against Δt for each ladder (log-log), with the fitted power law where it is resolved."""
    fig, ax = figure(1, 1, width=8.0)
    a = ax[0, 0]
    for name, res in series:
        x, se = np.array(res.dts), np.array(res.stderr)
        a.errorbar(x, np.maximum(np.abs(res.mean), 1e-12), yerr=Z_MAX * se, fmt="o", ms=4, capsize=2,
                   label=f"{name}: order {res.order_text()}")
        if math.isfinite(res.order):
            a.plot(x, abs(res.constant) * x**res.order, "k--", lw=0.7)
    label(a, "Δt", ylabel, log=True, legend=6)
    return fig
