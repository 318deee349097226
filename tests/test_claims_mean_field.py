"""Claim C5 (mean field).

The claim's helper functions (the quick profile and its planted defects: the slow tier of tests/test_claims_mbc.py;
C9, C10 and C12: tests/test_claims_particles.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mbc_verify.claims.c05_mean_field import rms_error

# ---------------------------------------------------------------- C5 helpers


def test_rms_error_statistics():
    e = np.array([1.0, -1.0, 3.0, -3.0])
    rms, rel, mean, se = rms_error(e)
    assert rms == pytest.approx(math.sqrt(5.0))
    assert mean == 0.0
    assert se == pytest.approx(np.std(e, ddof=1) / 2)
    # rel se = ½ sd(e²) / (√R mean e²): e² = (1, 1, 9, 9), sd = √(64/3)
    assert rel == pytest.approx(0.5 * math.sqrt(64 / 3) / (2 * 5.0))
