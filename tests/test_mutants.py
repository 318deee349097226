"""The mutant mechanism: explicit parameter, per-component codes, and the demonstration mutant flips its check."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mbc_verify.mbc.kernel import jump_pair
from mbc_verify.mutants import MUTANTS, NO_DEFECT, Defect, check_mutant, defect, mutant_code


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

