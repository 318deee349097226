"""Item 3 — conservation (docs/spec.md §1): the symmetrised weak-form integrand

    ¼ [a(z) : (∇²φ(v) + ∇²φ(w)) + 2 b(z)·(∇φ(v) - ∇φ(w))],   z = v - w,

vanishes identically, for symbolic γ, when φ ∈ {1, v_1, v_2, v_3, |v|²}: mass, momentum and energy are
conserved pointwise in (v, w), before any integration. Negative controls: with the wrong sign of b the energy
integrand is 4|z|^(γ+2) ≠ 0; a non-collision invariant (φ = v_1²) is not conserved.
"""

import pytest

from proofs_checks.derivations.identities import value_at, vanishes, witness_point
from proofs_checks.derivations.landau import norm2, symmetrised_integrand, vector

INVARIANTS = {
    "mass": lambda x: 1 + 0 * x[0],
    "momentum_1": lambda x: x[0],
    "momentum_2": lambda x: x[1],
    "momentum_3": lambda x: x[2],
    "energy": lambda x: norm2(x),
}


def integrand(phi, b_sign=-1):
    v, w = vector("v"), vector("w")
    return symmetrised_integrand(phi, v, w, b_sign=b_sign), [*v, *w]


@pytest.mark.parametrize("name", INVARIANTS)
def test_collision_invariants_are_conserved_pointwise(name):
    assert vanishes(integrand(INVARIANTS[name])[0])


def test_negative_control_wrong_sign_of_b_breaks_energy():
    e, syms = integrand(INVARIANTS["energy"], b_sign=+1)
    assert not vanishes(e)
    assert value_at(e, witness_point(syms)) != 0


def test_negative_control_non_invariant_is_not_conserved():
    e, syms = integrand(lambda x: x[0] ** 2)
    assert not vanishes(e)
    assert value_at(e, witness_point(syms)) != 0
