"""Coulomb T∥(t) of the blob solver and of the fast MBC engine agree (slow tier).

γ = −3, ``bimaxwellian:2,0.5``, t ∈ [0, 2], 11 snapshots; blob extrapolated to ε → 0 from n_per_dim = 12, 16 with
error size e_blob; MBC fast engine N = 10⁵, h = 0.05, Δt = 1e-3, 8 replicas. Pass: |T∥_MBC − T∥_blob| ≤
5 se_MBC + e_blob at every snapshot (the linear sum because e_blob bounds a bias; the reasoning, the choice of
h, Δt, R and the negative control are in :mod:`benchmarks.blob_vs_mbc`). Writes
``benchmarks/results/blob_vs_mbc.{json,png}``. About 4–5 minutes on 2 cores.
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.blob_vs_mbc import ENERGY, RESULTS, main


@pytest.mark.slow
def test_coulomb_blob_and_mbc_parallel_temperature_agree() -> None:
    res = main(["--out", str(RESULTS)])
    b, m = res["blob"], res["mbc"]
    assert m["n"] >= 10**5

    # both methods carry the exact energy, so T⊥ = (E − T∥)/2 and the T∥ comparison decides T⊥ as well
    np.testing.assert_allclose(m["energy"], ENERGY, rtol=1e-12)
    np.testing.assert_allclose(b["tperp_fine"], (ENERGY - np.asarray(b["tpar_fine"])) / 2.0, rtol=0.0, atol=1e-9)

    # design check: the first-order finite-h bias of the MBC curve sits below its standard error
    assert max(m["h_bias_estimate"]) < min(m["tpar_se"])

    for t, d, tol in zip(res["times"], res["difference"], res["tolerance"], strict=True):
        assert abs(d) <= tol, f"t = {t:.2f}: T∥_MBC − T∥_blob = {d:+.5f} exceeds 5 se + e_blob = {tol:.5f}"
    assert res["passed"]

    # negative control: a factor-2 error in the time scale (MBC read at 2t) must break the same comparison
    assert res["control_time_factor_2"]["max_ratio"] > 1.0

    assert (RESULTS / "blob_vs_mbc.json").stat().st_size > 0
    assert (RESULTS / "blob_vs_mbc.png").stat().st_size > 0
