"""Shared pytest configuration: hypothesis profiles.

``ci`` (selected when the environment variable CI is ``true``): derandomised, so a CI run is deterministic;
no deadline, because the first call of a numba function includes its compilation (or cache load).
``dev`` otherwise: random exploration, still without a deadline for the same reason.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "dev")



# --- stand-in claims for the tests of the runner, the campaign and the CLI (tests/fakes.py) ---------------------

import pytest  # noqa: E402


@pytest.fixture
def fake_claims(monkeypatch: pytest.MonkeyPatch):
    """``install({cid: claim})``: replace the registry's claims (after the real modules registered themselves)."""
    from mbc_verify.claims import all_claims, registry

    all_claims()

    def install(claims: dict) -> None:
        monkeypatch.setattr(registry, "_CLAIMS", dict(claims))

    return install
