"""Claims C7 (H-theorem), C8 (Fisher information, Guillén–Silvestre) and C11 (Maxwellian equilibrium).

Default tier: the claims' helper functions (fast). Slow tier: the quick profile of each claim passes, and the
designated planted defects (mutants) make it fail.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mbc_verify.claims.c07_h_theorem import (
    EPS,
    dissipation_formula,
    draw_cases,
    flux_magnitudes,
    interface_values,
    romberg_check,
)
from mbc_verify.claims.c08_fisher import SuperGaussian, dirichlet_energy, increase_ratios
from mbc_verify.claims.c11_equilibrium import discrete_maxwellian, microcanonical_moment4
from mbc_verify.claims.registry import run_claim
from mbc_verify.initial import parse_init
from mbc_verify.landau.densities import radial_function
from mbc_verify.landau.isotropic import IsotropicGrid, default_v_max, initial_values, solve_isotropic


@pytest.fixture(scope="module")
def grid() -> IsotropicGrid:
    return IsotropicGrid(32, default_v_max("mixture:1,0.3,1,2"), -1.0)


def test_draw_cases_deterministic_and_in_range():
    cases = draw_cases(3, 12)
    assert cases == draw_cases(3, 12)
    assert cases != draw_cases(4, 12)
    assert cases[0][0] == -3.0 and cases[1][0] == 1.0
    for gamma, name in cases:
        assert -3.0 <= gamma <= 1.0
        spec = parse_init(name)
        assert spec.name == "mixture" and 1 <= len(spec.mixture) <= 3
        assert math.isclose(sum(w * 3 * t for w, t in spec.mixture), 3.0, rel_tol=1e-12)


def test_interface_values_log_mean_identity(grid):
    rng = np.random.default_rng(0)
    f = np.exp(rng.normal(size=grid.n))
    f[5] = f[4]  # equal neighbours: the logarithmic mean is the common value
    _, fm, delta, df = interface_values(grid, f)
    # 𝔽 δ = DF exactly in exact arithmetic; a few roundings in floating point
    assert np.allclose(fm * delta, df, rtol=1e-13, atol=0.0)
    assert fm[4] == f[4]
    assert np.all(fm >= np.minimum(f[:-1], f[1:])) and np.all(fm <= np.maximum(f[:-1], f[1:]))


def test_dissipation_zero_at_discrete_maxwellian_positive_elsewhere(grid):
    alpha, beta = discrete_maxwellian(grid)
    m = np.exp(alpha - beta * grid.r**2 / 2)
    d_m, bound = dissipation_formula(grid, m)
    _, jstar = flux_magnitudes(grid, m)
    assert 0.0 <= d_m <= bound
    assert jstar.max() <= 1e-12 * flux_magnitudes(grid, m)[0].max()
    f = initial_values(grid, radial_function("mixture:1,0.3,1,2"))
    d_f, bound_f = dissipation_formula(grid, f)
    assert d_f > 1e6 * bound_f


def test_dissipation_formula_matches_solver_at_t0():
    n, gamma, init = 24, -2.0, "mixture:1,0.5,1,2"
    rec = solve_isotropic(gamma, 0.01, init=init, snapshots=2, n_grid=n)
    g = IsotropicGrid(n, rec["v_max"], gamma)
    d, bound = dissipation_formula(g, initial_values(g, radial_function(init)))
    assert abs(rec["entropy_dissipation"][0] - d) <= bound


def test_romberg_check_exact_on_exponential():
    t = np.linspace(0.0, 2.0, 41)
    d = 3.0 * np.exp(-3.0 * t)
    h = np.exp(-3.0 * t)  # dH/dt = −D
    resid, tol = romberg_check(t, h, d)
    assert abs(resid) <= tol
    resid_wrong, tol_wrong = romberg_check(t, h, 2 * d)  # a dissipation twice too large is detected
    assert abs(resid_wrong) > 100 * tol_wrong


def test_supergaussian_normalised():
    from scipy import integrate

    for p in (2.0, 8.0):
        f = SuperGaussian(p)
        mass = integrate.quad(lambda r, f=f: 4 * math.pi * r * r * f(r), 0, 20)[0]
        energy = integrate.quad(lambda r, f=f: 4 * math.pi * r**4 * f(r), 0, 20)[0]
        assert math.isclose(mass, 1.0, rel_tol=1e-10) and math.isclose(energy, 3.0, rel_tol=1e-10)
    r = np.linspace(0.0, 5.0, 11)
    assert np.allclose(SuperGaussian(2.0)(r), (2 * math.pi) ** -1.5 * np.exp(-r * r / 2), rtol=1e-13)


def test_dirichlet_energy_of_maxwellian_second_order():
    exact = 1.5 * math.pi**1.5 / (2 * math.pi) ** 3  # ∫|∇M|² = ∫|v|² M² dv
    errs = []
    for n in (100, 200):
        r = (np.arange(n) + 0.5) * (10.0 / n)
        errs.append(abs(dirichlet_energy(r, (2 * math.pi) ** -1.5 * np.exp(-r * r / 2)) - exact))
    assert errs[1] < errs[0] / 3  # second order: the error drops by ~4 when Δr halves


def test_increase_ratios():
    fine = np.array([3.0, 2.5, 2.2, 2.1])
    assert np.all(increase_ratios(fine + 1e-3, fine, 50) < 0)
    up = np.array([1.0, 1.1, 1.2])
    ratios = increase_ratios(up + np.array([0.0, 1e-4, 2e-4]), up, 50)  # coarse and fine differ by 1e-4
    assert np.all(ratios > 100)


def test_discrete_maxwellian_moments(grid):
    for mass, energy in ((1.0, 3.0), (0.9, 2.0)):
        alpha, beta = discrete_maxwellian(grid, mass, energy)
        m = np.exp(alpha - beta * grid.r**2 / 2)
        assert math.isclose(np.sum(grid.omega * m), mass, rel_tol=1e-13)
        assert math.isclose(np.sum(grid.omega * m * grid.r**2), energy, rel_tol=1e-12)


def test_microcanonical_moment4():
    assert microcanonical_moment4(10**9) == pytest.approx(15.0, rel=1e-8)
    # Monte Carlo on S_N(3N, 0) for N = 3: centred Gaussian configurations scaled to the sphere
    n, samples = 3, 200_000
    rng = np.random.default_rng(1)
    v = rng.standard_normal((samples, n, 3))
    v -= v.mean(axis=1, keepdims=True)
    v *= np.sqrt(3.0 * n / (v**2).sum(axis=(1, 2)))[:, None, None]
    x = ((v[:, 0] ** 2).sum(axis=1)) ** 2
    z = (x.mean() - microcanonical_moment4(n)) / (x.std(ddof=1) / math.sqrt(samples))
    assert abs(z) <= 5.0
    assert EPS == np.finfo(np.float64).eps


@pytest.mark.slow
@pytest.mark.parametrize("claim_id", ["C7", "C8", "C11"])
def test_quick_profile_passes(claim_id, tmp_path):
    cert = run_claim(claim_id, "quick", 0, tmp_path)
    assert cert.verdict == "pass", cert.details
    assert any(e.endswith(".png") for e in cert.evidence) and any(e.endswith(".json") for e in cert.evidence)


@pytest.mark.slow
@pytest.mark.parametrize(("claim_id", "mutant"), [
    ("C7", "entropy_sign"), ("C7", "solver_without_half"),
    ("C8", "entropy_sign"), ("C8", "solver_without_half"),
    ("C11", "entropy_sign"), ("C11", "one_sided_rotation"),
])
def test_mutant_fails(claim_id, mutant, tmp_path):
    cert = run_claim(claim_id, "quick", 0, tmp_path, mutant=mutant)
    assert cert.verdict == "fail", cert.details
