"""The operator certificates of ``mbc-verify conform``, in the order of the conformance matrix's columns."""

from __future__ import annotations

from ...validation import ArgumentError
from ..base import OperatorCertificate
from .chaos import Chaos
from .conservation import Conservation
from .initial_rates import InitialRates
from .invariance import Invariance
from .isotropization import Isotropization
from .maxwell import MaxwellMolecules
from .relaxation import Relaxation

CERTIFICATES: dict[str, OperatorCertificate] = {
    c.claim_id: c() for c in (Conservation, Invariance, MaxwellMolecules, InitialRates, Relaxation, Isotropization,
                              Chaos)}
"""Certificate id → certificate."""


def parse_certificates(text: str | None, name: str = "certificates") -> list[str]:
    """``"conservation,chaos"`` → those ids in matrix order (duplicates dropped); None → all. ArgumentError naming
    ``name`` for an unknown or empty id."""
    if text is None:
        return list(CERTIFICATES)
    if not isinstance(text, str) or not text.strip():
        raise ArgumentError(name, f"{name}: must name at least one certificate, got {text!r}")
    wanted = [t.strip() for t in text.split(",")]
    for cid in wanted:
        if cid not in CERTIFICATES:
            raise ArgumentError(name, f"{name}: unknown certificate {cid!r}; known: {', '.join(CERTIFICATES)}")
    return [cid for cid in CERTIFICATES if cid in wanted]


__all__ = ["CERTIFICATES", "parse_certificates"]
