"""pytest plugin: the operator certificates as test items, so that a code's own CI can gate on them.

Registered through the entry point ``pytest11`` (``mbc_verify_conform``), so it is active wherever mbc_verify is
installed, and does nothing unless ``--mbc-operator`` is given::

    python -m pytest --mbc-operator mypackage.collisions:make_operator [--mbc-gamma=-3] [--mbc-profile quick]

adds one test item per operator and certificate, ``conform[OPERATOR-CERTIFICATE]``; it fails with the
certificate's reasons (what was measured against what, and what it means for the operator) and is skipped when
the certificate does not apply (e.g. a γ not selected). Options mirror ``mbc-verify conform``: ``--mbc-param``
(KEY=VALUE, repeatable), ``--mbc-gamma``, ``--mbc-profile``, ``--mbc-certificates``, ``--mbc-seed`` and
``--mbc-out`` (evidence directory; default a temporary directory). Bad options stop the session with a usage
error naming the option.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

OPTIONS = {"operators": "--mbc-operator", "params": "--mbc-param", "gammas": "--mbc-gamma",
           "profile": "--mbc-profile", "certificates": "--mbc-certificates", "seed": "--mbc-seed",
           "out_dir": "--mbc-out"}
"""API argument → plugin option (for error messages)."""


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("mbc-verify", "binary-collision operator conformance (mbc-verify conform)")
    group.addoption("--mbc-operator", action="append", default=[], dest="mbc_operators",
                    help="operator to certify: a built-in, pkg.module:factory or an entry point (repeatable)")
    group.addoption("--mbc-param", action="append", default=None, dest="mbc_params",
                    help="KEY=VALUE for the operators' factories (repeatable)")
    group.addoption("--mbc-gamma", default=None, dest="mbc_gammas", help="comma-separated γ values, e.g. =-3,0")
    group.addoption("--mbc-profile", default="quick", dest="mbc_profile", help="quick or full")
    group.addoption("--mbc-certificates", default=None, dest="mbc_certificates",
                    help="comma-separated certificate ids (default all)")
    group.addoption("--mbc-seed", default=0, type=int, dest="mbc_seed", help="master seed")
    group.addoption("--mbc-out", default=None, dest="mbc_out", help="evidence directory (default: a temporary one)")


def _settings(config: Any) -> dict[str, Any]:
    return {"operators": config.getoption("mbc_operators"), "params": config.getoption("mbc_params"),
            "gammas": config.getoption("mbc_gammas"), "profile": config.getoption("mbc_profile"),
            "certificates": config.getoption("mbc_certificates"), "seed": config.getoption("mbc_seed")}


def _usage(exc: ValueError) -> pytest.UsageError:
    text = str(exc).splitlines()[0]
    param = getattr(exc, "param", "") or text.split(":", 1)[0]
    if param in OPTIONS and text.startswith(param):
        text = OPTIONS[param] + text[len(param):]
    return pytest.UsageError(text)


def pytest_collection_modifyitems(session: Any, config: Any, items: list[Any]) -> None:
    s = _settings(config)
    if not s["operators"]:
        return
    from .campaign import validate
    from .plan import plan

    try:
        specs, gammas, ids, continuous = validate(",".join(s["operators"]), s["params"], s["gammas"], s["profile"],
                                                  s["certificates"], s["seed"])
    except ValueError as exc:
        raise _usage(exc) from None
    out = Path(config.getoption("mbc_out") or tempfile.mkdtemp(prefix="mbc-conform-"))
    for spec in specs:
        for cid in ids:
            job = plan(cid, spec, s["profile"], s["seed"], gammas, continuous[spec.label])
            items.append(ConformanceItem.from_parent(session, name=f"conform[{spec.label}-{cid}]", job=job, out=out))


class ConformanceFailure(Exception):
    """A certificate that did not pass; its message is the certificate's reasons."""


class ConformanceItem(pytest.Item):
    """One operator certificate for one operator."""

    def __init__(self, *, job: Any, out: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.job = job
        self.out = out

    def runtest(self) -> None:
        from ..claims.runner import assemble
        from ..execution import InProcess

        job = self.job
        if job.not_applicable is not None:
            pytest.skip(f"{job.certificate.claim_id} does not apply: {job.not_applicable}")
        outcomes: dict = {}
        InProcess().run(job.units, outcomes.__setitem__)
        sub = f"evidence/{job.operator.slug}/"
        cert = assemble(job.certificate.claim_id, job.certificate, job.context, job.units, outcomes, self.out / sub,
                        sub)
        self.user_properties.append(("certificate", cert.to_json()))
        if not cert.passed:
            reasons = cert.details.get("why") or [cert.details.get("error", "")]
            head = f"{job.operator.label} fails {job.certificate.claim_id} ({job.certificate.statement}): " \
                   f"{cert.verdict.upper()}"
            raise ConformanceFailure("\n".join([head, *(f"  - {r}" for r in reasons if r),
                                                f"  evidence: {', '.join(str(self.out / e) for e in cert.evidence)}"]))

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ConformanceFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[str, int, str]:
        return "mbc-verify conform", 0, self.name
