"""The claim registry: one entry per SPEC §5 id, C1–C12, always all listed.

A claim is a function ``(profile, seed, out_dir, mutant) -> Certificate`` registered with :func:`claim`.
An id whose function is not registered yet is reported by :func:`run_claim` as ``not-implemented``, which
counts as not passed: never as passed, never silently skipped.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..certificate import Certificate
from ..mutants import TARGETS, check_mutant
from ..validation import check_choice, check_seed

PROFILES = ("quick", "full")

ClaimFunction = Callable[[str, int, Path, "str | None"], Certificate]

#: SPEC §5: id → (short name, claim).
STATEMENTS: dict[str, tuple[str, str]] = {
    "C1": ("conservation", "each MBC jump conserves momentum and energy"),
    "C2": ("reversibility", "MBC is reversible w.r.t. the uniform measure on S_N(E,P)"),
    "C3": ("generator", "MBC generator → Landau master generator, O(h²)"),
    "C4": ("grazing limit", "Landau master equation is the h → 0 limit at fixed N"),
    "C5": ("mean field", "mean-field limit: empirical measure → Landau solution"),
    "C6": ("chaos", "propagation of chaos: covariance of φ(v_1), ψ(v_2) at t > 0 is O(1/N)"),
    "C7": ("H-theorem", "entropy non-increasing along deterministic solutions, D ≥ 0"),
    "C8": ("Fisher monotone", "Fisher information non-increasing along the Landau flow (Guillén–Silvestre)"),
    "C9": ("singular control", "Fisher-information control of singular configurations (particle level)"),
    "C10": ("self-averaging", "the empirical collision intensity concentrates on its mean-field value, O(N^-1/2)"),
    "C11": ("equilibrium", "the Maxwellian is the unique equilibrium; runs relax to it"),
    "C12": ("Maxwell molecules", "derived moment ODEs and BKW reproduced by particles and solvers"),
}

CLAIM_IDS: tuple[str, ...] = tuple(STATEMENTS)


@dataclass(frozen=True)
class ClaimInfo:
    """A registry entry: id, short name, statement, the function (None until implemented) and the components
    (mutant targets of :mod:`mbc_verify.mutants`) its computation uses."""

    claim_id: str
    name: str
    statement: str
    function: ClaimFunction | None
    uses: tuple[str, ...] = TARGETS


_FUNCTIONS: dict[str, ClaimFunction] = {}
_USES: dict[str, tuple[str, ...]] = {}


def claim(claim_id: str, uses: tuple[str, ...] | None = None) -> Callable[[ClaimFunction], ClaimFunction]:
    """Decorator registering the function that certifies ``claim_id`` (one of C1–C12).

    ``uses``: the components (``"mbc"``, ``"isotropic"``, ``"blob"``, ``"maxwell"``) the computation runs; a
    mutant of another component cannot change the verdict, so the mutation matrix skips that pair. Default: all.
    """
    if claim_id not in STATEMENTS:
        raise ValueError(f"claim_id: must be one of {', '.join(CLAIM_IDS)}, got {claim_id!r}")
    comps = TARGETS if uses is None else tuple(uses)
    for comp in comps:
        if comp not in TARGETS:
            raise ValueError(f"uses: unknown component {comp!r}; known: {', '.join(TARGETS)}")

    def register(fn: ClaimFunction) -> ClaimFunction:
        if claim_id in _FUNCTIONS and _FUNCTIONS[claim_id] is not fn:
            raise ValueError(f"claim_id: {claim_id} is registered twice")
        _FUNCTIONS[claim_id] = fn
        _USES[claim_id] = comps
        return fn

    return register


def all_claims() -> list[ClaimInfo]:
    """All twelve claims in SPEC order, implemented or not."""
    from . import _load_all

    _load_all()
    return [ClaimInfo(cid, name, st, _FUNCTIONS.get(cid), _USES.get(cid, TARGETS))
            for cid, (name, st) in STATEMENTS.items()]


def parse_claims(text: str | None, name: str = "claims") -> list[str]:
    """``"C1,C3"`` → ``["C1", "C3"]`` (SPEC order kept, duplicates dropped); ``None`` or ``""`` → all twelve."""
    if text is None or not text.strip():
        return list(CLAIM_IDS)
    wanted = [t.strip().upper() for t in text.split(",") if t.strip()]
    for cid in wanted:
        if cid not in STATEMENTS:
            raise ValueError(f"{name}: unknown claim id {cid!r}; known: {', '.join(CLAIM_IDS)}")
    return [cid for cid in CLAIM_IDS if cid in wanted]


def run_claim(claim_id: str, profile: str = "quick", seed: int = 0, out_dir: Path | str = "mbc-report",
              mutant: str | None = None) -> Certificate:
    """Run one claim and return its certificate, stamped with profile, mutant and wall time.

    An unregistered claim gives verdict ``not-implemented``; an exception inside the claim gives ``error``
    with the traceback in ``details``.
    """
    (cid,) = parse_claims(claim_id, name="claim_id")
    check_choice("profile", profile, PROFILES)
    check_seed(seed)
    check_mutant(mutant)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    info = {c.claim_id: c for c in all_claims()}[cid]
    t0 = time.perf_counter()
    if info.function is None:
        cert = Certificate(cid, info.statement, verdict="not-implemented",
                           details={"reason": "no registered experiment for this claim yet"})
    else:
        try:
            cert = info.function(profile, seed, out, mutant)
        except Exception as exc:  # a crashing claim is reported, never taken for a pass
            cert = Certificate(cid, info.statement, verdict="error",
                               details={"error": f"{type(exc).__name__}: {exc}",
                                        "traceback": traceback.format_exc()})
    cert.wall_seconds = time.perf_counter() - t0
    cert.profile = profile
    cert.mutant = mutant
    return cert
