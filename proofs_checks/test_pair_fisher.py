"""C9 (N = 2): the Fisher information of the pair law and its dissipation, derived (proofs_checks/derivations/
pair_fisher.py) and compared with the library (mbc_verify.mbc.pair_law, pair_linear).

Each derived identity has a negative control that must fail. The library's rate density is compared with the
derived one at random points (float64: relative 1e-13, a few roundings of O(1) terms); the library's I(k_t) and
dI/dt with an independent 25-digit mpmath reference for the dipole law (agreement 1e-12 relative for I, 1e-10 of
the round-off scale for dI/dt, the level-3 quadrature's accuracy).
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from mbc_verify.mbc.pair_law import Dynamics, evaluate, fisher_density, fisher_rate_density, gaussian_mixture
from mbc_verify.mbc.pair_linear import worst_case_scan
from mbc_verify.mbc.pair_search import counterexample_law
from mbc_verify.mbc.rate_laws import PowerLaw
from proofs_checks.derivations import pair_fisher as pf


def test_pair_metric_gives_half_and_two():
    assert pf.pair_coefficients() == (sp.Rational(1, 2), 2)


def test_negative_control_centre_without_half():
    assert pf.pair_coefficients(1) != (sp.Rational(1, 2), 2)


def test_spherical_metric_and_fisher_density_match_the_library():
    assert pf.spherical_metric() == sp.diag(1, pf.R ** -2, 1 / (pf.R ** 2 * sp.sin(pf.THETA) ** 2))
    derived = sp.lambdify([*pf.FIELDS, pf.R], pf.fisher_density_spherical())
    rng = np.random.default_rng(1)
    for _ in range(20):
        k, kr, kth, kphs, r = rng.uniform(0.1, 2.0), *rng.normal(size=3), rng.uniform(0.01, 3)
        assert fisher_density(k, kr, kth, kphs, r) == pytest.approx(derived(k, kr, kth, kphs, r), rel=1e-13)


def test_fisher_rate_density_matches_the_library():
    radial, angular = pf.fisher_rate_density()
    args = [*pf.FIELDS, *pf.RATES, pf.R]
    f_rad, f_ang = sp.lambdify(args, radial), sp.lambdify(args, angular)
    rng = np.random.default_rng(2)
    for _ in range(50):
        vals = [rng.uniform(0.1, 2.0), *rng.normal(size=7), rng.uniform(0.01, 3)]
        lib_rad, lib_ang = fisher_rate_density(*vals)
        assert lib_rad == pytest.approx(f_rad(*vals), rel=1e-13, abs=1e-14)
        assert lib_ang == pytest.approx(f_ang(*vals), rel=1e-13, abs=1e-14)


def test_negative_control_rate_density_without_the_weight_derivative():
    """Forgetting ∂_t(1/k) (the −|∇k|² k̇/k² terms) is not the derived rate."""
    radial, angular = pf.fisher_rate_density()
    k, k_r, k_th, k_phs = pf.FIELDS
    kdot, kdot_r, kdot_th, kdot_phs = pf.RATES
    wrong = 2 * (pf.R ** 2 * k_r * kdot_r + k_th * kdot_th + k_phs * kdot_phs) / k
    assert sp.simplify(radial + angular - wrong) != 0


def test_commutator_is_alpha_prime_times_the_generator():
    alpha = sp.Function("alpha")(pf.R)
    a = sp.Function("A")(pf.R) * sp.exp(-alpha * pf.KAPPA * pf.T)
    assert sp.simplify(pf.commutator() - (-pf.KAPPA * sp.diff(alpha, pf.R) * a)) == 0
    # the library's a_r(t) = (a₀' − t μ' a₀) e^{−μt}, μ = α κ: the r-derivative of the spectral solution
    lib = (sp.diff(sp.Function("A")(pf.R), pf.R) - pf.T * pf.KAPPA * sp.diff(alpha, pf.R) * sp.Function("A")(pf.R)) \
        * sp.exp(-alpha * pf.KAPPA * pf.T)
    assert sp.simplify(sp.diff(a, pf.R) - lib) == 0


def test_negative_control_commutator_vanishes_for_constant_rate():
    assert pf.commutator(sp.Integer(3)) == 0
    assert pf.commutator(pf.R ** pf.GAMMA) != 0


def test_second_order_fisher_is_rho_grad_psi_squared():
    assert pf.second_order_fisher() == 0
    assert pf.second_order_fisher(2) != 0  # negative control


def test_pointwise_threshold_and_ratio():
    s, lap = sp.Symbol("s", real=True), sp.Symbol("L", positive=True)
    assert sp.simplify(pf.pointwise_threshold() - (4 * lap - s ** 2) / 4) == 0
    assert sp.simplify(pf.pointwise_ratio() - sp.Abs(s) / (2 * sp.sqrt(lap))) == 0
    ratio = pf.pointwise_ratio()
    # α = r^γ: s = rμ'/μ = γ; the exchangeable degree ℓ = 2 is safe at Coulomb, the dipole ℓ = 1 is not
    assert ratio.subs({s: -3, lap: 6}) < 1
    assert ratio.subs({s: -3, lap: 2}) > 1
    assert ratio.subs({s: -2.5, lap: 2}) < 1


@pytest.mark.parametrize(("gamma", "ell"), [(-3.0, 1), (-2.0, 1), (-3.0, 2), (-2.5, 3)])
def test_linear_tier_attains_but_never_exceeds_the_pointwise_ratio(gamma, ell):
    """λ* of the 44-function dictionary ≤ |γ|/(2√(ℓ(ℓ+1))) (the integral of a pointwise-bounded form; 1e-9: the
    eigen-solver's round-off) and ≥ 0.99 of it (the dictionary localises: the bound is attained)."""
    bound = float(pf.pointwise_ratio().subs({sp.Symbol("s", real=True): gamma,
                                             sp.Symbol("L", positive=True): ell * (ell + 1)}))
    scan = worst_case_scan([1.0], [1.0], ell, Dynamics(PowerLaw(gamma)), np.geomspace(1e-8, 1.0, 9), level=1)
    assert scan["worst_ratio"] <= bound + 1e-9
    assert scan["worst_ratio"] >= 0.99 * bound


def test_hardy_identity_and_the_coulomb_dipole_coefficient():
    remainder, kappa = pf.hardy_identity()
    assert remainder == 0
    assert sp.simplify(kappa + pf.ELL * (pf.ELL + 1) / 2) == 0
    c1 = ((2 * pf.ELL + 1) ** 2 - pf.GAMMA ** 2) / 4
    assert c1.subs({pf.ELL: 1, pf.GAMMA: -3}) == 0
    assert c1.subs({pf.ELL: 2, pf.GAMMA: -3}) > 0


def test_convexity_identities_and_negative_control():
    assert pf.convexity_identity() == 0
    assert pf.jump_convexity_identity() == 0
    a, b = sp.Function("a")(pf.X), sp.Function("b")(pf.X)
    wrong = (2 * a * sp.diff((1 - pf.X ** 2) * sp.diff(a, pf.X), pf.X) / b
             - sp.diff((1 - pf.X ** 2) * sp.diff(a ** 2 / b, pf.X), pf.X))
    assert sp.simplify(wrong) != 0


def _dipole_callables(eps: str):
    """ρ = N(0, I) and ε b of ``counterexample_law``, b = r(e^{−r²/200} − ½e^{−r²/(2·0.03²)} − ½e^{−r²/(2·0.3²)})."""
    e = mpmath.mpf(eps)
    s1, s2, s3 = mpmath.mpf(10), mpmath.mpf("0.03"), mpmath.mpf("0.3")
    terms = [(1, s1), (-mpmath.mpf(1) / 2, s2), (-mpmath.mpf(1) / 2, s3)]

    def b(r):
        return e * r * sum(c * mpmath.exp(-r ** 2 / (2 * s ** 2)) for c, s in terms)

    def db(r):
        return e * sum(c * (1 - r ** 2 / s ** 2) * mpmath.exp(-r ** 2 / (2 * s ** 2)) for c, s in terms)

    def rho(r):
        return (2 * mpmath.pi) ** mpmath.mpf(-1.5) * mpmath.exp(-r ** 2 / 2)

    return rho, (lambda r: -r * rho(r)), b, db


@pytest.mark.parametrize("t", ["1e-5"])
def test_library_matches_the_mpmath_dipole_reference(t):
    _check_dipole(t, -3.0)


@pytest.mark.slow
@pytest.mark.parametrize(("t", "gamma", "h"), [("0", -3.0, 0), ("1e-7", -3.0, 0), ("1e-3", -3.0, 0),
                                               ("0.1", -3.0, 0), ("0.01", -2.0, 0), ("0.3", 1.0, 0),
                                               ("1e-5", -3.0, 1.0), ("1e-4", -3.0, 0.05)])
def test_library_matches_the_mpmath_dipole_reference_more_points(t, gamma, h):
    _check_dipole(t, gamma, h)


def _check_dipole(t: str, gamma: float, h: float = 0.0) -> None:
    """h = 0: master equation (κ₁ = 2); h > 0: MBC, κ₁ = 4(1 − cos h)/h² (SPEC §3, P₁(cos h) = cos h)."""
    rho, drho, b, db = _dipole_callables("0.05")
    g = mpmath.mpf(gamma)
    alpha, dalpha = (lambda r: r ** g), (lambda r: g * r ** (g - 1))
    kappa = 2 if h == 0 else 4 * (1 - mpmath.cos(mpmath.mpf(h))) / mpmath.mpf(h) ** 2
    ref_i, ref_di = pf.dipole_reference(rho, drho, b, db, alpha, dalpha, kappa, mpmath.mpf(t), dps=25)
    dyn = Dynamics(PowerLaw(gamma)) if h == 0 else Dynamics(PowerLaw(gamma), "mbc", h)
    out = evaluate(counterexample_law(), dyn, [float(t)], 3)
    assert abs(out["fisher"][0] - float(ref_i)) <= 1e-12 * float(ref_i)
    assert abs(out["dfisher"][0] - float(ref_di)) <= 1e-10 * out["rate_abs"][0]
    if 0 < float(t) <= 1e-3 and gamma == -3.0:
        assert float(ref_di) > 0  # the counterexample: the reference itself sees I increase on (0, 1e-3]


def test_sphere_moments_against_closed_forms():
    with mpmath.workdps(30):
        beta = mpmath.mpf("0.3")
        assert abs(pf.sphere_moment(0, 1, beta) - mpmath.log((1 + beta) / (1 - beta)) / beta) < mpmath.mpf(10) ** -28
        assert abs(pf.sphere_moment(0, 2, beta) - 2 / (1 - beta ** 2)) < mpmath.mpf(10) ** -28
    with pytest.raises(ValueError, match="^beta:"):
        pf.sphere_moment(0, 1, mpmath.mpf(1))


def test_two_particle_fisher_of_a_gaussian_pair():
    """Independent v₁, v₂ ~ N(0, I): I(F) = 3 + 3 = 6; c ~ N(0, I/2), u ~ N(0, 2I): ½·(3·2) + 2·(3/2) = 6."""
    a, b = pf.pair_coefficients()
    assert a * 3 * 2 + b * sp.Rational(3, 2) == 6
    u_law = gaussian_mixture([1.0], [2.0])
    assert math.isclose(2 * evaluate(u_law, Dynamics(PowerLaw(0.0)), [0.0], 3)["fisher"][0], 3.0, rel_tol=1e-13)
