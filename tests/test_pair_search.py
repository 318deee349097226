"""The adversarial search of C9 (mbc_verify.mbc.pair_search): window increase, the negative control, the pinned
γ = −3 counterexample, tier-1 invariants, determinism. The quick-profile table is in the slow tier."""

from __future__ import annotations

import numpy as np
import pytest

from mbc_verify.mbc.pair_law import Dynamics, convergence, evaluate
from mbc_verify.mbc.pair_linear import worst_case_scan
from mbc_verify.mbc.pair_search import (
    CLASSES,
    LINEAR_TOLERANCE,
    control_law,
    counterexample_law,
    fisher_table,
    law_from_parameters,
    linear_atoms,
    linear_tier,
    negative_control,
    nonlinear_search,
    pinned_counterexample,
    random_atoms,
    search_dynamics,
    time_grid,
    verdict,
    verified_trace,
    window_increase,
)
from mbc_verify.mbc.rate_laws import PowerLaw, TanhStep


def test_window_increase():
    assert window_increase(np.array([3.0, 2.0, 1.0])) == -1.0
    assert window_increase(np.array([1.0, 2.0, 0.0, 5.0])) == 5.0
    assert window_increase(np.array([2.0, 1.0, 1.5, 0.5])) == 0.5  # a later rise after dI/dt < 0 at t = 0


@pytest.mark.parametrize("kind", ["master", "mbc"])
def test_negative_control_rate_law_increases_fisher_and_the_power_law_does_not(kind):
    times = np.linspace(0.0, 2.0, 41)
    law = control_law()
    h = 0.5 if kind == "mbc" else 0.0
    rising = verified_trace(law, Dynamics(TanhStep(), kind, h), times, 3)
    assert rising["increase_significant"] and rising["rate_significant"]
    assert rising["window_increase"] > 1e-4 * rising["fisher"][0]
    assert rising["rate"][0] < 0  # dI/dt(0) < 0: the rise comes later (why the search looks at a window)
    falling = verified_trace(law, Dynamics(PowerLaw(-3.0), kind, h), times, 3)
    assert falling["max_dfisher"] < -falling["rate_error"]
    assert falling["window_increase"] < -2 * falling["fisher_error"]


def test_pinned_counterexample_at_coulomb_non_exchangeable():
    """γ = −3, law ρ(1 + ε b(r) cos θ) (counterexample_law): dI/dt > 0 on (0, 1e-3], master and MBC (h = 0.05, 1),
    above the quadrature error; the convergence of dI/dt at t = 1e-5 over levels 0–4 is geometric."""
    law = counterexample_law()
    assert not law.exchangeable
    out = pinned_counterexample(level=3)
    for name in ("master r^-3", "MBC h=0.05 r^-3", "MBC h=1 r^-3"):
        tr = out[name]
        assert tr["rate_significant"] and tr["increase_significant"], name
        assert np.all(tr["dfisher"][1:-1] > tr["rate_error"]), name  # positive over (0, 10⁻³·0.3]
        conv = tr["convergence"]["dfisher"]
        assert conv["values"][-1] > 1e6 * max(conv["diff_to_finest"][3], conv["round_off"])


def test_tier1_ratio_depends_on_kappa_only_through_kappa_t():
    """λ*(t) of MBC at h equals λ*(κ_mbc t / κ_master) of the master equation (same law, same dictionary)."""
    for ell in (1, 2):
        kappa_m = Dynamics(PowerLaw(-2.5)).kappa(ell)[ell]
        kappa_h = Dynamics(PowerLaw(-2.5), "mbc", 0.8).kappa(ell)[ell]
        t = np.array([1e-5, 1e-3, 0.1])
        a = worst_case_scan([1.0], [1.0], ell, Dynamics(PowerLaw(-2.5), "mbc", 0.8), t, level=1)["ratio"]
        b = worst_case_scan([1.0], [1.0], ell, Dynamics(PowerLaw(-2.5)), t * kappa_h / kappa_m, level=1)["ratio"]
        assert np.allclose(a, b, rtol=LINEAR_TOLERANCE)  # exact in exact arithmetic; G is ill-conditioned (1e12)


def test_tier1_is_zero_for_maxwell_molecules_and_above_one_for_the_control():
    times = time_grid(2.0, 9)
    zero = linear_tier(Dynamics(PowerLaw(0.0)), times, level=1)
    assert all(abs(row["worst_ratio"]) < 1e-9 for row in zero.values())
    control = linear_tier(Dynamics(TanhStep()), times, level=1)
    assert control[2]["worst_ratio"] > 1.0  # the exchangeable degree 2 already fails under the step rate law


def test_search_is_deterministic_given_the_seed():
    dyn = Dynamics(PowerLaw(-2.0))
    times = time_grid(1.0, 5)
    rng = np.random.default_rng(3)
    atoms = random_atoms(rng, "general", True, 2)
    runs = [nonlinear_search(dyn, atoms, times, 7, starts=2, polish=1, maxfev=8, level=0) for _ in range(2)]
    assert runs[0]["z"] == runs[1]["z"] and runs[0]["max_rate"] == runs[1]["max_rate"]
    again = random_atoms(np.random.default_rng(3), "general", True, 2)
    assert [a.as_dict() for a in again] == [a.as_dict() for a in atoms]


def test_search_finds_the_coulomb_dipole_increase_and_passes_exchangeable_laws():
    rows = {row["law_class"]: row for row in search_dynamics(Dynamics(PowerLaw(-3.0)), "quick", 0)}
    assert verdict(rows["general"]) == "FAIL"
    assert rows["general"]["linear_ratio"] > 1.0 and rows["general"]["nonlinear_rate"] > 0.0
    assert verdict(rows["exchangeable"]) == "PASS"
    assert rows["exchangeable"]["linear_margin"] > 0.3 and rows["exchangeable"]["nonlinear_rate"] < 0.0


def test_linear_atoms_respect_the_class():
    tier = linear_tier(Dynamics(PowerLaw(-1.0)), time_grid(1.0, 5), level=1)
    for law_class, degrees in CLASSES.items():
        atoms = linear_atoms(tier, law_class, axisymmetric=False)
        assert {a.ell for a in atoms} == set(degrees)
        assert all(a.source == "linear" for a in atoms)


@pytest.mark.slow
def test_quick_profile_table_and_negative_control():
    """The C9 quick profile: exchangeable laws pass for every γ and dynamics; general laws fail exactly at γ = −3
    (tier 1: λ* = 3/(2√2) > 1 at ℓ = 1); the negative control's search finds an increase."""
    rows = fisher_table("quick", 0)
    for row in rows:
        expected = "FAIL" if (row["law_class"] == "general" and row["gamma"] == -3.0) else "PASS"
        assert verdict(row) == expected, row["dynamics"]
    control = negative_control("quick", 0)
    assert control["gs_log_slope"] > control["gs_bound"]
    assert verdict(control["search"]) == "FAIL"
    assert control["control:master"]["increase_significant"] and control["control:mbc"]["increase_significant"]
    assert not control["power_-3:master"]["increase_significant"]


def test_convergence_reports_a_decay_rate():
    conv = convergence(control_law(), Dynamics(TanhStep()), 0.2, levels=(0, 1, 2))
    assert set(conv) >= {"levels", "nodes", "fisher", "dfisher", "entropy"}
    assert conv["nodes"][0] < conv["nodes"][-1]


def test_tier1_worst_shape_is_reproduced_by_the_finite_amplitude_evaluation():
    """At small amplitude the atom built from tier 1's worst shape has ν = (λ* − 1)/(λ* + 1) at the worst time
    (second order: dI/dt = −(G + C), |J_r| + |J_S| + |C| = G + |C|, C = −λ* G), to O(amplitude)."""
    dyn = Dynamics(TanhStep())
    tier = linear_tier(dyn, time_grid(2.0, 13), level=1)
    atom = linear_atoms(tier, "exchangeable", True)[0]
    law, _ = law_from_parameters(np.array([30.0, 0.0, 0.0, 1e-3]), [atom])
    lam, t = tier[2]["gaussian"]["worst_ratio"], tier[2]["gaussian"]["worst_time"]
    nu = evaluate(law, dyn, [t], 2)["normalised_rate"][0]
    assert nu == pytest.approx((lam - 1) / (lam + 1), rel=1e-2)
