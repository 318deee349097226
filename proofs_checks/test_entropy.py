"""Item 4 — the H-theorem structure (docs/spec.md §1).

With ξ = ∇log f(v), η = ∇log f(w) and z = v - w:

1. the flux integrand is a(z)(f_*∇f - f∇_*f_*) = f f_* a(z)(ξ - η);
2. d/dt ∫ f log f = ∫ log f Q = -½ ∫∫ f f_* ξ·a(ξ - η) (integration by parts, ∫Q = 0), and averaging with the
   v ↔ w swap (a(-z) = a(z)) gives -¼ ∫∫ f f_* (ξ - η)·a(ξ - η) = -D(f): the swap identity is checked
   pointwise for symbolic γ, and the whole chain d/dt H = -D is checked end to end at γ = 0 for an anisotropic
   Gaussian, where log f is a polynomial and ∫ log f Q comes from the strong form;
3. D ≥ 0: (ξ - η)·a(ξ - η) = |z|^γ |z × (ξ - η)|²;
4. Q(M, M) = 0 for every Maxwellian M: ξ - η = -z/T and a(z) z = 0, so the flux integrand vanishes pointwise.

Negative controls: a non-PSD kernel gives a negative dissipation integrand; D with ½ in place of ¼ misses
d/dt H; the flux of an anisotropic Gaussian, or of a Maxwellian with a kernel lacking the projection, is not 0.
"""

import sympy as sp

from proofs_checks.derivations.identities import value_at, vanishes, witness_point
from proofs_checks.derivations.landau import GAMMA, flux_density, gradient, kernel_a, norm2, vector
from proofs_checks.derivations.maxwell import strong_form_expectation
from proofs_checks.derivations.moments import expectation_product, gaussian_moment

S = sp.symbols("s1:4", positive=True)
QUARTER = sp.Rational(1, 4)


def quadratic(x, a, y):
    return (x.T * a * y)[0, 0]


def test_flux_is_product_times_score_difference():
    v, w = vector("v"), vector("w")
    f = sp.Function("f", positive=True)
    fv, fw = f(*v), f(*w)
    flux = flux_density(lambda x: f(*x), v, w)
    xi, eta = gradient(sp.log(fv), v), gradient(sp.log(fw), w)
    expected = fv * fw * kernel_a(v - w) * (xi - eta)
    assert all(sp.simplify(c) == 0 for c in flux - expected)


def test_swap_symmetrisation_gives_the_dissipation_integrand():
    v, w, xi, eta = vector("v"), vector("w"), vector("xi"), vector("eta")
    one_sided = quadratic(xi, kernel_a(v - w), xi - eta)
    swapped = quadratic(eta, kernel_a(w - v), eta - xi)
    assert vanishes((one_sided + swapped) / 2 - quadratic(xi - eta, kernel_a(v - w), xi - eta) / 2)


def dissipation_integrand(a_defect=None):
    v, w, d = vector("v"), vector("w"), vector("d")  # d stands for ξ - η
    z = v - w
    return quadratic(d, kernel_a(z, GAMMA, a_defect), d), z, d, [*v, *w, *d]


def test_dissipation_integrand_is_a_sum_of_squares():
    q, z, d, _ = dissipation_integrand()
    assert vanishes(q - norm2(z) ** (GAMMA / 2) * norm2(z.cross(d)))


def entropy_rate_and_dissipation(weight_quarter=QUARTER):
    """(∫ log f Q from the strong form, -weight·E_{f⊗f}[(ξ-η)·a(ξ-η)]) for f = N(0, diag(s)), γ = 0."""
    v, w = vector("v"), vector("w")
    log_f = -sum(v[i] ** 2 / (2 * S[i]) for i in range(3))  # + a constant, which ∫Q = 0 removes
    rate = strong_form_expectation(log_f, v, S)
    d = gradient(log_f, v) - gradient(log_f.subs(dict(zip(v, w, strict=True))), w)
    integrand = quadratic(d, kernel_a(v - w, sp.Integer(0)), d)
    return rate, -weight_quarter * expectation_product(integrand, v, w, gaussian_moment(S))


def test_entropy_rate_is_minus_dissipation_for_anisotropic_gaussian():
    rate, minus_d = entropy_rate_and_dissipation()
    assert sp.simplify(rate - minus_d) == 0
    assert rate != 0  # the check is not 0 = 0
    iso = {S[1]: S[0], S[2]: S[0]}
    assert sp.simplify(minus_d.subs(iso)) == 0  # equality case: the Maxwellian


def test_maxwellian_flux_vanishes_pointwise():
    v, w, m = vector("v"), vector("w"), vector("m")
    temp = sp.Symbol("T", positive=True)
    maxwellian = lambda x: sp.exp(-norm2(x - m) / (2 * temp))  # noqa: E731
    assert all(vanishes(c) for c in flux_density(maxwellian, v, w))


def test_negative_control_non_psd_kernel_gives_negative_dissipation():
    q, z, d, syms = dissipation_integrand("non_psd")
    assert not vanishes(q - norm2(z) ** (GAMMA / 2) * norm2(z.cross(d)))
    at_d_equal_z = q.subs(dict(zip(d, z, strict=True)))
    point = witness_point(syms)
    assert value_at(at_d_equal_z, point) < 0


def test_negative_control_dissipation_with_wrong_factor():
    rate, minus_d = entropy_rate_and_dissipation(weight_quarter=sp.Rational(1, 2))
    assert sp.simplify(rate - minus_d) != 0


def test_negative_control_anisotropic_gaussian_is_not_an_equilibrium():
    v, w = vector("v"), vector("w")
    temps = (1, 2, 3)
    gauss = lambda x: sp.exp(-sum(x[i] ** 2 / (2 * temps[i]) for i in range(3)))  # noqa: E731
    flux = flux_density(gauss, v, w)
    point = witness_point([*v, *w])
    assert any(value_at(c, point) != 0 for c in flux)


def test_negative_control_kernel_without_projection_breaks_maxwellian_equilibrium():
    v, w = vector("v"), vector("w")
    maxwellian = lambda x: sp.exp(-norm2(x) / 2)  # noqa: E731
    flux = flux_density(maxwellian, v, w, a_defect="no_projection")
    point = witness_point([*v, *w])
    assert any(value_at(c, point) != 0 for c in flux)
