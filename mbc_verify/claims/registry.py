"""The claim registry: one entry per claim id of docs/spec.md §6, C1–C12, always all listed.

A claim is a :class:`~mbc_verify.claims.base.Claim` subclass registered with :func:`register`. An id without a
registered class is reported by the runner as ``not-implemented``, which counts as not passed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..mutants import TARGETS, check_mutant
from ..validation import ArgumentError
from .base import Claim

PROFILES = ("quick", "full")

#: docs/spec.md §6: id → (short name, claim).
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
    """A registry entry: id, short name, statement, the claim (None until implemented), its components and the
    planted defects it must catch."""

    claim_id: str
    name: str
    statement: str
    claim: Claim | None
    uses: tuple[str, ...] = TARGETS
    catches: tuple[str, ...] = ()


_CLAIMS: dict[str, Claim] = {}


def register(cls: type[Claim]) -> type[Claim]:
    """Class decorator: register an instance of ``cls`` for ``cls.claim_id`` (checks its declarations)."""
    cid = cls.claim_id
    if cid not in STATEMENTS:
        raise ValueError(f"claim_id: must be one of {', '.join(CLAIM_IDS)}, got {cid!r}")
    for comp in cls.uses:
        if comp not in TARGETS:
            raise ValueError(f"uses: unknown component {comp!r}; known: {', '.join(TARGETS)}")
    for name in cls.catches:
        check_mutant(name, "catches")
    if set(cls.sizes) != set(PROFILES):
        raise ValueError(f"sizes: {cid} must give sizes for exactly the profiles {PROFILES}, got {list(cls.sizes)}")
    if cid in _CLAIMS and type(_CLAIMS[cid]) is not cls:
        raise ValueError(f"claim_id: {cid} is registered twice")
    _CLAIMS[cid] = cls()
    return cls


def all_claims() -> list[ClaimInfo]:
    """All twelve claims in order, implemented or not."""
    from . import _load_all

    _load_all()
    out = []
    for cid, (name, statement) in STATEMENTS.items():
        c = _CLAIMS.get(cid)
        out.append(ClaimInfo(cid, name, statement, c, c.uses if c else TARGETS, c.catches if c else ()))
    return out


def parse_claims(text: str | None, name: str = "claims") -> list[str]:
    """``"C1,C3"`` → ``["C1", "C3"]`` (docs order kept, duplicates dropped); ``None`` → all twelve.

    An empty selection (``""``) or an empty item (``"C1,,C3"``) is an error, not "all".
    """
    if text is None:
        return list(CLAIM_IDS)
    if not isinstance(text, str) or not text.strip():
        raise ArgumentError(name, f"{name}: must name at least one claim id (e.g. C1,C3), got {text!r}")
    wanted = [t.strip().upper() for t in text.split(",")]
    for cid in wanted:
        if not cid:
            raise ArgumentError(name, f"{name}: empty claim id in {text!r}")
        if cid not in STATEMENTS:
            raise ArgumentError(name, f"{name}: unknown claim id {cid!r}; known: {', '.join(CLAIM_IDS)}")
    return [cid for cid in CLAIM_IDS if cid in wanted]
