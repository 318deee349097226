"""C5: mean-field limit — the MBC empirical measure converges to the Landau solution (docs/spec.md §1, §3, §6).

The paper (Kai Du, arXiv:2511.09035 v1) states propagation of chaos in the joint limit N → ∞, h → 0 for the whole
range γ ∈ [−3, 1], Coulomb included; this certificate gives numerical evidence for it (not a proof).

For an observable X of the empirical measure at time t and a reference value X_ref(t) of the Landau solution,
the error of ONE run, e = X_N(t) − X_ref(t), is measured over R independent replicas (fast engine). Cases, each an
N-series N = 64 … 1024 at h = 0.1:

(i)   γ = 0 (exact reference): X = T∥ = (1/N) Σ v_z² from ``bimaxwellian:2,0.5``; X_ref from the exact
      second-moment solution (``landau.maxwell.second_moment_exact``, derived rates ``maxwell.second_moment_*``).
(ii)  γ = −2: X = (1/N) Σ |v_i|⁴ from ``bkw:0.7`` against the conservative isotropic solver (200 cells; its
      discretisation error, ≈ 1e-4 at γ = 0 against BKW, is far below the particle errors).
(iii) γ = −3, anisotropic (Coulomb): X = T∥ from ``bimaxwellian:2,0.5`` at t = 1 against the axisymmetric solver
      (``landau.axisymmetric.solve_axisymmetric``, default resolution: the run of reference/axisymmetric_tpar.json,
      T∥(1) = 1.8056981…, converged to ~1e-10).
(iv)  γ = −3, isotropic (Coulomb): from ``MIXTURE`` (½ N(0, 0.2 I) + ½ N(0, 1.8 I); its speed law moves by W₁ ≈ 0.05
      by t = 0.5, four times more than that of ``mixture:0.5,0.5,0.5,1.5``) at t = 0.5, X = (1/N) Σ |v_i|⁴ and
      the distance W₁(empirical law of the speeds |v_i|, the Landau speed law) = ∫|F_N(s) − F(s)| ds
      (:func:`mbc_verify.stats.wasserstein1_to_cdf`, exact for the piecewise-linear CDF of the isotropic solver's
      200 cells; that interpolation moves F by ≤ Δr²/8 max|ρ'| ≈ 4e-4, ρ = 4πr²F, of both signs within a cell, an
      O(δ²/σ) change of E W₁ against σ = sd(F_N) ≈ 0.015 at N = 1024).

Certified:
- RMS_N = (mean_r e_r²)^{1/2} decays like N^{−1/2}: fitted log-log slope −½ within 5 standard errors, for every
  moment case (the headline is the worst); each RMS_N has the relative standard error ½ sd(e²)/(√R mean e²) (delta
  method, from the sample), the fit weights;
- the ensemble-mean bias is below the Monte Carlo noise: |mean_r e_r| ≤ 5 se at every N, every moment case
  (expected: h = 0.1 changes the relaxation by O(h²/3) ≈ 0.3 %, Δt = 1e-3 by ≈ 0.3 % (γ = 0) and ≈ 4e-4 in T∥ at
  γ = −3, ``mbc.fast``; finite N by O(1/N));
- case (iv): E W₁ ∝ N^{−1/2} (the empirical CDF's fluctuation, E∫|F_N − F| ≈ ∫(2F(1−F)/(πN))^{1/2}), slope −½
  within 5 standard errors;
- joint paths (N_k, h_k) = (N₀ 2^k, h₀ 2^{−k/p}), p ∈ ``PATH_P`` = (2, 4), from (64, 0.8), case (iv): along
  both, the RMS error of ∫|v|⁴ and E W₁ decay with the fitted exponent −½ in N (equivalently p/2 in h): the
  O(h²) bias of the finite-h process falls like N^{−2/p}, at least as fast as the fluctuation for p ≤ 4 (at
  h₀ = 0.8 it is ≈ 20 % of the relaxation, against the fluctuation; measured below 5 % of W₁ at N₀);
- the grazing order: at N = 1024 the ensemble-mean bias of T∥(t) (case i) for h ∈ GRAZING_H has the fitted order 2
  in h (docs/spec.md §3) within 5 standard errors;
- the reference of case (iv) checked against the closed form of its initial rate,
  d/dt ∫|v|⁴ f = Σ_kl w_k w_l R(T_k, T_l) (:func:`mbc_verify.landau.moment_rates.mixture_moment4_rate`, derived
  in proofs_checks): the isotropic solver's rate at 200 cells within twice its Richardson error estimate
  |D₂₀₀ − D₁₀₀|/(2² − 1) (second-order scheme) plus its time-extrapolation estimate (this solver runs with the
  planted defect). The axisymmetric solver's ``initial_rate`` agrees with the closed form to 4e-14 relative
  (reported; tested in tests/test_landau_moment_rates.py);
- an independent Landau discretisation for the Coulomb case (iii): the blob particle solver (Carrillo–Hu–Wang–Wu
  2020, :func:`mbc_verify.landau.blob.initial_rate_study`, n_per_dim = ``BLOB_N``, with the planted defect) gives
  the derived initial dT∥/dt of ``bimaxwellian:2,0.5`` at γ = −3 (docs/spec.md eq. (43)) times the regularisation
  factor (62), within twice the sum of its two refinement differences (lattice at fixed ε, domain ±4σ → ±5σ).

Mutants that must fail it: ``rate_doubled`` (the relaxation is twice too fast: the biases of cases i–iii, the W₁
exponents, which stop at the distance between f_t and f_2t), ``rate_without_gamma`` (cases ii–iv and the paths),
``one_sided_rotation``, ``biased_azimuth`` and ``frozen_partners`` (the particle system no longer follows the Landau
equation), ``solver_without_half`` and ``entropy_sign`` (the isotropic solver's initial rate), ``blob_without_half``
(the blob solver's initial rate). The particle cases' deterministic references run without the planted defect.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from ..certificate import Check
from ..initial import parse_init
from ..landau.axisymmetric import initial_rate, solve_axisymmetric
from ..landau.blob import initial_rate_study
from ..landau.isotropic import solve_isotropic
from ..landau.maxwell import second_moment_exact
from ..landau.moment_rates import isotropic_moment4_rate, mixture_moment4_rate
from ..mbc.ensemble import run_ensemble
from ..stats import fit_power_law, mean_stderr, wasserstein1_to_cdf
from .base import Claim, Context
from .common import blob_rate_check, figure, label, worst
from .registry import register
from .states import named_states

H = 0.1
GRAZING_H = (0.35, 0.5, 0.7, 1.0)
GRAZING_ORDER = 2.0
"""docs/spec.md §3: λ_h(K_h − I) → r^γ Δ_S with an O(h²) relative error; at γ = 0 the relaxation rate is −6 sin²h/h²
(``mbc.gamma0.beta_h``), so the bias of T∥(t) is O(h²) (effective log-log slope on GRAZING_H: 2.04)."""
BIMAX = "bimaxwellian:2,0.5"
BKW = "bkw:0.7"
MIXTURE = "mixture:0.5,0.2,0.5,1.8"
T_MAXWELL, T_COULOMB, T_ANISO, T_ISO = 0.2, 0.5, 1.0, 0.5
ISO_GRID = 200
BLOB_N = 16
"""n_per_dim of the blob solver's γ = −3 rate check (N = 8192 particles; the study's finer levels have 16 000)."""
PATH_P = (2.0, 4.0)
Z_MAX = 5.0
CASES = {
    "maxwell": {"label": "γ=0 T∥ vs exact Landau", "gamma": 0.0, "init": BIMAX, "t": T_MAXWELL,
                "observable": "temperatures", "seed_offset": 0},
    "coulomb": {"label": "γ=−2 ∫|v|⁴ vs isotropic solver", "gamma": -2.0, "init": BKW, "t": T_COULOMB,
                "observable": "moment4", "seed_offset": 50},
    "coulomb_aniso": {"label": "γ=−3 T∥ vs axisymmetric solver", "gamma": -3.0, "init": BIMAX, "t": T_ANISO,
                      "observable": "temperatures", "seed_offset": 150},
    "coulomb_iso": {"label": "γ=−3 ∫|v|⁴ vs isotropic solver", "gamma": -3.0, "init": MIXTURE, "t": T_ISO,
                    "observable": "moment4", "seed_offset": 200},
}
GRAZING_SEED_OFFSET = 90


def rms_error(errors: np.ndarray) -> tuple[float, float, float, float]:
    """(RMS, its relative standard error, mean, standard error of the mean) of per-replica errors.

    rel se(RMS) = ½ · sd(e²) / (√R · mean(e²)) (delta method on the mean square).
    """
    e = np.asarray(errors, dtype=float)
    r = e.size
    sq = e * e
    ms = sq.mean()
    mean, se = mean_stderr(e)
    return math.sqrt(ms), 0.5 * sq.std(ddof=1) / (math.sqrt(r) * ms), float(mean), float(se)


@lru_cache(maxsize=4)
def isotropic_reference(n_grid: int = ISO_GRID, mutant: str | None = None) -> dict:
    """Case (iv)'s reference at T_ISO: ∫|v|⁴ f and the speed law's CDF at the cell interfaces (isotropic solver,
    with the planted defect ``mutant`` when it is one of that solver's)."""
    rec = solve_isotropic(-3.0, T_ISO, init=MIXTURE, snapshots=2, n_grid=n_grid, mutant=mutant)
    r, dens = np.array(rec["r"]), np.array(rec["density"])
    dr = r[1] - r[0]
    mass = np.concatenate([[0.0], np.cumsum(4.0 * math.pi * dr * r * r * dens)])
    return {"moment4": float(rec["moment4"][-1]), "x": dr * np.arange(r.size + 1), "cdf": mass / mass[-1]}


def references(mutant: str | None = None) -> dict[str, float]:
    """X_ref of the moment cases: the exact γ = 0 T∥(t) from M(0) = diag(T⊥, T⊥, T∥) of ``BIMAX``, ∫|v|⁴ f_t of the
    isotropic solver (γ = −2 from ``BKW``; γ = −3 from ``MIXTURE``, with the 100-cell value for its error estimate)
    and T∥(1) of the axisymmetric solver at γ = −3 (default resolution). A planted defect ``mutant`` of the exact
    Maxwell rates or of either solver enters its reference (each component ignores the others' defects)."""
    tpar, tperp = parse_init(BIMAX).params
    m0 = np.diag([tperp, tperp, tpar])
    aniso = solve_axisymmetric(-3.0, T_ANISO, init=BIMAX, snapshots=2, mutant=mutant)
    coulomb = solve_isotropic(-2.0, T_COULOMB, init=BKW, snapshots=2, n_grid=200, mutant=mutant)
    return {"maxwell": float(second_moment_exact(m0, T_MAXWELL, mutant)[2, 2]),
            "coulomb": float(coulomb["moment4"][-1]),
            "coulomb_aniso": float(aniso["tpar"][-1]), "coulomb_iso": isotropic_reference(ISO_GRID, mutant)["moment4"],
            "coulomb_iso_coarse": isotropic_reference(ISO_GRID // 2, mutant)["moment4"]}


def initial_rates(mutant: str | None = None) -> dict[str, float]:
    """d/dt ∫|v|⁴ f at t = 0 for ``MIXTURE``, γ = −3: closed form, isotropic solver (200 and 100 cells, with the
    planted defect ``mutant``) and axisymmetric solver (reported)."""
    fine, coarse = (isotropic_moment4_rate(-3.0, MIXTURE, n, mutant=mutant) for n in (ISO_GRID, ISO_GRID // 2))
    return {"closed_form": mixture_moment4_rate(-3.0, MIXTURE), "isotropic": fine["rate"],
            "isotropic_coarse": coarse["rate"], "isotropic_time_error": fine["time_error"],
            "axisymmetric": float(initial_rate(-3.0, MIXTURE)["dmoment4_dt"])}


def final_samples(gamma: float, h: float, n: int, t_end: float, init: str, observable: str, replicas: int,
                  seed: int, mutant: str | None) -> np.ndarray:
    """Per-replica values of the observable at t_end (T∥ for ``temperatures``), fast engine."""
    out = run_ensemble(gamma, h, n, t_end, replicas=replicas, init=init, snapshots=2, seed=seed, mutant=mutant,
                       observables=(observable,), return_samples=True)
    x = out["samples"][observable][:, -1]
    return x[:, 0] if x.ndim == 2 else x  # temperatures: (T∥, T⊥) → T∥


def mixture_samples(h: float, n: int, replicas: int, seed: int, mutant: str | None) -> dict[str, np.ndarray]:
    """Case (iv): per replica, (1/N) Σ|v_i|⁴ and W₁(speeds, Landau speed law) at T_ISO."""
    ref = isotropic_reference(ISO_GRID, mutant)
    _, states = named_states(-3.0, h, n, T_ISO, replicas=replicas, init=MIXTURE, snapshots=2, seed=seed,
                             mutant=mutant)
    speeds = np.sqrt(np.sum(states[:, -1] ** 2, axis=2))
    return {"moment4": np.mean(speeds**4, axis=1),
            "w1": np.array([wasserstein1_to_cdf(s, ref["x"], ref["cdf"]) for s in speeds])}


def error_rows(sizes_n: list[int], samples: list[np.ndarray], ref: float) -> list[dict]:
    """RMS error, its relative se, bias and its z at every N."""
    rows = []
    for n, x in zip(sizes_n, samples, strict=True):
        rms, rel, mean, se = rms_error(x - ref)
        rows.append({"n": n, "rms": rms, "rms_rel_se": rel, "bias": mean, "bias_se": se,
                     "bias_z": abs(mean) / se if se > 0 else math.inf})
    return rows


def case_result(case: str, sizes_n: list[int], samples: list[np.ndarray], ref: float) -> dict:
    """RMS error and bias of one case at every N, and the weighted log-log slope of the RMS in N."""
    rows = error_rows(sizes_n, samples, ref)
    nn = np.array(sizes_n, dtype=float)
    fit = fit_power_law(nn, np.array([r["rms"] for r in rows]), np.array([r["rms_rel_se"] for r in rows]))
    return {**{k: CASES[case][k] for k in ("label", "gamma", "init", "t", "observable")}, "reference": ref,
            "rows": rows, "slope": fit.slope, "slope_se": fit.slope_stderr, "intercept": fit.intercept,
            "max_bias_z": max(r["bias_z"] for r in rows)}


def w1_result(sizes_n: list[int], w1: list[np.ndarray]) -> dict:
    """Mean W₁ and its standard error at every N, and the weighted log-log slope."""
    mean = np.array([mean_stderr(x)[0] for x in w1])
    se = np.array([mean_stderr(x)[1] for x in w1])
    fit = fit_power_law(np.array(sizes_n, dtype=float), mean, se / mean)
    return {"n": list(sizes_n), "mean": mean, "se": se, "slope": fit.slope, "slope_se": fit.slope_stderr,
            "intercept": fit.intercept}


def path_points(ctx: Context, p: float) -> list[tuple[int, float]]:
    """(N_k, h_k) = (N₀ 2^k, h₀ 2^{−k/p}) of the joint path with exponent p."""
    s = ctx.sizes
    return [(s["path_n0"] * 2**k, s["path_h0"] * 2.0 ** (-k / p)) for k in range(s["path_steps"])]


def path_result(points: list[tuple[int, float]], samples: list[dict], ref: float) -> dict:
    """Along one joint path: the RMS error of ∫|v|⁴ and E W₁, their slopes in N (and in h: −p times)."""
    ns = [n for n, _ in points]
    mom = case_result("coulomb_iso", ns, [s["moment4"] for s in samples], ref)
    w1 = w1_result(ns, [s["w1"] for s in samples])
    return {"n": ns, "h": [h for _, h in points], "moment4": mom, "w1": w1}


def grazing_result(n: int, samples: list[np.ndarray], ref: float) -> dict:
    """Ensemble-mean bias of T∥(t) (γ = 0, ``BIMAX``) against the Landau value vs h: order fitted (NaN unless every
    bias is > 0: a bias of the wrong sign is not an O(h²) relaxation-rate error)."""
    rows = []
    for h, x in zip(GRAZING_H, samples, strict=True):
        _, _, mean, se = rms_error(x - ref)
        rows.append({"h": h, "bias": mean, "bias_se": se})
    bias = np.array([r["bias"] for r in rows])
    se = np.array([r["bias_se"] for r in rows])
    slope = slope_se = intercept = math.nan
    if np.all(bias > 0):
        fit = fit_power_law(np.array(GRAZING_H), bias, se / bias)
        slope, slope_se, intercept = fit.slope, fit.slope_stderr, fit.intercept
    return {"rows": rows, "n": n, "slope": slope, "slope_se": slope_se, "intercept": intercept}


def exponent_check(name: str, slope: float, slope_se: float, source: str, quantity: str) -> Check:
    """|fitted exponent + ½| ≤ 5 standard errors."""
    return Check(name, slope, -0.5, Z_MAX * slope_se, "abs", source, quantity)


RMS_SOURCE = (f"{Z_MAX:g} standard errors of the weighted log-log slope (each RMS's relative standard error from "
              "the sample by the delta method)")
W1_SOURCE = f"{Z_MAX:g} standard errors of the weighted log-log slope (each mean W₁'s standard error over replicas)"


def _rate_checks(rates: dict) -> list[Check]:
    closed = rates["closed_form"]
    estimate = abs(rates["isotropic"] - rates["isotropic_coarse"]) / 3.0 + rates["isotropic_time_error"]
    return [
        Check("isotropic reference: initial rate vs closed form", rates["isotropic"], closed, 2.0 * estimate,
              "abs", "twice (Richardson estimate |D₂₀₀ − D₁₀₀|/(2² − 1) of the second-order scheme + the time-"
              "extrapolation estimate)", f"d/dt ∫|v|⁴f at t = 0, {MIXTURE}, γ = −3, {ISO_GRID} cells"),
    ]


def _path_checks(paths: dict) -> list[Check]:
    mom = [exponent_check(f"p={p}", d["moment4"]["slope"], d["moment4"]["slope_se"], RMS_SOURCE,
                          f"path p = {p} (N, h) = {list(zip(d['n'], np.round(d['h'], 3).tolist(), strict=True))}: "
                          f"exponent of the RMS error of ∫|v|⁴ in N (in h: {-float(p) * d['moment4']['slope']:.3f})")
           for p, d in paths.items()]
    w1 = [exponent_check(f"p={p}", d["w1"]["slope"], d["w1"]["slope_se"], W1_SOURCE,
                         f"path p = {p}: exponent of E W₁(speed law) in N (in h: {-float(p) * d['w1']['slope']:.3f})")
          for p, d in paths.items()]
    return [worst(mom, "joint paths: RMS exponent of ∫|v|⁴ (worst p)"),
            worst(w1, "joint paths: W₁ exponent (worst p)")]


@register
class MeanField(Claim):
    """C5 (module docstring)."""

    claim_id = "C5"
    uses = ("mbc", "isotropic", "maxwell", "axisymmetric", "blob")
    catches = ("one_sided_rotation", "biased_azimuth", "rate_without_gamma", "rate_doubled", "frozen_partners",
               "solver_without_half", "entropy_sign", "blob_without_half")
    sizes = {"quick": {"n": [64, 128, 256, 512, 1024], "replicas": 48, "coulomb_replicas": 32, "grazing_n": 1024,
                       "grazing_replicas": 64, "path_n0": 64, "path_h0": 0.8, "path_steps": 5},
             "full": {"n": [64, 128, 256, 512, 1024, 2048, 4096], "replicas": 400, "coulomb_replicas": 200,
                      "grazing_n": 4096, "grazing_replicas": 400, "path_n0": 64, "path_h0": 0.8, "path_steps": 7}}
    primary = "RMS error exponent in N"

    def units(self, ctx: Context) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {"references": {"part": "references"}, "initial rates": {"part": "rates"},
                                          "blob initial rate": {"part": "blob"}}
        for case, spec in CASES.items():
            for k, n in enumerate(ctx.sizes["n"]):
                out[f"{case} N={n}"] = {"part": case, "n": n, "h": H, "seed_offset": spec["seed_offset"] + k}
        for k, h in enumerate(GRAZING_H):
            out[f"grazing h={h:g}"] = {"part": "grazing", "h": h, "seed_offset": GRAZING_SEED_OFFSET + k}
        for i, p in enumerate(PATH_P):
            for k, (n, h) in enumerate(path_points(ctx, p)):
                out[f"path p={p:g} k={k}"] = {"part": "coulomb_iso", "n": n, "h": h, "seed_offset": 300 + 20 * i + k}
        return out

    def run_unit(self, ctx: Context, **params: Any) -> Any:
        part, s, seed = params["part"], ctx.sizes, ctx.seed + params.get("seed_offset", 0)
        if part == "references":
            return references(ctx.mutant)
        if part == "rates":
            return initial_rates(ctx.mutant)
        if part == "blob":
            return initial_rate_study(-3.0, BLOB_N, mutant=ctx.mutant)
        if part == "grazing":
            return final_samples(0.0, params["h"], s["grazing_n"], T_MAXWELL, BIMAX, "temperatures",
                                 s["grazing_replicas"], seed, ctx.mutant)
        if part == "coulomb_iso":
            return mixture_samples(params["h"], params["n"], s["coulomb_replicas"], seed, ctx.mutant)
        c = CASES[part]
        replicas = s["coulomb_replicas"] if part == "coulomb_aniso" else s["replicas"]
        return final_samples(c["gamma"], params["h"], params["n"], c["t"], c["init"], c["observable"], replicas,
                             seed, ctx.mutant)

    def combine(self, ctx: Context, results: Mapping[str, Any]) -> dict:
        refs = results["references"]
        ns = ctx.sizes["n"]
        samples = {case: [results[f"{case} N={n}"] for n in ns] for case in CASES}
        iso = samples["coulomb_iso"]
        samples["coulomb_iso"] = [x["moment4"] for x in iso]
        cases = [case_result(case, ns, samples[case], refs[case]) for case in CASES]
        paths = {f"{p:g}": path_result(path_points(ctx, p), [results[f"path p={p:g} k={k}"] for k in
                                                             range(ctx.sizes["path_steps"])], refs["coulomb_iso"])
                 for p in PATH_P}
        grazing = grazing_result(ctx.sizes["grazing_n"], [results[f"grazing h={h:g}"] for h in GRAZING_H],
                                 refs["maxwell"])
        return {"cases": cases, "w1": w1_result(ns, [x["w1"] for x in iso]), "paths": paths, "grazing": grazing,
                "rates": results["initial rates"], "blob": results["blob initial rate"], "references": refs}

    def checks(self, ctx: Context, data: dict) -> list[Check]:
        per_case = [exponent_check("RMS", c["slope"], c["slope_se"], RMS_SOURCE + "; the worst of the cases",
                                   f"fitted exponent p of the RMS error of one run ∝ N^p vs the Landau solution "
                                   f"({c['label']})") for c in data["cases"]]
        g, w1 = data["grazing"], data["w1"]
        bias_source = (f"{Z_MAX:g} standard errors of the replica mean at every N (expected biases from finite h, N "
                       "and Δt are well below: module docstring)")
        return [
            worst(per_case, self.primary),
            *[Check(f"ensemble-mean bias, max |z| ({c['label']})", c["max_bias_z"], 0.0, Z_MAX, "abs", bias_source,
                    f"|mean of X_N(t) − X_ref(t)| / se at t = {c['t']:g}") for c in data["cases"]],
            exponent_check("W₁ exponent in N (γ = −3 speed law)", w1["slope"], w1["slope_se"], W1_SOURCE,
                           f"fitted exponent of E W₁(speeds, Landau speed law) at t = {T_ISO:g}, {MIXTURE}"),
            *_path_checks(data["paths"]),
            Check("grazing bias order in h", g["slope"], GRAZING_ORDER, Z_MAX * g["slope_se"], "abs",
                  f"{Z_MAX:g} standard errors of the weighted log-log slope of the bias (weights: its standard errors)",
                  f"fitted order of the ensemble-mean bias of T∥(t = {T_MAXWELL:g}) in h, N = {g['n']}"),
            *_rate_checks(data["rates"]),
            blob_rate_check(data["blob"]),
        ]

    def figure(self, ctx: Context, data: dict) -> Any:
        fig, ax = figure(2, 3)
        for a, c in zip(ax.flat[:4], data["cases"], strict=True):
            _case_panel(a, c)
        w1 = data["w1"]
        ax[1, 0].errorbar(np.array(w1["n"]) * 1.1, w1["mean"], Z_MAX * w1["se"], fmt="^", capsize=2,
                          label=f"E W₁(speed law): N^{w1['slope']:.3f} ± {w1['slope_se']:.3f}")
        ax[1, 0].legend(fontsize=6)
        for p, d in data["paths"].items():
            ax[1, 1].errorbar(d["n"], d["w1"]["mean"], Z_MAX * d["w1"]["se"], fmt="o-", ms=3, capsize=2,
                              label=f"p={p}: E W₁ ∝ N^{d['w1']['slope']:.2f}")
            ax[1, 1].plot(d["n"], [r["rms"] / 100 for r in d["moment4"]["rows"]], "s--", ms=3,
                          label=f"p={p}: RMS ∫|v|⁴ / 100 ∝ N^{d['moment4']['slope']:.2f}")
        label(ax[1, 1], "N (h = h₀ (N₀/N)^{1/p})", "error along the joint path (γ = −3)", log=True, legend=6)
        _grazing_panel(ax[1, 2], data["grazing"])
        return fig

    def details(self, ctx: Context, data: dict) -> dict[str, Any]:
        g, w1 = data["grazing"], data["w1"]
        return {**{c["label"]: {"slope": c["slope"], "slope_se": c["slope_se"], "max_bias_z": c["max_bias_z"],
                                "reference": c["reference"]} for c in data["cases"]},
                "W1 (γ=−3 speed law)": {"n": w1["n"], "mean": w1["mean"].tolist(), "se": w1["se"].tolist(),
                                         "slope": w1["slope"], "slope_se": w1["slope_se"]},
                "joint paths": {p: {"n": d["n"], "h": d["h"], "rms_moment4": [r["rms"] for r in d["moment4"]["rows"]],
                                    "slope_moment4": d["moment4"]["slope"], "w1": d["w1"]["mean"].tolist(),
                                    "slope_w1": d["w1"]["slope"], "slope_w1_in_h": -float(p) * d["w1"]["slope"]}
                                for p, d in data["paths"].items()},
                "grazing bias order (γ=0 T∥)": {"h": list(GRAZING_H), "n": g["n"],
                                                 "bias": [r["bias"] for r in g["rows"]],
                                                 "bias_se": [r["bias_se"] for r in g["rows"]],
                                                 "order": g["slope"], "order_se": g["slope_se"],
                                                 "expected": GRAZING_ORDER},
                "initial rates (γ=−3, mixture)": data["rates"], "blob initial rate (γ=−3)": data["blob"],
                "references": data["references"],
                "h": H, "engine": "fast", "dt": "default (1e-3)", "isotropic_n_grid": ISO_GRID}

    def seeds(self, ctx: Context) -> list[int]:
        return [ctx.seed + u["seed_offset"] for u in self.units(ctx).values() if "seed_offset" in u]


def _case_panel(a: Any, c: dict) -> None:
    """One case of the figure: RMS error and |bias| against N, with the fitted power law."""
    nn = np.array([r["n"] for r in c["rows"]], dtype=float)
    rms = np.array([r["rms"] for r in c["rows"]])
    a.errorbar(nn, rms, yerr=5 * rms * np.array([r["rms_rel_se"] for r in c["rows"]]), fmt="o", capsize=2,
               label="RMS error of one run (±5σ)")
    bias_se = np.array([r["bias_se"] for r in c["rows"]])
    a.errorbar(nn * 1.05, np.abs([r["bias"] for r in c["rows"]]), yerr=[np.zeros_like(bias_se), 5 * bias_se],
               fmt="s", capsize=2, label="|ensemble-mean bias| (+5σ)")
    a.loglog(nn, np.exp(c["intercept"]) * nn ** c["slope"], "k--",
             label=f"fit N^{c['slope']:.3f} ± {c['slope_se']:.3f}")
    a.set_xlabel("N")
    a.set_ylabel("error of X_N(t)")
    a.set_title(f"{c['label']} at t = {c['t']:g}, h = {H:g}", fontsize=8)
    a.legend(fontsize=6)


def _grazing_panel(a: Any, g: dict) -> None:
    """The grazing panel: |bias of T∥| against h with the fitted order."""
    hh = np.array(GRAZING_H)
    gb = np.array([r["bias"] for r in g["rows"]])
    gse = np.array([r["bias_se"] for r in g["rows"]])
    a.errorbar(hh, np.abs(gb), yerr=[np.minimum(5 * gse, 0.999 * np.abs(gb)), 5 * gse], fmt="o", capsize=2,
               label=f"|bias of T∥|, N = {g['n']} (±5σ)")
    if math.isfinite(g["slope"]):
        a.loglog(hh, np.exp(g["intercept"]) * hh ** g["slope"], "k--",
                 label=f"fit h^{g['slope']:.2f} ± {g['slope_se']:.2f}")
    a.set_xscale("log")
    a.set_yscale("log")
    a.set_xlabel("h")
    a.set_ylabel("|ensemble-mean bias of T∥|")
    a.set_title(f"γ=0 T∥ at t = {T_MAXWELL:g}: grazing bias vs h (expected order 2)", fontsize=8)
    a.legend(fontsize=6)
