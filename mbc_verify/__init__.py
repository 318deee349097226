"""mbc_verify: verified numerics for the MBC process and the Landau equation (Du, arXiv:2511.09035).

Public API (SPEC §6), imported lazily so that ``import mbc_verify`` stays fast (numba compiles on first use):

- :func:`certify` — run the validation campaign (claims C1–C12) and write the reports;
- :func:`simulate` — one MBC particle run; :func:`run_ensemble` — many replicas with streamed observables;
- :func:`solve` — one deterministic Landau run (``maxwell``, ``isotropic``, ``blob``);
- :class:`Certificate`, :func:`run_claim`, :func:`all_claims`, :data:`MUTANTS`, :func:`parse_init`.

Every formula and normalisation follows SPEC.md (the Landau equation with the ½ of the paper's eq. (1.1)).
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "certify": ("mbc_verify.campaign", "certify"),
    "simulate": ("mbc_verify.mbc.api", "simulate"),
    "run_ensemble": ("mbc_verify.mbc.ensemble", "run_ensemble"),
    "solve": ("mbc_verify.solve", "solve"),
    "Certificate": ("mbc_verify.certificate", "Certificate"),
    "run_claim": ("mbc_verify.claims.registry", "run_claim"),
    "all_claims": ("mbc_verify.claims.registry", "all_claims"),
    "MUTANTS": ("mbc_verify.mutants", "MUTANTS"),
    "parse_init": ("mbc_verify.initial", "parse_init"),
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mbc_verify' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
