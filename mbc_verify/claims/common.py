"""Helpers shared by the claims: the figure (Agg backend: no screen needed), the worst of a family of checks and
the blob solver's rate check."""

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


def blob_rate_check(study: dict) -> Check:
    """The check of one :func:`mbc_verify.landau.blob.initial_rate_study` row (claims C5, C12): the blob solver's
    initial dT∥/dt over (derived rate × regularisation factor, docs/spec.md eqs. (43), (62)) is 1 within its
    refinement estimate."""
    return Check(f"blob initial rate / (derived × (62)), γ = {study['gamma']:g}, n_per_dim = {study['n_per_dim']}",
                 study["error"], 0.0, study["tolerance"], "le",
                 "2 × (lattice-level + domain-level differences at fixed ε): the a-posteriori estimate of the "
                 "discretisation error beyond the regularisation factor (62) (landau.blob.initial_rate_study)",
                 f"|ratio − 1| of the blob solver's dT∥/dt at t = 0 from bimaxwellian:2,0.5, ε = Δx = "
                 f"{study['epsilon']:.4g}")
