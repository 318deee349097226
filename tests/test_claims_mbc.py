"""Claims C1 (conservation), C2 (reversibility), C3 (generator), C4 (grazing limit), C5 (mean field) and C6
(propagation of chaos). The engine probes and statistics they use are tested in test_mbc_probes.py and test_stats.py.

Default tier: the claims' helper functions (fast). Slow tier: the quick profile of each claim passes, and every
planted defect (mutant) the claim declares in ``catches`` makes it fail.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mbc_verify.claims.c01_conservation import Conservation, checkpoints, initial_states, symbolic_identity
from mbc_verify.claims.c02_reversibility import KS_CRIT, Reversibility, antisymmetry_z, sphere_marginal_ks
from mbc_verify.claims.c03_generator import Generator, relative_errors
from mbc_verify.claims.c04_grazing_limit import GrazingLimit, derived_deviation, limit_order, richardson_of_law
from mbc_verify.claims.c05_mean_field import MeanField
from mbc_verify.claims.c06_chaos import Chaos, pair_sums
from mbc_verify.claims.runner import run_claim
from mbc_verify.mbc.angles import legendre_mean
from mbc_verify.mbc.initial import sample_initial

CLAIMS = (Conservation, Reversibility, Generator, GrazingLimit, MeanField, Chaos)

# ---------------------------------------------------------------- C1 helpers


def test_symbolic_conservation_identity_holds():
    assert symbolic_identity()


def test_initial_states_have_zero_momentum_and_the_nominal_energy():
    v = initial_states(0, 3, 16)
    assert np.allclose(v.sum(axis=1), 0.0, atol=1e-13)
    assert np.allclose((v**2).sum(axis=(1, 2)) / 16, 3.0, rtol=1e-14)
    cps = checkpoints(10**7)
    assert cps[0] == 100 and cps[-1] == 10**7 and np.all(np.diff(cps) > 0)


# ---------------------------------------------------------------- C2 helpers


def test_sphere_marginal_is_beta_and_test_discriminates():
    n = 6
    x = np.array([(lambda v: (v[0] @ v[0]) / ((n - 1) * np.mean(np.sum(v * v, axis=1))))(
        sample_initial("maxwellian", n, s)) for s in range(3000)])
    stat, p = sphere_marginal_ks(x, n)
    assert stat <= KS_CRIT and 0.0 < p <= 1.0
    assert sphere_marginal_ks(x, 12)[0] > KS_CRIT  # the Beta law of another N is rejected


def test_antisymmetry_z_zero_for_reversible_data_and_large_for_a_cycle():
    rng = np.random.default_rng(2)
    f = rng.standard_normal((500, 3, 6))
    f[:, 2] = f[:, 0]  # a time-symmetric pair of snapshots (t = 2 equals t = 0)
    assert antisymmetry_z(f)[1].max() == 0.0
    cyc = np.zeros((500, 2, 6))
    cyc[:, 0, :5] = rng.standard_normal((500, 5))
    cyc[:, 1, :5] = np.roll(cyc[:, 0, :5], 1, axis=1)  # F_b(t) = F_{b-1}(0): a one-way shift
    assert antisymmetry_z(cyc).max() > 5.0


# ---------------------------------------------------------------- C3 helpers


@pytest.mark.parametrize("gamma", [0.0, -3.0])
def test_generator_relative_error_is_funk_hecke(gamma):
    """The trapezoid azimuth average is exact: e_ℓ(h) = (4/h²)(1 − P_ℓ(cos h))/(ℓ(ℓ+1)) − 1 to round-off."""
    u = np.array([0.3, -1.2, 0.9])
    e = np.array([0.6, 0.0, 0.8])
    hs = (0.4, 0.1)
    for ell in (1, 2, 3):
        got = relative_errors(u, e, ell, gamma, hs, None)
        want = [(4 / h**2) * (1 - legendre_mean(0, h, ell)) / (ell * (ell + 1)) - 1 for h in hs]
        assert np.allclose(got, want, rtol=0, atol=1e-10)


# ---------------------------------------------------------------- C4 helpers


def test_derived_law_has_order_two_as_h_vanishes():
    k, lead = limit_order()
    assert k == 2 and "h**2" in lead
    local = math.log(derived_deviation(0.02, 1 / 6) / derived_deviation(0.01, 1 / 6)) / math.log(2.0)
    assert abs(local - 2.0) < 1e-3  # next order: relative h² corrections
    assert derived_deviation(0.4, 1 / 6) > 0.0


def test_richardson_estimator_bias_on_the_derived_law_is_small():
    """The Richardson estimator applied to the γ = 0 closed form at h = 1.6, 0.8, 0.4: order ≈ 1.94, within the
    quick profile's tolerance (5 × 0.24) of 2."""
    p = richardson_of_law(1 / 6)
    assert 1.8 < p < 2.0


# ---------------------------------------------------------------- C6 helpers


def test_pair_sums():
    states = np.random.default_rng(6).standard_normal((4, 2, 5, 3))
    s = pair_sums(states)
    phi = states[..., 2] ** 2
    assert np.allclose(s[..., 0], phi.sum(axis=-1))
    assert np.allclose(s[..., 1], (phi**2).sum(axis=-1))
    assert np.allclose(s[..., 2], sum(phi[..., i] * phi[..., (i + 1) % 5] for i in range(5)))


# ---------------------------------------------------------------- slow tier: the claims and their mutants


@pytest.mark.slow
@pytest.mark.parametrize("cid", [c.claim_id for c in CLAIMS])
def test_quick_profile_passes(cid, tmp_path):
    cert = run_claim(cid, "quick", 0, tmp_path)
    assert cert.verdict == "pass", [c.name for c in cert.failed_checks] or cert.details
    assert all((tmp_path / f).exists() for f in cert.evidence)


@pytest.mark.slow
@pytest.mark.parametrize(("cid", "mutant"), [(c.claim_id, m) for c in CLAIMS for m in c.catches])
def test_declared_mutant_fails(cid, mutant, tmp_path):
    cert = run_claim(cid, "quick", 0, tmp_path, mutant)
    assert cert.verdict == "fail" and cert.failed_checks


def test_c4_two_time_law_has_order_two_and_the_master_limit():
    from mbc_verify.claims.c04_grazing_limit import LIMIT_LAWS

    k, lead = limit_order(*LIMIT_LAWS["two-time"])
    assert k == 2 and lead == "h**2/6"
    assert limit_order(*LIMIT_LAWS["traceless"]) == limit_order()


def test_c6_units_keep_the_gamma0_seeds():
    from mbc_verify.claims.base import Context
    from mbc_verify.claims.c06_chaos import SEED_STRIDE

    claim = Chaos()
    ctx = Context("C6", "quick", 0, None, claim.sizes["quick"])
    units = claim.units(ctx)
    assert all(units[f"N={n}"]["seed_offset"] == SEED_STRIDE * n for n in claim.sizes["quick"]["n"])
    coulomb = claim.sizes["quick"]["n_coulomb"]
    assert all(units[f"gamma=-3 N={n}"]["seed_offset"] == SEED_STRIDE * n + 1 for n in coulomb)
