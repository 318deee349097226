"""Conformance of binary-collision operators (``mbc-verify conform``, docs/conformance.md).

- :mod:`.protocol` — the operator protocol (``step(v, dt, rng_seed, step_index)``, ``gamma``; factories);
- :mod:`.loading` — naming an operator (built-in, ``pkg.module:factory``, entry point) and its parameters;
- :mod:`.builtin` — the library's five operators behind the protocol; :mod:`.examples` — a NumPy Takizuka–Abe and
  the deliberately wrong operators;
- :mod:`.driver` — the generic driver; :mod:`.convergence` — Δt → 0 limits and fitted orders;
- :mod:`.certificates` — the seven operator certificates (:mod:`.base`: their shape, a claim about an operator);
- :mod:`.plan`, :mod:`.campaign`, :mod:`.report` — units, the run, the matrix; :mod:`.pytest_plugin` — test items.

Imported lazily (the pytest plugin loads this package in every pytest session where mbc_verify is installed).
"""

from __future__ import annotations

from ..lazy import lazy_face

_EXPORTS = {
    "conform": "mbc_verify.conformance.campaign", "ConformResult": "mbc_verify.conformance.campaign",
    "CollisionOperator": "mbc_verify.conformance.protocol", "check_operator": "mbc_verify.conformance.protocol",
    "OperatorSpec": "mbc_verify.conformance.loading", "load_factory": "mbc_verify.conformance.loading",
    "CERTIFICATES": "mbc_verify.conformance.certificates", "BUILTINS": "mbc_verify.conformance.builtin",
}

__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_face(__name__, _EXPORTS, globals())
