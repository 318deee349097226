"""The one claim runner: validation, timing, seeds, units, evidence files and progress for every claim.

:func:`run_claim` builds the :class:`~mbc_verify.claims.base.Context`, runs the claim's units (through an
optional ``execute`` hook, the seam for caching and distributed execution), combines them, derives the checks,
saves the evidence (PNG and JSON, atomically) and returns the certificate. An exception inside the claim gives
status ``error`` with the traceback in ``details``; an unregistered claim gives ``not-implemented``.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..certificate import Certificate
from ..mutants import check_mutant
from ..outputs import atomic_savefig, atomic_write_json
from ..serialize import to_jsonable
from ..validation import check_choice, check_seed
from .base import Claim, Context
from .registry import PROFILES, STATEMENTS, all_claims, parse_claims

#: ``execute(claim, ctx, key, params) -> result``: how one unit is run (default: directly, in this process).
Executor = Callable[[Claim, Context, str, Mapping[str, Any]], Any]


def direct(claim: Claim, ctx: Context, key: str, params: Mapping[str, Any]) -> Any:
    """Run one unit in this process."""
    return claim.run_unit(ctx, **params)


def context(claim: Claim, profile: str, seed: int, mutant: str | None) -> Context:
    """The context of ``claim`` for a profile, master seed and planted defect."""
    return Context(claim.claim_id, profile, seed, mutant, claim.sizes[profile])


def evidence_stem(claim_id: str, mutant: str | None) -> str:
    """File stem of a claim's evidence: ``c3`` or ``c3-rate_doubled``."""
    return claim_id.lower() + (f"-{mutant}" if mutant else "")


def save_evidence(out_dir: Path, ctx: Context, fig: Any, data: Any) -> list[str]:
    """Write the figure (PNG) and the data (JSON) of a claim atomically; return the file names."""
    import matplotlib.pyplot as plt

    stem = evidence_stem(ctx.claim_id, ctx.mutant)
    names = []
    if fig is not None:
        title = f"{ctx.claim_id}: {STATEMENTS[ctx.claim_id][1]}" + (f"  [mutant {ctx.mutant}]" if ctx.mutant else "")
        fig.suptitle(title, fontsize=9)
        fig.tight_layout()
        atomic_savefig(fig, out_dir / f"{stem}.png", dpi=110)
        plt.close(fig)
        names.append(f"{stem}.png")
    if data is not None:
        atomic_write_json(out_dir / f"{stem}.json", to_jsonable(data))
        names.append(f"{stem}.json")
    return names


def run_claim(claim_id: str, profile: str = "quick", seed: int = 0, out_dir: Path | str = "mbc-report",
              mutant: str | None = None, *, execute: Executor = direct,
              on_unit: Callable[[str, int, int], object] | None = None) -> Certificate:
    """Run one claim and return its certificate (module docstring).

    ``on_unit(claim_id, done, total)`` is called after every unit (progress).
    """
    (cid,) = parse_claims(claim_id, name="claim_id")
    check_choice("profile", profile, PROFILES)
    check_seed(seed)
    check_mutant(mutant)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    info = {c.claim_id: c for c in all_claims()}[cid]
    t0 = time.perf_counter()
    if info.claim is None:
        cert = Certificate(cid, info.statement, status="not-implemented",
                           details={"reason": "no registered experiment for this claim yet"})
    else:
        cert = _certify(info.claim, context(info.claim, profile, seed, mutant), out, execute, on_unit)
    cert.wall_seconds = time.perf_counter() - t0
    cert.profile = profile
    cert.mutant = mutant
    return cert


def _certify(claim: Claim, ctx: Context, out: Path, execute: Executor,
             on_unit: Callable[[str, int, int], object] | None) -> Certificate:
    statement = STATEMENTS[ctx.claim_id][1]
    try:
        units = claim.units(ctx)
        results = {}
        for k, (key, params) in enumerate(units.items()):
            results[key] = execute(claim, ctx, key, params)
            if on_unit is not None:
                on_unit(ctx.claim_id, k + 1, len(units))
        data = claim.combine(ctx, results)
        checks = claim.checks(ctx, data)
        evidence = save_evidence(out, ctx, claim.figure(ctx, data), claim.evidence(ctx, data))
        return Certificate(ctx.claim_id, statement, checks=checks, primary=claim.primary, seeds=claim.seeds(ctx),
                           sizes=dict(ctx.sizes), evidence=evidence, details=claim.details(ctx, data))
    except Exception as exc:  # a crashing claim is reported, never taken for a pass
        return Certificate(ctx.claim_id, statement, status="error", sizes=dict(ctx.sizes),
                           details={"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})
