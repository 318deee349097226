"""``simulate_baseline``: one run of a pairwise baseline with the observables of ``mbc-verify simulate`` (SPEC §6).

Same initial data (:func:`mbc_verify.mbc.initial.sample_initial`), same snapshot grid ``linspace(0, t_end, K)``,
same segment keys (segment k ≥ 1 between snapshots k−1 and k) and the same observables
(:func:`mbc_verify.mbc.observables.moments`) as :func:`mbc_verify.mbc.api.simulate`, so records compare one to one.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from mbc_verify.initial import InitSpec
from mbc_verify.mbc.api import run_segments
from mbc_verify.mbc.initial import initial_state
from mbc_verify.validation import (
    check_choice,
    check_gamma,
    check_int,
    check_n_particles,
    check_positive,
    check_seed,
)

from .pairwise import METHOD_CODES, advance_pairwise

METHODS = tuple(METHOD_CODES)


def simulate_baseline(method: str, gamma: float, n: int, t_end: float, *, dt: float,
                      init: str | InitSpec | np.ndarray = "maxwellian", snapshots: int = 11,
                      seed: int = 0) -> dict[str, Any]:
    """Run baseline ``method`` (one of :data:`METHODS`) with N = ``n`` particles from 0 to ``t_end`` by steps ``dt``.

    Record (numpy arrays; K = snapshots): ``times``, ``second_moment`` (K × 3 × 3), ``momentum`` (K × 3),
    ``energy`` (K,), ``moment4`` (K,), ``collisions`` (pair collisions made), ``wall_seconds`` (sampling of the
    initial data included, as in :func:`mbc_verify.mbc.api.simulate`), and the parameters.
    """
    method = check_choice("method", method, METHODS)
    gamma = check_gamma(gamma)
    n = check_n_particles(n)
    t_end = check_positive("t_end", t_end)
    dt = check_positive("dt", dt)
    snapshots = check_int("snapshots", snapshots, 2)
    seed = check_seed(seed)
    start = time.perf_counter()
    v, init_name = initial_state(init, n, seed)
    code = METHOD_CODES[method]
    record, collisions = run_segments(
        v, np.linspace(0.0, t_end, snapshots),
        lambda w, t0, t1, k: advance_pairwise(w, t0, t1, gamma, dt, seed, k, code))
    return {
        **record, "collisions": int(collisions), "wall_seconds": time.perf_counter() - start,
        "method": method, "gamma": gamma, "n": n, "t_end": t_end, "init": init_name, "dt": dt, "seed": seed,
        "snapshots": snapshots,
    }
