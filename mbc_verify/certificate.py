"""Certificates: the outcome of one certified claim (SPEC §5, last paragraph).

A certificate states the claim id, the claim, the quantity measured, the measured value, the expected value or
bound, the tolerance and where it comes from, the seeds and sizes, the verdict, the wall time, and the evidence
files (JSON, PNG) that show it. ``relation`` says how measured, expected and tolerance combine:

- ``"abs"``:   |measured − expected| ≤ tolerance
- ``"rel"``:   |measured − expected| ≤ tolerance · |expected|
- ``"le"``:    measured ≤ expected (+ tolerance)
- ``"ge"``:    measured ≥ expected (− tolerance)
- ``"in"``:    expected lies in [measured − tolerance, measured + tolerance] (a confidence interval)

Only ``"pass"`` counts as passed; ``"fail"``, ``"error"`` (the computation raised) and ``"not-implemented"``
all count as not passed.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

VERDICTS = ("pass", "fail", "error", "not-implemented")
RELATIONS = ("abs", "rel", "le", "ge", "in")


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


def _dec_float(x: Any) -> float | None:
    if x is None:
        return None
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


@dataclass
class Certificate:
    """The record of one claim's certification. See the module docstring for ``relation`` and verdicts."""

    claim_id: str
    statement: str
    quantity: str = ""
    measured: float | None = None
    expected: float | None = None
    tolerance: float | None = None
    relation: str = "abs"
    tolerance_source: str = ""
    verdict: str = "not-implemented"
    seeds: list[int] = field(default_factory=list)
    sizes: dict[str, Any] = field(default_factory=dict)
    wall_seconds: float = 0.0
    evidence: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    profile: str = "quick"
    mutant: str | None = None

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict: must be one of {', '.join(VERDICTS)}, got {self.verdict!r}")
        if self.relation not in RELATIONS:
            raise ValueError(f"relation: must be one of {', '.join(RELATIONS)}, got {self.relation!r}")

    @property
    def passed(self) -> bool:
        """True only for verdict ``"pass"``."""
        return self.verdict == "pass"

    def judge(self) -> Certificate:
        """Set the verdict from measured/expected/tolerance/relation (``"fail"`` if any is missing)."""
        ok = (
            self.measured is not None
            and self.expected is not None
            and self.tolerance is not None
            and compare(self.measured, self.expected, self.tolerance, self.relation)
        )
        self.verdict = "pass" if ok else "fail"
        return self

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (non-finite floats encoded as strings)."""
        return _enc(asdict(self))

    def to_json(self, **kwargs: Any) -> str:
        """JSON text; ``Certificate.from_json(c.to_json()) == c``."""
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Certificate:
        """Inverse of :meth:`to_dict`."""
        d = dict(d)
        for key in ("measured", "expected", "tolerance"):
            d[key] = _dec_float(d.get(key))
        d["wall_seconds"] = _dec_float(d.get("wall_seconds", 0.0)) or 0.0
        d["seeds"] = [int(s) for s in d.get("seeds", [])]
        d["evidence"] = [str(e) for e in d.get("evidence", [])]
        return cls(**d)

    @classmethod
    def from_json(cls, text: str) -> Certificate:
        """Inverse of :meth:`to_json`."""
        return cls.from_dict(json.loads(text))
