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
