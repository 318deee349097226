"""Planning the conformance units: one operator certificate for one operator as units of :mod:`mbc_verify.execution`.

A conformance unit is a :class:`~mbc_verify.execution.Unit` of suite ``"conform"`` whose ``claim_id`` is the
certificate id and whose parameters carry the operator (:meth:`OperatorSpec.to_dict`) and the selected γ values
besides the certificate's own; :func:`resolve` rebuilds (certificate, context) from it in any process, so the
units run in this process or on Dask like the claims' units, and are assembled by the one runner
(:func:`mbc_verify.claims.runner.assemble`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..execution import Unit
from .base import OperatorCertificate, OperatorContext
from .certificates import CERTIFICATES
from .loading import OperatorSpec

SUITE = "conform"


@dataclass
class Job:
    """One certificate for one operator: its context and units, or why it does not apply."""

    operator: OperatorSpec
    certificate: OperatorCertificate
    context: OperatorContext
    units: list[Unit] = field(default_factory=list)
    not_applicable: str | None = None


def context(cert: OperatorCertificate, operator: OperatorSpec, profile: str, seed: int,
            gammas: tuple[float, ...]) -> OperatorContext:
    """The context of ``cert`` for an operator, profile, master seed and γ selection."""
    return OperatorContext(cert.claim_id, profile, seed, None, cert.sizes[profile], operator, tuple(gammas))


def plan(cert_id: str, operator: OperatorSpec, profile: str, seed: int, gammas: tuple[float, ...],
         continuous_time: bool) -> Job:
    """The job of one certificate for one operator (validated arguments)."""
    cert = CERTIFICATES[cert_id]
    ctx = context(cert, operator, profile, seed, gammas)
    reason = cert.not_applicable(ctx, continuous_time)
    if reason is not None:
        return Job(operator, cert, ctx, not_applicable=reason)
    frame = {"operator": operator.to_dict(), "gammas": list(gammas)}
    units = [Unit(cert_id, profile, seed, None, key, {**params, **frame}, suite=SUITE)
             for key, params in cert.units(ctx).items()]
    return Job(operator, cert, ctx, units)


def resolve(unit: Unit) -> tuple[OperatorCertificate, OperatorContext]:
    """(certificate, context) of a conformance unit (module docstring)."""
    cert = CERTIFICATES[unit.claim_id]
    spec = OperatorSpec.from_dict(unit.params["operator"])
    return cert, context(cert, spec, unit.profile, unit.seed, tuple(unit.params["gammas"]))
