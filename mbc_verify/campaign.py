"""The validation campaign: run the selected claims and write the reports (``mbc-verify certify``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .certificate import Certificate
from .claims import PROFILES, parse_claims, run_claim
from .mutants import check_mutant
from .report import write_reports
from .validation import check_choice, check_seed


def certify(
    profile: str = "quick",
    claims: str | Sequence[str] | None = None,
    *,
    seed: int = 0,
    out_dir: str | Path = "mbc-report",
    mutant: str | None = None,
    json_file: str | Path | None = None,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable[[Certificate], None] | None = None,
) -> list[Certificate]:
    """Run claims (``"C1,C3"``, a list of ids, or None for all of C1–C12) and write the reports.

    Returns the certificates in SPEC order. ``on_start(claim_id)`` and ``on_done(certificate)`` let a caller
    show progress. Every argument is validated before any claim runs (``ValueError`` naming it).
    """
    check_choice("profile", profile, PROFILES)
    ids = parse_claims(claims if claims is None or isinstance(claims, str) else ",".join(claims))
    check_mutant(mutant)
    check_seed(seed)
    out = Path(out_dir)
    t0 = time.perf_counter()
    certs = []
    for cid in ids:
        if on_start is not None:
            on_start(cid)
        cert = run_claim(cid, profile, seed, out, mutant)
        certs.append(cert)
        if on_done is not None:
            on_done(cert)
    meta = {"profile": profile, "seed": seed, "mutant": mutant, "claims": ids,
            "wall_seconds": time.perf_counter() - t0}
    write_reports(certs, out, meta, Path(json_file) if json_file is not None else None)
    return certs
