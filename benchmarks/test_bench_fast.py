"""Fast-engine throughput: particle updates per second and the ratio to NumPy in the same run.

    NUMBA_NUM_THREADS=1 python -m pytest benchmarks/test_bench_fast.py --benchmark-enable -s

One particle update = one particle advanced by one time step (N per step). Setting: γ = −3 (Coulomb), h = 0.1,
Δt = DEFAULT_DT, ``maxwellian`` data; the numba engine runs on one thread (``numba.set_num_threads(1)``), the
baseline is :class:`mbc_verify.baselines.numpy_mbc.NumpyFastEngine` (the same algorithm vectorised with NumPy),
timed in the same test at the same N. No timed assertion: the figures go to ``extra_info`` and stdout (target
ratio ≥ 15, aim ≥ 2·10⁷ updates/s at N = 10⁶ on one core).
"""

from __future__ import annotations

import time

import numba
import pytest

from mbc_verify.baselines.numpy_mbc import NumpyFastEngine
from mbc_verify.mbc.api import advance
from mbc_verify.mbc.fast import DEFAULT_DT
from mbc_verify.mbc.initial import sample_initial

GAMMA, H = -3.0, 0.1
STEPS = {10**4: 200, 10**5: 40, 10**6: 10}
NUMPY_STEPS = {10**4: 40, 10**5: 8, 10**6: 3}


@pytest.mark.parametrize("n", sorted(STEPS))
def test_fast_engine_updates_per_second(benchmark, n: int) -> None:
    dt = DEFAULT_DT
    v0 = sample_initial("maxwellian", n, 1)
    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        advance(v0.copy(), 0.0, dt, gamma=GAMMA, h=H, dt=dt)  # compile / load the cache outside the timing
        steps = STEPS[n]

        def run() -> None:
            advance(v0.copy(), 0.0, steps * dt, gamma=GAMMA, h=H, dt=dt, seed=1)

        benchmark.pedantic(run, rounds=3, iterations=1)
        t_numba = benchmark.stats.stats.min if benchmark.stats is not None else _time(run)
    finally:
        numba.set_num_threads(old)
    eng = NumpyFastEngine(GAMMA, H, dt, 1)
    v = v0.copy()
    start = time.perf_counter()
    eng.advance(v, 0.0, NUMPY_STEPS[n] * dt)
    t_numpy = (time.perf_counter() - start) / NUMPY_STEPS[n]
    rate = n * steps / t_numba
    rate_np = n / t_numpy
    benchmark.extra_info.update({"n": n, "updates_per_s": rate, "numpy_updates_per_s": rate_np,
                                 "ratio": rate / rate_np, "gamma": GAMMA, "h": H, "dt": dt})
    print(f"\nfast engine N={n}: {rate:.3e} particle updates/s (1 thread), NumPy {rate_np:.3e}/s, "
          f"ratio {rate / rate_np:.1f}")


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
