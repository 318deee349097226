"""Item 6 — the BKW solution for Maxwell molecules (docs/spec.md §4).

    f = (2πK)^(-3/2) e^(-|v|²/(2K)) (A + B|v|²/K),   ∫f = 1,  ∫|v|²f = 3.

A(K), B(K) are solved from the two moment conditions (checked here against sympy's own radial integrals);
dK/dt is the unique value that makes ∂_t f - Q(f, f) vanish identically in v (Q from the strong form with
its ½); K(t) solves that ODE; f ≥ 0 for all v exactly on [K_min, K_max]. Consistency with item 5: the BKW
m4 obeys the derived ∫|v|⁴ equation. Negative controls: a wrong B (sign flipped, or off by a constant)
leaves no dK/dt that solves the PDE, and the mass/energy conditions fail; K just outside the range makes f
negative somewhere.
"""

import pytest
import sympy as sp

from proofs_checks.derivations import bkw
from proofs_checks.derivations.landau import vector
from proofs_checks.derivations.maxwell import M2, M4, E, moment4_rhs

RHO = sp.Symbol("rho", nonnegative=True)


def radial_density(a, b):
    return (2 * sp.pi * bkw.K) ** sp.Rational(-3, 2) * sp.exp(-RHO ** 2 / (2 * bkw.K)) * (a + b * RHO ** 2 / bkw.K)


def radial_moment(a, b, power):
    """∫ |v|^power f dv = 4π ∫_0^∞ ρ^(2+power) f(ρ) dρ, integrated by sympy."""
    return sp.simplify(sp.integrate(4 * sp.pi * RHO ** (2 + power) * radial_density(a, b), (RHO, 0, sp.oo)))


def pde_closes(a, b) -> bool:
    """True iff some dK/dt makes the PDE residual vanish identically in v."""
    residual = bkw.pde_residual_over_gaussian(a, b)
    return bool(sp.solve(sp.Poly(residual, *vector("v")).coeffs(), [bkw.KDOT], dict=True))


def test_coefficients_give_mass_one_and_energy_three():
    a, b = bkw.coefficients()
    assert sp.simplify(radial_moment(a, b, 0) - 1) == 0
    assert sp.simplify(radial_moment(a, b, 2) - 3) == 0


def test_ansatz_solves_the_landau_equation():
    a, b = bkw.coefficients()
    residual = bkw.pde_residual_over_gaussian(a, b, bkw.k_ode())
    assert sp.simplify(residual) == 0
    assert sp.simplify(bkw.pde_residual_over_gaussian(a, b, bkw.k_ode() + sp.Rational(1, 10))) != 0


def test_k_solution_solves_the_ode():
    k_t = bkw.k_solution()
    assert sp.simplify(sp.diff(k_t, bkw.T) - bkw.k_ode().subs(bkw.K, k_t)) == 0
    assert sp.simplify(k_t.subs(bkw.T, 0) - bkw.K0) == 0
    assert sp.limit(k_t, bkw.T, sp.oo) == 1  # relaxes to the Maxwellian K = 1 (A = 1, B = 0)


def test_fourth_moment_obeys_the_maxwell_moment_equation():
    a, b = bkw.coefficients()
    m4 = radial_moment(a, b, 4)
    dm4_dt = sp.diff(m4, bkw.K) * bkw.k_ode()
    # the BKW density is isotropic with energy 3: M = I, E = 3, M2 = 3
    assert sp.simplify(dm4_dt - moment4_rhs().subs({M4: m4, E: 3, M2: 3})) == 0


def test_positivity_range():
    kmin, kmax = bkw.positivity_range()
    a, b = bkw.coefficients()
    for k in (kmin, (kmin + kmax) / 2, kmax):
        assert a.subs(bkw.K, k) >= 0 and b.subs(bkw.K, k) >= 0


@pytest.mark.parametrize("side", ["below", "above"])
def test_negative_control_density_negative_outside_range(side):
    kmin, kmax = bkw.positivity_range()
    a, b = bkw.coefficients()
    k = kmin - sp.Rational(1, 100) if side == "below" else kmax + sp.Rational(1, 100)
    # f ∝ A + B s at s = |v|²/K: at s = 0 when A < 0, at large s when B < 0
    s = sp.Integer(0) if side == "below" else sp.Integer(10 ** 4)
    assert (a + b * s).subs(bkw.K, k) < 0


@pytest.mark.parametrize("defect", ["flipped_sign", "shifted"])
def test_negative_control_wrong_b_coefficient(defect):
    a, b = bkw.coefficients()
    wrong_b = -b if defect == "flipped_sign" else b + sp.Rational(1, 10)
    assert not pde_closes(a, wrong_b)
    mass, energy = bkw.moments(a, wrong_b)
    assert sp.simplify(mass - 1) != 0 or sp.simplify(energy - 3) != 0
