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
from fakes import UNITS_FAKES, certificate_values, install_units_claims

from mbc_verify.campaign import certify

distributed = pytest.importorskip("distributed", reason="the [distributed] extra is not installed")



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
                            UNITS_FAKES.items()}


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc, \
            Client(lc) as client:
        yield client


def test_dask_gives_bitwise_the_in_process_certificates(cluster, fake_claims, tmp_path: Path) -> None:
    install_units_claims(fake_claims)
    local = certify("quick", "C5,C6", out_dir=tmp_path / "local")
    cluster.register_plugin(InstallFakes({}), name="fakes")
    remote = certify("quick", "C5,C6", out_dir=tmp_path / "dask", client=cluster)
    assert certificate_values(remote) == certificate_values(local)
    doc = json.loads((tmp_path / "dask" / "report.json").read_text())
    assert doc["executor"] == "dask" and {u["where"] for u in doc["units"]} - {"in-process"}


def test_a_killed_worker_s_tasks_rerun_elsewhere_and_the_report_is_identical(cluster, fake_claims,
                                                                            tmp_path: Path) -> None:
    slow = {cid: {"sizes": {"quick": {**a["sizes"]["quick"], "sleep": 1.0}, "full": a["sizes"]["full"]}}
            for cid, a in UNITS_FAKES.items()}
    install_units_claims(fake_claims, **slow)
    local = certify("quick", "C5,C6", out_dir=tmp_path / "local")
    cluster.register_plugin(InstallFakes(slow), name="fakes")
    pids = cluster.run(os.getpid)
    victim = next(iter(pids.values()))

    def kill_once(done: int, total: int, label: str) -> None:
        if done == 1:
            os.kill(victim, signal.SIGKILL)

    remote = certify("quick", "C5,C6", out_dir=tmp_path / "dask", client=cluster, on_unit=kill_once)
    assert certificate_values(remote) == certificate_values(local)
    assert victim not in cluster.run(os.getpid).values()
