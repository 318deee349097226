"""The validation campaign: run the selected claims and write the reports (``mbc-verify certify``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .certificate import Certificate
from .claims import PROFILES, all_claims, parse_claims, run_claim
from .mutants import MUTANTS, check_mutant
from .outputs import check_output_dir, check_output_file
from .report import write_reports
from .validation import check_choice, check_seed


def validate(profile: str, claims: str | Sequence[str] | None, mutant: str | None, seed: int) -> list[str]:
    """Check the campaign's arguments (ArgumentError naming the first bad one); return the selected claim ids."""
    check_choice("profile", profile, PROFILES)
    ids = parse_claims(claims if claims is None or isinstance(claims, str) else ",".join(claims))
    check_mutant(mutant)
    check_seed(seed)
    return ids


def certify(
    profile: str = "quick",
    claims: str | Sequence[str] | None = None,
    *,
    seed: int = 0,
    out_dir: str | Path = "mbc-report",
    mutant: str | None = None,
    json_file: str | Path | None = None,
    matrix: bool = False,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable[[Certificate], None] | None = None,
) -> list[Certificate]:
    """Run claims (``"C1,C3"``, a list of ids, or None for all of C1–C12) and write the reports.

    Returns the certificates in SPEC order. ``on_start(claim_id)`` and ``on_done(certificate)`` let a caller
    show progress. With ``matrix=True`` the campaign also runs :func:`mutation_matrix` and the reports include it.
    Every argument, the output paths included, is validated before any claim runs (``ValueError`` naming it).
    """
    ids = validate(profile, claims, mutant, seed)
    out = check_output_dir(out_dir, "out_dir")
    if json_file is not None:
        check_output_file(json_file, "json_file")
    t0 = time.perf_counter()
    certs = []
    for cid in ids:
        if on_start is not None:
            on_start(cid)
        cert = run_claim(cid, profile, seed, out, mutant)
        certs.append(cert)
        if on_done is not None:
            on_done(cert)
    meta: dict = {"profile": profile, "seed": seed, "mutant": mutant, "claims": ids}
    if matrix:
        meta["mutation_matrix"] = mutation_matrix(profile, ids, seed=seed, out_dir=out / "mutants",
                                                  on_start=on_start)
    meta["wall_seconds"] = time.perf_counter() - t0
    write_reports(certs, out, meta, Path(json_file) if json_file is not None else None)
    return certs


def mutation_matrix(
    profile: str,
    claims: Sequence[str],
    *,
    seed: int = 0,
    out_dir: str | Path = "mbc-report/mutants",
    on_start: Callable[[str], None] | None = None,
) -> dict[str, dict[str, str]]:
    """Verdict of every claim under every registered mutant: ``{mutant: {claim_id: verdict}}``.

    A pair whose claim does not use the mutant's component (``uses`` of the claim's registration) is recorded as
    ``"unaffected"`` without running: the planted defect is not on its computation's path. A claim is *killed* by
    a mutant when its verdict under that mutant is not ``"pass"``.
    """
    infos = {c.claim_id: c for c in all_claims()}
    result: dict[str, dict[str, str]] = {}
    for name, mut in MUTANTS.items():
        row: dict[str, str] = {}
        for cid in claims:
            if mut.target not in infos[cid].uses:
                row[cid] = "unaffected"
                continue
            if on_start is not None:
                on_start(f"{cid} × {name}")
            row[cid] = run_claim(cid, profile, seed, Path(out_dir) / name, name).verdict
        result[name] = row
    return result
