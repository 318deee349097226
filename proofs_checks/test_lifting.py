"""N ≥ 3 reduction of the Fisher dissipation to pairs (proofs_checks/derivations/lifting.py): the metric, the
commutation of A_ij with the centre-of-mass and spectator derivatives, and the Jensen identity; each with a
negative control."""

import sympy as sp

from proofs_checks.derivations import lifting
from proofs_checks.derivations.identities import value_at, vanishes, witness_point


def test_metric_of_pair_coordinates_for_three_particles():
    half = sp.Rational(1, 2)
    assert lifting.pair_metric_n(3) == sp.diag(*([half] * 3 + [2] * 3 + [1] * 3))


def test_pair_generator_commutes_with_centre_and_spectator_derivatives():
    for derivative in ("centre", "other"):
        e, _ = lifting.commutator(derivative)
        assert vanishes(e), derivative


def test_negative_control_pair_generator_does_not_commute_with_one_particle_derivative():
    e, syms = lifting.commutator("particle")
    assert not vanishes(e)
    assert value_at(e, witness_point(syms)) != 0


def test_jensen_identity_for_divergence_form_operators():
    assert lifting.jensen_identity() == 0
    assert lifting.jensen_identity(sign=-1) != 0  # negative control: the dissipative term has this sign
