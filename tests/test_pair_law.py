"""The exact N = 2 law (mbc_verify.mbc.pair_law): spectral evolution, Fisher information, its rate, relative entropy.

Tolerances: the quadrature converges geometrically (test_quadrature_converges fits the decay); at level 3 the
project's laws are accurate to < 1e-12 relative (checked against a 25-digit mpmath reference in
proofs_checks/test_pair_fisher.py), so identities are checked at 1e-10 relative unless stated otherwise; sign
checks of quantities that are ≤ 0 in exact arithmetic allow 1e-10 of the quantity's own scale.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.special import eval_legendre

from mbc_verify.mbc.pair_law import (
    ROUND_OFF,
    Dynamics,
    Modulation,
    PairLaw,
    angular_basis,
    convergence,
    evaluate,
    gaussian_mixture,
    make_grid,
    mixture_fisher,
    modulated_law,
    modulation_bound,
    radial_fields,
)
from mbc_verify.mbc.pair_search import control_law, counterexample_law
from mbc_verify.mbc.rate_laws import GS_LOG_SLOPE_BOUND, PowerLaw, TanhStep

NON_AXISYMMETRIC = modulated_law([0.6, 0.4], [0.5, 2.0],
                                 [Modulation(1, 1, 0.2, 0.8), Modulation(2, -2, -0.25, 1.2, 2),
                                  Modulation(3, 1, 0.15, 1.0, 0, True), Modulation(2, 0, 0.1, 0.4)])


def test_angular_basis_is_orthonormal_with_laplacian_eigenvalues():
    modes = tuple((ell, m) for ell in range(5) for m in range(-ell, ell + 1))
    x, wx = np.polynomial.legendre.leggauss(16)
    phi = 2 * math.pi * np.arange(32) / 32
    y, y_th, y_phs = angular_basis(modes, x, phi)
    w = (wx[:, None] * np.full(32, 2 * math.pi / 32)[None, :]).ravel()
    gram = (y * w) @ y.T
    grad = (y_th * w) @ y_th.T + (y_phs * w) @ y_phs.T
    lap = np.array([ell * (ell + 1.0) for ell, _ in modes])
    assert np.allclose(gram, np.eye(len(modes)), atol=1e-13)  # degree ≤ 8 products: Gauss 16 × trapezoid 32 exact
    assert np.allclose(grad, np.diag(lap), atol=1e-12)


def test_mass_is_exact_and_modulations_have_zero_mean():
    law = NON_AXISYMMETRIC
    out = evaluate(law, Dynamics(PowerLaw(-2.0)), [0.0, 0.5], level=2)
    assert law.mass() == pytest.approx(1.0, rel=1e-14)
    assert np.allclose(out["mass"], 1.0, rtol=1e-12)


def test_spectral_coefficients_decay_exactly():
    """Project k_t on Y_ℓm on a few spheres: a_ℓm(r, t) = a_ℓm(r, 0) exp(−α(r) κ_ℓ t), κ from SPEC §3 formulas."""
    law = NON_AXISYMMETRIC
    r = np.array([0.3, 1.0, 2.2])
    x, wx = np.polynomial.legendre.leggauss(24)
    phi = 2 * math.pi * np.arange(48) / 48
    y = angular_basis(law.modes, x, phi)[0]
    w = (wx[:, None] * np.full(48, 2 * math.pi / 48)[None, :]).ravel()
    a0 = law.radial_coefficients(r)[0]
    for dyn, kappa in ((Dynamics(PowerLaw(-3.0)), lambda ell: ell * (ell + 1.0)),
                       (Dynamics(TanhStep(), "mbc", 0.4),
                        lambda ell: 4.0 * (1.0 - eval_legendre(ell, math.cos(0.4))) / 0.4 ** 2)):
        t = 0.37
        k_t = radial_fields(law, dyn, r, t)["a"].T @ y
        projected = (k_t * w) @ y.T
        ells = np.array([ell for ell, _ in law.modes])
        expected = a0.T * np.exp(-dyn.rate.value(r)[:, None] * np.array([kappa(e) for e in ells])[None, :] * t)
        assert np.allclose(projected, expected, rtol=1e-12, atol=1e-15)


def test_mbc_rates_tend_to_the_master_rates_at_order_h2():
    ell = np.arange(5)
    master = Dynamics(PowerLaw(0.0)).kappa(4)
    errs = [np.max(np.abs(Dynamics(PowerLaw(0.0), "mbc", h).kappa(4) - master)) for h in (0.2, 0.1, 0.05)]
    slopes = np.diff(np.log(errs)) / np.diff(np.log([0.2, 0.1, 0.05]))
    assert np.all(np.abs(slopes - 2.0) < 0.05)  # SPEC §3: O(h²) relative error
    assert np.all(master == ell * (ell + 1))


@pytest.mark.parametrize("case", ["dipole-coulomb", "non-axisymmetric-mbc", "control-step"])
def test_quadrature_converges(case):
    """Differences to the finest level decay geometrically (≥ 1 digit per level while above 10× round-off) and are
    < 1e-10 of the quantity (I, H) or of its round-off scale (dI/dt: |J_r| + |J_S| + |C|) at level 3."""
    law, dyn, t = {"dipole-coulomb": (counterexample_law(), Dynamics(PowerLaw(-3.0)), 1e-5),
                   "non-axisymmetric-mbc": (NON_AXISYMMETRIC, Dynamics(PowerLaw(-2.0), "mbc", 0.3), 0.05),
                   "control-step": (control_law(), Dynamics(TanhStep()), 0.2)}[case]
    conv = convergence(law, dyn, t, levels=(0, 1, 2, 3, 4))
    for key in ("fisher", "dfisher", "entropy"):
        data = conv[key]
        scale = abs(data["values"][-1])
        assert data["diff_to_finest"][3] <= 1e-10 * scale, (key, data)
        slope = data["log10_decay_per_level"]
        assert math.isnan(slope) or slope <= -1.0, (key, data)  # nan: already at round-off from level 0


def _richardson_fd(law, dyn, t, delta, level=2):
    """Fourth-order central difference of I and of H at t (step δ)."""
    ts = [t - 2 * delta, t - delta, t + delta, t + 2 * delta]
    out = evaluate(law, dyn, ts, level)
    return [(8 * (f[2] - f[1]) - (f[3] - f[0])) / (12 * delta) for f in (out["fisher"], out["entropy"])]


@pytest.mark.parametrize("case", ["dipole-coulomb", "control-step", "non-axisymmetric-mbc"])
def test_rates_match_finite_differences(case):
    """dI/dt and dH/dt are the limits of 4th-order central differences D(δ): |D(δ) − rate| falls like δ⁴ or faster
    (fitted order > 3.5 over the steps where it is above round-off; a wrong rate formula would plateau at its own
    error) and is ≤ 1e-5 of the rate at δ = t/40 (or at round-off)."""
    law, dyn, t = {"dipole-coulomb": (counterexample_law(), Dynamics(PowerLaw(-3.0)), 5e-4),
                   "control-step": (control_law(), Dynamics(TanhStep(), "mbc", 0.5), 0.3),
                   "non-axisymmetric-mbc": (NON_AXISYMMETRIC, Dynamics(PowerLaw(1.0), "mbc", 0.7), 0.2)}[case]
    exact = evaluate(law, dyn, [t], 2)
    deltas = t * np.array([0.1, 0.05, 0.025])
    fds = np.array([_richardson_fd(law, dyn, t, d) for d in deltas])
    for key, index, base in (("dfisher", 0, "fisher"), ("dentropy", 1, "entropy_scale")):
        errs = np.abs(fds[:, index] - exact[key][0])
        # round-off of a difference of O(scale) sums, divided by δ (the scale: I, or ∫|k log(k/k̄)| for H)
        noise = 10 * ROUND_OFF * abs(exact[base][0]) / deltas
        above = errs > noise
        if above.sum() >= 2:
            order = np.polyfit(np.log(deltas[above]), np.log(errs[above]), 1)[0]
            assert order > 3.5, (key, errs)
        assert errs[-1] <= max(1e-5 * abs(exact[key][0]), noise[-1]), (key, errs, exact[key][0])


def test_negative_control_rate_without_commutator_misses_finite_differences():
    """Dropping C (treating ∂_r and α(r)Δ_S as commuting) is wrong when α' ≠ 0, and exact when α is constant."""
    law = control_law()
    for dyn, should_differ in ((Dynamics(TanhStep()), True), (Dynamics(PowerLaw(0.0)), False)):
        t = 0.3
        exact = evaluate(law, dyn, [t], 2)
        fd = _richardson_fd(law, dyn, t, t / 40)[0]
        no_comm = exact["radial_jensen"][0] + exact["angular"][0]
        assert abs(exact["dfisher"][0] - fd) < 1e-5 * abs(fd)  # as in test_rates_match_finite_differences
        assert bool(abs(no_comm - fd) > 0.1 * abs(fd)) is should_differ


def _dipole_entropy_reference(law_eps, t, gamma):
    """H(k_t) for k = ρ(1 + β cos θ): per sphere 2π ρ ∫(1+βx) log(1+βx) dx = 2π ρ [((1+β)² log(1+β) −
    (1−β)² log(1−β))/(2β) − 1] (elementary), then scipy quad in r."""
    def b(r):
        return law_eps * r * (np.exp(-r * r / 200) - 0.5 * np.exp(-r * r / (2 * 0.03 ** 2))
                              - 0.5 * np.exp(-r * r / (2 * 0.3 ** 2)))

    def h(beta):
        if abs(beta) < 1e-4:  # series: β²/3 + β⁴/30 + … (relative error β⁴ < 1e-16)
            return beta * beta / 3 + beta ** 4 / 30
        return ((1 + beta) ** 2 * math.log1p(beta) - (1 - beta) ** 2 * math.log1p(-beta)) / (2 * beta) - 1

    def integrand(r):
        beta = b(r) * math.exp(-2.0 * r ** gamma * t)
        return r * r * (2 * math.pi) ** -1.5 * math.exp(-r * r / 2) * 2 * math.pi * h(beta)

    pts = [1e-3, 0.01, 0.03, 0.1, 0.3, 1, 3]
    return quad(integrand, 0, 40, points=pts, limit=400, epsabs=0, epsrel=1e-13)[0]


def test_relative_entropy_exact_for_the_dipole_law():
    law = counterexample_law(0.1)  # sup|ε b| = 0.61 < 1
    out = evaluate(law, Dynamics(PowerLaw(-2.0)), [0.0, 1e-3, 0.1], 3)
    for t, value in zip(out["times"], out["entropy"], strict=True):
        assert value == pytest.approx(_dipole_entropy_reference(0.1, t, -2.0), rel=1e-9)


@pytest.mark.parametrize("rate", [PowerLaw(-3.0), PowerLaw(1.0), TanhStep()])
def test_relative_entropy_non_increasing_even_when_fisher_rises(rate):
    times = np.linspace(0.0, 1.0, 21)
    for dyn in (Dynamics(rate), Dynamics(rate, "mbc", 0.5)):
        out = evaluate(control_law(), dyn, times, 2)
        scale = out["entropy"][0]
        assert np.all(np.diff(out["entropy"]) <= 1e-12 * scale)
        assert np.all(out["dentropy"] <= 1e-12 * scale)


def test_two_particle_fisher_of_product_and_mixture_laws():
    """I(F) = ½ I(g) + 2 I(k) for G = g(c)k(u) (g = N(0, sI): I(g) = 3/s); for a (c,u)-correlated mixture the
    c-part is non-increasing under every rate law, also while the u-part rises (negative-control rate law)."""
    k = control_law()
    dyn = Dynamics(TanhStep())
    one = mixture_fisher([1.0], [0.7], [k], dyn, 0.1)
    assert one["c_part"] == pytest.approx(0.5 * 3.0 / 0.7, rel=1e-10)
    assert one["u_part"] == pytest.approx(2.0 * evaluate(k, dyn, [0.1], 3)["fisher"][0], rel=1e-10)
    laws = [control_law(), gaussian_mixture([1.0], [2.0])]
    parts = [mixture_fisher([0.5, 0.5], [0.3, 1.5], laws, dyn, t) for t in (0.0, 0.1, 0.2, 0.4)]
    c_parts = np.array([p["c_part"] for p in parts])
    assert np.all(np.diff(c_parts) <= 1e-10 * c_parts[0])
    assert all(p["fisher"] == pytest.approx(p["c_part"] + p["u_part"], rel=1e-14) for p in parts)


def test_negative_control_rate_law_violates_the_guillen_silvestre_hypothesis():
    assert TanhStep().log_slope_sup() > GS_LOG_SLOPE_BOUND
    for gamma in (-3.0, -2.5, 1.0):
        assert PowerLaw(gamma).log_slope_sup() <= GS_LOG_SLOPE_BOUND
    r = np.linspace(0.01, 5, 1000)
    law = TanhStep()
    num = (law.value(r + 1e-6) - law.value(r - 1e-6)) / 2e-6
    assert np.allclose(law.derivative(r), num, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("bad", [
    lambda: PairLaw(np.array([1]), np.array([0]), np.array([1]), np.array([1.0]), np.array([1.0])),
    lambda: PairLaw(np.array([0, 1]), np.array([0, 0]), np.array([0, 2]), np.array([1.0, 1.0]), np.array([1.0, 1])),
    lambda: PairLaw(np.array([0]), np.array([0]), np.array([0]), np.array([-1.0]), np.array([1.0])),
    lambda: Dynamics(PowerLaw(-3.0), "boltzmann"),
    lambda: Dynamics(PowerLaw(-3.0), "mbc", 0.0),
    lambda: PowerLaw(2.0),
    lambda: TanhStep(height=1.5),
    lambda: evaluate(gaussian_mixture([1.0], [1.0]), Dynamics(PowerLaw(0.0)), [-1.0]),
    lambda: make_grid(gaussian_mixture([1.0], [1.0]), Dynamics(PowerLaw(0.0)), level=9),
])
def test_bad_input_raises_value_error_naming_the_parameter(bad):
    with pytest.raises(ValueError, match=r"^(ell|m|power|tau|coef|kind|h|gamma|height|times|level):"):
        bad()


def test_non_positive_density_is_refused():
    law = modulated_law([1.0], [1.0], [Modulation(1, 0, 5.0, 1.0)])
    assert modulation_bound([Modulation(1, 0, 5.0, 1.0)]) > 1
    with pytest.raises(ValueError, match="^law:"):
        evaluate(law, Dynamics(PowerLaw(0.0)), [0.0])


@st.composite
def laws_and_dynamics(draw):
    n_mix = draw(st.integers(1, 2))
    variances = [draw(st.floats(0.2, 3.0)) for _ in range(n_mix)]
    mods = []
    for _ in range(draw(st.integers(1, 3))):
        ell = draw(st.integers(1, 3))
        mods.append(Modulation(ell, draw(st.integers(-ell, ell)), draw(st.floats(-1.0, 1.0)), draw(st.floats(0.1, 3.0)),
                               draw(st.sampled_from([0, 2])), draw(st.booleans())))
    bound = modulation_bound(mods)
    theta = draw(st.floats(0.05, 0.9))
    mods = [Modulation(m.ell, m.m, m.coef * theta / max(bound, 1e-12), m.sigma, m.extra, m.gradient) for m in mods]
    rate = draw(st.sampled_from([PowerLaw(-3.0), PowerLaw(-1.5), PowerLaw(0.0), PowerLaw(1.0), TanhStep()]))
    kind = draw(st.sampled_from(["master", "mbc"]))
    dyn = Dynamics(rate, kind, draw(st.floats(0.05, 1.0)) if kind == "mbc" else 0.0)
    return modulated_law([1.0 / n_mix] * n_mix, variances, mods), dyn


@settings(max_examples=15)
@given(laws_and_dynamics())
def test_invariants_of_the_pair_evolution(case):
    """Mass conserved; H(k_t|k̄) ≥ 0 non-increasing with dH/dt ≤ 0 (reversibility, any rate law); the radial Jensen
    term J_r ≤ 0 (joint convexity); J_S ≤ 0 for the master equation; I(k_t) ≥ I(k̄) (convexity and rotation
    invariance of I); C = 0 when α' = 0."""
    law, dyn = case
    out = evaluate(law, dyn, [0.0, 1e-3, 0.05, 0.5], 1)
    fisher_radial = evaluate(gaussian_mixture(*_radial_part(law)), dyn, [0.0], 1)["fisher"][0]
    assert np.allclose(out["mass"], 1.0, rtol=1e-10)
    h_tol = 10 * ROUND_OFF * out["entropy_scale"]
    assert np.all(out["entropy"] >= -h_tol) and np.all(np.diff(out["entropy"]) <= h_tol[1:] + h_tol[:-1])
    assert np.all(out["dentropy"] <= 10 * ROUND_OFF * out["dentropy_scale"])
    tol = 10 * ROUND_OFF * out["rate_abs"]  # round-off of the rate integrals (pair_law.SCALES)
    assert np.all(out["radial_jensen"] <= tol)
    if dyn.kind == "master":  # Bakry–Émery on S² (Ric = 1): the angular Fisher information decays under α Δ_S
        assert np.all(out["angular"] <= tol)
    assert np.all(out["fisher"] >= fisher_radial * (1 - 1e-10))
    if isinstance(dyn.rate, PowerLaw) and dyn.rate.gamma == 0.0:
        assert np.all(np.abs(out["commutator"]) <= tol)
        assert np.all(out["dfisher"] <= tol)


def _radial_part(law: PairLaw) -> tuple[list[float], list[float]]:
    """(weights, variances) of the radial mixture of a law built by modulated_law (its ℓ = 0, power-0 terms)."""
    sel = (law.ell == 0) & (law.power == 0)
    s = law.tau[sel]
    w = law.coef[sel] / math.sqrt(4 * math.pi) * (2 * math.pi * s) ** 1.5
    return list(w), list(s)


def test_inverse_square_moment_is_exact_and_below_fisher():
    """u ~ N(0, sI): E|u|⁻² = 1/s (χ² moment) and I = 3/s, so S/I = 1/3; for every law S ≤ I(k_t) (Hardy)."""
    s = 2.0
    law = gaussian_mixture([1.0], [s])
    assert law.inverse_square_moment() == pytest.approx(1.0 / s, rel=1e-14)
    for law in (control_law(), counterexample_law(), NON_AXISYMMETRIC):
        fisher = evaluate(law, Dynamics(TanhStep()), [0.0, 0.5, 5.0], 2)["fisher"]
        assert np.all(law.inverse_square_moment() <= fisher)
