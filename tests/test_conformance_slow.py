"""Slow tier: the conformance matrix of the built-in operators at the quick profile, and every wrong operator
against every certificate that must catch it (the README's tables, docs/conformance.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mbc_verify.conformance.campaign import conform
from mbc_verify.conformance.certificates import CERTIFICATES
from mbc_verify.conformance.examples import WRONG

pytestmark = pytest.mark.slow



@pytest.mark.parametrize("name", ["takizuka_abe", "nanbu", "spherical_bm", "mbc_fast",
                                  "mbc_verify.conformance.examples:takizuka_abe_numpy"])
def test_a_correct_operator_passes_every_certificate(name: str, tmp_path: Path) -> None:
    res = conform(name, out_dir=tmp_path)
    assert res.passed, {c.certificate: c.cert.details.get("why") for c in res.cells if c.cert is not None}
    assert all(c.cert is not None for c in res.cells)


def test_the_exact_engine_passes_what_applies(tmp_path: Path) -> None:
    res = conform("mbc_exact", gammas="0", out_dir=tmp_path)
    assert res.passed
    assert {c.certificate for c in res.cells if c.cert is None} == {"maxwell", "initial-rates", "isotropization"}


@pytest.mark.parametrize(("name", "certificate"), [(w, c) for w in WRONG for c, cert in CERTIFICATES.items()
                                                   if w in cert.catches])
def test_each_wrong_operator_fails_each_certificate_meant_to_catch_it(name: str, certificate: str,
                                                                      tmp_path: Path) -> None:
    res = conform("mbc_verify.conformance.examples:" + name, certificates=certificate, out_dir=tmp_path)
    (cell,) = res.cells
    assert cell.verdict == "fail" and cell.cert.details["why"], cell.cert.details
