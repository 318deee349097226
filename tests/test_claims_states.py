"""Ensemble states for any named datum (mbc_verify.claims.states): bitwise ensemble_states for the particle data."""

from __future__ import annotations

import numpy as np

from mbc_verify.claims.states import named_states
from mbc_verify.mbc.ensemble import ensemble_states


def test_named_states_is_ensemble_states_for_particle_data() -> None:
    a = named_states(-3.0, 0.3, 16, 0.05, replicas=3, init="bimaxwellian:2,0.5", snapshots=3, seed=4)
    b = ensemble_states(-3.0, 0.3, 16, 0.05, replicas=3, init="bimaxwellian:2,0.5", snapshots=3, seed=4)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_named_states_of_a_mixture_conserve_momentum_and_energy() -> None:
    _, st = named_states(-3.0, 0.3, 32, 0.05, replicas=2, init="mixture:0.5,0.2,0.5,1.8", snapshots=2, seed=1)
    assert st.shape == (2, 2, 32, 3)
    assert np.abs(st[:, -1].sum(axis=1)).max() < 1e-12
    assert np.allclose(np.sum(st[:, -1] ** 2, axis=(1, 2)) / 32, 3.0, rtol=1e-13)
