"""The shape of an operator certificate: a claim (:class:`mbc_verify.claims.base.Claim`) about one operator.

An operator certificate is a small class like a claim — ``claim_id`` (its short name, a column of the conformance
matrix), ``statement``, ``sizes`` per profile (``quick``/``full``), ``primary``, and the methods ``units``,
``run_unit``, ``combine``, ``checks``, ``figure``, ``details`` — so that the one runner
(:func:`mbc_verify.claims.runner.assemble`) and the units of :mod:`mbc_verify.execution` run it unchanged. It adds

- the operator under test and the selected γ values, carried by :class:`OperatorContext`;
- ``gammas`` (the γ values it runs at by default) and ``any_gamma`` (whether any γ ∈ [−3, 1] may be selected; when
  False it runs at the selected γ that are in ``gammas``), ``needs_time_step`` (it fits a Δt order, so it does not
  apply to a continuous-time operator);
- ``catches``: the wrong example operators (:mod:`mbc_verify.conformance.examples`) it must fail;
- :meth:`OperatorCertificate.compute`, the unit's computation with the operator's :class:`Driver` at one γ;
- :meth:`OperatorCertificate.hint`: what a failing check means for an operator, for the failure messages
  (``details["why"]``), and :meth:`OperatorCertificate.orders`: its fitted Δt orders for the matrix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..certificate import Check
from ..claims.base import Claim, Context
from .driver import Driver
from .loading import OperatorSpec

Z_MAX = 5.0
"""Monte Carlo tolerances are 5 standard errors (docs/spec.md §7)."""
FRAMEWORK_KEYS = ("operator", "gammas")
"""Unit parameters that define the context rather than the unit's own computation."""


@dataclass(frozen=True)
class OperatorContext(Context):
    """A claim context plus the operator under test and the selected γ values."""

    operator: OperatorSpec | None = None
    gammas: tuple[float, ...] = ()


def gamma_key(gamma: float) -> str:
    """The unit key of a γ: ``gamma=-3``."""
    return f"gamma={gamma:g}"


def describe(check: Check) -> str:
    """One line saying what a check measured against what (for failure messages)."""
    m, e, t = check.measured, check.expected, check.tolerance
    want = {"abs": f"expected {e:.6g} ± {t:.3g}", "rel": f"expected {e:.6g} ± {t:.3g} relative",
            "le": f"must be ≤ {e + t:.6g}", "ge": f"must be ≥ {e - t:.6g}",
            "in": f"the interval measured ± {t:.3g} must contain {e:.6g}"}[check.relation]
    return f"measured {m:.6g}, {want} [{check.source}]; {check.quantity}"


class OperatorCertificate(Claim):
    """An operator certificate (module docstring)."""

    statement: ClassVar[str]
    uses: ClassVar[tuple[str, ...]] = ()
    gammas: ClassVar[tuple[float, ...]]
    any_gamma: ClassVar[bool] = True
    needs_time_step: ClassVar[bool] = False

    def gammas_for(self, selection: tuple[float, ...]) -> tuple[float, ...]:
        """The γ values this certificate runs at for a γ selection (its own ``gammas`` when none is given)."""
        if not selection:
            return self.gammas
        if self.any_gamma:
            return tuple(selection)
        return tuple(g for g in selection if g in self.gammas)

    def selected_gammas(self, ctx: OperatorContext) -> tuple[float, ...]:
        """The γ values this certificate runs at in ``ctx``."""
        return self.gammas_for(ctx.gammas)

    def not_applicable(self, ctx: OperatorContext, continuous_time: bool) -> str | None:
        """Why this certificate does not apply to the operator and selection (None when it does)."""
        if self.needs_time_step and continuous_time:
            return "the operator is continuous in time: a Δt order is not defined"
        if not self.selected_gammas(ctx):
            return f"runs at γ ∈ {{{', '.join(f'{g:g}' for g in self.gammas)}}}, none selected"
        return None

    def units(self, ctx: OperatorContext) -> dict[str, dict[str, Any]]:
        """One unit per selected γ by default."""
        return {gamma_key(g): {"gamma": g} for g in self.selected_gammas(ctx)}

    def run_unit(self, ctx: OperatorContext, **params: Any) -> Any:
        """The unit's computation: :meth:`compute` with the operator's driver at the unit's γ."""
        own = {k: v for k, v in params.items() if k not in FRAMEWORK_KEYS}
        return self.compute(ctx, Driver(ctx.operator.make(own["gamma"])), **own)

    def compute(self, ctx: OperatorContext, driver: Driver, **params: Any) -> Any:
        """The computation of one unit with ``driver`` (the operator at ``params["gamma"]``)."""
        raise NotImplementedError

    def combine(self, ctx: OperatorContext, results: Mapping[str, Any]) -> dict[str, Any]:
        """{unit key: result} by default."""
        return dict(results)

    def hint(self, check: Check) -> str:
        """What a failing ``check`` says about the operator ('' when the check speaks for itself)."""
        return ""

    def orders(self, ctx: OperatorContext, data: Any) -> list[dict[str, Any]]:
        """The fitted Δt orders and error constants of this certificate, for the matrix (default none)."""
        return []

    def summary(self, ctx: OperatorContext, data: Any) -> dict[str, Any]:
        """Extra report fields of the certificate (default none)."""
        return {}

    def why(self, ctx: OperatorContext, data: Any) -> list[str]:
        """One message per failing check: what was measured against what, and what it means."""
        out, seen = [], set()
        for c in self.checks(ctx, data):
            if not c.holds and (c.measured, c.expected, c.quantity) not in seen:
                seen.add((c.measured, c.expected, c.quantity))
                hint = self.hint(c)
                out.append(f"{c.name}: {describe(c)}" + (f" — {hint}" if hint else ""))
        return out

    def details(self, ctx: OperatorContext, data: Any) -> dict[str, Any]:
        return {"operator": ctx.operator.label, "gammas": list(self.selected_gammas(ctx)),
                "orders": self.orders(ctx, data), "why": self.why(ctx, data), **self.summary(ctx, data)}
