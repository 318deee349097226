"""Constants derived symbolically in ``proofs_checks`` (docs/spec.md §4), read from ``derived.json``.

Every rate or coefficient the library needs about the Landau operator or the MBC process (Maxwell-molecule
moment rates, BKW coefficients, finite-h MBC rates, c_ℓ, bi-Maxwellian initial rates, …) is derived by sympy
in ``proofs_checks/derivations`` and exported by ``python -m proofs_checks.export`` to two identical files:
``mbc_verify/data/derived.json`` (package data, what this module reads) and ``reference/derived.json`` (the
human-facing copy at the repository root, read as a fallback when running from a checkout without the
package data). Each entry holds ``expr`` (sympy string), ``srepr`` (exact, unambiguous form parsed here),
``value`` (30 significant digits when the entry is a number, else null), ``symbols``, ``description`` and
``source`` (``proofs_checks/<module>::<function>``).

sympy and mpmath are imported lazily inside the functions: importing ``mbc_verify`` stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

PACKAGE_FILE = Path(__file__).resolve().parent / "data" / "derived.json"
REPOSITORY_FILE = Path(__file__).resolve().parent.parent / "reference" / "derived.json"
REPORT_DIGITS = 30


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, Any]]:
    for path in (PACKAGE_FILE, REPOSITORY_FILE):
        if path.is_file():
            with path.open(encoding="utf-8") as fh:
                return json.load(fh)
    raise FileNotFoundError(f"derived constants not found at {PACKAGE_FILE} or {REPOSITORY_FILE}; "
                            "run `python -m proofs_checks.export`")


def keys() -> list[str]:
    """All exported keys, sorted."""
    return sorted(_table())


def entry(key: str) -> dict[str, Any]:
    """The raw JSON entry of ``key`` (``KeyError`` naming the key when it is absent)."""
    table = _table()
    if key not in table:
        raise KeyError(f"key: {key!r} is not in derived.json (see mbc_verify.derived.keys())")
    return table[key]


@cache
def expr(key: str) -> Any:
    """The sympy expression of ``key`` (parsed from its exact srepr form)."""
    import sympy

    return sympy.sympify(entry(key)["srepr"])


def number(key: str) -> float:
    """The value of a numeric ``key`` as a float (``ValueError`` when the entry is not a number)."""
    value = entry(key)["value"]
    if value is None:
        raise ValueError(f"key: {key!r} is symbolic in {entry(key)['symbols']}, not a number")
    return float(value)


def mpf(key: str) -> Any:
    """The value of a numeric ``key`` as an mpmath.mpf carrying all 30 exported digits.

    The mpf is created at 35 working digits; arithmetic with it rounds to the caller's mpmath precision.
    """
    import mpmath

    value = entry(key)["value"]
    if value is None:
        raise ValueError(f"key: {key!r} is symbolic in {entry(key)['symbols']}, not a number")
    with mpmath.workdps(REPORT_DIGITS + 5):
        return mpmath.mpf(value)


@cache
def function(key: str, *symbol_names: str, modules: str | None = None) -> Callable[..., Any]:
    """A python callable evaluating ``key`` at the given symbols, in the given order (sympy.lambdify).

    Every free symbol of the expression must be named; extra names are accepted (the value does not depend
    on them, e.g. N for the N-independent MBC rates). ``modules`` defaults to "mpmath" for expressions
    holding an unevaluated Integral (evaluated by mpmath.quad) or a hypergeometric function, and to "numpy"
    otherwise.
    """
    import sympy

    e = expr(key)
    free = {s.name: s for s in e.free_symbols}
    missing = sorted(set(free) - set(symbol_names))
    if missing:
        raise ValueError(f"symbol_names: {key!r} depends on {sorted(free)}; missing {missing}")
    # lambdify binds the argument names in its namespace (a symbol named "gamma" would shadow Γ): rename
    args = sympy.symbols(f"arg0:{len(symbol_names)}")
    e = e.subs({free[n]: a for n, a in zip(symbol_names, args, strict=True) if n in free}, simultaneous=True)
    if modules is None:
        modules = "mpmath" if e.has(sympy.Integral, sympy.hyper) else "numpy"
    return sympy.lambdify(args, e, modules=modules)


def _short(x: float | int | str) -> str:
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def bimaxwellian_rate_key(gamma: float | int | str, tpar: float | int | str, tperp: float | int | str) -> str:
    """Key of dT∥/dt at t = 0 for f = N(0, diag(T⊥, T⊥, T∥)).

    Example: ``bimaxwellian_rate_key(-3, 2, 0.5) == "bimaxwellian.dTpar_dt.gamma=-3.Tpar=2.Tperp=0.5"``
    (numbers in their shortest decimal form).
    """
    return f"bimaxwellian.dTpar_dt.gamma={_short(gamma)}.Tpar={_short(tpar)}.Tperp={_short(tperp)}"


__all__ = ["keys", "entry", "expr", "number", "mpf", "function", "bimaxwellian_rate_key", "PACKAGE_FILE",
           "REPOSITORY_FILE"]
