"""Fitted slopes recover known orders; their confidence intervals cover at the stated level."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mbc_verify.stats import (
    abs_z,
    covariance_estimate,
    fit_exponent,
    fit_line,
    fit_power_law,
    increase_ratios,
    max_abs_z,
    mean_stderr,
    pair_covariance,
    richardson_order,
    ulps,
)


def test_exact_power_law_has_zero_width() -> None:
    x = np.array([1.0, 2.0, 4.0, 8.0])
    fit = fit_power_law(x, 3.0 * x**-2)
    assert fit.slope == pytest.approx(-2.0, abs=1e-12)
    assert fit.half_width() < 1e-10


def test_interval_coverage_of_noisy_slopes() -> None:
    # 400 noisy fits at a fixed seed: the 99% interval must cover the true slope in ≥ 97% of them
    # (binomial(400, 0.99) has sd 2 counts; 97% is 4 sd below the mean of 396).
    rng = np.random.default_rng(1)
    x = np.linspace(0, 1, 8)
    hits = sum(
        (lambda f: f.interval(0.99)[0] <= 1.5 <= f.interval(0.99)[1])(fit_line(x, 1.5 * x + rng.normal(0, 0.1, 8)))
        for _ in range(400)
    )
    assert hits >= 388


def test_weighted_fit_uses_known_errors() -> None:
    x = np.array([0.0, 1.0, 2.0])
    fit = fit_line(x, 2 * x, sigma=np.full(3, 0.5))
    assert fit.slope == pytest.approx(2.0) and fit.dof == 0
    assert fit.slope_stderr == pytest.approx(0.5 / np.sqrt(2.0))


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="^x"):
        fit_line([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="^y"):
        fit_power_law([1.0, 2.0, 3.0], [1.0, -1.0, 2.0])


def test_helpers() -> None:
    m, s = mean_stderr([[1.0], [3.0]])
    assert m[0] == 2.0 and s[0] == pytest.approx(1.0)
    assert max_abs_z([1.0, 2.0], [1.0, 2.5], [0.1, 0.1]) == pytest.approx(5.0)
    assert ulps(np.spacing(3.0) * 4, 3.0) == 4.0


def test_richardson_order_recovers_the_order() -> None:
    rng = np.random.default_rng(4)
    noise = 1e-4 * rng.standard_normal((3, 4000))
    q = [1.0 + 0.3 * h**2 + noise[k] for k, h in enumerate((0.8, 0.4, 0.2))]
    p, se, d2, d2_se = richardson_order(q[0] - q[1], q[1] - q[2])
    assert abs(p - 2.0) <= 5 * se and se < 0.05
    assert math.isclose(d2, 0.3 * (0.16 - 0.04), rel_tol=0.05) and d2_se > 0
    # refinement ratio 3, order 1.5, nearly exact data (noise 1e-9): the order is recovered to ~1e-6
    q3 = [2.0 - h**1.5 + 1e-9 * rng.standard_normal(50) for h in (0.9, 0.3, 0.1)]
    fit = richardson_order(q3[0] - q3[1], q3[1] - q3[2], refinement=3.0)
    assert abs(fit.order - 1.5) < 1e-5 and abs(fit.order - 1.5) <= 5 * fit.order_stderr


def test_richardson_order_of_differences_of_opposite_sign_is_nan() -> None:
    d = np.array([1.0, 1.1, 0.9])
    assert math.isnan(richardson_order(d, -d).order)


def test_covariance_estimators_recover_known_covariance() -> None:
    """φ_i = s + ξ_i with a common s (Var s = 0.04): Cov(φ_i, φ_j) = 0.04; s = 0 gives 0."""
    rng = np.random.default_rng(5)
    n, r = 10, 20000
    for var_s in (0.0, 0.04):
        phi = rng.standard_normal((r, n)) + math.sqrt(var_s) * rng.standard_normal((r, 1))
        cov, se = pair_covariance(phi.sum(axis=1), (phi**2).sum(axis=1), n)
        assert abs(cov - var_s) <= 5 * se and se < 0.01
        # the same covariance from the pairs (i, i+1 mod n) through covariance_estimate
        adj = (phi * np.roll(phi, -1, axis=1)).mean(axis=1)
        cov_a, se_a = covariance_estimate(adj, phi.mean(axis=1))
        assert abs(cov_a - var_s) <= 5 * se_a


def test_fit_exponent_recovers_exponent_with_correction() -> None:
    n = np.array([8.0, 16, 32, 64, 128])
    y = 2.0 * n**-1.0 * np.exp(-3.0 / n)  # exactly the fitted model: p recovered to round-off
    p, se, chi2, coef = fit_exponent(n, y, np.full(5, 0.01))
    assert abs(p + 1.0) < 1e-10 and se > 0 and chi2 < 1e-20
    assert np.allclose(coef, [math.log(2.0), -1.0, -3.0], atol=1e-9)
    p, se, _, _ = fit_exponent(n, 2.0 * n**-1.0 * (1 - 3.0 / n), np.full(5, 0.01))  # model up to O(1/N²)
    assert abs(p + 1.0) < 0.05
    # negative control: the plain log-log slope of the same data is biased by the 1/N term
    assert abs(fit_power_law(n, 2.0 * n**-1.0 * (1 - 3.0 / n)).slope + 1.0) > 0.1


def test_new_helpers_bad_input() -> None:
    with pytest.raises(ValueError, match="^d2"):
        richardson_order([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="^refinement"):
        richardson_order([1.0, 2.0], [1.0, 2.0], refinement=1.0)
    with pytest.raises(ValueError, match="^a"):
        covariance_estimate([1.0], [1.0])
    with pytest.raises(ValueError, match="^n"):
        pair_covariance([1.0, 2.0], [1.0, 2.0], 1)
    with pytest.raises(ValueError, match="^n"):
        fit_exponent([1.0, 2.0], [1.0, 2.0], [0.1, 0.1])


def test_abs_z() -> None:
    z = abs_z([1.0, 2.0, 3.0, 4.0], [1.0, 2.5, 3.0, 3.0], [0.0, 0.1, 0.2, 0.0])
    assert z[0] == 0.0 and z[1] == pytest.approx(5.0) and z[2] == 0.0 and z[3] == np.inf
    assert max_abs_z([1.0, 2.0], [1.0, 2.5], [0.1, 0.1]) == float(np.max(abs_z([1.0, 2.0], [1.0, 2.5], [0.1, 0.1])))


def test_increase_ratios() -> None:
    """Decreasing sequences give negative ratios; an increase larger than the coarse–fine difference plus round-off
    gives a ratio > 1, one within it a ratio ≤ 1."""
    fine = np.array([3.0, 2.5, 2.2, 2.1])
    assert np.all(increase_ratios(fine + 1e-3, fine, np.full(3, 1e-12)) < 0)
    up = np.array([1.0, 1.1, 1.2])
    assert np.all(increase_ratios(up + np.array([0.0, 1e-4, 2e-4]), up, np.full(2, 1e-12)) > 100)
    assert np.all(increase_ratios(up + np.array([0.0, 0.2, 0.4]), up, np.zeros(2)) <= 1.0)
    assert np.all(increase_ratios(up, up, np.full(2, 0.2)) <= 1.0)
    with pytest.raises(ValueError, match="^fine"):
        increase_ratios(up, up[:2], 0.0)
