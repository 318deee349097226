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


def test_joint_paths_and_units():
    from mbc_verify.claims.base import Context
    from mbc_verify.claims.c05_mean_field import PATH_P, MeanField, path_points

    claim = MeanField()
    ctx = Context("C5", "quick", 0, None, claim.sizes["quick"])
    for p in PATH_P:
        pts = path_points(ctx, p)
        ns, hs = np.array([n for n, _ in pts], float), np.array([h for _, h in pts])
        assert np.allclose(np.diff(np.log2(ns)), 1.0) and np.allclose(np.diff(np.log2(hs)), -1.0 / p)
        assert pts[0] == (64, 0.8)
    seeds = claim.seeds(ctx)
    assert len(set(seeds)) == len(seeds)  # every particle unit has its own seed
    units = claim.units(ctx)
    # the cases of the first claim version keep their seeds (regression of their checks)
    assert units["maxwell N=64"]["seed_offset"] == 0 and units["coulomb N=64"]["seed_offset"] == 50


def test_isotropic_reference_speed_law():
    from mbc_verify.claims.c05_mean_field import isotropic_reference

    ref = isotropic_reference()
    assert ref["cdf"][0] == 0.0 and ref["cdf"][-1] == 1.0 and np.all(np.diff(ref["cdf"]) >= 0)
    # ∫ s⁴ dF against ∫|v|⁴ f of the same run: the cells' midpoint masses, spread uniformly over each cell, carry
    # the fourth moment to O(Δr²) relative (Δr = 0.06)
    x, c = ref["x"], ref["cdf"]
    mid, mass = 0.5 * (x[1:] + x[:-1]), np.diff(c)
    assert np.sum(mid**4 * mass) == pytest.approx(ref["moment4"], rel=1e-2)


def test_w1_result_slope():
    from mbc_verify.claims.c05_mean_field import w1_result

    rng = np.random.default_rng(1)
    ns = [64, 128, 256, 512]
    w1 = [0.5 / np.sqrt(n) * (1 + 0.05 * rng.standard_normal(200)) for n in ns]
    r = w1_result(ns, w1)
    assert abs(r["slope"] + 0.5) < 5 * r["slope_se"]
