"""Item 7 — bi-Maxwellian initial rates for any γ (docs/spec.md §4).

For φ(v) = vᵀQv the symmetrised weak-form integrand depends on z = v - w only:
F_Q(z) = |z|^γ (|z|² tr Q - 3 zᵀQz) (checked for general symmetric Q and symbolic γ), so dM/dt = E F(z) with
z ~ N(0, 2Σ). For Q = e_3⊗e_3 the expectation is reduced to a 2D cylindrical integral and, after the radial
integral done by sympy, to one μ-integral evaluated to 30 digits. Checks: at γ = 0 the 30-digit values equal
the closed Maxwell prediction α tr Σ + β T∥ of item 5; the 2D route agrees with the 1D route; a
temperature excess along the axis relaxes (negative rate) for every γ. Negative controls: the wrong sign of b
changes the γ = 0 rate away from item 5; z ~ N(0, Σ) instead of N(0, 2Σ) misses item 5 at γ = 0.
"""

import mpmath
import pytest
import sympy as sp

from proofs_checks.derivations import bimaxwellian as bm
from proofs_checks.derivations.identities import vanishes
from proofs_checks.derivations.landau import symmetrised_integrand, vector
from proofs_checks.derivations.maxwell import second_moment_rates
from proofs_checks.derivations.moments import expectation, gaussian_moment

TOLERANCE_30 = mpmath.mpf(10) ** -28  # 40 working digits, reported to 30: agreement to ~1e-28 relative


def maxwell_prediction(tpar, tperp):
    """dT∥/dt = α tr Σ + β T∥ from item 5 (γ = 0)."""
    alpha, beta = second_moment_rates()
    tp, tq = sp.Rational(tpar), sp.Rational(tperp)
    return alpha * (tp + 2 * tq) + beta * tp


def gamma0_rate_by_moments(tpar, tperp, b_sign=-1):
    """E F(z), z ~ N(0, 2Σ), at γ = 0 where F is a polynomial: Gaussian moments, no quadrature."""
    z, c, v, w = vector("z"), vector("c"), vector("v"), vector("w")
    f = symmetrised_integrand(lambda x: x[2] ** 2, v, w, sp.Integer(0), b_sign=b_sign)
    f = f.subs({**{v[i]: c[i] + z[i] / 2 for i in range(3)}, **{w[i]: c[i] - z[i] / 2 for i in range(3)}},
               simultaneous=True)
    tp, tq = sp.Rational(tpar), sp.Rational(tperp)
    return expectation(sp.expand(f), z, gaussian_moment([2 * tq, 2 * tq, 2 * tp])).subs({x: 0 for x in c})


def test_quadratic_integrand_depends_on_z_only_with_closed_form():
    q = sp.Matrix(3, 3, lambda i, j: sp.Symbol(f"Q{min(i, j) + 1}{max(i, j) + 1}", real=True))
    f, z, c = bm.quadratic_integrand(q)
    assert all(vanishes(sp.diff(f, x)) for x in c)
    closed, q_sym = bm.gaussian_check_integrand()
    assert vanishes(f - closed.subs(dict(zip(q_sym, q, strict=True))))


@pytest.mark.parametrize("tpar,tperp", bm.TEMPERATURES)
def test_gamma0_quadrature_equals_maxwell_moment_equation(tpar, tperp):
    expected = maxwell_prediction(tpar, tperp)
    assert gamma0_rate_by_moments(tpar, tperp) == expected
    with mpmath.workdps(40):
        got = bm.dtpar_dt(0, tpar, tperp)
        assert abs(got - mpmath.mpf(sp.Rational(expected).p) / sp.Rational(expected).q) < TOLERANCE_30


def test_cylindrical_route_agrees_with_spherical_route():
    # Coulomb case; 12-digit 2D tanh-sinh quadrature (error ~1e-12 relative), so 1e-10 relative is a safe bound
    one_d = bm.dtpar_dt(-3, "2", "0.5", dps=20)
    two_d = bm.rate_cylindrical(-3, "2", "0.5", dps=12)
    assert abs(two_d - one_d) < mpmath.mpf(10) ** -10 * abs(one_d)


@pytest.mark.parametrize("gamma", bm.GAMMAS)
def test_parallel_excess_relaxes(gamma):
    for tpar, tperp in bm.TEMPERATURES:
        rate = bm.dtpar_dt(gamma, tpar, tperp, dps=20)
        assert (rate < 0) == (sp.Rational(tpar) > sp.Rational(tperp))


def test_termwise_integration_step():
    assert bm.termwise_hypergeometric_ratio() == 1
    closed = sp.lambdify((sp.Symbol("g"),), bm.closed_form_expr().subs(
        {bm.GAMMA: sp.Symbol("g"), bm.TPAR: 2, bm.TPERP: sp.Rational(1, 2)}), modules="mpmath")
    assert abs(closed(-1) - bm.dtpar_dt(-1, "2", "0.5")) < 1e-13  # the exported sympy expression, in floats


@pytest.mark.parametrize("gamma", bm.GAMMAS)
def test_hypergeometric_closed_form_equals_quadrature_to_30_digits(gamma):
    for tpar, tperp in bm.TEMPERATURES:
        with mpmath.workdps(40):
            closed, quad = bm.rate_hypergeometric(gamma, tpar, tperp), bm.dtpar_dt(gamma, tpar, tperp)
            assert abs(closed - quad) < TOLERANCE_30 * max(1, abs(quad))


def test_negative_control_wrong_hypergeometric_parameter():
    # lower parameter k + 5/2 instead of k + 3/2: the termwise identity fails, and so does the closed form
    assert bm.termwise_hypergeometric_ratio(lower_shift=2) != 1
    with mpmath.workdps(40):
        wrong = bm.rate_hypergeometric(-3, "2", "0.5", lower_shift=2)
        assert abs(wrong - bm.dtpar_dt(-3, "2", "0.5")) > 1e-3


def test_negative_control_wrong_sign_of_b():
    assert gamma0_rate_by_moments("2", "0.5", b_sign=+1) != maxwell_prediction("2", "0.5")


def test_negative_control_wrong_covariance_of_z():
    # z ~ N(0, Σ) is the same quadrature at half the temperatures
    expected = maxwell_prediction("2", "0.5")
    wrong = bm.dtpar_dt(0, "1", "0.25", dps=20)
    assert abs(wrong - float(expected)) > 1
