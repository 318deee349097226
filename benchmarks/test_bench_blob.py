"""Benchmark: pair interactions per second of the blob collision field.

The numba kernel :func:`mbc_verify.landau.blob_kernel.collision_field` (``prange`` over particles, no fastmath)
against the NumPy broadcast baseline :func:`benchmarks.blob_numpy.collision_field_numpy`, both measured in the
same run on the same inputs (a random configuration, γ = -3). Target: ratio ≥ 10 at every N.

Run:  NUMBA_NUM_THREADS=2 python -m pytest benchmarks/test_bench_blob.py -s -q
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pytest

from mbc_verify.landau import blob_kernel as bk

sys.path.insert(0, str(Path(__file__).resolve().parent))
from blob_numpy import collision_field_numpy  # noqa: E402

GAMMA = -3.0
TARGET_RATIO = 10.0


def _inputs(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(n)
    v = rng.standard_normal((n, 3))
    w = rng.random(n)
    w /= w.sum()
    return v, w, -v + 0.1 * rng.standard_normal((n, 3))


def _best_time(fn, repeats: int) -> float:
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.parametrize("n", [1000, 5000, 20000])
def test_pair_rate_ratio_against_numpy(n: int) -> None:
    v, w, f = _inputs(n)
    p = GAMMA + 2.0
    out = np.empty_like(v)

    def numba_call() -> None:
        bk.collision_field(v, w, f, p, bk.power_mode(p), 0.5, out)

    numba_call()  # compile / load the cache
    t_numba = _best_time(numba_call, 10 if n <= 5000 else 3)
    ref: list[np.ndarray] = []
    t_numpy = _best_time(lambda: ref.append(collision_field_numpy(v, w, f, GAMMA)), 1 if n > 5000 else 2)
    np.testing.assert_allclose(out, ref[-1], rtol=1e-10, atol=1e-13 * np.abs(ref[-1]).max())
    pairs = n * (n - 1)
    ratio = t_numpy / t_numba
    print(f"\nN={n}: numba {pairs / t_numba:.3e} pairs/s, numpy {pairs / t_numpy:.3e} pairs/s, ratio {ratio:.1f}")
    assert ratio >= TARGET_RATIO
