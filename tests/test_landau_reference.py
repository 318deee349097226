"""Reference data: a cheap subset of each reference file is regenerated and compared."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent / "reference"


def _load_script(name: str):  # noqa: ANN202
    spec = importlib.util.spec_from_file_location(name, ROOT / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _json(name: str) -> dict:
    path = ROOT / name
    if not path.is_file():
        pytest.fail(f"{path} missing: run python reference/make_{name.removesuffix('.json')}.py")
    return json.loads(path.read_text())


def test_isotropic_mixture_subset() -> None:
    """Rerun the coarsest grid for γ = -3 up to t = 0.5 and compare with the stored per-grid values; the stored
    reference value must lie within the Richardson error estimate of that coarse value."""
    data = _json("isotropic_mixture.json")
    mod = _load_script("make_isotropic_mixture")
    ref = data["gammas"][repr(-3.0)]
    n = ref["grids"][0]
    rec = mod.run(-3.0, n, t_end=0.5, snapshots=6)  # same output times 0.1, ..., 0.5 as the stored run
    for q in mod.QUANTITIES:
        for row in ref["values"][q]:
            if row["t"] > 0.5:
                continue
            new = rec[q][mod.pick(rec, row["t"])]
            stored = row["per_grid"][str(n)]
            # identical arithmetic up to the clipping of the last step before each output time: round-off level
            assert new == pytest.approx(stored, rel=1e-11, abs=1e-13), (q, row["t"])
            # second order: error of the n-grid value ≈ (4/3)|q_n - q_2n|; allow a factor 2 on that estimate
            est = 4.0 / 3.0 * abs(stored - row["per_grid"][str(ref["grids"][1])])
            assert abs(new - row["value"]) <= 2.0 * est + row["error"], (q, row["t"])
            # the grid study is in its second-order regime
            assert row["observed_order"] == pytest.approx(2.0, abs=0.3), (q, row["t"])


def test_isotropic_mixture_file_complete() -> None:
    data = _json("isotropic_mixture.json")
    for g in ("0.0", "-2.0", "-3.0"):
        for q in ("moment4", "entropy", "fisher"):
            rows = data["gammas"][g]["values"][q]
            assert [r["t"] for r in rows] == [0.1, 0.5, 1.0, 2.0, 5.0]
            assert all(np.isfinite(r["value"]) and r["error"] >= 0 for r in rows)
        for q in ("entropy", "fisher"):  # H-theorem (C7) and Guillén–Silvestre (C8) on the reference values
            rows = data["gammas"][g]["values"][q]
            vals, errs = np.array([r["value"] for r in rows]), np.array([r["error"] for r in rows])
            assert np.all(np.diff(vals) <= errs[1:] + errs[:-1]), (g, q)


def test_isotropic_mixture_gamma0_against_exact_moments() -> None:
    """γ = 0: ∫|v|⁴ f of the mixture solves the derived moment ODE exactly (Maxwell molecules); the stored
    reference values must agree with that exact solution within their stored error estimates."""
    from mbc_verify.landau.maxwell import moment4_exact

    rows = _json("isotropic_mixture.json")["gammas"][repr(0.0)]["values"]["moment4"]
    m40 = 0.5 * 15 * 0.5 ** 2 + 0.5 * 15 * 1.5 ** 2  # Σ w 15 T² of mixture:0.5,0.5,0.5,1.5 (T = 0.5, 1.5)
    exact = moment4_exact(np.eye(3), m40, np.array([r["t"] for r in rows]))
    for row, ex in zip(rows, exact, strict=True):
        assert abs(row["value"] - ex) <= row["error"], (row["t"], row["value"], ex, row["error"])


def test_bkw_checks_subset() -> None:
    data = _json("bkw_checks.json")
    mod = _load_script("make_bkw_checks")
    stored = next(e for e in data["exact"] if e["k0"] == 0.7)
    new = mod.exact_part(0.7)
    for q in ("K", "moment4", "moment4_ode", "entropy", "fisher"):
        assert np.allclose(new[q], stored[q], rtol=1e-12, atol=0), q
    assert new["max_rel_diff_formula_vs_ode"] < 1e-13  # two independent routes to ∫|v|⁴ f
    assert new["max_rel_diff_formula_vs_quadrature"] < 1e-11  # quadrature at epsrel 1e-12
    run = mod.solver_errors(100)
    old = next(r for r in data["solver"]["runs"] if r["n"] == 100)
    for q, e in run["max_rel_error"].items():
        assert e == pytest.approx(old["max_rel_error"][q], rel=1e-8), q
    assert data["solver"]["orders"]["moment4"]["order"] >= 1.95
