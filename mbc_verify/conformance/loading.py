"""Naming an operator: a built-in name, an import path ``pkg.module:factory``, or an entry point.

:class:`OperatorSpec` is an operator's name and its own parameters (``--param KEY=VALUE``); it is plain data (it
travels in the units of work, :mod:`mbc_verify.execution`) and makes the operator for a γ with :meth:`make`.
Resolution of a name (:func:`load_factory`): a built-in of :data:`mbc_verify.conformance.builtin.BUILTINS`; a name
with a colon is imported (``pkg.module:factory``, the attribute path may be dotted); any other name is looked up in
the entry-point group :data:`mbc_verify.conformance.protocol.ENTRY_POINT_GROUP`.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from ..validation import ArgumentError
from .builtin import BUILTINS
from .protocol import ENTRY_POINT_GROUP, CollisionOperator, OperatorFactory, check_operator


def _import_path(name: str, param: str) -> OperatorFactory:
    module, _, attr = name.partition(":")
    try:
        obj: Any = importlib.import_module(module)
    except Exception as exc:  # any import failure is the user's bad name
        raise ArgumentError(param, f"{param}: cannot import module {module!r} of {name!r} "
                                   f"({type(exc).__name__}: {exc})") from None
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise ArgumentError(param, f"{param}: module {module!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    return obj


def entry_point_names() -> list[str]:
    """Names registered in the operator entry-point group (installed packages)."""
    return sorted(ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP))


def load_factory(name: str, param: str = "operator") -> OperatorFactory:
    """The factory named ``name`` (module docstring); ArgumentError naming ``param`` when it cannot be found."""
    if not isinstance(name, str) or not name.strip():
        raise ArgumentError(param, f"{param}: must name an operator, got {name!r}")
    if name in BUILTINS:
        return BUILTINS[name]
    if ":" in name:
        obj = _import_path(name, param)
    else:
        eps = [ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
        if not eps:
            known = ", ".join([*BUILTINS, *entry_point_names()])
            raise ArgumentError(param, f"{param}: unknown operator {name!r}; give a built-in ({known}) or an import "
                                       "path pkg.module:factory")
        try:
            obj = eps[0].load()
        except Exception as exc:
            raise ArgumentError(param, f"{param}: cannot load entry point {name!r} ({type(exc).__name__}: "
                                       f"{exc})") from None
    if not callable(obj):
        raise ArgumentError(param, f"{param}: {name!r} is {type(obj).__name__}, not a factory callable")
    return obj


def parse_value(text: str) -> Any:
    """A parameter value: JSON when it parses (numbers, true/false, null, lists), else the text itself."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_params(items: Any, param: str = "params") -> tuple[tuple[str, Any], ...]:
    """``["h=0.1", "kernel=fixed"]`` or a mapping → sorted ((key, value), …); ArgumentError on a bad item."""
    if items is None:
        return ()
    if isinstance(items, dict):
        pairs = list(items.items())
    else:
        pairs = []
        for item in items:
            key, sep, value = str(item).partition("=")
            if not sep or not key.strip().isidentifier():
                raise ArgumentError(param, f"{param}: must be KEY=VALUE with KEY an identifier, got {item!r}")
            pairs.append((key.strip(), parse_value(value)))
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ArgumentError(param, f"{param}: a key is given twice in {keys}")
    return tuple(sorted(pairs))


@dataclass(frozen=True)
class OperatorSpec:
    """An operator's name and own parameters (module docstring)."""

    name: str
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def label(self) -> str:
        """``name`` or ``name[k=v,…]``."""
        if not self.params:
            return self.name
        return self.name + "[" + ",".join(f"{k}={v}" for k, v in self.params) + "]"

    @property
    def slug(self) -> str:
        """The label as a file name (characters other than letters, digits, ``._=-`` replaced by ``_``)."""
        return re.sub(r"[^A-Za-z0-9._=-]+", "_", self.label).strip("_") or "operator"

    def make(self, gamma: float, param: str = "operator", params_param: str = "params") -> CollisionOperator:
        """The operator for ``gamma``, checked against the protocol. ArgumentError naming ``param`` (the name, the
        protocol) or, when the factory refuses the operator's own parameters, ``params_param``."""
        factory = load_factory(self.name, param)
        try:
            op = factory(gamma=gamma, **dict(self.params))
        except (TypeError, ValueError) as exc:
            who = params_param if self.params else param
            raise ArgumentError(who, f"{who}: {self.label} (gamma = {gamma:g}) refused its arguments: "
                                     f"{exc}") from None
        return check_operator(op, gamma, param)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``{"name": …, "params": {…}}``."""
        return {"name": self.name, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OperatorSpec:
        """Inverse of :meth:`to_dict`."""
        return cls(str(d["name"]), parse_params(dict(d.get("params", {}))))
