"""False alarms: the unmutated quick campaign at seeds 0 … S − 1 (issue: detection power, item 4).

    python -m benchmarks.false_alarms [--seeds 20] [--out benchmarks/results] [--work DIR]

Every statistical check is a 5σ interval (two-sided p ≈ 5.7·10⁻⁷ per z-check), so the predicted number of failing
certificates is about zero. Each seed's campaign writes into ``WORK/seedK`` and is resumed from its cached units
when rerun (``certify(..., resume=True)``: an interrupted study loses nothing). Writes ``false_alarms.{json,md}``
after every seed (``seeds_done``):
per seed the verdict of every claim and the failing checks, the count of failing certificates, and the wall time.
The slow test ``tests/test_power_campaign.py::test_no_claim_fails_without_a_defect_at_twenty_seeds`` runs the
same function and asserts the count is 0.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mbc_verify.campaign import certify
from mbc_verify.outputs import atomic_write_json, atomic_write_text


def false_alarms(seeds: int, work: Path, profile: str = "quick",
                 on_seed: Callable[[dict[str, Any]], object] | None = None) -> dict[str, Any]:
    """Certify every claim, unmutated, at seeds 0 … seeds − 1; the verdicts and the failing certificates.
    ``on_seed(doc)`` receives the document so far after each seed (``seeds_done`` of ``seeds``)."""
    per_seed: dict[str, dict[str, str]] = {}
    failures: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    doc: dict[str, Any] = {}
    for seed in range(seeds):
        certs = certify(profile, seed=seed, out_dir=work / f"seed{seed}", resume=True)
        per_seed[str(seed)] = {c.claim_id: c.verdict for c in certs}
        failures += [{"seed": seed, "claim": c.claim_id, "checks": [k.name for k in c.checks if not k.holds]}
                     for c in certs if not c.passed]
        print(f"seed {seed}: {sum(c.passed for c in certs)}/{len(certs)} pass", flush=True)
        doc = {"profile": profile, "seeds": seeds, "seeds_done": seed + 1,
               "certificates": sum(len(v) for v in per_seed.values()), "failures": failures,
               "failing": len(failures), "verdicts": per_seed, "wall_seconds": time.perf_counter() - t0}
        if on_seed is not None:
            on_seed(doc)
    return doc


def markdown(doc: dict[str, Any]) -> str:
    lines = [f"# False alarms ({doc['profile']} profile, unmutated, seeds 0–{doc['seeds_done'] - 1} of "
             f"0–{doc['seeds'] - 1})", "",
             f"{doc['failing']} failing certificates of {doc['certificates']} (5σ checks: about 0 predicted); "
             f"wall time {doc['wall_seconds'] / 60:.0f} min. Command: `python -m benchmarks.false_alarms --seeds "
             f"{doc['seeds']}`.", ""]
    lines += [f"- seed {f['seed']}, {f['claim']}: {', '.join(f['checks']) or '(an error: no check failed)'}"
              for f in doc["failures"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    parser.add_argument("--work", type=Path, default=Path("false-alarm-runs"))
    args = parser.parse_args(argv)
    def write(doc: dict[str, Any]) -> None:
        atomic_write_json(args.out / "false_alarms.json", doc)
        atomic_write_text(args.out / "false_alarms.md", markdown(doc))

    doc = false_alarms(args.seeds, args.work, on_seed=write)
    print(f"{doc['failing']} failing certificates of {doc['certificates']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
