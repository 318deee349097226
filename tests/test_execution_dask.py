"""The campaign on Dask (extra [distributed]): bitwise the in-process certificates; a killed worker's units rerun.

The stand-in claims of tests/fakes.py are installed in every worker by a worker plugin (also in a worker that
restarts after being killed).
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest
from fakes import units_claim

from mbc_verify.campaign import certify

distributed = pytest.importorskip("distributed", reason="the [distributed] extra is not installed")

FAKES = {"C5": {"sizes": {"quick": {"units": 4, "sleep": 0.0}, "full": {"units": 6, "sleep": 0.0}}},
         "C6": {"sizes": {"quick": {"units": 3, "sleep": 0.0}, "full": {"units": 3, "sleep": 0.0}}}}


def _install(fake_claims, **overrides) -> None:
    fake_claims({cid: units_claim(cid, **{**attrs, **overrides.get(cid, {})}) for cid, attrs in FAKES.items()})


def _values(certs) -> list:
    return [(c.claim_id, c.verdict, [(k.name, k.measured) for k in c.checks]) for c in certs]


class InstallFakes(distributed.WorkerPlugin):
    """Install the stand-in claims in every worker (also one that restarts after being killed)."""

    def __init__(self, overrides: dict) -> None:
        self.overrides = overrides

    def setup(self, worker) -> None:  # noqa: ANN001
        sys.path.insert(0, str(Path(__file__).parent))
        from fakes import units_claim as make

        from mbc_verify.claims import all_claims, registry

        all_claims()
        registry._CLAIMS = {cid: make(cid, **{**attrs, **self.overrides.get(cid, {})}) for cid, attrs in
                            FAKES.items()}


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc, \
            Client(lc) as client:
        yield client


def test_dask_gives_bitwise_the_in_process_certificates(cluster, fake_claims, tmp_path: Path) -> None:
    _install(fake_claims)
    local = certify("quick", "C5,C6", out_dir=tmp_path / "local")
    cluster.register_plugin(InstallFakes({}), name="fakes")
    remote = certify("quick", "C5,C6", out_dir=tmp_path / "dask", client=cluster)
    assert _values(remote) == _values(local)
    doc = json.loads((tmp_path / "dask" / "report.json").read_text())
    assert doc["executor"] == "dask" and {u["where"] for u in doc["units"]} - {"in-process"}


def test_a_killed_worker_s_tasks_rerun_elsewhere_and_the_report_is_identical(cluster, fake_claims,
                                                                            tmp_path: Path) -> None:
    slow = {cid: {"sizes": {"quick": {**a["sizes"]["quick"], "sleep": 1.0}, "full": a["sizes"]["full"]}}
            for cid, a in FAKES.items()}
    _install(fake_claims, **slow)
    local = certify("quick", "C5,C6", out_dir=tmp_path / "local")
    cluster.register_plugin(InstallFakes(slow), name="fakes")
    pids = cluster.run(os.getpid)
    victim = next(iter(pids.values()))

    def kill_once(done: int, total: int, label: str) -> None:
        if done == 1:
            os.kill(victim, signal.SIGKILL)

    remote = certify("quick", "C5,C6", out_dir=tmp_path / "dask", client=cluster, on_unit=kill_once)
    assert _values(remote) == _values(local)
    assert victim not in cluster.run(os.getpid).values()
