"""Claim C5 (mean field).

Default tier: the claim's helper functions (fast). Slow tier: the quick profile of the claim passes, and the
designated planted defects (mutants) make it fail. (C9, C10 and C12, formerly here: tests/test_claims_particles.py.)
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mbc_verify.claims.c05_mean_field import rms_error
from mbc_verify.claims.registry import run_claim

# ---------------------------------------------------------------- C5 helpers


def test_rms_error_statistics():
    e = np.array([1.0, -1.0, 3.0, -3.0])
    rms, rel, mean, se = rms_error(e)
    assert rms == pytest.approx(math.sqrt(5.0))
    assert mean == 0.0
    assert se == pytest.approx(np.std(e, ddof=1) / 2)
    # rel se = ½ sd(e²) / (√R mean e²): e² = (1, 1, 9, 9), sd = √(64/3)
    assert rel == pytest.approx(0.5 * math.sqrt(64 / 3) / (2 * 5.0))


# ---------------------------------------------------------------- slow tier: quick profile and mutants


@pytest.mark.slow
@pytest.mark.parametrize("cid", ["C5"])
def test_quick_profile_passes(cid, tmp_path):
    cert = run_claim(cid, "quick", 0, tmp_path)
    assert cert.verdict == "pass", cert.details
    assert (tmp_path / f"{cid.lower()}.png").exists() and (tmp_path / f"{cid.lower()}.json").exists()


@pytest.mark.slow
@pytest.mark.parametrize(("cid", "mutant"), [("C5", "rate_doubled"), ("C5", "rate_without_gamma")])
def test_mutant_fails_claim(cid, mutant, tmp_path):
    assert run_claim(cid, "quick", 0, tmp_path, mutant).verdict == "fail"
