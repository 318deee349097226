"""Small statistics toolkit for certificates: fitted slopes with confidence intervals, Monte Carlo errors.

Convergence claims are certified as fitted orders: the least-squares slope of log(error) against log(parameter),
with a confidence interval from Student's t distribution of the slope's standard error (ordinary least squares,
or weighted by the known standard deviation of each point). Monte Carlo comparisons use z-scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps

from .validation import check_array


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
