"""Exact-engine throughput: jumps per second at N = 64 and 256, Coulomb (γ = -3), h = 0.1.

    python -m pytest benchmarks/test_bench_exact.py --benchmark-enable -s

One round advances a Maxwellian state (seed 0) by a fixed time window chosen to give ~10⁴ jumps; the
jumps/s figure (jumps of the round / its median wall time) is printed and stored in the benchmark's
``extra_info``. The cost per jump is O(N) (mbc_verify.mbc.exact), so jumps/s × N is roughly constant.
"""

from __future__ import annotations

import numpy as np
import pytest

from mbc_verify.mbc.api import advance
from mbc_verify.mbc.initial import sample_initial

WINDOW = {64: 0.8, 256: 0.12}  # ~1.3e4 and ~1.8e4 jumps at γ = -3, h = 0.1


@pytest.mark.parametrize("n", [64, 256])
def test_exact_engine_jumps_per_second(benchmark, n) -> None:
    v0 = sample_initial("maxwellian", n, 0)
    advance(v0.copy(), 0.0, 1e-3, gamma=-3.0, h=0.1, engine="exact")  # compile / load the cache outside the timing
    jumps = []

    def run() -> None:
        v = v0.copy()
        jumps.append(advance(v, 0.0, WINDOW[n], gamma=-3.0, h=0.1, engine="exact"))

    benchmark.pedantic(run, rounds=5, iterations=1)
    assert len(set(jumps)) == 1 and jumps[0] > 5000  # same seed, same path
    rate = jumps[0] / benchmark.stats.stats.median
    benchmark.extra_info.update({"n": n, "gamma": -3.0, "h": 0.1, "jumps": jumps[0], "jumps_per_second": rate,
                                 "particle_updates_per_second": 2 * rate})
    print(f"\nexact engine N={n} gamma=-3 h=0.1: {jumps[0]} jumps per round, {rate:.3e} jumps/s")
    assert np.isfinite(rate)
