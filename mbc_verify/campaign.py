"""The validation campaign (``mbc-verify certify``): plan every claim's units, run them, write the reports.

Each run gets a run id and its own directory ``OUT/runs/<run id>/`` (its evidence files and its reports, links
relative to it), so files of different runs never mix; ``OUT/report.json`` and ``OUT/report.md`` are copies of the
latest run's reports (written atomically; the Markdown links point into its directory) and ``OUT/latest`` links
to that directory. Units run in this process by default, or on Dask
(``client=`` or ``scheduler=``, the optional extra ``[distributed]``); every finished unit is cached under
``OUT/.cache/units`` and ``resume=True`` reuses the cached ones (same code, same parameters). On Ctrl-C the
reports are written with the unfinished claims marked ``interrupted`` and :class:`KeyboardInterrupt` propagates.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .certificate import Certificate
from .claims import PROFILES, all_claims, parse_claims
from .claims.runner import assemble, plan
from .execution import InProcess, OnDask, Outcome, Unit, UnitCache, client_for
from .mutants import MUTANTS, check_mutant
from .outputs import check_output_dir, check_output_file
from .report import write_reports
from .validation import check_choice, check_seed

UnitProgress = Callable[[int, int, str], object]
"""``on_unit(done, total, label)``: called as units finish."""


def validate(profile: str, claims: str | Sequence[str] | None, mutant: str | None, seed: int) -> list[str]:
    """Check the campaign's arguments (ArgumentError naming the first bad one); return the selected claim ids."""
    check_choice("profile", profile, PROFILES)
    ids = parse_claims(claims if claims is None or isinstance(claims, str) else ",".join(claims))
    check_mutant(mutant)
    check_seed(seed)
    return ids


@dataclass
class Job:
    """One certificate to produce: a claim under a defect (None: the unmutated campaign)."""

    claim_id: str
    mutant: str | None
    plan: tuple


def new_run_dir(out: Path) -> tuple[str, Path]:
    """(run id, OUT/runs/<run id>/) — the id is the UTC time and 6 random hex digits."""
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    path = out / "runs" / run_id
    path.mkdir(parents=True)
    return run_id, path


def _link_latest(out: Path, run_id: str) -> None:
    link = out / "latest"
    tmp = out / f".latest-{run_id}"
    os.symlink(Path("runs") / run_id, tmp)
    os.replace(tmp, link)


def certify(profile: str = "quick", claims: str | Sequence[str] | None = None, *, seed: int = 0,
            out_dir: str | Path = "mbc-report", mutant: str | None = None, json_file: str | Path | None = None,
            matrix: bool = False, resume: bool = False, client: Any = None, scheduler: str | None = None,
            on_unit: UnitProgress | None = None) -> list[Certificate]:
    """Run claims (``"C1,C3"``, a list of ids, or None for all of C1–C12) and write the reports (module docstring).

    Returns the certificates in claim order. With ``matrix=True`` every claim also runs under every planted defect
    whose component it uses, and the reports include the mutation matrix. ``client``: a Dask client;
    ``scheduler``: ``local[:WORKERS]`` or ``tcp://HOST:PORT`` (a client is made and closed here). Every argument,
    the output paths included, is validated before any claim runs (``ValueError`` naming it).
    """
    ids = validate(profile, claims, mutant, seed)
    out = check_output_dir(out_dir, "out_dir")
    if json_file is not None:
        check_output_file(json_file, "json_file")
    with client_for(client, scheduler) as client:
        return _campaign(profile, ids, seed, out, mutant, json_file, matrix, resume, client, on_unit)


def _jobs(profile: str, ids: list[str], seed: int, mutant: str | None, matrix: bool) -> list[Job]:
    jobs = [Job(cid, mutant, plan(cid, profile, seed, mutant)) for cid in ids]
    if matrix:
        infos = {c.claim_id: c for c in all_claims()}
        jobs += [Job(cid, name, plan(cid, profile, seed, name)) for name, mut in MUTANTS.items() for cid in ids
                 if mut.target in infos[cid].uses]
    return jobs


def _campaign(profile: str, ids: list[str], seed: int, out: Path, mutant: str | None, json_file: Any,
              matrix: bool, resume: bool, client: Any, on_unit: UnitProgress | None) -> list[Certificate]:
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    run_id, run_dir = new_run_dir(out)
    jobs = _jobs(profile, ids, seed, mutant, matrix)
    units = [u for job in jobs for u in job.plan[2]]
    outcomes, interrupted = execute(units, UnitCache(out / ".cache" / "units"), resume, client, on_unit)
    certs = {(job.claim_id, job.mutant): certificate_of(job, outcomes, run_dir, profile) for job in jobs}
    main = [certs[(cid, mutant)] for cid in ids]
    meta: dict[str, Any] = {"profile": profile, "seed": seed, "mutant": mutant, "claims": ids, "run_id": run_id,
                            "evidence_dir": f"runs/{run_id}",
                            "interrupted": interrupted, "executor": "dask" if client is not None else "in-process",
                            "units": [_unit_row(u, outcomes.get(u)) for u in units]}
    if matrix:
        meta["mutation_matrix"] = _matrix(ids, certs)
    meta["wall_seconds"] = time.perf_counter() - t0
    write_reports(main, run_dir, meta)
    write_reports(main, out, meta, Path(json_file) if json_file is not None else None, link_prefix=f"runs/{run_id}/")
    _link_latest(out, run_id)
    if interrupted:
        raise KeyboardInterrupt
    return main


def execute(units: list[Unit], cache: UnitCache, resume: bool, client: Any,
             on_unit: UnitProgress | None) -> tuple[dict[Unit, Outcome], bool]:
    """Outcomes of the units (cached ones first when resuming), each distinct unit run once (jobs share their
    defect-free units, :meth:`mbc_verify.claims.base.Claim.defect_free`); (outcomes, whether Ctrl-C stopped the
    run)."""
    outcomes: dict[Unit, Outcome] = {}
    units = list(dict.fromkeys(units))

    def done(unit: Unit, outcome: Outcome) -> None:
        outcomes[unit] = outcome
        if not outcome.cached:
            cache.put(unit, outcome)
        if on_unit is not None:
            on_unit(len(outcomes), len(units), unit.label)

    todo = []
    for unit in units:
        hit = cache.get(unit) if resume else None
        if hit is not None:
            done(unit, hit)
        else:
            todo.append(unit)
    try:
        (OnDask(client) if client is not None else InProcess()).run(todo, done)
    except KeyboardInterrupt:
        return outcomes, True
    return outcomes, False


def certificate_of(job: Job, outcomes: dict[Unit, Outcome], run_dir: Path, profile: str) -> Certificate:
    claim, ctx, units = job.plan
    sub = f"mutants/{job.mutant}/" if job.mutant else ""
    cert = assemble(job.claim_id, claim, ctx, units, outcomes, run_dir / sub, sub)
    cert.wall_seconds = sum(outcomes[u].seconds for u in units if u in outcomes)
    cert.profile = profile
    cert.mutant = job.mutant
    return cert


def _unit_row(unit: Unit, outcome: Outcome | None) -> dict[str, Any]:
    row: dict[str, Any] = {"claim": unit.claim_id, "mutant": unit.mutant, "key": unit.key}
    if outcome is None:
        return {**row, "status": "unfinished"}
    return {**row, "status": "error" if outcome.error else "done", "seconds": outcome.seconds,
            "where": outcome.where, "cached": outcome.cached}


def _matrix(ids: list[str], certs: dict[tuple[str, str | None], Certificate]) -> dict[str, dict[str, str]]:
    """{mutant: {claim: verdict or "unaffected"}} (a claim whose computation does not use the component)."""
    return {name: {cid: certs[(cid, name)].verdict if (cid, name) in certs else "unaffected" for cid in ids}
            for name in MUTANTS}


def mutation_matrix(profile: str, claims: Sequence[str], *, seed: int = 0,
                    out_dir: str | Path = "mbc-report/mutants") -> dict[str, dict[str, str]]:
    """Verdict of every claim under every registered mutant: ``{mutant: {claim_id: verdict}}``, in this process.

    A pair whose claim does not use the mutant's component (``uses`` of the claim) is recorded as
    ``"unaffected"`` without running: the planted defect is not on its computation's path. A claim is *killed* by
    a mutant when its verdict under that mutant is not ``"pass"``.
    """
    ids = validate(profile, list(claims), None, seed)
    jobs = [j for j in _jobs(profile, ids, seed, None, True) if j.mutant is not None]
    outcomes: dict[Unit, Outcome] = {}
    InProcess().run([u for j in jobs for u in j.plan[2]], lambda u, o: outcomes.__setitem__(u, o))
    out = Path(out_dir)
    certs = {(j.claim_id, j.mutant): assemble(j.claim_id, *j.plan, outcomes, out / j.mutant) for j in jobs}
    return _matrix(ids, certs)


__all__ = ["Job", "certificate_of", "certify", "execute", "mutation_matrix", "new_run_dir", "validate"]
