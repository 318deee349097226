"""``simulate`` (docs/spec.md §8): the record, validation, reproducibility across threads."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from mbc_verify.mbc.api import simulate

EPS = 2.0**-52
ENGINES = ["exact", "fast"]


@pytest.mark.parametrize("engine", ENGINES)
def test_record_layout_and_conservation(engine) -> None:
    rec = simulate(-2.0, 0.3, 40, 0.5, init="bimaxwellian:2,0.5", engine=engine, snapshots=6, seed=3)
    assert np.array_equal(rec["times"], np.linspace(0.0, 0.5, 6))
    assert rec["second_moment"].shape == (6, 3, 3)
    assert rec["momentum"].shape == (6, 3)
    assert rec["energy"].shape == (6,) and rec["moment4"].shape == (6,)
    assert rec["jumps"] > 0 and rec["wall_seconds"] > 0
    assert {k: rec[k] for k in ("gamma", "h", "n", "t_end", "init", "engine", "seed", "kernel", "mutant")} == {
        "gamma": -2.0, "h": 0.3, "n": 40, "t_end": 0.5, "init": "bimaxwellian:2.0,0.5", "engine": engine,
        "seed": 3, "kernel": "fixed", "mutant": None}
    assert (rec["dt"] is None) == (engine == "exact")
    assert np.allclose(np.trace(rec["second_moment"], axis1=1, axis2=2), rec["energy"], rtol=1e-15)
    # energy 3 = T∥ + 2T⊥ conserved: a rotation changes the total energy by ≤ 22ε E_pair ≤ 22ε·3N and the total
    # momentum by ≤ 2εM ≤ 2ε√(3N) per component (tests/test_mbc_kernel.py); the record holds means (÷ N), and
    # each jump makes at most one rotation (+1 for the initial normalisation's round-off)
    nrot = rec["jumps"] + 1
    assert np.abs(rec["energy"] - 3.0).max() <= nrot * 22 * EPS * 3.0
    assert np.abs(rec["momentum"]).max() <= nrot * 2 * EPS * math.sqrt(3.0 * 40) / 40
    assert rec["second_moment"][0, 2, 2] > rec["second_moment"][-1, 2, 2]  # T∥ relaxes from 2 towards 1
    json.dumps({k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in rec.items()})


def test_init_array_is_used_as_given() -> None:
    v0 = np.array([[1.0, 0.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, -1.0, 0.0]])
    rec = simulate(0.0, 0.5, 4, 0.1, init=v0, engine="exact", snapshots=2)
    assert rec["init"] == "array"
    assert np.array_equal(rec["second_moment"][0], v0.T @ v0 / 4)


def test_progress_is_reported() -> None:
    calls = []
    simulate(0.0, 0.5, 8, 1.0, engine="exact", snapshots=5, progress=lambda t, te: calls.append((t, te)))
    ts = [t for t, _ in calls]
    assert all(te == 1.0 for _, te in calls) and ts[0] == 0.0 and ts[-1] == 1.0
    assert all(a <= b for a, b in zip(ts, ts[1:], strict=False))  # non-decreasing: chunks, then each snapshot
    assert set(np.linspace(0.0, 1.0, 5)) <= set(ts)


@pytest.mark.parametrize("engine", ENGINES)
def test_same_seed_same_record(engine) -> None:
    a = simulate(-3.0, 0.2, 30, 0.3, engine=engine, seed=5, snapshots=3)
    b = simulate(-3.0, 0.2, 30, 0.3, engine=engine, seed=5, snapshots=3)
    c = simulate(-3.0, 0.2, 30, 0.3, engine=engine, seed=6, snapshots=3)
    for key in ("second_moment", "momentum", "energy", "moment4"):
        assert np.array_equal(a[key], b[key])
    assert a["jumps"] == b["jumps"]
    assert not np.array_equal(a["second_moment"], c["second_moment"])


_DIGEST = """
import hashlib, sys
import numba
from mbc_verify.mbc.api import simulate
from mbc_verify.mbc.observables import collision_coefficient, pair_singular_moment
h = hashlib.sha256()
for engine, n in (("exact", 48), ("fast", 5000)):
    rec = simulate(-3.0, 0.1, n, 0.02, engine=engine, seed=11, snapshots=3)
    for key in ("second_moment", "momentum", "energy", "moment4"):
        h.update(rec[key].tobytes())
    assert rec["jumps"] > 0
    h.update(str(rec["jumps"]).encode())
import numpy as np
w = np.random.default_rng(0).standard_normal((300, 3))
h.update(np.float64(pair_singular_moment(w, -2.0)).tobytes())
h.update(collision_coefficient(w, -3.0).tobytes())
print(numba.get_num_threads(), h.hexdigest())
"""


def test_bitwise_identical_with_one_and_two_threads() -> None:
    # fast engine at N = 5000 ≥ PARALLEL_MIN_N takes its prange path; the O(N²) observables are prange too
    out = {}
    for threads in ("1", "2"):
        env = dict(os.environ, NUMBA_NUM_THREADS=threads)
        res = subprocess.run([sys.executable, "-c", _DIGEST], env=env, capture_output=True, text=True, timeout=300,
                             check=True)
        nthreads, digest = res.stdout.split()
        assert nthreads == threads
        out[threads] = digest
    assert out["1"] == out["2"]


BAD = [
    ({"gamma": float("nan")}, "gamma"), ({"gamma": 1.5}, "gamma"), ({"gamma": -3.01}, "gamma"),
    ({"h": 0.0}, "h"), ({"h": math.pi}, "h"), ({"h": -0.1}, "h"), ({"h": float("inf")}, "h"),
    ({"n": 1}, "n"), ({"n": 2.5}, "n"), ({"t_end": 0.0}, "t_end"), ({"t_end": -1.0}, "t_end"),
    ({"t_end": float("nan")}, "t_end"), ({"snapshots": 1}, "snapshots"), ({"seed": -1}, "seed"),
    ({"engine": "gillespie"}, "engine"), ({"kernel": "gauss"}, "kernel"), ({"mutant": "nope"}, "mutant"),
    ({"init": "gaussian"}, "init"), ({"init": "bimaxwellian:1"}, "init"), ({"init": "bimaxwellian:a,b"}, "init"),
    ({"init": "bimaxwellian:1,0"}, "init"), ({"init": "mixture:1,1,1,2"}, "init"), ({"init": "bkw:2"}, "init"),
    ({"init": np.zeros((3, 2))}, "init"), ({"init": np.full((10, 3), np.nan)}, "init"),
    ({"init": np.zeros((9, 3))}, "init"), ({"engine": "exact", "dt": 0.01}, "dt"),
    ({"engine": "fast", "dt": 0.0}, "dt"), ({"engine": "fast", "dt": float("nan")}, "dt"),
    ({"engine": "exact", "n": 10**5}, "n"), ({"progress": 3}, "progress"),
]


@pytest.mark.parametrize(("override", "name"), BAD, ids=[f"{n}-{i}" for i, (_, n) in enumerate(BAD)])
def test_bad_input_names_the_parameter(override, name) -> None:
    kwargs = {"gamma": 0.0, "h": 0.3, "n": 10, "t_end": 0.1, "engine": "exact", **override}
    with pytest.raises(ValueError, match=f"^{name}"):
        simulate(**kwargs)


def test_mutant_is_applied() -> None:
    rec = simulate(0.0, 0.3, 20, 0.2, engine="exact", mutant="one_sided_rotation", snapshots=2)
    assert abs(rec["energy"][-1] - 3.0) > 1e-3
    assert rec["mutant"] == "one_sided_rotation"
