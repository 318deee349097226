"""``mbc-verify conform``: run the operator certificates for one or more operators and write the matrix.

:func:`conform` validates everything before any work (ArgumentError naming the API argument: ``operators``,
``params``, ``gammas``, ``profile``, ``certificates``, ``seed``, ``out_dir``, ``json_file``, ``scheduler``): each
operator is loaded (:func:`mbc_verify.conformance.loading.load_factory`) and checked against the protocol at every
γ it will run. It then plans the units (:mod:`mbc_verify.conformance.plan`), runs them in this process or on Dask
(:mod:`mbc_verify.execution`), assembles each certificate with the one runner
(:func:`mbc_verify.claims.runner.assemble`; evidence under ``OUT/evidence/<operator>/``) and writes
``OUT/conform.json``, ``OUT/conform.md`` and ``OUT/matrix.png`` (:mod:`mbc_verify.conformance.report`). On Ctrl-C
the reports are written with the unfinished certificates ``interrupted`` and KeyboardInterrupt propagates.
Completed units are not cached: a user operator's code is outside the library's code fingerprint.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..claims.registry import PROFILES
from ..claims.runner import assemble
from ..execution import InProcess, OnDask, Outcome, Unit, client_for
from ..outputs import check_output_dir, check_output_file
from ..validation import ArgumentError, check_choice, check_gamma, check_seed
from .certificates import CERTIFICATES, parse_certificates
from .loading import OperatorSpec, parse_params
from .plan import Job, plan
from .protocol import is_continuous_time
from .report import Cell, write

UnitProgress = Callable[[int, int, str], object]
"""``on_unit(done, total, label)``: called as units finish."""


def parse_gammas(gammas: Any, name: str = "gammas") -> tuple[float, ...]:
    """``"0,-3"``, a number or a sequence → the γ values (checked, duplicates dropped); None → ()."""
    if gammas is None:
        return ()
    items = gammas.split(",") if isinstance(gammas, str) else (gammas if isinstance(gammas, Sequence) else [gammas])
    out: list[float] = []
    for item in items:
        try:
            g = check_gamma(float(item) if isinstance(item, str) else item, name)
        except ValueError as exc:
            raise ArgumentError(name, str(exc) if str(exc).startswith(name) else f"{name}: {exc}") from None
        if g not in out:
            out.append(g)
    if not out:
        raise ArgumentError(name, f"{name}: must give at least one γ, got {gammas!r}")
    return tuple(out)


def parse_operators(operators: Any, params: Any) -> list[OperatorSpec]:
    """Operator names (a comma-separated string or a sequence) with the shared ``params`` → specs."""
    names = operators.split(",") if isinstance(operators, str) else list(operators or [])
    names = [n.strip() for n in names if n.strip()]
    if not names:
        raise ArgumentError("operators", f"operators: must name at least one operator, got {operators!r}")
    shared = parse_params(params)
    return [OperatorSpec(n, shared) for n in dict.fromkeys(names)]


@dataclass
class ConformResult:
    """The cells of the matrix, in operator-major order, and where the reports were written."""

    cells: list[Cell]
    paths: list[Path]

    @property
    def passed(self) -> bool:
        """Every applicable certificate passed (and at least one applied)."""
        done = [c for c in self.cells if c.cert is not None]
        return bool(done) and all(c.cert.passed for c in done)


def validate(operators: Any, params: Any, gammas: Any, profile: str, certificates: Any,
             seed: int) -> tuple[list[OperatorSpec], tuple[float, ...], list[str], dict[str, bool]]:
    """Check every argument and load every operator at every γ it will run (ArgumentError naming the argument);
    return (operator specs, γ selection, certificate ids, {operator label: continuous_time})."""
    check_choice("profile", profile, PROFILES)
    check_seed(seed)
    ids = parse_certificates(certificates if certificates is None or isinstance(certificates, str)
                             else ",".join(certificates))
    sel = parse_gammas(gammas)
    specs = parse_operators(operators, params)
    needed = sorted({g for cid in ids for g in CERTIFICATES[cid].gammas_for(sel)})
    continuous = {}
    for spec in specs:
        ops = [spec.make(g, "operators") for g in needed]
        continuous[spec.label] = any(is_continuous_time(op) for op in ops)
    return specs, sel, ids, continuous


def conform(operators: str | Sequence[str], *, params: Any = None, gammas: Any = None, profile: str = "quick",
            certificates: str | Sequence[str] | None = None, seed: int = 0, out_dir: str | Path = "mbc-conform",
            json_file: str | Path | None = None, scheduler: str | None = None, client: Any = None,
            on_unit: UnitProgress | None = None) -> ConformResult:
    """Certify the ``operators`` (module docstring) and write the reports; return the matrix's cells.

    ``operators``: built-in names, ``pkg.module:factory`` paths or entry-point names (comma-separated or a list);
    ``params``: the operators' own parameters (``["h=0.2"]`` or a dict, passed to every factory); ``gammas``:
    the γ selection (default: each certificate's own); ``certificates``: ids (default all, matrix order).
    """
    specs, sel, ids, continuous = validate(operators, params, gammas, profile, certificates, seed)
    jobs = [plan(cid, spec, profile, seed, sel, continuous[spec.label]) for spec in specs for cid in ids]
    if all(job.not_applicable is not None for job in jobs):
        raise ArgumentError("certificates", "certificates: none of the selected certificates applies: "
                                            + "; ".join(f"{j.certificate.claim_id}: {j.not_applicable}" for j in jobs))
    out = check_output_dir(out_dir, "out_dir")
    if json_file is not None:
        check_output_file(json_file, "json_file")
    with client_for(client, scheduler) as client:
        return _run(jobs, specs, sel, ids, profile, seed, out, json_file, client, on_unit)


def _run(jobs: list[Job], specs: list[OperatorSpec], sel: tuple[float, ...], ids: list[str], profile: str,
         seed: int, out: Path, json_file: Any, client: Any, on_unit: UnitProgress | None) -> ConformResult:
    t0 = time.perf_counter()
    units = [u for job in jobs for u in job.units]
    outcomes: dict[Unit, Outcome] = {}

    def done(unit: Unit, outcome: Outcome) -> None:
        outcomes[unit] = outcome
        if on_unit is not None:
            on_unit(len(outcomes), len(units), f"{unit.params['operator']['name']} {unit.label}")

    interrupted = False
    try:
        (OnDask(client) if client is not None else InProcess()).run(units, done)
    except KeyboardInterrupt:
        interrupted = True
    out.mkdir(parents=True, exist_ok=True)
    cells = [_cell(job, outcomes, out) for job in jobs]
    meta = {"profile": profile, "seed": seed, "gammas": list(sel), "certificates": ids,
            "operators": [s.to_dict() for s in specs], "interrupted": interrupted,
            "executor": "dask" if client is not None else "in-process", "wall_seconds": time.perf_counter() - t0}
    paths = write(cells, out, meta, Path(json_file) if json_file is not None else None)
    if interrupted:
        raise KeyboardInterrupt
    return ConformResult(cells, paths)


def _cell(job: Job, outcomes: dict[Unit, Outcome], out: Path) -> Cell:
    label = job.operator.label
    if job.not_applicable is not None:
        return Cell(label, job.certificate.claim_id, not_applicable=job.not_applicable)
    sub = f"evidence/{job.operator.slug}/"
    cert = assemble(job.certificate.claim_id, job.certificate, job.context, job.units, outcomes, out / sub, sub)
    cert.wall_seconds = sum(outcomes[u].seconds for u in job.units if u in outcomes)
    cert.profile = job.context.profile
    return Cell(label, job.certificate.claim_id, cert)


__all__ = ["ConformResult", "conform", "parse_gammas", "validate"]
