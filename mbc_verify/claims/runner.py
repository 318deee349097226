"""The one claim runner: validation, timing, seeds, units, evidence files and progress for every claim.

:func:`plan` builds a claim's :class:`~mbc_verify.claims.base.Context` and its units; an executor of
:mod:`mbc_verify.execution` runs the units (here, or on a cluster); :func:`assemble` combines their outcomes in
the order of the units, derives the checks, saves the evidence (PNG and JSON, atomically) and returns the
certificate. A unit that raised gives status ``error`` with the traceback in ``details``; a unit that did not
finish (Ctrl-C) gives ``interrupted``; an unregistered claim gives ``not-implemented``. :func:`run_claim` does all
three in this process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..certificate import Certificate
from ..execution import InProcess, Outcome, Unit
from ..mutants import check_mutant
from ..outputs import atomic_savefig, atomic_write_json
from ..serialize import to_jsonable
from ..validation import check_choice, check_seed
from .base import Claim, Context
from .registry import PROFILES, STATEMENTS, all_claims, parse_claims


def context(claim: Claim, profile: str, seed: int, mutant: str | None) -> Context:
    """The context of ``claim`` for a profile, master seed and planted defect."""
    return Context(claim.claim_id, profile, seed, mutant, claim.sizes[profile])


def evidence_stem(claim_id: str, mutant: str | None) -> str:
    """File stem of a claim's evidence: ``c3`` or ``c3-rate_doubled``."""
    return claim_id.lower() + (f"-{mutant}" if mutant else "")


def statement_of(claim_id: str, claim: Claim | None) -> str:
    """The statement of a claim: its own ``statement`` attribute (operator certificates) or the registry's."""
    return getattr(claim, "statement", "") or STATEMENTS[claim_id][1]


def save_evidence(out_dir: Path, ctx: Context, fig: Any, data: Any, statement: str | None = None) -> list[str]:
    """Write the figure (PNG) and the data (JSON) of a claim atomically; return the file names."""
    import matplotlib.pyplot as plt

    stem = evidence_stem(ctx.claim_id, ctx.mutant)
    names = []
    if fig is not None:
        title = (f"{ctx.claim_id}: {statement or STATEMENTS[ctx.claim_id][1]}"
                 + (f"  [mutant {ctx.mutant}]" if ctx.mutant else ""))
        fig.suptitle(title, fontsize=9)
        fig.tight_layout()
        atomic_savefig(fig, out_dir / f"{stem}.png", dpi=110)
        plt.close(fig)
        names.append(f"{stem}.png")
    if data is not None:
        atomic_write_json(out_dir / f"{stem}.json", to_jsonable(data))
        names.append(f"{stem}.json")
    return names


def plan(claim_id: str, profile: str = "quick", seed: int = 0,
         mutant: str | None = None) -> tuple[Claim | None, Context | None, list[Unit]]:
    """(claim, context, units) of one claim (validated arguments); (None, None, []) when it is not implemented."""
    (cid,) = parse_claims(claim_id, name="claim_id")
    check_choice("profile", profile, PROFILES)
    check_seed(seed)
    check_mutant(mutant)
    claim = {c.claim_id: c for c in all_claims()}[cid].claim
    if claim is None:
        return None, None, []
    ctx = context(claim, profile, seed, mutant)
    units = [Unit(cid, profile, seed, None if claim.defect_free(params) else mutant, key, dict(params))
             for key, params in claim.units(ctx).items()]
    return claim, ctx, units


def assemble(claim_id: str, claim: Claim | None, ctx: Context | None, units: list[Unit],
             outcomes: Mapping[Unit, Outcome], out_dir: Path, prefix: str = "") -> Certificate:
    """The certificate of a claim from its units' outcomes (module docstring); evidence saved under ``out_dir``,
    its names recorded with ``prefix`` (the evidence directory relative to the report)."""
    statement = statement_of(claim_id, claim)
    if claim is None:
        return Certificate(claim_id, statement, status="not-implemented",
                           details={"reason": "no registered experiment for this claim yet"})
    sizes = dict(ctx.sizes)
    failed = [u for u in units if u in outcomes and outcomes[u].error is not None]
    if failed:
        return Certificate(claim_id, statement, status="error", sizes=sizes,
                           details={"error": f"unit {failed[0].key!r} raised "
                                             f"{outcomes[failed[0]].error.strip().splitlines()[-1]}",
                                    "traceback": outcomes[failed[0]].error})
    missing = [u.key for u in units if u not in outcomes]
    if missing:
        return Certificate(claim_id, statement, status="interrupted", sizes=sizes,
                           details={"unfinished_units": missing})
    try:
        data = claim.combine(ctx, {u.key: outcomes[u].value for u in units})
        checks = claim.checks(ctx, data)
        out_dir.mkdir(parents=True, exist_ok=True)
        evidence = save_evidence(out_dir, ctx, claim.figure(ctx, data), claim.evidence(ctx, data), statement)
        return Certificate(claim_id, statement, checks=checks, primary=claim.primary, seeds=claim.seeds(ctx),
                           sizes=sizes, evidence=[prefix + name for name in evidence],
                           details=claim.details(ctx, data))
    except Exception as exc:  # a crashing claim is reported, never taken for a pass
        import traceback

        return Certificate(claim_id, statement, status="error", sizes=sizes,
                           details={"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})


def run_claim(claim_id: str, profile: str = "quick", seed: int = 0, out_dir: Path | str = "mbc-report",
              mutant: str | None = None, *,
              on_unit: Callable[[str, int, int], object] | None = None) -> Certificate:
    """Run one claim in this process and return its certificate (module docstring); evidence under ``out_dir``.

    ``on_unit(claim_id, done, total)`` is called after every unit (progress).
    """
    claim, ctx, units = plan(claim_id, profile, seed, mutant)
    cid = units[0].claim_id if units else parse_claims(claim_id, name="claim_id")[0]
    t0 = time.perf_counter()
    outcomes: dict[Unit, Outcome] = {}

    def done(unit: Unit, outcome: Outcome) -> None:
        outcomes[unit] = outcome
        if on_unit is not None:
            on_unit(cid, len(outcomes), len(units))

    InProcess().run(units, done)
    cert = assemble(cid, claim, ctx, units, outcomes, Path(out_dir))
    cert.wall_seconds = time.perf_counter() - t0
    cert.profile = profile
    cert.mutant = mutant
    return cert
