"""``solve``: one deterministic Landau run by a named method (docs/spec.md §8), dispatching to ``mbc_verify.landau``.

Methods: ``maxwell`` (exact Maxwell-molecule dynamics, γ = 0), ``isotropic`` (conservative entropic isotropic
solver), ``axisymmetric`` (converged spectral solver for axisymmetric data, any γ), ``blob`` (regularised blob
particle method of Carrillo–Hu–Wang–Wu 2020). Method options are passed as keyword arguments to the method's
solver (see its docstring). Options of ``axisymmetric`` (:func:`mbc_verify.landau.axisymmetric.solve_axisymmetric`):
``n_r``, ``v_max``, ``n_xi`` (resolution; defaults sized from the datum), ``rtol`` (adaptive SDIRK4 tolerance,
default 1e-7) or ``dt`` (fixed step), ``kernel`` ("auto", "closed", "quadrature"), ``coefficients_at`` /
``density_at`` (M × 3 points: a∗f, b∗f and f there at every snapshot); CLI flags ``--grid``, ``--vmax``, ``--nxi``,
``--rtol``, ``--dt``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from .validation import check_choice

#: method name → (module, function)
METHODS: dict[str, tuple[str, str]] = {
    "maxwell": ("mbc_verify.landau.maxwell", "solve_maxwell"),
    "isotropic": ("mbc_verify.landau.isotropic", "solve_isotropic"),
    "axisymmetric": ("mbc_verify.landau.axisymmetric", "solve_axisymmetric"),
    "blob": ("mbc_verify.landau.blob", "solve_blob"),
}


def solver(method: str) -> Callable[..., dict[str, Any]]:
    """The solver function of ``method`` (imported on first use)."""
    check_choice("method", method, tuple(METHODS))
    module, name = METHODS[method]
    return getattr(importlib.import_module(module), name)


def solve(method: str, gamma: float, t_end: float, *, init: str = "maxwellian", snapshots: int = 11,
          **options: Any) -> dict[str, Any]:
    """Run ``method`` from ``init`` to ``t_end`` and return the docs/spec.md §8 ``solve`` record (a dict).

    Fields: ``times``, ``mass``, ``momentum``, ``energy``, ``second_moment``, ``moment4``, ``entropy``,
    ``fisher`` (where the method defines them), ``wall_seconds`` and the parameters.
    """
    return solver(method)(gamma, t_end, init=init, snapshots=snapshots, **options)
