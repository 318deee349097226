"""The fast engine's exact one-step laws (mbc_verify.mbc.step_law): the γ = 0 factor and the pair sum agree, the
N = 2 and τ → 0 limits, and the engine itself against the pair sum at γ = −3 (a fixed seed, 5σ)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mbc_verify.mbc.ensemble import ensemble_states
from mbc_verify.mbc.initial import sample_initial
from mbc_verify.mbc.moment_equations import second_moment_rates
from mbc_verify.mbc.step_law import matched_step_factors, matched_step_tpar, tpar_increments
from mbc_verify.stats import mean_stderr


def test_two_particles_decay_exactly_at_the_continuous_rate():
    beta, taus = -4.25, np.array([0.1, 0.3, 0.05])
    assert np.allclose(matched_step_factors(beta, 2, taus), np.exp(beta * np.cumsum(taus)), rtol=1e-14)


def test_small_steps_tend_to_the_continuous_law():
    beta, n = -4.25, 64
    errs = [abs(matched_step_factors(beta, n, np.full(k, 0.5 / k))[-1] - math.exp(0.5 * beta)) for k in (100, 200)]
    assert errs[0] / errs[1] == pytest.approx(2.0, rel=0.02)  # first order in τ


@given(n=st.sampled_from([2, 4, 16, 64]), tau=st.floats(1e-3, 1.0), h=st.floats(0.05, 1.5), seed=st.integers(0, 99))
def test_at_gamma_zero_the_pair_sum_is_the_traceless_factor(n, tau, h, seed):
    """E[T∥' | V] = E/3 + ρ(τ)(T∥ − E/3) at γ = 0: the pair sum reduces to N²/(N − 1) A_zz (zero momentum);
    round-off of the O(N²) sum: a few ε × N² × max|u|² relative to the O(N) terms."""
    _, beta = second_moment_rates(h, n)
    v = sample_initial("bimaxwellian:2,0.5", n, seed)[None]
    third = np.sum(v**2) / n / 3.0
    tpar = np.sum(v[0, :, 2] ** 2) / n
    expected = third + (tpar - third) * matched_step_factors(beta, n, np.array([tau]))[0]
    assert matched_step_tpar(v, beta, 0.0, tau)[0] == pytest.approx(expected, rel=1e-12 * n, abs=1e-13 * n)


def test_odd_n_is_refused():
    with pytest.raises(ValueError, match="even N"):
        matched_step_factors(-1.0, 3, np.array([0.1]))
    with pytest.raises(ValueError, match="even N"):
        matched_step_tpar(np.zeros((1, 3, 3)), -1.0, 0.0, 0.1)


def test_the_fast_engine_follows_the_one_step_law_at_gamma_minus_three():
    """Martingale increments of T∥ over five recorded steps: each step's mean within 5 standard errors of 0."""
    n, tau, h, gamma = 32, 0.2, 0.3, -3.0
    _, beta = second_moment_rates(h, n)
    _, states = ensemble_states(gamma, h, n, 5 * tau, replicas=4000, init="bimaxwellian:2,0.5", engine="fast",
                                snapshots=6, seed=9, dt=tau)
    mean, se = mean_stderr(tpar_increments(states, beta, gamma, tau), axis=0)
    assert np.all(np.abs(mean) <= 5 * se)
    # and the first step moves T∥ by far more than that tolerance: the test resolves the dynamics
    tpar = np.mean(states[..., 2] ** 2, axis=2)
    assert abs(np.mean(tpar[:, 1] - tpar[:, 0])) > 5 * se[0]
