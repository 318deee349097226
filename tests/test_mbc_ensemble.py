"""Ensembles (mbc_verify.mbc.ensemble): replicas are simulate() runs, streaming statistics, validation.

Bitwise reproducibility with 1 and 2 threads is tested in tests/test_mbc_fast.py (item 7).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mbc_verify.mbc.api import simulate
from mbc_verify.mbc.ensemble import OBSERVABLES, replica_seed, run_ensemble


@pytest.mark.parametrize("engine", ["fast", "exact"])
def test_replicas_are_simulate_runs(engine: str) -> None:
    """Replica r of run_ensemble(seed) is simulate(seed=replica_seed(seed, r)); mean and se are the sample ones."""
    kw = dict(init="bimaxwellian:2.0,0.5", engine=engine, snapshots=4)
    if engine == "fast":
        kw["dt"] = 0.004
    res = run_ensemble(-2.0, 0.3, 10, 0.05, replicas=5, seed=8, block=2, return_samples=True,
                       observables=("second_moment", "moment4", "energy", "momentum"), **kw)
    runs = [simulate(-2.0, 0.3, 10, 0.05, seed=replica_seed(8, r), **kw) for r in range(5)]
    sm = np.stack([r["second_moment"] for r in runs])
    m4 = np.stack([r["moment4"] for r in runs])
    assert np.array_equal(res["samples"]["second_moment"], sm)
    assert np.array_equal(res["samples"]["moment4"], m4)
    assert np.array_equal(res["times"], runs[0]["times"])
    assert res["jumps"] == sum(r["jumps"] for r in runs)
    np.testing.assert_allclose(res["second_moment"], sm.mean(axis=0), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(res["moment4_se"], m4.std(axis=0, ddof=1) / math.sqrt(5), rtol=1e-10)


def test_block_size_does_not_change_the_result() -> None:
    a = run_ensemble(0.0, 0.3, 6, 0.05, replicas=9, seed=3, block=4, observables=("temperatures", "pair01"))
    b = run_ensemble(0.0, 0.3, 6, 0.05, replicas=9, seed=3, block=9, observables=("temperatures", "pair01"))
    for key in ("temperatures", "temperatures_se", "pair01", "pair01_se"):
        np.testing.assert_allclose(a[key], b[key], rtol=1e-14, atol=1e-15)


def test_shapes_and_conserved_quantities() -> None:
    names = tuple(OBSERVABLES)
    res = run_ensemble(-3.0, 0.2, 5, 0.02, replicas=4, seed=1, snapshots=3, observables=names)
    for name in names:
        assert res[name].shape == (3, *OBSERVABLES[name])
        assert res[name + "_se"].shape == (3, *OBSERVABLES[name])
    np.testing.assert_allclose(res["energy"], 3.0, rtol=1e-13)
    np.testing.assert_allclose(res["momentum"], 0.0, atol=1e-14)
    np.testing.assert_allclose(res["legendre"][0], 1.0, rtol=1e-14)


@pytest.mark.parametrize("kwargs,param", [
    (dict(replicas=1), "replicas"), (dict(replicas=4, observables=("nope",)), "observables"),
    (dict(replicas=4, observables=()), "observables"), (dict(replicas=4, engine="slow"), "engine"),
    (dict(replicas=4, engine="exact", dt=0.1), "dt"), (dict(replicas=4, dt=-1.0), "dt"),
    (dict(replicas=4, init="bimaxwellian:1"), "init"), (dict(replicas=4, kernel="x"), "kernel"),
    (dict(replicas=4, mutant="x"), "mutant"), (dict(replicas=4, seed=-1), "seed"),
])
def test_bad_input_names_the_parameter(kwargs: dict, param: str) -> None:
    with pytest.raises(ValueError, match=f"^{param}"):
        run_ensemble(0.0, 0.3, 4, 0.1, **kwargs)


@pytest.mark.parametrize("args,param", [((1.5, 0.3, 4, 0.1), "gamma"), ((0.0, 0.0, 4, 0.1), "h"),
                                        ((0.0, 0.3, 1, 0.1), "n"), ((0.0, 0.3, 4, float("nan")), "t_end")])
def test_bad_positional_input(args: tuple, param: str) -> None:
    with pytest.raises(ValueError, match=f"^{param}"):
        run_ensemble(*args, replicas=4)


@pytest.mark.parametrize("engine", ["exact", "fast", "nanbu"])
def test_results_do_not_depend_on_the_chunking(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dispatcher cuts every segment into chunks (Ctrl-C, progress); chunks of one step or one resummation
    period give bitwise the results of the default, adaptive chunks (mbc_verify.mbc.engines)."""
    import mbc_verify.mbc.engines as engines

    h = None if engine == "nanbu" else 0.3
    kw = dict(replicas=6, init="bimaxwellian:2,0.5", engine=engine, snapshots=3, seed=4,
              observables=("second_moment", "moment4"), dt=None if engine == "exact" else 0.01)
    big = run_ensemble(-3.0, h, 10, 0.2, **kw)
    monkeypatch.setattr(engines, "CHUNK_UPDATES", 1)
    monkeypatch.setattr(engines, "CHUNK_EXACT", 1)
    monkeypatch.setattr(engines, "CHUNK_SECONDS", 1e-9)
    small = run_ensemble(-3.0, h, 10, 0.2, **kw)
    for key in ("second_moment", "moment4"):
        assert np.array_equal(big[key], small[key])
    assert big["jumps"] == small["jumps"]
