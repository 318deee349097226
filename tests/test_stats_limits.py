"""The n → ∞ limit fit and the W₁ distance to a piecewise-linear CDF (mbc_verify.stats)."""

from __future__ import annotations

import numpy as np
import pytest

from mbc_verify.stats import fit_limit, wasserstein1_to_cdf


def test_fit_limit_is_exact_on_the_model_and_its_error_is_calibrated() -> None:
    n = np.array([64.0, 128.0, 256.0, 512.0])
    sigma = 0.01 / np.sqrt(n / 64)
    fit = fit_limit(n, 0.3 - 2.0 / n, sigma)
    assert fit.limit == pytest.approx(0.3, abs=1e-13) and fit.slope == pytest.approx(-2.0, abs=1e-10)
    assert fit.chi2 == pytest.approx(0.0, abs=1e-20)
    rng = np.random.default_rng(5)
    z = [(fit_limit(n, 0.3 - 2.0 / n + sigma * rng.standard_normal(4), sigma).limit - 0.3) / fit.limit_stderr
         for _ in range(4000)]
    assert np.std(z) == pytest.approx(1.0, abs=5 * np.sqrt(0.5 / 4000))  # 5σ of a standard deviation from 4000
    with pytest.raises(ValueError, match="^n"):
        fit_limit([64.0], [1.0], [0.1])


def _brute_w1(samples, x, cdf, lo, hi, m=2_000_001):
    g = np.linspace(lo, hi, m)
    fn = np.searchsorted(np.sort(samples), g, side="right") / len(samples)
    return np.trapezoid(np.abs(fn - np.interp(g, x, cdf, left=0.0, right=1.0)), g)


def test_w1_against_a_fine_quadrature() -> None:
    rng = np.random.default_rng(0)
    s = rng.random(50)
    # F uniform on [0, 1]; the quadrature's error is ≤ (grid step) × (number of steps of F_N) ≈ 1e-6 × 50
    assert wasserstein1_to_cdf(s, [0.0, 1.0], [0.0, 1.0]) == pytest.approx(_brute_w1(s, [0, 1], [0, 1], -0.5, 1.5),
                                                                            abs=1e-4)
    x = np.linspace(0.0, 5.0, 40)
    c = (1 - np.exp(-x)) / (1 - np.exp(-5.0))
    t = np.concatenate([rng.exponential(size=30), [6.0]])  # one sample beyond the last knot
    assert wasserstein1_to_cdf(t, x, c) == pytest.approx(_brute_w1(t, x, c, -1.0, 7.0), abs=1e-4)


def test_w1_of_a_point_mass_and_bad_input() -> None:
    # all samples at 0.5 against U[0, 1]: ∫|1{s ≥ ½} − s| ds = 1/4
    assert wasserstein1_to_cdf(np.full(7, 0.5), [0.0, 1.0], [0.0, 1.0]) == pytest.approx(0.25, abs=1e-15)
    with pytest.raises(ValueError, match="^cdf"):
        wasserstein1_to_cdf([0.1], [0.0, 1.0], [0.0, 0.9])
    with pytest.raises(ValueError, match="^cdf"):
        wasserstein1_to_cdf([0.1], [1.0, 0.0], [0.0, 1.0])
