"""Claims C1–C12 of docs/spec.md §6: one module per claim, each registering its :class:`Claim` subclass."""

from __future__ import annotations

import importlib
import pkgutil

from .base import Claim, Context
from .registry import CLAIM_IDS, PROFILES, STATEMENTS, ClaimInfo, all_claims, parse_claims, register
from .runner import run_claim

__all__ = ["CLAIM_IDS", "PROFILES", "STATEMENTS", "Claim", "ClaimInfo", "Context", "all_claims", "parse_claims",
           "register", "run_claim"]

_LOADED = False


def _load_all() -> None:
    """Import every claim module (``c*.py`` in this package) once, so that they register themselves."""
    global _LOADED
    if _LOADED:
        return
    for mod in pkgutil.iter_modules(__path__):
        if mod.name.startswith("c") and mod.name[1:2].isdigit():
            importlib.import_module(f"{__name__}.{mod.name}")
    _LOADED = True
