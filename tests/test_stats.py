"""Fitted slopes recover known orders; their confidence intervals cover at the stated level."""

from __future__ import annotations

import numpy as np
import pytest

from mbc_verify.stats import abs_z, fit_line, fit_power_law, increase_ratios, max_abs_z, mean_stderr, ulps


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
