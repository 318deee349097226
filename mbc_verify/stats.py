"""Small statistics toolkit for certificates: fitted slopes with confidence intervals, Monte Carlo errors.

Convergence claims are certified as fitted orders: the least-squares slope of log(error) against log(parameter),
with a confidence interval from Student's t distribution of the slope's standard error (ordinary least squares,
or weighted by the known standard deviation of each point). Monte Carlo comparisons use z-scores.

Also: the Richardson order of three refinements from paired per-replica differences (:func:`richardson_order`),
the covariance of two exchangeable components from per-replica pair means (:func:`covariance_estimate`,
:func:`pair_covariance`), and the power law with a 1/n correction (:func:`fit_exponent`); their standard errors
by the delta method (first-order propagation of the sample covariance of the means; e.g. Casella & Berger,
*Statistical Inference*, 2nd ed., 2002, §5.5.4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import stats as sps

from .validation import check_array, check_int


@dataclass(frozen=True)
class LineFit:
    """y ≈ intercept + slope · x, with the slope's standard error and degrees of freedom."""

    slope: float
    intercept: float
    slope_stderr: float
    dof: int

    def interval(self, level: float = 0.99) -> tuple[float, float]:
        """Two-sided confidence interval of the slope at ``level`` (Student t with ``dof`` degrees of freedom;
        the normal quantile when the standard errors were known, ``dof = 0``)."""
        q = sps.norm.ppf(0.5 + level / 2) if self.dof <= 0 else sps.t.ppf(0.5 + level / 2, self.dof)
        return (self.slope - q * self.slope_stderr, self.slope + q * self.slope_stderr)

    def half_width(self, level: float = 0.99) -> float:
        """Half width of :meth:`interval`."""
        lo, hi = self.interval(level)
        return 0.5 * (hi - lo)


def fit_line(x: object, y: object, sigma: object | None = None) -> LineFit:
    """Least-squares line through (x, y).

    Without ``sigma``: ordinary least squares, slope error from the residuals (dof = n − 2 ≥ 1 needed).
    With ``sigma`` (the known standard deviation of each y): weighted least squares, slope error from the known
    errors (dof reported as 0: use normal quantiles).
    """
    xa = check_array("x", x, (None,))
    ya = check_array("y", y, (xa.shape[0],))
    n = xa.shape[0]
    if n < 2 or (sigma is None and n < 3):
        raise ValueError(f"x: need at least {2 if sigma is not None else 3} points for a fitted slope, got {n}")
    if sigma is None:
        w = np.ones(n)
    else:
        sa = check_array("sigma", sigma, (n,))
        if not np.all(sa > 0):
            raise ValueError("sigma: must be > 0")
        w = 1.0 / sa**2
    sw = w.sum()
    xm = (w * xa).sum() / sw
    ym = (w * ya).sum() / sw
    sxx = (w * (xa - xm) ** 2).sum()
    if sxx == 0.0:
        raise ValueError("x: all points have the same abscissa")
    slope = (w * (xa - xm) * (ya - ym)).sum() / sxx
    intercept = ym - slope * xm
    if sigma is None:
        resid = ya - intercept - slope * xa
        s2 = (resid**2).sum() / (n - 2)
        return LineFit(float(slope), float(intercept), float(math.sqrt(s2 / sxx)), n - 2)
    return LineFit(float(slope), float(intercept), float(math.sqrt(1.0 / sxx)), 0)


def fit_power_law(x: object, y: object, sigma_rel: object | None = None) -> LineFit:
    """Fit y ≈ C x^p in log-log: returns the line log y = log C + p log x (``slope`` is the order p).

    ``sigma_rel`` are the relative standard deviations of y (= standard deviations of log y to first order).
    """
    xa = check_array("x", x, (None,))
    ya = check_array("y", y, (xa.shape[0],))
    if not (np.all(xa > 0) and np.all(ya > 0)):
        raise ValueError("y: a power-law fit needs positive x and y")
    return fit_line(np.log(xa), np.log(ya), sigma_rel)


def mean_stderr(samples: object, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Sample mean and its standard error (ddof = 1) along ``axis``."""
    a = np.asarray(samples, dtype=float)
    n = a.shape[axis]
    if n < 2:
        raise ValueError(f"samples: need at least 2 samples along axis {axis}, got {n}")
    return a.mean(axis=axis), a.std(axis=axis, ddof=1) / math.sqrt(n)


def abs_z(estimate: object, expected: object, stderr: object) -> np.ndarray:
    """|estimate − expected| / stderr elementwise (0 where stderr = 0 and they agree, inf where they differ)."""
    e = np.asarray(estimate, dtype=float)
    x = np.asarray(expected, dtype=float)
    s = np.asarray(stderr, dtype=float)
    d = np.abs(e - x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(s > 0, d / np.where(s > 0, s, 1.0), np.where(d == 0, 0.0, np.inf))


def max_abs_z(estimate: object, expected: object, stderr: object) -> float:
    """max |estimate − expected| / stderr (the largest z-score, :func:`abs_z`)."""
    return float(np.max(abs_z(estimate, expected, stderr)))


def increase_ratios(coarse: object, fine: object, roundoff: object) -> np.ndarray:
    """Per interval k: (fine_{k+1} − fine_k) / (|Δcoarse_k − Δfine_k| + roundoff_k), a monotonicity test of a
    sequence computed at two resolutions.

    Under monotone convergence of any order ≥ 1 in the resolution, the error of the fine increment is at most the
    coarse–fine difference of the increments (Richardson); ``roundoff`` bounds the floating-point error of each
    fine increment. A ratio ≤ 1 is an increase explained by discretisation and round-off, a ratio > 1 a detected
    increase of the underlying quantity.
    """
    c = np.asarray(coarse, dtype=float)
    f = np.asarray(fine, dtype=float)
    if c.shape != f.shape or f.ndim != 1 or f.size < 2:
        raise ValueError(f"fine: must be a sequence of >= 2 values with the shape of coarse, got {f.shape}, {c.shape}")
    d_fine = np.diff(f)
    return d_fine / (np.abs(np.diff(c) - d_fine) + np.asarray(roundoff, dtype=float))


def ulps(delta: float, scale: float) -> float:
    """|delta| in units of the last place of ``scale`` (float64 spacing at |scale|)."""
    return abs(delta) / float(np.spacing(abs(scale)))


def _samples(name: str, x: object, size: int | None = None) -> np.ndarray:
    """A 1-D float64 array of at least two samples (of length ``size`` when given)."""
    a = check_array(name, x, (size,))
    if a.shape[0] < 2:
        raise ValueError(f"{name}: need at least 2 samples, got {a.shape[0]}")
    return a


class RichardsonOrder(NamedTuple):
    """Order p = log(Δ₁/Δ₂)/log(ρ) of three refinements, its standard error, and Δ₂ with its standard error."""

    order: float
    order_stderr: float
    delta2: float
    delta2_stderr: float


def richardson_order(d1: object, d2: object, refinement: float = 2.0) -> RichardsonOrder:
    """Richardson order from per-replica differences d1 = Q(h) − Q(h/ρ), d2 = Q(h/ρ) − Q(h/ρ²) (same replicas).

    With Q(h) = Q₀ + c h^p + …, Δ₁/Δ₂ = ρ^p for the means Δ = mean(d): p = log(Δ₁/Δ₂)/log ρ (NaN when Δ₁/Δ₂ ≤ 0).
    Its standard error by the delta method on log Δ₁ − log Δ₂, the covariance of the two means included:
    Var = (C₁₁/Δ₁² + C₂₂/Δ₂² − 2 C₁₂/(Δ₁Δ₂)) / log²ρ, C the sample covariance (ddof = 1) of (d1, d2) over R.
    """
    a = _samples("d1", d1)
    b = _samples("d2", d2, a.shape[0])
    if not refinement > 1.0:
        raise ValueError(f"refinement: must be > 1, got {refinement!r}")
    r = a.size
    m1, m2 = a.mean(), b.mean()
    c = np.cov(a, b, ddof=1) / r
    var = c[0, 0] / m1**2 + c[1, 1] / m2**2 - 2 * c[0, 1] / (m1 * m2)
    log_r = math.log(refinement)
    p = math.log(m1 / m2) / log_r if m1 / m2 > 0 else math.nan
    return RichardsonOrder(p, math.sqrt(max(var, 0.0)) / log_r, float(m2), float(math.sqrt(c[1, 1])))


def covariance_estimate(a: object, b: object) -> tuple[float, float]:
    """Cov = E[A] − E[B]² and its delta-method standard error from per-replica samples of A and B.

    For exchangeable components φ_i: A = the mean of φ_iφ_j over a set of pairs i ≠ j, B = the mean of φ_i, per
    replica; then E[A] − (E B)² = Cov(φ_i, φ_j) + Var(B) − … and the estimate is mean(A) − (mean(B)² − Var(B)/R)
    (the squared mean corrected for its bias Var(B)/R), with standard error
    sqrt((Var A − 4 μ_B Cov(A, B) + 4 μ_B² Var B) / R) (sample moments, ddof = 1).
    """
    a = _samples("a", a)
    b = _samples("b", b, a.shape[0])
    r = a.size
    mu_a, mu_b = a.mean(), b.mean()
    var_a, var_b = a.var(ddof=1), b.var(ddof=1)
    cov_ab = np.cov(a, b, ddof=1)[0, 1]
    cov = mu_a - (mu_b * mu_b - var_b / r)
    se = math.sqrt(max(var_a - 4 * mu_b * cov_ab + 4 * mu_b * mu_b * var_b, 0.0) / r)
    return float(cov), float(se)


def pair_covariance(s1: object, s2: object, n: int) -> tuple[float, float]:
    """(Cov(φ_i, φ_j), i ≠ j, standard error) of n exchangeable components from per-replica sums S₁ = Σ φ_i and
    S₂ = Σ φ_i²: :func:`covariance_estimate` with A = (S₁² − S₂)/(n(n − 1)) (the mean over ordered pairs i ≠ j)
    and B = S₁/n."""
    s1 = _samples("s1", s1)
    s2 = _samples("s2", s2, s1.shape[0])
    n = check_int("n", n, 2)
    return covariance_estimate((s1 * s1 - s2) / (n * (n - 1)), s1 / n)


class ExponentFit(NamedTuple):
    """Weighted fit of log y = a + p log n + d/n: the exponent p, its standard error, χ² and (a, p, d)."""

    exponent: float
    exponent_stderr: float
    chi2: float
    coefficients: np.ndarray


def fit_exponent(n: object, y: object, sigma_rel: object) -> ExponentFit:
    """Weighted least squares of log y = a + p log n + d/n, weights 1/sigma_rel² (the relative standard errors of
    y, i.e. the standard errors of log y to first order): y ≈ C n^p e^{d/n} = C n^p (1 + d/n + O(n⁻²)), the d/n
    term absorbing the next order of an asymptotic expansion. The standard error of p is the known-error one,
    sqrt((XᵀWX)⁻¹)_pp; χ² = Σ w (log y − fit)² has len(n) − 3 degrees of freedom.
    """
    na = check_array("n", n, (None,))
    ya = check_array("y", y, (na.shape[0],))
    sa = check_array("sigma_rel", sigma_rel, (na.shape[0],))
    if na.shape[0] < 3 or not (np.all(na > 0) and np.all(ya > 0) and np.all(sa > 0)):
        raise ValueError("n: need at least 3 points with n > 0, y > 0 and sigma_rel > 0 for the fit")
    x = np.stack([np.ones_like(na, dtype=float), np.log(na), 1.0 / na], axis=1)
    w = 1.0 / sa**2
    cov = np.linalg.inv(x.T @ (w[:, None] * x))
    beta = cov @ (x.T @ (w * np.log(ya)))
    chi2 = float((w * (np.log(ya) - x @ beta) ** 2).sum())
    return ExponentFit(float(beta[1]), float(math.sqrt(cov[1, 1])), chi2, beta)


class LimitFit(NamedTuple):
    """Weighted fit y ≈ limit + c/n: the n → ∞ limit, its standard error, c and χ² (len(n) − 2 degrees of
    freedom)."""

    limit: float
    limit_stderr: float
    slope: float
    chi2: float


def fit_limit(n: object, y: object, sigma: object) -> LimitFit:
    """Weighted least squares of y = limit + c/n (weights 1/sigma², sigma the known standard errors of y): the
    n → ∞ value of a quantity with an O(1/n) finite-size correction, with its known-error standard error
    sqrt((XᵀWX)⁻¹)₀₀."""
    na = check_array("n", n, (None,))
    ya = check_array("y", y, (na.shape[0],))
    sa = check_array("sigma", sigma, (na.shape[0],))
    if na.shape[0] < 2 or not (np.all(na > 0) and np.all(sa > 0)):
        raise ValueError("n: need at least 2 points with n > 0 and sigma > 0 for the fit")
    x = np.stack([np.ones_like(na, dtype=float), 1.0 / na], axis=1)
    w = 1.0 / sa**2
    cov = np.linalg.inv(x.T @ (w[:, None] * x))
    beta = cov @ (x.T @ (w * ya))
    chi2 = float((w * (ya - x @ beta) ** 2).sum())
    return LimitFit(float(beta[0]), float(math.sqrt(cov[0, 0])), float(beta[1]), chi2)


def wasserstein1_to_cdf(samples: object, x: object, cdf: object) -> float:
    """W₁ = ∫ |F_N(s) − F(s)| ds between the empirical law of ``samples`` and the law whose CDF F is the
    piecewise-linear interpolant of ``cdf`` at the increasing knots ``x`` (0 before x[0], 1 after x[-1]; cdf
    non-decreasing from 0 to 1). Exact for that F: on each interval between consecutive breakpoints (knots and
    sorted samples) F_N is constant and F linear, and ∫|c − linear| is integrated in closed form."""
    s = np.sort(check_array("samples", samples, (None,)))
    xa = check_array("x", x, (None,))
    ca = check_array("cdf", cdf, (xa.shape[0],))
    if xa.shape[0] < 2 or np.any(np.diff(xa) <= 0) or np.any(np.diff(ca) < 0) or ca[0] != 0.0 or \
            abs(ca[-1] - 1.0) > 1e-12:
        raise ValueError("cdf: need increasing knots x and a non-decreasing cdf from 0 to 1 on them")
    pts = np.union1d(np.union1d(xa, s), [min(s[0], xa[0]), max(s[-1], xa[-1])])
    f_left = np.interp(pts[:-1], xa, ca, left=0.0, right=1.0)
    f_right = np.interp(pts[1:], xa, ca, left=0.0, right=1.0)
    emp = np.searchsorted(s, pts[:-1], side="right") / s.size  # F_N on [pts_k, pts_{k+1})
    a, b, dx = f_left - emp, f_right - emp, np.diff(pts)
    same = a * b >= 0
    whole = 0.5 * np.abs(a + b) * dx
    with np.errstate(divide="ignore", invalid="ignore"):
        split = 0.5 * (a * a + b * b) / np.abs(b - a) * dx
    return float(np.sum(np.where(same, whole, split)))


def _whitener(cov: object, n: int) -> np.ndarray:
    """L⁻¹ for the Cholesky factor L Lᵀ = cov (n × n, symmetric positive definite)."""
    c = check_array("cov", cov, (n, n))
    try:
        chol = np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        raise ValueError("cov: must be symmetric positive definite") from None
    return np.linalg.inv(chol)


class GLSFit(NamedTuple):
    """Generalised least squares y ≈ A β with known covariance: β, Cov(β) = (Aᵀ C⁻¹ A)⁻¹, χ² and its dof."""

    beta: np.ndarray
    cov: np.ndarray
    chi2: float
    dof: int


def fit_gls(design: object, y: object, cov: object) -> GLSFit:
    """Generalised least squares of y (n) on the columns of ``design`` (n × m) with the known covariance ``cov`` of
    y (Aitken, Proc. R. Soc. Edinburgh 55 (1935) 42): whitened by the Cholesky factor of ``cov``, solved by least
    squares."""
    ya = check_array("y", y, (None,))
    a = check_array("design", design, (ya.shape[0], None))
    if a.shape[1] > ya.shape[0]:
        raise ValueError(f"design: {a.shape[1]} parameters for {ya.shape[0]} points")
    w = _whitener(cov, ya.shape[0])
    aw, yw = w @ a, w @ ya
    beta, *_ = np.linalg.lstsq(aw, yw, rcond=None)
    cov_beta = np.linalg.inv(aw.T @ aw)
    return GLSFit(beta, cov_beta, float(np.sum((yw - aw @ beta) ** 2)), ya.shape[0] - a.shape[1])


class OffsetPowerFit(NamedTuple):
    """y ≈ y₀ + c x^p (or c x^p): the offset y₀ and its standard error (p fitted; 0 and 0 for the model without
    offset), c, p and its standard error, χ², dof."""

    offset: float
    offset_stderr: float
    coefficient: float
    order: float
    order_stderr: float
    chi2: float
    dof: int


def _basis(xs: np.ndarray, p: float, offset: bool) -> np.ndarray:
    cols = [np.ones_like(xs), xs**p] if offset else [xs**p]
    return np.stack(cols, axis=1)


def _chi2_at(p: float, xs: np.ndarray, yw: np.ndarray, w: np.ndarray, offset: bool) -> tuple[float, np.ndarray]:
    a = w @ _basis(xs, p, offset)
    beta, *_ = np.linalg.lstsq(a, yw, rcond=None)
    return float(np.sum((yw - a @ beta) ** 2)), beta


def _fit_order(x: object, y: object, cov: object, orders: tuple[float, float], offset: bool) -> OffsetPowerFit:
    """The profile fit of :func:`fit_offset_power` (``offset``) or :func:`fit_power_gls`."""
    from scipy.optimize import minimize_scalar

    xa = check_array("x", x, (None,))
    ya = check_array("y", y, (xa.shape[0],))
    need = 4 if offset else 3
    if xa.shape[0] < need or not np.all(xa > 0):
        raise ValueError(f"x: the fit needs at least {need} points with x > 0")
    w = _whitener(cov, xa.shape[0])
    yw = w @ ya
    scale = float(xa.max())
    xs = xa / scale
    grid = np.linspace(orders[0], orders[1], 200)
    best = grid[int(np.argmin([_chi2_at(p, xs, yw, w, offset)[0] for p in grid]))]
    step = grid[1] - grid[0]
    res = minimize_scalar(lambda p: _chi2_at(p, xs, yw, w, offset)[0], method="bounded",
                          bounds=(max(orders[0], best - step), min(orders[1], best + step)))
    p = float(res.x)
    chi2, beta = _chi2_at(p, xs, yw, w, offset)
    c = float(beta[-1])
    jac = w @ np.column_stack([_basis(xs, p, offset), c * xs**p * np.log(xs)])
    jtj = jac.T @ jac
    if np.linalg.cond(jtj) < 1e12:
        cov_b = np.linalg.inv(jtj)
        p_se = float(math.sqrt(cov_b[-1, -1]))
    else:
        cov_b = np.linalg.inv(jtj[:-1, :-1])
        p_se = math.nan
    y0, y0_se = (float(beta[0]), float(math.sqrt(cov_b[0, 0]))) if offset else (0.0, 0.0)
    return OffsetPowerFit(y0, y0_se, c / scale**p, p, p_se, chi2, xa.shape[0] - len(beta) - 1)


def fit_offset_power(x: object, y: object, cov: object, orders: tuple[float, float] = (0.2, 4.0)) -> OffsetPowerFit:
    """Generalised least squares of y ≈ y₀ + c x^p (x > 0, at least 4 points) with the known covariance of y.

    For fixed p the model is linear in (y₀, c); χ²(p) is minimised over p in ``orders`` (a grid of 200 orders, then
    a bounded scalar minimisation around the best one). Standard errors from the Jacobian (1, x^p, c x^p log x)
    at the minimum, (Jᵀ C⁻¹ J)⁻¹, so that the uncertainty of p is carried into that of y₀ (when J is singular —
    c = 0, no x-dependence — the fixed-p errors are used and p's error is NaN). x is scaled by its maximum
    internally (conditioning); c is returned in the units of x.
    """
    return _fit_order(x, y, cov, orders, True)


def fit_power_gls(x: object, y: object, cov: object, orders: tuple[float, float] = (0.1, 4.0)) -> OffsetPowerFit:
    """Generalised least squares of y ≈ c x^p (x > 0, at least 3 points) with the known covariance of y, in linear
    space (every point counts, resolved or not), p profiled as in :func:`fit_offset_power`; errors from the
    Jacobian (x^p, c x^p log x). ``offset`` is 0."""
    return _fit_order(x, y, cov, orders, False)
