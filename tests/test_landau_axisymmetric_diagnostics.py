"""Error levels of the axisymmetric solver (mbc_verify/landau/axisymmetric_diagnostics.py) and its planted defects.

The round-off bounds are tested against the same float64 operations carried out exactly (30-digit mpmath on the
float64 matrices, weights and coefficients): the bound must hold at every node and must not be vacuous. The entropy
budget is tested on a short run (every step within its allowance) and on the same record with one step's entropy
raised above it (detected). The mutant wiring: ``axisymmetric_without_half`` doubles Q exactly, the friction sign
changes it, mutants of other components leave it alone.
"""

from __future__ import annotations

import copy
import math

import mpmath
import numpy as np
import pytest

from mbc_verify.landau.axisymmetric import AxialMixture, discretise, operator_factors, solve_axisymmetric
from mbc_verify.landau.axisymmetric_diagnostics import (
    EPS,
    abs_div,
    abs_grad,
    coarser,
    dissipation_error,
    entropy_budget,
    equilibrium_of,
    equilibrium_v_max,
    functional_series,
    quadratic_functional,
    relaxation_time,
    rhs_roundoff,
)
from mbc_verify.landau.axisymmetric_operator import AxisymmetricOperator, Coefficients
from mbc_verify.mutants import NO_DEFECT, defect

BEAMS = AxialMixture(((0.5, 1.0, 1.0), (0.5, 1.0, -1.0)))
GRID_ARRAYS = ("r", "xi", "w", "sin", "omega", "d_even", "d_odd", "p", "dp", "d2p", "to_modes_matrix", "d_xi")


def _mp(x: np.ndarray) -> np.ndarray:
    return np.vectorize(lambda v: mpmath.mpf(float(v)), otypes=[object])(np.asarray(x, dtype=np.float64))


def _exact_operator(op: AxisymmetricOperator) -> AxisymmetricOperator:
    """The same operator with every float64 array converted exactly to mpmath (call inside workdps)."""
    grid = copy.copy(op.grid)
    for name in GRID_ARRAYS:
        setattr(grid, name, _mp(getattr(op.grid, name)))
    grid.h = mpmath.mpf(op.grid.h)
    return AxisymmetricOperator(grid, op.gamma, half=mpmath.mpf(op.half), weights=_mp(op.weights))


@pytest.fixture(scope="module")
def small() -> tuple[AxisymmetricOperator, np.ndarray]:
    """Two axial beams at γ = -2 on a small grid (n_r = 12, n_ξ = 12)."""
    _, op, f = discretise(-2.0, BEAMS, n_r=12, n_xi=12)
    return op, f


def test_abs_grad_and_div_dominate_the_operations(small) -> None:
    op, f = small
    g = op.grid
    for exact, bound in zip(g.grad(f), abs_grad(g, np.abs(f)), strict=True):
        assert np.all(np.abs(exact) <= bound * (1 + 1e-12))
    x = np.abs(f) + 0.1
    assert np.all(np.abs(g.div(x, x)) <= abs_div(g, x, x) * (1 + 1e-12))


def test_rhs_roundoff_bounds_the_float64_evaluation(small) -> None:
    """|fl(Q_h(f)) − Q_h(f)| ≤ ρ_Q at every node, Q_h(f) evaluated in 30 digits from the same float64 matrices,
    weights and coefficients; the bound is not vacuous (within 1e4 of the actual rounding, relative to max |Q|)."""
    op, f = small
    q64, rho = rhs_roundoff(op, f)
    c64 = op.coefficients(f)
    with mpmath.workdps(30):
        exact_op = _exact_operator(op)
        coef = Coefficients(*(_mp(getattr(c64, k)) for k in ("a_rr", "a_rt", "a_tt", "a_pp", "b_r", "b_t")))
        q = exact_op.rhs(_mp(f), coef)
        err = np.vectorize(lambda a, b: float(abs(mpmath.mpf(float(a)) - b)))(q64, q)
    assert np.all(err <= rho)
    assert float(np.max(rho)) < 1e4 * max(float(np.max(err)), EPS * float(np.max(np.abs(q64))))


def test_quadratic_functional_roundoff_bounds_the_float64_evaluation(small) -> None:
    op, f = small
    for x, factor in ((np.sqrt(np.maximum(f, 0.0)), 4.0), (f, 1.0)):
        value, bound = quadratic_functional(op.grid, x, factor)
        with mpmath.workdps(30):
            grid = _exact_operator(op).grid
            g_r, g_t = grid.grad(_mp(x))
            exact = factor * np.sum(grid.omega * (g_r ** 2 + g_t ** 2))
            err = float(abs(mpmath.mpf(value) - exact))
        assert err <= bound < 1e-10 * abs(value)


def test_equilibrium_and_dissipation_error() -> None:
    """At the default resolution: M_f has the invariants of f; D̂_h(M) is zero to its bound, D̂_h(f) of the beams is
    positive and far above it, and the operator's equilibrium residual is at the quadrature level (≈ 1e-12)."""
    _, op, f = discretise(-2.0, BEAMS, v_max=equilibrium_v_max(BEAMS))
    m = equilibrium_of(op, f)
    assert np.allclose(op.moments(m), op.moments(f), rtol=0.0, atol=1e-14)
    at_m = dissipation_error(op, m)
    assert abs(at_m["dissipation"]) <= at_m["bound"]
    at_f = dissipation_error(op, f)
    assert at_f["dissipation"] > 1e6 * at_f["bound"] > 0.0
    assert at_f["equilibrium_residual"] < 1e-10
    assert at_f["excluded"] == 0.0  # the sampled datum is positive at every node


def test_entropy_budget_on_a_run_and_an_injected_increase() -> None:
    """A short run (default resolution) to 3 relaxation times: every step's entropy change is within its allowance
    (a decrease, here), D̂_h ≥ -bound at every output. The same record with one step raised by 1e-9 is flagged."""
    tau = relaxation_time(0.0, BEAMS, v_max=equilibrium_v_max(BEAMS))
    rec = solve_axisymmetric(0.0, 3 * tau, init=BEAMS, snapshots=5, v_max=equilibrium_v_max(BEAMS), keep_states=True)
    b = entropy_budget(rec)
    inc, allow = np.array(b["step_increase"]), np.array(b["step_allowance"])
    assert len(inc) == rec["steps"] and np.all(inc <= allow) and np.all(inc < 0)
    assert np.all(np.array(b["dissipation"]) >= -np.array(b["bound"]))
    assert b["integral_allowance"] > 0.0
    bad = dict(rec, step_entropy=list(rec["step_entropy"]))
    bad["step_entropy"][-1] = bad["step_entropy"][-2] + 1e-9
    assert max(np.array(entropy_budget(bad)["step_increase"]) / np.array(entropy_budget(bad)["step_allowance"])) > 1


def test_functional_series_reproduces_the_record_and_needs_states() -> None:
    rec = solve_axisymmetric(-3.0, 0.2, init="bimaxwellian:1.3,0.85", snapshots=3, n_r=16, n_xi=12,
                             keep_states=True)
    values, bound = functional_series(rec, "fisher")
    assert values.tolist() == rec["fisher"] and np.all(bound > 0)
    g, gb = functional_series(rec, "dirichlet")
    assert np.all(g > 0) and np.all(gb < 1e-10 * g)
    with pytest.raises(ValueError, match="^functional"):
        functional_series(rec, "entropy")
    with pytest.raises(ValueError, match="^record"):
        functional_series({k: v for k, v in rec.items() if k != "states"}, "fisher")


def test_coarser_and_equilibrium_v_max() -> None:
    rec = {"n_r": 36, "n_xi": 24, "v_max": 10.0, "rtol": 1e-7, "kernel": "auto"}
    assert coarser(rec) == {"n_r": 27, "n_xi": 18, "v_max": 10.0, "rtol": 1e-6, "kernel": "auto"}
    # drifting beams relax to T_eq = 4/3 > 1: v_max grows to √(80 · 4/3)
    assert equilibrium_v_max(BEAMS) == pytest.approx(math.sqrt(80 * 4 / 3))
    assert equilibrium_v_max("bimaxwellian:2,0.5") == pytest.approx(math.sqrt(160.0))


def test_mutants_act_on_the_axisymmetric_operator_only() -> None:
    assert operator_factors(NO_DEFECT) == (0.5, 1.0)
    assert operator_factors(defect("axisymmetric_without_half", "axisymmetric")) == (1.0, 1.0)
    assert operator_factors(defect("axisymmetric_friction_sign", "axisymmetric")) == (0.5, -1.0)
    init = "bimaxwellian:1.3,0.85"
    q = {m: discretise(-3.0, init, n_r=16, n_xi=12, mutant=m)[1].rhs(discretise(-3.0, init, n_r=16, n_xi=12)[2])
         for m in (None, "axisymmetric_without_half", "axisymmetric_friction_sign", "solver_without_half")}
    assert np.array_equal(q["axisymmetric_without_half"], 2.0 * q[None])
    assert np.max(np.abs(q["axisymmetric_friction_sign"] - q[None])) > 0.1 * np.max(np.abs(q[None]))
    assert np.array_equal(q["solver_without_half"], q[None])
