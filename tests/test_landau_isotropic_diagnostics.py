"""Diagnostics of grid densities of the isotropic scheme (mbc_verify.landau.isotropic_diagnostics): the log-mean
interface values, the non-negative dissipation form and its round-off bound, the step and entropy round-off bounds,
the Dirichlet energy and the discrete Maxwellian."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mbc_verify.landau.densities import radial_function
from mbc_verify.landau.isotropic import IsotropicGrid, default_v_max, initial_values, solve_isotropic
from mbc_verify.landau.isotropic_diagnostics import (
    EPS,
    cell_sums,
    dirichlet_energy,
    discrete_maxwellian,
    dissipation_formula,
    entropy_roundoff_bound,
    flux_magnitudes,
    functional_roundoff_bound,
    interface_values,
    step_roundoff_bound,
)
from mbc_verify.landau.isotropic_kernel import FLUX_COEFFICIENT


@pytest.fixture(scope="module")
def grid() -> IsotropicGrid:
    return IsotropicGrid(32, default_v_max("mixture:1,0.3,1,2"), -1.0)


@settings(max_examples=40)
@given(st.lists(st.floats(-30.0, 30.0), min_size=2, max_size=2))
def test_log_mean_lies_between_its_arguments(logs):
    """𝔽 is a mean: min ≤ 𝔽 ≤ max, and 𝔽 δ = DF (to a few roundings) for any pair of positive values."""
    g = IsotropicGrid(2, 4.0, 0.0)
    f = np.exp(np.array(logs))
    _, fm, delta, df = interface_values(g, f)
    lo, hi = f.min(), f.max()
    assert lo * (1 - 4 * EPS) <= fm[0] <= hi * (1 + 4 * EPS)
    assert abs(fm[0] * delta[0] - df[0]) <= 1e-12 * max(abs(df[0]), hi * EPS)


def test_interface_values_log_mean_identity(grid):
    rng = np.random.default_rng(0)
    f = np.exp(rng.normal(size=grid.n))
    f[5] = f[4]  # equal neighbours: the logarithmic mean is the common value
    _, fm, delta, df = interface_values(grid, f)
    assert np.allclose(fm * delta, df, rtol=1e-13, atol=0.0)  # 𝔽 δ = DF exactly in exact arithmetic
    assert fm[4] == f[4]
    assert np.all(fm >= np.minimum(f[:-1], f[1:])) and np.all(fm <= np.maximum(f[:-1], f[1:]))


def test_cell_sums():
    assert np.array_equal(cell_sums(np.array([1.0, 2.0, 4.0])), np.array([1.0, 3.0, 6.0, 4.0]))


def test_dissipation_zero_at_discrete_maxwellian_positive_elsewhere(grid):
    alpha, beta = discrete_maxwellian(grid)
    m = np.exp(alpha - beta * grid.r**2 / 2)
    d_m, bound = dissipation_formula(grid, m)
    a, jstar = flux_magnitudes(grid, m)
    assert 0.0 <= d_m <= bound
    assert jstar.max() <= 1e-12 * a.max()
    f = initial_values(grid, radial_function("mixture:1,0.3,1,2"))
    d_f, bound_f = dissipation_formula(grid, f)
    assert d_f > 1e6 * bound_f


def test_dissipation_formula_matches_solver_at_t0():
    """The independent evaluation equals the solver's D = −Σ ω log F dF/dt within its round-off bound; a form with
    the wrong constant (no ½) does not."""
    n, gamma, init = 24, -2.0, "mixture:1,0.5,1,2"
    rec = solve_isotropic(gamma, 0.01, init=init, snapshots=2, n_grid=n)
    g = IsotropicGrid(n, rec["v_max"], gamma)
    d, bound = dissipation_formula(g, initial_values(g, radial_function(init)))
    assert abs(rec["entropy_dissipation"][0] - d) <= bound
    assert abs(rec["entropy_dissipation"][0] - d / FLUX_COEFFICIENT) > 1e6 * bound


def test_entropy_roundoff_bound_is_the_solvers(grid):
    """The solver records the max over steps of this bound: after one step from f it is the bound at the new state;
    in mpmath arithmetic ε is mpmath's."""
    f = initial_values(grid, radial_function("mixture:1,0.3,1,2"))
    logf = np.log(f)
    b = entropy_roundoff_bound(grid, f, logf)
    assert b == 2.0 * (math.log2(grid.n) + 2.0) * EPS * float(np.sum(np.abs(grid.omega * f * logf)))
    assert 0.0 < b < 1e-12
    rec = solve_isotropic(-1.0, 1e-4, init="mixture:1,0.3,1,2", snapshots=2, n_grid=grid.n, v_max=grid.v_max,
                          dt=1e-4)
    f1 = np.asarray(rec["density"])
    assert rec["steps"] == 1 and rec["entropy_roundoff_bound"] == entropy_roundoff_bound(grid, f1, np.log(f1))
    with mpmath.workdps(30):
        g_mp = IsotropicGrid(8, 6.0, 0.0, "mpmath")
        f_mp = np.array([mpmath.mpf(1) / (k + 1) for k in range(8)], dtype=object)
        b_mp = entropy_roundoff_bound(g_mp, f_mp, g_mp.log(f_mp))
        assert 0.0 < b_mp < 1e-25


def test_step_roundoff_bound_covers_a_step_and_is_roundoff_at_equilibrium(grid):
    """The bound covers one solver step from any state (J* bounds the exact flux); at the discrete Maxwellian J* = 0,
    so it is at round-off level there, far below the change of one step from a mixture."""
    alpha, beta = discrete_maxwellian(grid)

    def maxwellian(r):
        return np.exp(alpha - beta * np.asarray(r) ** 2 / 2)

    tau = 1e-4
    changes = []
    for init in (maxwellian, "mixture:1,0.3,1,2"):
        f0 = initial_values(grid, radial_function(init))
        rec = solve_isotropic(grid.gamma, tau, init=init, snapshots=2, n_grid=grid.n, v_max=grid.v_max, dt=tau)
        change = np.abs(np.asarray(rec["density"]) - f0)
        bound = step_roundoff_bound(grid, f0, tau)
        assert np.all(change <= bound)
        changes.append((change.max(), bound.max() / f0.max()))
    assert changes[0][1] < 1e-12
    assert changes[1][0] > 1e6 * changes[0][1]


def test_functional_roundoff_bound():
    v = np.array([2.0, -3.0])
    assert np.array_equal(functional_roundoff_bound(64, v), 2.0 * (6.0 + 6.0) * EPS * np.abs(v))


def test_dirichlet_energy_of_maxwellian_second_order():
    exact = 1.5 * math.pi**1.5 / (2 * math.pi) ** 3  # ∫|∇M|² = ∫|v|² M² dv
    errs = []
    for n in (100, 200):
        r = (np.arange(n) + 0.5) * (10.0 / n)
        errs.append(abs(dirichlet_energy(r, (2 * math.pi) ** -1.5 * np.exp(-r * r / 2)) - exact))
    assert errs[1] < errs[0] / 3  # second order: the error drops by ~4 when Δr halves


def test_discrete_maxwellian_moments(grid):
    for mass, energy in ((1.0, 3.0), (0.9, 2.0)):
        alpha, beta = discrete_maxwellian(grid, mass, energy)
        m = np.exp(alpha - beta * grid.r**2 / 2)
        assert math.isclose(np.sum(grid.omega * m), mass, rel_tol=1e-13)
        assert math.isclose(np.sum(grid.omega * m * grid.r**2), energy, rel_tol=1e-12)
    with pytest.raises(ValueError):
        discrete_maxwellian(grid, 1.0, 1e3)  # no Maxwellian on this grid is that hot
