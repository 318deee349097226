"""Slow tier: the real detection-power table and the false-alarm count (issue: detection power).

``test_the_power_table_does_not_regress`` regenerates the quick-profile table that the README shows
(``docs/power/power.json``: the runs ``mbc-verify power --families … --claims … --out DIR`` listed in its
``invocations``, merged by ``python -m mbc_verify.power_report``), run by run, and fails when a family
that met its target no longer does, or when any ε* grows by more than one grid step (√2; the search runs at a fixed
seed, so the same code gives the same table and one step absorbs a change of random-number use).
``test_no_claim_fails_without_a_defect_at_twenty_seeds`` runs the unmutated quick campaign at seeds 0–19: the
statistical checks are 5σ intervals, so the predicted number of false failures is about zero (≈ 6e-7 per z-check).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from benchmarks.false_alarms import false_alarms
from mbc_verify.power import measure_power
from mbc_verify.power_report import invocations, merge_documents

STORED = Path(__file__).resolve().parents[1] / "docs" / "power" / "power.json"
FALSE_ALARM_SEEDS = 20


@pytest.mark.slow
def test_the_power_table_does_not_regress(tmp_path: Path) -> None:
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    docs = [measure_power(stored["profile"], run["families"], run["claims"], out_dir=tmp_path / f"run{k}",
                          seed=stored["seed"]) for k, run in enumerate(invocations(stored))]
    doc = merge_documents(docs)
    was = {t["family"]: t for t in stored["targets"]}
    now = {t["family"]: t for t in doc["targets"]}
    assert [f for f in was if was[f]["meets_target"] and not now[f]["meets_target"]] == []
    old = {(r["family"], r["claim"], r.get("scope", "all")): r["eps_star"] for r in stored["searches"]}
    for r in doc["searches"]:
        before = old.get((r["family"], r["claim"], r["scope"]))
        if before is not None:
            assert r["eps_star"] is not None and r["eps_star"] <= before * math.sqrt(2.0) * (1 + 1e-12), r


@pytest.mark.slow
def test_no_claim_fails_without_a_defect_at_twenty_seeds(tmp_path: Path) -> None:
    doc = false_alarms(FALSE_ALARM_SEEDS, tmp_path)
    print(f"false failures: {doc['failing']} of {doc['certificates']} certificates: {doc['failures']}")
    assert doc["failures"] == []
