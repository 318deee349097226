"""The mutant mechanism: explicit parameter, per-component codes, and the demonstration mutant flips its check."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mbc_verify.landau.isotropic import solve_isotropic
from mbc_verify.landau.maxwell import bkw_k, second_moment_exact
from mbc_verify.mbc.angles import draw_angle
from mbc_verify.mbc.api import simulate
from mbc_verify.mbc.compound import sample_composed
from mbc_verify.mbc.compound_build import build_tables
from mbc_verify.mbc.kernel import jump_pair
from mbc_verify.mutants import (
    FAMILIES,
    MUTANTS,
    NO_DEFECT,
    Defect,
    check_mutant,
    defect,
    family_mutant,
    family_of,
    mutant_code,
    resolve,
)


def test_codes_are_unique_per_component() -> None:
    seen = {(m.target, m.code) for m in MUTANTS.values()}
    assert len(seen) == len(MUTANTS)
    assert all(m.code > 0 for m in MUTANTS.values())


def test_mutant_code_targets_one_component() -> None:
    assert mutant_code(None, "mbc") == 0
    assert mutant_code("one_sided_rotation", "mbc") == 1
    assert mutant_code("one_sided_rotation", "isotropic") == 0
    with pytest.raises(ValueError, match="^mutant: unknown mutant 'nope'"):
        check_mutant("nope")


def _pair_invariant_change(d: Defect) -> float:
    """Largest change of momentum and energy of one pair over one jump, relative to the energy."""
    v = np.array([[0.3, -1.2, 0.7], [-0.4, 0.5, 1.1]])
    p0, e0 = v.sum(axis=0), (v**2).sum()
    h = 0.3
    jump_pair(v, 0, 1, math.cos(h), math.sin(h), math.cos(1.0), math.sin(1.0), d)
    return max(np.abs(v.sum(axis=0) - p0).max(), abs((v**2).sum() - e0)) / e0


def test_demonstration_mutant_flips_the_conservation_check() -> None:
    # A correct jump changes the pair's invariants only by round-off: a few ulps of O(1) numbers
    # (see tests/test_mbc_kernel.py for the bound); the one-sided rotation changes them at O(h).
    eps = np.finfo(float).eps
    assert _pair_invariant_change(NO_DEFECT) <= 16 * eps
    assert _pair_invariant_change(defect("one_sided_rotation", "mbc")) > 1e-3



# --- the defect families ------------------------------------------------------------------------------------

MBC_FAMILIES = [f for f, fam in FAMILIES.items() if fam.target == "mbc"]


def test_every_scaled_named_mutant_is_a_family_member_and_codes_are_unique() -> None:
    assert len({(f.target, f.code) for f in FAMILIES.values()}) == len(FAMILIES)
    for name in ("biased_azimuth", "rate_without_gamma", "rate_doubled", "solver_without_half", "entropy_sign",
                 "blob_without_half"):
        member = resolve(family_of(MUTANTS[name]))
        assert (member.target, member.code, member.amplitude) == (MUTANTS[name].target, MUTANTS[name].code,
                                                                   MUTANTS[name].amplitude)


@pytest.mark.parametrize("text", ["rate_constant:abc", "rate_constant:nan", "rate_constant:inf", "nope:0.1"])
def test_a_bad_family_member_is_an_error_naming_the_parameter(text: str) -> None:
    with pytest.raises(ValueError, match="^mutant: "):
        check_mutant(text)


@pytest.mark.parametrize("engine", ["fast", "exact"])
@pytest.mark.parametrize("family", MBC_FAMILIES)
def test_amplitude_zero_is_bitwise_the_correct_engine(family: str, engine: str) -> None:
    kw = {"gamma": -3.0, "h": 0.3, "n": 16, "t_end": 0.2, "snapshots": 3, "seed": 5, "engine": engine}
    ref = simulate(**kw)
    got = simulate(**kw, mutant=family_mutant(family, 0.0))
    for key in ("second_moment", "moment4", "energy"):
        assert np.array_equal(ref[key], got[key]), key


@pytest.mark.parametrize(("family", "engine"), [(f, "fast") for f in MBC_FAMILIES if f != "pair_selection"]
                         + [(f, "exact") for f in MBC_FAMILIES if f not in ("matching_factor", "sampler_bias")])
def test_a_small_amplitude_changes_the_run(family: str, engine: str) -> None:
    # Poisson counts and angles come from inverted uniforms, so a small ε changes only some draws (common random
    # numbers): the run is long enough (≈ 10⁴ draws) for a 1 % defect to change at least one of them.
    kw = {"gamma": -3.0, "h": 0.3, "n": 64, "t_end": 1.0, "snapshots": 3, "seed": 5, "engine": engine}
    ref, got = simulate(**kw), simulate(**kw, mutant=family_mutant(family, 0.01))
    assert not np.array_equal(ref["second_moment"], got["second_moment"])


def test_energy_leak_scales_the_new_relative_velocity() -> None:
    eps = 1e-3
    v = np.array([[0.3, -1.2, 0.7], [-0.4, 0.5, 1.1]])
    u0 = np.linalg.norm(v[0] - v[1])
    jump_pair(v, 0, 1, math.cos(0.3), math.sin(0.3), 1.0, 0.0, Defect(FAMILIES["energy_leak"].code, eps))
    assert abs(np.linalg.norm(v[0] - v[1]) / u0 - (1 + eps)) < 1e-14


def test_jump_angle_and_sampler_bias_scale_the_angle_at_fixed_draws() -> None:
    h, eps, key = 0.3, 0.01, np.uint64(12345)
    c0, s0 = draw_angle(0, h * (1 + eps), key, np.uint64(0))
    assert abs(math.atan2(s0, c0) - h * (1 + eps)) < 1e-14  # fixed kernel: θ = h(1 + ε)
    tab = build_tables(0, h).tab
    k, ct, st, *_ = sample_composed(tab, 3.0, key, np.uint64(0), NO_DEFECT)
    k2, ct2, st2, *_ = sample_composed(tab, 3.0, key, np.uint64(0), Defect(FAMILIES["sampler_bias"].code, eps))
    assert k == k2 > 0 and abs(math.atan2(st2, ct2) / math.atan2(st, ct) - (1 + eps)) < 1e-12


def test_init_and_observable_scales() -> None:
    kw = {"gamma": 0.0, "h": 0.3, "n": 64, "t_end": 0.1, "snapshots": 2, "seed": 1}
    ref = simulate(**kw)
    init = simulate(**kw, mutant=family_mutant("init_scale", 0.25))
    assert abs(init["energy"][0] / ref["energy"][0] - 1.25) < 1e-13
    obs = simulate(**kw, mutant=family_mutant("observable_scale", 0.25))
    assert np.allclose(obs["second_moment"], 1.25 * ref["second_moment"], rtol=1e-15, atol=0)
    assert np.allclose(obs["moment4"], 1.25 * ref["moment4"], rtol=1e-15, atol=0)


def test_maxwell_rates_are_the_time_change_t_to_t_times_one_plus_eps() -> None:
    m0, t = np.diag([0.5, 0.5, 2.0]), np.array([0.1, 0.7])
    mut = family_mutant("maxwell_rates", 0.02)
    assert np.array_equal(second_moment_exact(m0, t, mut), second_moment_exact(m0, t * 1.02))
    assert np.array_equal(bkw_k(0.7, t, mut), bkw_k(0.7, t * 1.02))


def test_solver_families_at_zero_are_the_correct_solver() -> None:
    kw = {"gamma": -2.0, "t_end": 0.2, "init": "bkw:0.7", "snapshots": 2, "n_grid": 40}
    ref = solve_isotropic(**kw)
    for fam in ("isotropic_constant", "entropic_flux"):
        assert np.array_equal(ref["moment4"], solve_isotropic(**kw, mutant=family_mutant(fam, 0.0))["moment4"])
        assert not np.array_equal(ref["moment4"], solve_isotropic(**kw, mutant=family_mutant(fam, 1e-3))["moment4"])
