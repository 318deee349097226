"""Stand-in claims for the tests of the runner, the campaign and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mbc_verify.certificate import Check
from mbc_verify.claims import Claim, Context


def make_claim(claim_id: str, value: Callable[[Context], float] = lambda ctx: 0.0, uses: tuple[str, ...] = ("mbc",),
               catches: tuple[str, ...] = ()) -> Claim:
    """A cheap claim: one unit returning ``value(ctx)``, one check ``|value| ≤ 0.5``."""

    class Fake(Claim):
        sizes = {"quick": {"size": 1}, "full": {"size": 2}}
        primary = "value"

        def run_unit(self, ctx: Context, **params: Any) -> dict:
            return {"value": value(ctx)}

        def checks(self, ctx: Context, data: dict) -> list[Check]:
            return [Check("value", data["value"], 0.0, 0.5, "abs", "stand-in")]

    Fake.claim_id, Fake.uses, Fake.catches = claim_id, uses, catches
    return Fake()


CALLS: list[tuple[str, str]] = []
"""(claim id, unit key) of every unit :class:`Units` ran in this process."""


class Units(Claim):
    """A claim of ``units`` independent units (unit k: a pseudo-random number of (seed, k), after ``sleep``
    seconds); unit ``raise_at`` raises ``error``; the check: the sum of the units is below ``bound``."""

    claim_id = "C5"
    uses = ("mbc",)
    sizes = {"quick": {"units": 4, "sleep": 0.0}, "full": {"units": 6, "sleep": 0.0}}
    primary = "sum"
    raise_at: int | None = None
    error: type[BaseException] = RuntimeError
    bound = 1e9

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        return {f"u{k}": {"k": k} for k in range(ctx.sizes["units"])}

    def run_unit(self, ctx: Context, **params: Any) -> float:
        import time

        import numpy as np

        CALLS.append((ctx.claim_id, f"u{params['k']}"))
        if params["k"] == self.raise_at:
            raise self.error(f"unit {params['k']} stopped")
        time.sleep(ctx.sizes["sleep"])
        return float(np.random.default_rng([ctx.seed, params["k"]]).random())

    def combine(self, ctx: Context, results: Any) -> dict:
        return {"values": list(results.values()), "sum": sum(results.values())}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        return [Check("sum", data["sum"], self.bound, 0.0, "le", "stand-in")]


def units_claim(claim_id: str, **attrs: Any) -> Claim:
    """An instance of a :class:`Units` subclass with the given id and class attributes (sizes, raise_at, ...)."""
    return type(f"Units{claim_id}", (Units,), {"claim_id": claim_id, **attrs})()


UNITS_FAKES = {"C5": {"sizes": {"quick": {"units": 4, "sleep": 0.0}, "full": {"units": 6, "sleep": 0.0}}},
               "C6": {"sizes": {"quick": {"units": 3, "sleep": 0.0}, "full": {"units": 3, "sleep": 0.0}}}}
"""Two stand-in claims made of units (the campaign tests of in-process and Dask execution)."""


def install_units_claims(fake_claims: Callable[[dict[str, Claim]], None], **overrides: dict[str, Any]) -> None:
    """Register the :data:`UNITS_FAKES` claims through the ``fake_claims`` fixture, with per-claim overrides."""
    fake_claims({cid: units_claim(cid, **{**attrs, **overrides.get(cid, {})}) for cid, attrs in UNITS_FAKES.items()})


def certificate_values(certs: list) -> list:
    """(claim, verdict, [(check, measured)]) of each certificate: what two equal campaigns share bitwise."""
    return [(c.claim_id, c.verdict, [(k.name, k.measured) for k in c.checks]) for c in certs]
