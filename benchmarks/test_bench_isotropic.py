"""Benchmarks of the isotropic Landau solver.

    python -m pytest benchmarks/test_bench_isotropic.py --benchmark-enable -q -s

- the default γ = -3 reference run: ``mixture:0.5,0.5,0.5,1.5`` to t = 5 at the default grid (n = 200);
- the cost of one evaluation of the collision operator (one of the three stages of an SSP-RK3 step) against the
  grid size n, and its fitted exponent (the kernel is two dense (n-1)×(n-1) matrix-vector products: O(n²)).
  The explicit step is dt ∝ Δr² (diffusion), so a whole run costs O(n⁴); both exponents are printed.
Speed claims are ratios within one run (the exponent), never absolute timings.
"""

from __future__ import annotations

import math
import time

import numpy as np

from mbc_verify.landau.densities import radial_function
from mbc_verify.landau.isotropic import DEFAULT_N_GRID, IsotropicGrid, default_v_max, initial_values, solve_isotropic
from mbc_verify.landau.isotropic_kernel import collision_rhs, zeros_like_work

MIXTURE = "mixture:0.5,0.5,0.5,1.5"


def test_bench_reference_run(benchmark) -> None:
    rec = benchmark.pedantic(solve_isotropic, args=(-3.0, 5.0), kwargs=dict(init=MIXTURE, snapshots=51),
                             rounds=1, iterations=1)
    benchmark.extra_info.update(n_grid=DEFAULT_N_GRID, steps=rec["steps"], wall_seconds=rec["wall_seconds"])
    print(f"\nγ = -3 reference run (n = {DEFAULT_N_GRID}, t = 5): {rec['wall_seconds']:.2f} s, {rec['steps']} steps")
    assert rec["steps"] > 0


def _rhs_seconds(n: int, reps: int) -> float:
    grid = IsotropicGrid(n, default_v_max(MIXTURE), -3.0)
    f = initial_values(grid, radial_function(MIXTURE))
    logf = np.log(f)
    work = zeros_like_work(f)
    args = (f, logf, grid.w, grid.rho, grid.dr, grid.inv_omega, 0.5, 1.0, 1e-2, *work)
    collision_rhs(*args)  # compile / load from cache
    best = math.inf
    for _ in range(7):  # best of 7: robust against other processes on a shared machine
        t0 = time.perf_counter()
        for _ in range(reps):
            collision_rhs(*args)
        best = min(best, (time.perf_counter() - t0) / reps)
    return best


def test_bench_step_cost_exponent(benchmark) -> None:
    ns = [100, 200, 400, 800]
    secs = [_rhs_seconds(n, max(20, 40_000_000 // (n * n))) for n in ns]
    slope = float(np.polyfit(np.log(ns), np.log(secs), 1)[0])
    ns_run = [100, 200, 400]
    steps = [solve_isotropic(-3.0, 0.1, init=MIXTURE, n_grid=n, snapshots=2)["steps"] for n in ns_run]
    step_slope = float(np.polyfit(np.log(ns_run), np.log(steps), 1)[0])
    benchmark.extra_info.update(n=ns, rhs_seconds=secs, cost_exponent=slope, steps_to_t01=steps,
                                steps_exponent=step_slope)
    benchmark.pedantic(_rhs_seconds, args=(DEFAULT_N_GRID, 10), rounds=1, iterations=1)
    print("\n" + "\n".join(f"n = {n:4d}: one operator evaluation {s * 1e3:8.3f} ms" for n, s in zip(ns, secs,
                                                                                                 strict=True)))
    print(f"fitted cost exponent of one evaluation: {slope:.2f} (O(n²) expected); "
          f"steps to t = 0.1 grow like n^{step_slope:.2f}")
    # O(n²) flops (the 800² matrix, 5 MB, still fits in cache: beyond it memory bandwidth adds to the exponent).
    # A cubic kernel (e.g. a dense implicit solve) would give ≥ 3: that is what this ratio rules out.
    assert slope < 2.5
