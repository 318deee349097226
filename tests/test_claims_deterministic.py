"""Claims C7 (H-theorem), C8 (Fisher information, Guillén–Silvestre) and C11 (Maxwellian equilibrium).

Default tier: the claims' experiment helpers and one small unit of each, through the claim shape (units → combine →
checks). Slow tier: the quick profile of each claim passes, and every planted defect it declares in ``catches`` makes
it fail.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mbc_verify.claims import anisotropic, run_claim
from mbc_verify.claims.anisotropic import RunFailed, axial_datum, datum_label, solve_guarded
from mbc_verify.claims.base import Context
from mbc_verify.claims.c07_h_theorem import HTheorem, draw_cases, romberg_check
from mbc_verify.claims.c08_fisher import (
    BEAMS,
    FisherMonotone,
    axisymmetric_fisher_run,
    initial_datum,
    monotonicity_ratios,
)
from mbc_verify.claims.c11_equilibrium import Equilibrium, equilibrium_step
from mbc_verify.initial import parse_init
from mbc_verify.landau.axisymmetric import AxialMixture
from mbc_verify.landau.densities import SuperGaussian

CLAIMS = (HTheorem, FisherMonotone, Equilibrium)


def test_draw_cases_deterministic_and_in_range():
    cases = draw_cases(3, 12)
    assert cases == draw_cases(3, 12)
    assert cases != draw_cases(4, 12)
    assert cases[0][0] == -3.0 and cases[1][0] == 1.0
    for gamma, name in cases:
        assert -3.0 <= gamma <= 1.0
        spec = parse_init(name)
        assert spec.name == "mixture" and 1 <= len(spec.mixture) <= 3
        assert math.isclose(sum(w * 3 * t for w, t in spec.mixture), 3.0, rel_tol=1e-12)


def test_romberg_check_exact_on_exponential():
    t = np.linspace(0.0, 2.0, 41)
    d = 3.0 * np.exp(-3.0 * t)
    h = np.exp(-3.0 * t)  # dH/dt = −D
    resid, tol = romberg_check(t, h, d)
    assert abs(resid) <= tol
    resid_wrong, tol_wrong = romberg_check(t, h, 2 * d)  # a dissipation twice too large is detected
    assert abs(resid_wrong) > 100 * tol_wrong


def test_c7_units_and_checks_on_a_small_case():
    """Two drawn cases on a coarse grid, one short anisotropic run and one short cross-check: one unit each, nine
    checks, all holding; the declared shape is valid."""
    claim = HTheorem()
    ctx = Context("C7", "quick", 0, None, {"runs": 2, "n_grid": 24, "t_end": 0.05, "snapshots": 5,
                                           "axi_cases": [[0.0, "bimaxwellian:1.3,0.85"]], "axi_relaxation_times": 3.0,
                                           "axi_snapshots": 5, "cross_gammas": [0.0], "cross_n_grid": 24,
                                           "cross_t_end": 0.1, "cross_snapshots": 3})
    units = claim.units(ctx)
    assert len(units) == 4
    data = claim.combine(ctx, {k: claim.run_unit(ctx, **p) for k, p in units.items()})
    checks = claim.checks(ctx, data)
    assert [c.name for c in checks][0] == claim.primary and len(checks) == 9
    assert all(c.holds for c in checks), [c for c in checks if not c.holds]
    details = claim.details(ctx, data)
    assert details["failed_runs"] == [] and details["axisymmetric_runs"][0]["failure"] == ""


def test_c8_anisotropic_unit_and_its_negative_control():
    """Two beams displaced along the axis, γ = -2, over 5 relaxation times: the Fisher information decreases within
    its allowance in every interval, the Dirichlet energy is seen to increase (ratio > 1: the test can fail)."""
    r = axisymmetric_fisher_run(-2.0, BEAMS, 5.0, 11, None)
    assert r["completed"] and r["fisher_worst_ratio"] <= 1.0 < r["dirichlet_worst_ratio"]


def test_anisotropic_data_and_step_budget(monkeypatch):
    assert axial_datum("bimaxwellian:2,0.5") == "bimaxwellian:2,0.5"
    assert axial_datum(BEAMS) == AxialMixture(((0.5, 1.0, 1.0), (0.5, 1.0, -1.0)))
    assert datum_label(BEAMS).startswith("axial_mixture:0.5,1.0,1.0")
    monkeypatch.setattr(anisotropic, "STEPS_PER_OUTPUT", 0)
    with pytest.raises(RunFailed, match="more than 0 steps"):
        solve_guarded(0.0, 0.1, init="bimaxwellian:1.3,0.85", snapshots=2, n_r=16, n_xi=12)


def test_c8_datum_labels_and_monotonicity_ratios():
    assert isinstance(initial_datum(SuperGaussian(8.0).name), SuperGaussian)
    assert initial_datum("bkw:0.7") == "bkw:0.7"
    fine = np.array([3.0, 2.5, 2.2, 2.1])
    assert np.all(monotonicity_ratios(fine + 1e-3, fine, 50) < 0)
    up = np.array([1.0, 1.1, 1.2])
    assert np.all(monotonicity_ratios(up + np.array([0.0, 1e-4, 2e-4]), up, 50) > 100)  # coarse−fine = 1e-4


def test_c11_part_a_unit_holds_and_entropy_sign_breaks_it():
    """One step from the discrete Maxwellian stays within its round-off bound; with the friction sign flipped the
    Maxwellian is no longer stationary."""
    ok = equilibrium_step(-1.0, 24, None)
    assert ok["worst_ratio"] <= 1.0 and ok["relative_to_nonequilibrium"] < 1e-10
    assert equilibrium_step(-1.0, 24, "entropy_sign")["worst_ratio"] > 1e3


@pytest.mark.parametrize("cls", CLAIMS)
def test_declared_catches_match_the_old_mutation_matrix(cls):
    """The planted defects each claim is known to catch (mutation matrix of the pre-checks report)."""
    axisymmetric = {"axisymmetric_without_half", "axisymmetric_friction_sign"}
    expected = {"C7": {"solver_without_half", "entropy_sign", *axisymmetric},
                "C8": {"solver_without_half", "entropy_sign", *axisymmetric},
                "C11": {"one_sided_rotation", "biased_azimuth", "frozen_partners", "entropy_sign"}}
    assert set(cls.catches) == expected[cls.claim_id]


@pytest.mark.slow
@pytest.mark.parametrize("cls", CLAIMS)
def test_quick_profile_passes(cls, tmp_path):
    cert = run_claim(cls.claim_id, "quick", 0, tmp_path)
    assert cert.verdict == "pass", cert.failed_checks
    assert any(e.endswith(".png") for e in cert.evidence) and any(e.endswith(".json") for e in cert.evidence)


@pytest.mark.slow
@pytest.mark.parametrize(("cid", "mutant"), [(cls.claim_id, m) for cls in CLAIMS for m in cls.catches])
def test_declared_mutant_fails(cid, mutant, tmp_path):
    cert = run_claim(cid, "quick", 0, tmp_path, mutant=mutant)
    assert cert.verdict == "fail" and cert.failed_checks, cert.details
