"""Lazy package faces: ``import mbc_verify`` (and its subpackages) stays fast, numba modules load on first use."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_face(package: str, exports: dict[str, str], namespace: dict[str, Any]) -> tuple[Callable, Callable]:
    """(``__getattr__``, ``__dir__``) for ``package`` whose public names are ``exports`` (name → module):
    an attribute is imported from its module when first used and cached in the package ``namespace``."""

    def getattr_(name: str) -> Any:
        if name in exports:
            value = getattr(importlib.import_module(exports[name]), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def dir_() -> list[str]:
        return sorted(exports)

    return getattr_, dir_
