"""Item 2 — the weak form is the strong form integrated by parts (docs/spec.md §1, with its ½).

Strong form: Q(f, f) = ½ ∇·∫ a(v-w)(f(w)∇f(v) - f(v)∇f(w)) dw, computed literally for γ = 0 and f a Gaussian
(or a Gaussian times a polynomial): ∇f = f·polynomial, so every w-integral is a Gaussian moment and
Q = G·q with q a polynomial. Then, for polynomial φ,

    ∫ φ Q(f, f) dv  =  ½ ∫∫ f f_* [a : ∇²φ + 2 b·∇φ]  =  ¼ ∫∫ f f_* [a : (∇²φ + ∇²φ_*) + 2 b·(∇φ - ∇φ_*)].

The symmetrised form is the average of the weak-form integrand and its v ↔ w swap (a even, b odd), checked
pointwise for symbolic γ. Negative controls: the weak form without its ½, or with the wrong sign of b,
disagrees with the strong form.
"""

import pytest
import sympy as sp

from proofs_checks.derivations.identities import vanishes
from proofs_checks.derivations.landau import GAMMA, HALF, norm2, symmetrised_integrand, vector, weak_integrand
from proofs_checks.derivations.maxwell import strong_form_expectation
from proofs_checks.derivations.moments import expectation_product, gaussian_moment

S = sp.symbols("s1:4", positive=True)  # anisotropic variances: no accidental symmetry
TEST_FUNCTIONS = {
    "v1^2": lambda x: x[0] ** 2,
    "v1 v2": lambda x: x[0] * x[1],
    "v1^2 v2^2 + v3": lambda x: x[0] ** 2 * x[1] ** 2 + x[2],
    "|v|^4": lambda x: norm2(x) ** 2,
    "v1^3 v3 - v2^2": lambda x: x[0] ** 3 * x[2] - x[1] ** 2,
}
WEIGHTS = {"gaussian": lambda v: sp.Integer(1), "gaussian*(1 + v1^2)": lambda v: 1 + v[0] ** 2}


def weak_side(phi, weight, half=HALF, b_sign=-1, symmetrised=False):
    """E over f⊗f of the (symmetrised) weak-form integrand at γ = 0, f = G·P by Gaussian moments."""
    v, w = vector("v"), vector("w")
    if symmetrised:
        integrand = symmetrised_integrand(phi, v, w, sp.Integer(0), b_sign=b_sign)
    else:
        integrand = weak_integrand(phi, v, w, sp.Integer(0), half=half, b_sign=b_sign)
    integrand = integrand * weight(v) * weight(w)
    return expectation_product(integrand, v, w, gaussian_moment(S))


def strong_side(phi, weight):
    v = vector("v")
    return strong_form_expectation(phi(v), v, S, weight(v))


@pytest.mark.parametrize("weight", WEIGHTS)
@pytest.mark.parametrize("phi", TEST_FUNCTIONS)
def test_weak_form_equals_strong_form(phi, weight):
    strong = strong_side(TEST_FUNCTIONS[phi], WEIGHTS[weight])
    assert sp.expand(weak_side(TEST_FUNCTIONS[phi], WEIGHTS[weight]) - strong) == 0
    assert sp.expand(weak_side(TEST_FUNCTIONS[phi], WEIGHTS[weight], symmetrised=True) - strong) == 0


@pytest.mark.parametrize("phi", TEST_FUNCTIONS)
def test_symmetrised_integrand_is_the_swap_average(phi):
    v, w = vector("v"), vector("w")
    f = TEST_FUNCTIONS[phi]
    weak = weak_integrand(f, v, w)
    swapped = weak_integrand(f, w, v)
    assert vanishes(weak + swapped - 2 * symmetrised_integrand(f, v, w))
    assert GAMMA in weak.free_symbols  # the identity was checked for symbolic γ


def nontrivial_test_function():
    """φ = v1² (its rate is non-zero for an anisotropic Gaussian, so a factor error is visible)."""
    return TEST_FUNCTIONS["v1^2"], WEIGHTS["gaussian"]


def test_negative_control_missing_half():
    phi, weight = nontrivial_test_function()
    strong = strong_side(phi, weight)
    assert strong != 0
    assert sp.expand(weak_side(phi, weight, half=sp.Integer(1)) - strong) != 0


def test_negative_control_wrong_sign_of_b():
    phi, weight = nontrivial_test_function()
    assert sp.expand(weak_side(phi, weight, b_sign=+1) - strong_side(phi, weight)) != 0
