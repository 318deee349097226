"""Certificates made of checks: the outcome of one certified claim (docs/spec.md §7).

A :class:`Check` is one comparison: a name, the measured value, the expected value or bound, the tolerance, the
relation that combines them, and where the tolerance comes from. ``relation``:

- ``"abs"``:   |measured − expected| ≤ tolerance
- ``"rel"``:   |measured − expected| ≤ tolerance · |expected|
- ``"le"``:    measured ≤ expected + tolerance
- ``"ge"``:    measured ≥ expected − tolerance
- ``"in"``:    expected lies in [measured − tolerance, measured + tolerance] (a confidence interval)

A :class:`Certificate` holds the checks of one claim. Its verdict is derived, never assigned: ``"pass"`` when the
computation completed and every check holds, ``"fail"`` when it completed and a check fails (or it produced no
check), and otherwise the status of the computation (``"error"``: it raised; ``"interrupted"``: it was stopped;
``"not-implemented"``). The headline of the report row is the certificate's *primary* check. Only ``"pass"``
counts as passed.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

VERDICTS = ("pass", "fail", "error", "interrupted", "not-implemented")
STATUSES = ("done", "error", "interrupted", "not-implemented")
RELATIONS = ("abs", "rel", "le", "ge", "in")
LEGACY_CHECK = "verdict recorded by a pre-checks report"


def _enc(x: Any) -> Any:
    """JSON-safe encoding: non-finite floats as strings, tuples as lists, recursively."""
    if isinstance(x, float) and not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")
    if isinstance(x, dict):
        return {str(k): _enc(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_enc(v) for v in x]
    return x


_NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _dec_float(x: Any) -> float:
    if x is None:
        return math.nan
    if isinstance(x, str):
        return _NONFINITE[x]
    return float(x)


def compare(measured: float, expected: float, tolerance: float, relation: str) -> bool:
    """Whether ``measured`` meets ``expected`` within ``tolerance`` under ``relation`` (see module doc).

    NaN anywhere gives False: a computation that produced NaN never passes.
    """
    if relation not in RELATIONS:
        raise ValueError(f"relation: must be one of {', '.join(RELATIONS)}, got {relation!r}")
    if any(math.isnan(x) for x in (measured, expected, tolerance)):
        return False
    if relation == "abs":
        return abs(measured - expected) <= tolerance
    if relation == "rel":
        return abs(measured - expected) <= tolerance * abs(expected)
    if relation == "le":
        return measured <= expected + tolerance
    if relation == "ge":
        return measured >= expected - tolerance
    return measured - tolerance <= expected <= measured + tolerance


@dataclass(frozen=True)
class Check:
    """One comparison of a certificate (module docstring). ``source`` says where the tolerance comes from."""

    name: str
    measured: float
    expected: float
    tolerance: float
    relation: str = "abs"
    source: str = ""
    quantity: str = ""

    def __post_init__(self) -> None:
        if self.relation not in RELATIONS:
            raise ValueError(f"relation: must be one of {', '.join(RELATIONS)}, got {self.relation!r}")
        for key in ("measured", "expected", "tolerance"):
            object.__setattr__(self, key, _dec_float(getattr(self, key)))

    @property
    def holds(self) -> bool:
        """Whether the comparison holds (NaN never does)."""
        return compare(self.measured, self.expected, self.tolerance, self.relation)

    @classmethod
    def flag(cls, name: str, ok: bool, source: str, quantity: str = "") -> Check:
        """A yes/no check: measured 1 when ``ok``, expected 1 exactly (for facts such as a symbolic identity)."""
        return cls(name, 1.0 if ok else 0.0, 1.0, 0.0, "abs", source, quantity)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict, with ``holds``."""
        return _enc({**asdict(self), "holds": self.holds})

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Check:
        """Inverse of :meth:`to_dict` (``holds`` is recomputed, not read)."""
        return cls(str(d["name"]), d.get("measured"), d.get("expected"), d.get("tolerance"),
                   str(d.get("relation", "abs")), str(d.get("source", "")), str(d.get("quantity", "")))


@dataclass
class Certificate:
    """The record of one claim's certification: its checks, the headline (``primary``) check, status, seeds,
    sizes, wall time, evidence files and free-form details. See the module docstring for the verdict."""

    claim_id: str
    statement: str
    checks: list[Check] = field(default_factory=list)
    primary: str = ""
    status: str = "done"
    seeds: list[int] = field(default_factory=list)
    sizes: dict[str, Any] = field(default_factory=dict)
    wall_seconds: float = 0.0
    evidence: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    profile: str = "quick"
    mutant: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status: must be one of {', '.join(STATUSES)}, got {self.status!r}")
        names = [c.name for c in self.checks]
        if len(set(names)) != len(names):
            raise ValueError(f"checks: names must be unique, got {names}")
        if self.primary and self.primary not in names:
            raise ValueError(f"primary: {self.primary!r} is not one of the checks {names}")

    @property
    def verdict(self) -> str:
        """Derived: the status unless ``done``; then ``pass`` iff there are checks and every one holds."""
        if self.status != "done":
            return self.status
        return "pass" if self.checks and all(c.holds for c in self.checks) else "fail"

    @property
    def passed(self) -> bool:
        """True only for verdict ``"pass"``."""
        return self.verdict == "pass"

    @property
    def headline(self) -> Check | None:
        """The primary check (the first check when none is named), None without checks."""
        for c in self.checks:
            if c.name == self.primary:
                return c
        return self.checks[0] if self.checks else None

    @property
    def failed_checks(self) -> list[Check]:
        """The checks that do not hold."""
        return [c for c in self.checks if not c.holds]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: every field, the checks, the derived verdict and the headline's numbers."""
        head = self.headline
        d = asdict(self)
        d["checks"] = [c.to_dict() for c in self.checks]
        d["primary"] = head.name if head else ""
        d["verdict"] = self.verdict
        for key in ("measured", "expected", "tolerance", "relation"):
            d[key] = getattr(head, key) if head else None
        return _enc(d)

    def to_json(self, **kwargs: Any) -> str:
        """JSON text; ``Certificate.from_json(c.to_json()) == c``."""
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Certificate:
        """Inverse of :meth:`to_dict`; also reads certificates written before checks existed (headline fields and
        an assigned verdict), as one check from the headline fields plus a check that the recorded verdict was a
        pass, so that the derived verdict equals the recorded one."""
        if "checks" in d:
            checks = [Check.from_dict(c) for c in d["checks"]]
            status = str(d.get("status", "done"))
        else:
            checks, status = _legacy_checks(d)
        return cls(claim_id=str(d["claim_id"]), statement=str(d.get("statement", "")), checks=checks,
                   primary=str(d.get("primary", "")) if "checks" in d else (checks[0].name if checks else ""),
                   status=status, seeds=[int(s) for s in d.get("seeds", [])], sizes=dict(d.get("sizes", {})),
                   wall_seconds=_dec_float(d.get("wall_seconds", 0.0)), evidence=[str(e) for e in
                                                                                  d.get("evidence", [])],
                   details=dict(d.get("details", {})), profile=str(d.get("profile", "quick")),
                   mutant=d.get("mutant"))

    @classmethod
    def from_json(cls, text: str) -> Certificate:
        """Inverse of :meth:`to_json`."""
        return cls.from_dict(json.loads(text))


def _legacy_checks(d: dict[str, Any]) -> tuple[list[Check], str]:
    """(checks, status) of a pre-checks certificate dict (see :meth:`Certificate.from_dict`)."""
    verdict = str(d.get("verdict", "not-implemented"))
    if verdict in ("error", "not-implemented", "interrupted"):
        return [], verdict
    head = Check("headline", d.get("measured"), d.get("expected"), d.get("tolerance"),
                 str(d.get("relation", "abs")), str(d.get("tolerance_source", "")), str(d.get("quantity", "")))
    recorded = Check.flag(LEGACY_CHECK, verdict == "pass", "the verdict field of a report written by mbc_verify "
                          "0.1, whose claims assigned verdicts from sub-checks not stored as checks")
    return [head, recorded], "done"
