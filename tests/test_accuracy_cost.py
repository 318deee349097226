"""The accuracy-per-cost study (benchmarks/accuracy_*.py): the fit of the Δt law, noise, Pareto fronts, the cost
models (deterministic, synthetic data), the common-random-number runs, and a smoke test of the whole driver."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from benchmarks.accuracy_cost import Study, run_study, write_report
from benchmarks.accuracy_fit import (
    bias_stats,
    cheapest,
    fit_bias,
    level_covariance,
    model_cheapest,
    noise_constant,
    noise_rms,
    pareto_front,
)
from benchmarks.accuracy_runs import METHODS, ensemble_tpar, moment_matched, prepare, reference_tpar, timed_run
from mbc_verify.mbc.ensemble import replica_seeds

DTS = 0.25 * 0.5 ** np.arange(5)
TRUE = {"plateau": 2e-3, "constant": 0.05, "order": 0.7}


def _law(dts: np.ndarray) -> np.ndarray:
    return TRUE["plateau"] + TRUE["constant"] * dts ** TRUE["order"]


def _replicas(sd: float, replicas: int, seed: int) -> np.ndarray:
    """Per-replica errors (L × R × 1): the law plus noise shared by the levels (correlation ½) and level noise."""
    rng = np.random.default_rng(seed)
    shared = rng.normal(size=(1, replicas))
    own = rng.normal(size=(DTS.size, replicas))
    return (_law(DTS)[:, None] + sd * math.sqrt(0.5) * (shared + own))[:, :, None]


def test_fit_recovers_an_exact_law() -> None:
    # Exact data: the optimum has zero residual; least_squares stops at a relative step of 1e-8 (xtol), so the
    # parameters are exact up to the conditioning of the fit (≲ 1e3 here): 1e-5 relative.
    fit = fit_bias(DTS, _law(DTS), np.diag(np.full(DTS.size, 1e-8)))
    for name, value in TRUE.items():
        assert getattr(fit, name) == pytest.approx(value, rel=1e-5)
    assert fit.chi2 < 1e-12
    assert fit.dof == DTS.size - 3


def test_fit_is_consistent_on_correlated_replicas() -> None:
    err = _replicas(sd=0.02, replicas=4000, seed=5)
    bias, se = bias_stats(err)
    assert np.all(np.abs(bias[:, 0] - _law(DTS)) < 5 * se[:, 0])  # 5σ: the level means are unbiased
    fit = fit_bias(DTS, bias[:, 0], level_covariance(err[:, :, 0]))
    for name, value in TRUE.items():  # 5 standard errors of the GLS estimate (asymptotically normal)
        assert abs(getattr(fit, name) - value) < 5 * getattr(fit, name + "_se")
    lo, hi = fit.interval("order", 0.999999)
    assert lo < TRUE["order"] < hi


def test_a_missing_plateau_is_rejected() -> None:
    # Negative control: with a real plateau and small noise, the fit without b₀ must fail its χ² test while the
    # fit with b₀ passes it (p-values against 1e-6).
    err = _replicas(sd=1e-3, replicas=4000, seed=6)
    bias, _ = bias_stats(err)
    cov = level_covariance(err[:, :, 0])
    with_b0 = fit_bias(DTS, bias[:, 0], cov).as_dict()
    without = fit_bias(DTS, bias[:, 0], cov, plateau=False).as_dict()
    assert with_b0["chi2_pvalue"] > 1e-6
    assert without["chi2_pvalue"] < 1e-6
    assert without["plateau"] == 0.0


def test_fit_rejects_too_few_levels() -> None:
    with pytest.raises(ValueError, match="^dts:"):
        fit_bias(DTS[:2], _law(DTS[:2]), np.eye(2))


def test_noise_rms_and_constant() -> None:
    tref, bias = np.array([2.0, 1.9, 1.8]), np.array([0.0, 0.01, 0.02])
    dev = np.array([[0.0, 0.03, -0.01], [0.0, -0.01, 0.04]])  # per-run max |dev|: 0.03, 0.04
    sigma, _ = noise_rms(tref + bias + dev, tref, bias)
    assert sigma == pytest.approx(math.sqrt((0.03**2 + 0.04**2) / 2), rel=1e-12)
    n = np.array([1e3, 1e4, 1e5])
    s, slope = noise_constant(n, 0.7 / np.sqrt(n))
    assert s == pytest.approx(0.7, rel=1e-12)
    assert slope == pytest.approx(-0.5, abs=1e-12)


def test_pareto_front_and_cheapest() -> None:
    costs = [1.0, 2.0, 3.0, 4.0, 2.0, 5.0, 1.0]
    errors = [5.0, 3.0, 4.0, 1.0, 3.5, 1.0, 6.0]
    assert pareto_front(costs, errors) == [0, 1, 3]
    rows = [{"wall_seconds": c, "total_error": e, "id": i} for i, (c, e) in enumerate(zip(costs, errors, strict=True))]
    assert cheapest(rows, 3.0)["id"] == 1
    assert cheapest(rows, 1.0)["id"] == 3
    assert cheapest(rows, 0.5) is None


def test_model_cheapest() -> None:
    dts = [0.01, 0.1]
    best = model_cheapest(dts, [1e-9, 1e-9], s=0.5, a=1e-7, level=1e-2, t_end=1.0)
    # negligible bias: N = (s/level)² at the largest Δt (cost ∝ 1/Δt)
    assert best["n"] == pytest.approx(2500.0, rel=1e-6)
    assert best["dt"] == pytest.approx(0.1, rel=1e-12)
    assert best["seconds"] == pytest.approx(1e-7 * 2500 / 0.1, rel=1e-6)
    # b = 0.1 Δt exactly (a power law is exact under log-log interpolation): E(Δt) = 0.1 Δt + s/√N
    best = model_cheapest(dts, [1e-3, 1e-2], s=0.5, a=1e-7, level=1.2e-2, t_end=1.0)
    assert best["bias"] == pytest.approx(0.1 * best["dt"], rel=1e-12)
    assert best["n"] == pytest.approx((0.5 / (1.2e-2 - best["bias"])) ** 2, rel=1e-12)
    assert model_cheapest(dts, [2e-2, 3e-2], s=0.5, a=1e-7, level=1e-2, t_end=1.0) is None


def test_moment_matched_second_moment_is_exact() -> None:
    v = moment_matched(1000, 3)
    # Round-off of the Cholesky solve and of the N-term sums: ~N·eps ≈ 2e-13 relative
    np.testing.assert_allclose(v.T @ v / 1000, np.diag([0.5, 0.5, 2.0]), atol=1e-12)


def test_common_random_numbers_and_single_runs() -> None:
    times, _, _ = reference_tpar(0.5)
    method = METHODS[3]
    both, _ = ensemble_tpar(method, (0.25, 0.125), 32, 5, times, seed=9, block=2)
    alone, _ = ensemble_tpar(method, (0.125,), 32, 5, times, seed=9, block=5)
    np.testing.assert_array_equal(both[1], alone[0])  # the same replicas at every level, whatever the blocks
    s0 = int(replica_seeds(9, 0, 1)[0])
    single, _ = timed_run(prepare(method, 32, 0.125, 0.5, 1), moment_matched(32, s0), s0, times, 0.125)
    np.testing.assert_array_equal(single, alone[0, 0])  # a timed run is replica 0 of the ensemble


def test_bad_sizes() -> None:
    with pytest.raises(ValueError, match="^t_end:"):
        reference_tpar(0.3)
    with pytest.raises(ValueError, match="^grid_dts:"):
        Study(t_end=0.5, dts=(0.25, 0.125, 0.0625), n_bias=64, replicas=4, grid_n=(64,), grid_dts=(0.1,), runs=2)


def test_driver_smoke(tmp_path) -> None:
    study = Study(t_end=0.5, dts=(0.25, 0.125, 0.0625), n_bias=64, replicas=8, grid_n=(64, 128),
                  grid_dts=(0.25, 0.125), runs=2)
    result = run_study(study)
    result["command"] = "test"
    write_report(result, tmp_path)
    stored = json.loads((tmp_path / "accuracy_cost.json").read_text())
    assert set(stored["biases"]) == {m.label for m in METHODS}
    assert len(stored["grid"]) == len(METHODS) * 4
    for name in ("accuracy_cost.md", "accuracy_cost.png", "accuracy_cost_readme.md"):
        assert (tmp_path / name).stat().st_size > 0
