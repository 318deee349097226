"""The shape of a claim (docs/spec.md §6): sizes per profile, the defects it must catch, units of work, checks, figure.

A claim is a subclass of :class:`Claim` registered with :func:`mbc_verify.claims.registry.register`. It declares

- ``claim_id`` (C1–C12), ``uses`` (the components its computation runs: ``"mbc"``, ``"isotropic"``, ``"blob"``,
  ``"maxwell"``, ``"axisymmetric"``) and ``catches`` (the planted defects it must fail under);
- ``sizes``: ``{"quick": {...}, "full": {...}}``, the sizes of each profile (read through ``ctx.sizes``);
- ``primary``: the name of its headline check;
- ``formula_checks``: the names of its checks that test a formula without running an engine or a solver (e.g. a
  symbolic identity, an ODE residual of a closed-form solution); ``mbc-verify power`` uses them to tell a defect
  caught in the dynamics from one caught only in a formula;

and implements

- :meth:`units`: the independent units of work, ``{key: parameters}`` (one ``{"all": {}}`` for a claim that is
  one computation). Each unit is a pure function of (profile, seed, mutant, parameters): units can run in any
  order, in other processes, or be skipped when a cached result exists;
- :meth:`run_unit`: the computation of one unit; returns plain data (numbers, arrays, dicts);
- :meth:`combine`: the units' results → the claim's data (default: the single unit's result);
- :meth:`checks`: the data → the list of :class:`~mbc_verify.certificate.Check`; the verdict is derived from them;
- :meth:`figure`: the data → a labelled matplotlib figure (or None); :meth:`details`: extra report fields.

The runner (:mod:`mbc_verify.claims.runner`) does the timing, the seeds, the evidence files and the progress.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..certificate import Check


@dataclass(frozen=True)
class Context:
    """What a claim's computation depends on: profile, master seed, planted defect and the profile's sizes."""

    claim_id: str
    profile: str
    seed: int
    mutant: str | None
    sizes: Mapping[str, Any]


class Claim(ABC):
    """A certified claim (module docstring)."""

    claim_id: ClassVar[str]
    uses: ClassVar[tuple[str, ...]]
    catches: ClassVar[tuple[str, ...]] = ()
    sizes: ClassVar[dict[str, dict[str, Any]]]
    primary: ClassVar[str]
    formula_checks: ClassVar[tuple[str, ...]] = ()

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        """Independent units of work: ``{key: parameters}``; one unit by default."""
        return {"all": {}}

    def defect_free(self, params: Mapping[str, Any]) -> bool:
        """Whether the unit with ``params`` computes nothing a planted defect acts on (default: no unit). Such a unit
        is planned without the defect (its ``Unit.mutant`` and ``ctx.mutant`` are None), so one result serves every
        defect of a mutation matrix or a power search; declare only units whose ``run_unit`` never reads
        ``ctx.mutant``."""
        return False

    @abstractmethod
    def run_unit(self, ctx: Context, **params: Any) -> Any:
        """The computation of one unit (its parameters as keyword arguments)."""

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> Any:
        """The claim's data from the units' results (default: the single unit's result)."""
        (only,) = results.values()
        return only

    @abstractmethod
    def checks(self, ctx: Context, data: Any) -> list[Check]:
        """The checks of the certificate, computed from the data."""

    def figure(self, ctx: Context, data: Any) -> Any:
        """A matplotlib figure showing the evidence (None: no figure)."""
        return None

    def details(self, ctx: Context, data: Any) -> dict[str, Any]:
        """Extra fields for the report (default none)."""
        return {}

    def evidence(self, ctx: Context, data: Any) -> Any:
        """What is saved as the claim's JSON evidence (default: the data)."""
        return data

    def seeds(self, ctx: Context) -> list[int]:
        """The seeds recorded in the certificate (default: the master seed)."""
        return [ctx.seed]
