"""The CI performance gate: it fails on an injected slowdown; its verdict logic.

No timed assertion on the passing side (speeds vary between machines; the gate itself compares ratios measured in
one run against benchmarks/thresholds.json). The injected slowdown runs the timed fast-engine callable 25 times
(``--slowdown 25``): both ratios then fall 25-fold, far below threshold · (1 − margin) with margin 0.4, so the
gate must exit 1 on any machine where it passes without the slowdown (it needs a ratio scatter < 15×).
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.gate import THRESHOLDS, main, verdict


def test_verdict_flags_only_ratios_below_the_margin() -> None:
    thr = {"margin": 0.3, "ratios": {"fast_vs_numpy": 10.0, "fast_vs_takizuka_abe": 1.0}}
    assert verdict({"fast_vs_numpy": 7.01, "fast_vs_takizuka_abe": 0.71}, thr) == []
    fails = verdict({"fast_vs_numpy": 6.99, "fast_vs_takizuka_abe": float("nan")}, thr)
    assert len(fails) == 2 and fails[0].startswith("fast_vs_numpy")


def test_gate_fails_on_injected_slowdown(tmp_path: Path) -> None:
    thr = json.loads(THRESHOLDS.read_text())
    thr["setup"].update({"n": 20_000, "steps_numba": 8, "steps_numpy": 1, "repeats": 1})  # same ratios, cheaper
    path = tmp_path / "thresholds.json"
    path.write_text(json.dumps(thr))
    out = tmp_path / "gate.json"
    assert main(["--thresholds", str(path), "--slowdown", "25", "--json", str(out)]) == 1
    rec = json.loads(out.read_text())
    assert {f.split()[0] for f in rec["failures"]} == {"fast_vs_numpy", "fast_vs_takizuka_abe"}


def test_gate_rejects_bad_arguments(tmp_path: Path) -> None:
    assert main(["--slowdown", "0"]) == 2
    assert main(["--thresholds", str(tmp_path / "missing.json")]) == 2
    (tmp_path / "a_file").write_text("")
    assert main(["--json", str(tmp_path / "a_file" / "gate.json")]) == 2  # refused before any timing
