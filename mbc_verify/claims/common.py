"""Helpers shared by the claims: the figure (Agg backend: no screen needed) and the worst of a family of checks."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ..certificate import Check  # noqa: E402


def label(ax: Any, xlabel: str, ylabel: str, *, log: bool = False, legend: int | None = 7) -> None:
    """Axis labels (log–log axes with ``log``) and a legend in font size ``legend`` (None: no legend)."""
    if log:
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend is not None:
        ax.legend(fontsize=legend)


def figure(nrows: int = 1, ncols: int = 1, width: float = 5.0, height: float = 3.6) -> tuple[Any, Any]:
    """A matplotlib figure with ``nrows × ncols`` axes (a 2-D array, ``squeeze=False``)."""
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False)
    return fig, axes


def excess(check: Check) -> float:
    """How far a check is from failing, in units of its tolerance: |measured − expected|/tolerance for ``abs`` and
    ``in`` (relative to |expected| for ``rel``), (measured − expected)/tolerance for ``le``, the reverse for
    ``ge``; a check holds when this is ≤ 1. NaN counts as +inf; a zero tolerance gives ±inf or 0."""
    m, e, t = check.measured, check.expected, check.tolerance
    num = {"abs": abs(m - e), "in": abs(m - e), "rel": abs(m - e), "le": m - e, "ge": e - m}[check.relation]
    scale = t * abs(e) if check.relation == "rel" else t
    if math.isnan(num) or math.isnan(scale):
        return math.inf
    if scale > 0:
        return num / scale
    return math.inf if num > 0 else (-math.inf if num < 0 else 0.0)


def worst(checks: list[Check], name: str) -> Check:
    """The check of ``checks`` with the largest :func:`excess` (the one closest to failing, or failing most),
    renamed ``name``; its ``quantity`` should say which case it is."""
    return dataclasses.replace(max(checks, key=excess), name=name)


def max_or_nan(values: Iterable[float]) -> float:
    """The largest of ``values``, or NaN when one is NaN (the builtin ``max`` skips a NaN that is not first)."""
    vals = [float(v) for v in values]
    return math.nan if any(math.isnan(v) for v in vals) else max(vals)
