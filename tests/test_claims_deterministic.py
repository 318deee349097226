"""Claims C7 (H-theorem), C8 (Fisher information, Guillén–Silvestre) and C11 (Maxwellian equilibrium).

Default tier: the claims' experiment helpers and one small unit of each, through the claim shape (units → combine →
checks). Slow tier: the quick profile of each claim passes, and every planted defect it declares in ``catches`` makes
it fail.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mbc_verify.claims import run_claim
from mbc_verify.claims.base import Context
from mbc_verify.claims.c07_h_theorem import HTheorem, draw_cases, romberg_check
from mbc_verify.claims.c08_fisher import FisherMonotone, initial_datum, monotonicity_ratios
from mbc_verify.claims.c11_equilibrium import Equilibrium, equilibrium_step
from mbc_verify.initial import parse_init
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
    """Two drawn cases on a coarse grid: one unit each, four checks, all holding; the declared shape is valid."""
    claim = HTheorem()
    ctx = Context("C7", "quick", 0, None, {"runs": 2, "n_grid": 24, "t_end": 0.05, "snapshots": 5})
    units = claim.units(ctx)
    assert len(units) == 2
    data = claim.combine(ctx, {k: claim.run_unit(ctx, **p) for k, p in units.items()})
    checks = claim.checks(ctx, data)
    assert [c.name for c in checks][0] == claim.primary and len(checks) == 4
    assert all(c.holds for c in checks), [c for c in checks if not c.holds]
    assert claim.details(ctx, data)["failed_runs"] == []


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
    expected = {"C7": {"solver_without_half", "entropy_sign"}, "C8": {"solver_without_half", "entropy_sign"},
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
