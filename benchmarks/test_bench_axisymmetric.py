"""Benchmarks of the axisymmetric Landau solver.

    python -m pytest benchmarks/test_bench_axisymmetric.py --benchmark-enable -q -s

- the reference run: ``bimaxwellian:2,0.5`` at γ = -3 to t = 5 with the default resolution and tolerance, split
  into the one-off kernel weights (cached per grid and γ) and the time stepping;
- accuracy per cost against the blob particle method (the only other anisotropic deterministic solver): the
  relative error of the initial dT∥/dt against the derived 30-digit rate, and the wall time of that evaluation.
Speed claims are ratios within one run, never absolute timings.
"""

from __future__ import annotations

import time

from mbc_verify import derived
from mbc_verify.landau.axisymmetric import initial_rate, solve_axisymmetric
from mbc_verify.landau.axisymmetric_kernel import _node_weights


def test_bench_reference_run(benchmark) -> None:
    _node_weights.cache_clear()
    start = time.perf_counter()
    initial_rate(-3.0, "bimaxwellian:2,0.5")  # builds and caches the kernel weights of the default grid
    setup = time.perf_counter() - start
    rec = benchmark.pedantic(solve_axisymmetric, args=(-3.0, 5.0), kwargs={"snapshots": 11}, rounds=1, iterations=1)
    benchmark.extra_info.update(setup_seconds=setup, wall_seconds=rec["wall_seconds"], steps=rec["steps"],
                                n_r=rec["n_r"], n_xi=rec["n_xi"])
    print(f"\nγ = -3, t = 5 ({rec['n_r']}×{rec['n_xi']} nodes): kernel weights {setup:.2f} s, stepping "
          f"{rec['wall_seconds']:.2f} s ({rec['steps']} steps, {rec['newton_iterations']} Newton, "
          f"{rec['gmres_iterations']} GMRES iterations)")
    assert rec["steps"] > 0


def test_bench_accuracy_against_blob() -> None:
    from mbc_verify.landau.blob import initial_system, second_moment_rate

    exact = derived.number(derived.bimaxwellian_rate_key(-3.0, 2.0, 0.5))
    start = time.perf_counter()
    axi = initial_rate(-3.0, "bimaxwellian:2,0.5")["dtpar_dt"]
    t_axi = time.perf_counter() - start
    start = time.perf_counter()
    system, v = initial_system(-3.0, "bimaxwellian:2,0.5", n_per_dim=16)
    blob = float(second_moment_rate(system, v)[2, 2])
    t_blob = time.perf_counter() - start
    print(f"\ninitial dT∥/dt, γ = -3: axisymmetric rel. error {abs(axi / exact - 1):.1e} in {t_axi:.2f} s; "
          f"blob (16³ particles) {abs(blob / exact - 1):.1e} in {t_blob:.2f} s")
    assert abs(axi / exact - 1) < abs(blob / exact - 1)
