"""C9: Fisher-information control of singular configurations at the particle level (docs/spec.md §6).

Quantity, along MBC runs (fast engine, docs/spec.md §3) for γ = −3 (Coulomb) and γ = −2 started from chaotic data with
finite Fisher information I(f₀) (i.i.d. samples of ``bkw:0.7`` and ``bimaxwellian:2,0.5``):

    S(t) = E[ (1/(N(N−1))) Σ_{i≠j} |v_i − v_j|^{-2} ]

(``observables.pair_singular_moment(v, −2)``, which normalises by 1/N², times N/(N−1)).

Bound (derived in ``proofs_checks/derivations/hardy.py``, key ``hardy.S_bound_constant`` = 1/2): for any
density f on R³, E_{f⊗f}|v − w|^{-2} ≤ I(f)/2 (Hardy's inequality with C_H = 4, |∇√g|² = |∇g|²/(4g),
Stam's inequality I(f ∗ f̃) ≤ I(f)/2). Along the Landau flow I(f_t) ≤ I(f₀) (Guillén–Silvestre, Acta Math.
2025, Thm 1.1: every γ ∈ [−3, 1], Coulomb included; see claim C8), so the mean-field prediction is
S(t) ≤ I(f_t)/2 ≤ I(f₀)/2 uniformly in t; the particle-level claim is that the MBC
ensemble average obeys the same bound uniformly in t, N and h.

Certificate: measured = max over runs (γ, datum, N, h) and snapshot times of the upper 5σ Monte Carlo bound
(mean + 5 se over replicas) of S(t) / (I(f₀)/2); expected ≤ 1 (relation ``le``, tolerance 0: the bound is strict,
the 5σ margin makes the test conservative). I(f₀): :func:`mbc_verify.landau.maxwell.initial_fisher` (BKW by
quadrature, and the closed form I = 2/T⊥ + 1/T∥ for the bi-Maxwellian N(0, diag(T⊥, T⊥, T∥)): each Gaussian
direction of variance T gives 1/T); the bound: :func:`mbc_verify.landau.densities.hardy_stam_bound`.
Uniformity: S(t) vs N and h is reported in ``details`` and plotted. Each run (γ, datum, N, h) is one unit.

Caveat on the error bar: a single pair term |v_i − v_j|^{-2} has a finite mean but an infinite variance in R³
(E|z|^{-4} diverges at z = 0), so the replica standard error is a heuristic scale, not a strict confidence
interval (the mean converges with stable-law fluctuations of index 3/2). The verdict does not hinge on it: the
measured means sit at about a third of the bound (Maxwellian: S = 1/2 against I/2 = 3/2).

Mutant: ``biased_azimuth`` (the rotation axis drawn with a bias in a frame attached to u) makes the kernel
anisotropic, so the runs leave the Landau dynamics and S(t) leaves the bound. (A defect that shrinks |u| at every
jump would blow S(t) up even faster, but at γ < 0 it drives the continuous-time engine into a Zeno cascade of
ever faster jumps, so it is not kept as a mutant.)

:func:`mbc_verify.mbc.ensemble.ensemble_states` runs the ensemble with the library's fast engine and keeps the
velocities at each snapshot; replica r is the run ``simulate(..., seed=replica_seed(seed, r))``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..certificate import Check
from ..landau.densities import hardy_stam_bound
from ..landau.maxwell import initial_fisher
from ..mbc.ensemble import ensemble_states
from ..mbc.observables import pair_singular_moment
from ..stats import mean_stderr
from .base import Claim, Context
from .common import figure, max_or_nan
from .registry import register

Z_MARGIN = 5.0


def _run(gamma: float, init: str, n: int, h: float) -> dict[str, Any]:
    return {"gamma": gamma, "init": init, "n": n, "h": h}


def singular_moment(v: np.ndarray) -> float:
    """(1/(N(N−1))) Σ_{i≠j} |v_i − v_j|^{-2} for one configuration (inf if two velocities coincide)."""
    n = v.shape[0]
    return float(pair_singular_moment(np.ascontiguousarray(v), -2.0)) * n / (n - 1)


def singular_run(gamma: float, init: str, n: int, h: float, replicas: int, t_end: float, snapshots: int, seed: int,
                 mutant: str | None) -> dict:
    """One run: S(t) over the replicas at the snapshots, against the bound I(f₀)/2 (module docstring)."""
    times, states = ensemble_states(gamma, h, n, t_end, replicas=replicas, init=init, snapshots=snapshots,
                                    seed=seed, mutant=mutant)
    s = np.array([[singular_moment(states[r, i]) for i in range(snapshots)] for r in range(replicas)])
    mean, se = mean_stderr(s, axis=0)
    b = hardy_stam_bound(initial_fisher(init))
    upper = (mean + Z_MARGIN * se) / b
    ratio = float(np.max(upper)) if np.all(np.isfinite(upper)) else math.inf
    return {"gamma": gamma, "init": init, "n": n, "h": h, "fisher0": 2 * b, "bound": b, "times": times,
            "S_mean": mean, "S_se": se, "max_upper5sigma_over_bound": ratio}


@register
class SingularControl(Claim):
    """C9 (module docstring)."""

    claim_id = "C9"
    uses = ("mbc",)
    catches = ("biased_azimuth",)
    # (γ, datum, N, h): both γ, both data; N and h varied at γ = −3 for uniformity
    sizes = {"quick": {"replicas": 24, "t_end": 1.0, "snapshots": 6, "engine": "fast",
                       "runs": [_run(-3.0, "bkw:0.7", 64, 0.3), _run(-3.0, "bkw:0.7", 256, 0.3),
                                _run(-3.0, "bkw:0.7", 256, 0.1), _run(-2.0, "bkw:0.7", 256, 0.3),
                                _run(-3.0, "bimaxwellian:2,0.5", 128, 0.3),
                                _run(-2.0, "bimaxwellian:2,0.5", 128, 0.3)]},
             "full": {"replicas": 200, "t_end": 2.0, "snapshots": 11, "engine": "fast",
                      "runs": [_run(g, d, n, h) for g in (-3.0, -2.0) for d in ("bkw:0.7", "bimaxwellian:2,0.5")
                               for n in (64, 256, 1024) for h in (0.1, 0.3)]}}
    primary = "S(t) upper 5σ limit / Hardy–Stam bound"

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        return {f"run {k}: gamma={r['gamma']:g} {r['init']} N={r['n']} h={r['h']:g}": {**r, "seed_offset": k}
                for k, r in enumerate(ctx.sizes["runs"])}

    def run_unit(self, ctx: Context, **params: Any) -> dict:
        s = ctx.sizes
        return singular_run(params["gamma"], params["init"], params["n"], params["h"], s["replicas"], s["t_end"],
                            s["snapshots"], ctx.seed + params["seed_offset"], ctx.mutant)

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        return {"runs": list(results.values())}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        return [Check(self.primary, max_or_nan(r["max_upper5sigma_over_bound"] for r in data["runs"]), 1.0, 0.0, "le",
                      "no slack on the bound; the measured side is already the upper 5σ Monte Carlo limit "
                      "(standard error over independent replicas)",
                      "max over runs and times of (mean + 5 se) of S(t) = E[(1/(N(N-1))) Σ_{i≠j} |v_i - v_j|^-2], "
                      "divided by the Hardy–Stam–Fisher bound I(f0)/2 (derived key hardy.S_bound_constant)")]

    def figure(self, ctx: Context, data: dict) -> Any:
        fig, ax = figure(1, 2)
        for r in data["runs"]:
            b = r["bound"]
            ax[0, 0].errorbar(r["times"], r["S_mean"] / b, yerr=Z_MARGIN * r["S_se"] / b, marker="o", ms=3, capsize=2,
                              label=f"γ={r['gamma']:g} {r['init'].split(':')[0]} N={r['n']} h={r['h']:g}")
        ax[0, 0].axhline(1.0, color="k", ls="--", label="Hardy–Stam bound I(f₀)/2")
        ax[0, 0].set_xlabel("t")
        ax[0, 0].set_ylabel("S(t) / (I(f₀)/2)  (±5σ)")
        ax[0, 0].legend(fontsize=6)
        for r in data["runs"]:
            if r["gamma"] == -3.0 and r["init"] == "bkw:0.7":
                fine = r["h"] < 0.2
                ax[0, 1].errorbar(r["n"] * (1.04 if fine else 1.0), r["S_mean"][-1], yerr=Z_MARGIN * r["S_se"][-1],
                                  marker="s" if fine else "o", capsize=2, color="C1" if fine else "C0")
        ax[0, 1].set_xscale("log")
        ax[0, 1].set_xlabel("N  (circles h = 0.3, squares h = 0.1)")
        ax[0, 1].set_ylabel(f"S(t = {ctx.sizes['t_end']:g}), γ = −3, bkw:0.7 (±5σ)")
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        keep = ("gamma", "init", "n", "h", "fisher0", "bound", "max_upper5sigma_over_bound")
        return {"per_run": [{k: r[k] for k in keep} | {"S_final": float(r["S_mean"][-1]),
                                                         "S_final_se": float(r["S_se"][-1])} for r in data["runs"]]}

    def seeds(self, ctx: Context) -> list[int]:
        return [ctx.seed + k for k in range(len(ctx.sizes["runs"]))]
