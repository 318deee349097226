"""Statistics of the accuracy-per-cost study: biases with their standard errors, the fitted Δt law, noise, Pareto
fronts and the cheapest method at each accuracy level.

**Bias.** For a method at step Δt_l (l = 1, …, L) and snapshot t_k, replica r gives e_lrk = T∥_lrk − T∥_ref(t_k)
(T∥_ref the axisymmetric Landau solution, docs/spec.md §1). The bias b_lk = mean_r e_lrk has the standard error
sd_r(e_lrk)/√R; since every Δt level uses the same replicas (common random numbers, Dimits et al. [Dim09], Cohen et
al. [Coh10] in docs/references.md), the L levels are correlated and their covariance Σ = cov_r(e_l·k)/R is estimated
from the replicas. A bias is *resolved* at the level 2 SE (|b| > 2 SE: distinguished from 0 at ≈ 95 %).

**Δt law.** b(Δt) = b₀ + C Δt^p at one time t*: generalised least squares min (b − m)ᵀ Σ⁻¹ (b − m) over (b₀, C, p)
(or (C, p) with b₀ = 0), parameter covariance (JᵀΣ⁻¹J)⁻¹ at the optimum (Gauss–Newton), 95 % intervals from normal
quantiles (Σ is estimated from R ≫ 1 replicas), χ² with L − #params degrees of freedom as the goodness of fit.
b₀ is the Δt → 0 plateau: the finite-N bias of the N-particle master equation, plus, for the fast MBC engine at
fixed h, the O(h²) difference of the MBC process from Landau (docs/spec.md eq. (28)).

**Noise and total error.** For one run of N particles at Δt, the noise is σ = RMS_r max_k |e_rk − b_k| (its
standard error by the delta method), σ ≈ s/√N by the central limit theorem, and the total error E = max_k |b_k| + σ:
the bias the run cannot average away plus the typical worst-time fluctuation at that N.

**Pareto front.** Among points (wall seconds, E), those no other point beats in both (cheaper or equal and at least
as accurate, one strictly).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize
from scipy import stats as sps

P_BOUNDS = (0.05, 4.0)
"""Admissible range of the fitted order p."""


def bias_stats(err: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(bias, standard error) over replicas (axis 1) of errors e (L × R × K): mean and sd/√R (ddof = 1)."""
    r = err.shape[1]
    if r < 2:
        raise ValueError(f"err: need at least 2 replicas, got {r}")
    return err.mean(axis=1), err.std(axis=1, ddof=1) / math.sqrt(r)


def level_covariance(err_t: np.ndarray) -> np.ndarray:
    """Covariance (L × L) of the L level means from the per-replica errors at one time (L × R): cov_r / R."""
    return np.atleast_2d(np.cov(err_t, ddof=1)) / err_t.shape[1]


@dataclass(frozen=True)
class BiasFit:
    """b(Δt) ≈ plateau + constant · Δt^order (module docstring), with standard errors and the fit's χ²."""

    order: float
    order_se: float
    constant: float
    constant_se: float
    plateau: float
    plateau_se: float
    chi2: float
    dof: int

    def predict(self, dt: object) -> np.ndarray:
        """The fitted bias at the steps ``dt``."""
        return self.plateau + self.constant * np.asarray(dt, dtype=float) ** self.order

    def interval(self, name: str, level: float = 0.95) -> tuple[float, float]:
        """Two-sided normal interval of parameter ``name`` (order, constant or plateau)."""
        q = float(sps.norm.ppf(0.5 + level / 2))
        value, se = getattr(self, name), getattr(self, name + "_se")
        return value - q * se, value + q * se

    def as_dict(self) -> dict[str, Any]:
        """JSON form, with the 95 % intervals and the χ² p-value."""
        out: dict[str, Any] = {k: getattr(self, k) for k in ("order", "order_se", "constant", "constant_se",
                                                              "plateau", "plateau_se", "chi2", "dof")}
        for name in ("order", "constant", "plateau"):
            out[name + "_ci95"] = list(self.interval(name))
        out["chi2_pvalue"] = float(sps.chi2.sf(self.chi2, self.dof)) if self.dof > 0 else None
        return out


def _model(x: np.ndarray, dts: np.ndarray, plateau: bool) -> np.ndarray:
    b0, c, p = (x if plateau else (0.0, *x))
    return b0 + c * dts**p


def fit_bias(dts: object, bias: object, cov: object, plateau: bool = True) -> BiasFit:
    """Generalised least-squares fit of b(Δt) = b₀ + C Δt^p (b₀ = 0 when ``plateau`` is False) to the level biases
    ``bias`` (L) with covariance ``cov`` (L × L) (module docstring). Several starting orders; the best χ² wins."""
    dt, b = np.asarray(dts, dtype=float), np.asarray(bias, dtype=float)
    n_par = 3 if plateau else 2
    if dt.ndim != 1 or dt.size < n_par or b.shape != dt.shape or np.any(dt <= 0):
        raise ValueError(f"dts: need at least {n_par} positive steps matching bias, got {dt.size}")
    chol = np.linalg.cholesky(np.asarray(cov, dtype=float))

    def resid(x: np.ndarray) -> np.ndarray:
        return np.linalg.solve(chol, _model(x, dt, plateau) - b)

    lo = [-np.inf] * (n_par - 1) + [P_BOUNDS[0]]
    hi = [np.inf] * (n_par - 1) + [P_BOUNDS[1]]
    best = None
    for p0 in (0.5, 1.0, 2.0):
        c0 = b[np.argmax(dt)] / dt.max() ** p0
        x0 = [0.0, c0, p0] if plateau else [c0, p0]
        sol = optimize.least_squares(resid, x0, bounds=(lo, hi), x_scale="jac")
        if best is None or sol.cost < best.cost:
            best = sol
    pcov = np.linalg.pinv(best.jac.T @ best.jac)
    se = np.sqrt(np.maximum(np.diag(pcov), 0.0))
    x, se = (best.x, se) if plateau else (np.r_[0.0, best.x], np.r_[0.0, se])
    return BiasFit(order=float(x[2]), order_se=float(se[2]), constant=float(x[1]), constant_se=float(se[1]),
                   plateau=float(x[0]), plateau_se=float(se[0]), chi2=float(2.0 * best.cost), dof=dt.size - n_par)


def noise_rms(tpar: np.ndarray, tref: np.ndarray, bias: np.ndarray) -> tuple[float, float]:
    """(σ, its standard error) of R runs (R × K): σ² = mean_r max_k |T∥_rk − T∥_ref,k − b_k|², delta method."""
    dev = np.max(np.abs(tpar - tref - bias), axis=1) ** 2
    if dev.size < 2:
        raise ValueError(f"tpar: need at least 2 runs for a noise estimate, got {dev.size}")
    sigma = math.sqrt(float(dev.mean()))
    se_sq = float(dev.std(ddof=1)) / math.sqrt(dev.size)
    return sigma, se_sq / (2.0 * sigma) if sigma > 0 else 0.0


def pareto_front(costs: object, errors: object) -> list[int]:
    """Indices of the Pareto-optimal points (module docstring), in increasing cost (ties: the smaller error)."""
    c, e = np.asarray(costs, dtype=float), np.asarray(errors, dtype=float)
    front, best = [], math.inf
    for i in np.lexsort((e, c)):
        if e[i] < best:
            front.append(int(i))
            best = e[i]
    return front


def cheapest(rows: list[dict[str, Any]], level: float, cost: str = "wall_seconds",
             error: str = "total_error") -> dict[str, Any] | None:
    """The row of least ``cost`` whose ``error`` is ≤ ``level`` (None if no row reaches it)."""
    ok = [r for r in rows if r[error] <= level]
    return min(ok, key=lambda r: r[cost]) if ok else None


def noise_constant(n: object, sigma: object) -> tuple[float, float]:
    """(s, fitted exponent) of σ(N) ≈ s N^(−1/2): s = exp(mean(log σ + ½ log N)) (the central-limit scaling
    imposed), and the free least-squares slope of log σ against log N as its check (≈ −½)."""
    x, y = np.log(np.asarray(n, dtype=float)), np.log(np.asarray(sigma, dtype=float))
    slope = float(np.polyfit(x, y, 1)[0]) if np.unique(x).size > 1 else math.nan
    return float(np.exp(np.mean(y + 0.5 * x))), slope


def model_cheapest(dts: object, bias: object, s: float, a: float, level: float,
                   t_end: float) -> dict[str, float] | None:
    """The cheapest (N, Δt) for E = |b(Δt)| + s/√N ≤ ``level`` at wall = a N t_end/Δt (a: seconds per particle
    update), with |b| interpolated linearly in log-log between the measured levels ``dts``, ``bias`` (Δt within
    their range): N = (s/(level − |b|))²; None where |b| ≥ level on the whole range (bias-limited)."""
    x, y = np.log(np.asarray(dts, dtype=float)), np.log(np.abs(np.asarray(bias, dtype=float)))
    order = np.argsort(x)
    grid = np.linspace(x.min(), x.max(), 200)
    b = np.exp(np.interp(grid, x[order], y[order]))
    ok = b < level
    if not ok.any():
        return None
    dt = np.exp(grid[ok])
    n = (s / (level - b[ok])) ** 2
    cost = a * n * t_end / dt
    i = int(np.argmin(cost))
    return {"dt": float(dt[i]), "n": float(n[i]), "seconds": float(cost[i]), "bias": float(b[ok][i])}
