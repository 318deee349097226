"""Particle runs of the accuracy-per-cost study: T∥(t) of many replicas of one method at one time step.

Setting (docs/spec.md §1, §4.3): γ = −3 (Coulomb), initial data ``bimaxwellian:2,0.5`` (T∥ = 2, T⊥ = ½), the
observable T∥(t) = M_zz(t) = (1/N) Σ_i v_iz² on the snapshot grid t ∈ {0, ¼, ½, …, T} of the stored reference
``reference/axisymmetric_tpar.json`` (the converged axisymmetric Landau solver, error ≈ 10⁻¹⁰ — never a Monte Carlo
reference). All methods share the normalisation of docs/spec.md eq. (1) (with its ½) and the random matching of
eq. (53); they differ in the pair law: the fast MBC engine (§5.4, eqs. (53)–(55), grazing parameter h) and the
baselines of §5.6 — Takizuka–Abe [TA77] eq. (64), Nanbu [Nan97] eq. (65), spherical Brownian motion [DLXY25]
eq. (66) (references in docs/references.md).

**Common random numbers.** Replica r of a study starts from the moment-matched state :func:`moment_matched` with the
seed s_r (:func:`mbc_verify.mbc.ensemble.replica_seeds`) and runs its dynamics with the same seed s_r, for every time
step of a method: the paired differences between Δt levels cancel the initial-sample noise (the design of Dimits
et al. [Dim09] and Cohen et al. [Coh10], whose warning is that noise is easily mistaken for time-step error).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.interpolate import CubicSpline

from mbc_verify.mbc.api import engine_for
from mbc_verify.mbc.engines import Engine
from mbc_verify.mbc.ensemble import replica_seeds
from mbc_verify.mbc.initial import sample_initial
from mbc_verify.runspec import RunSpec

GAMMA = -3.0
INIT = "bimaxwellian:2,0.5"
T_PERP, T_PAR = 0.5, 2.0
REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "axisymmetric_tpar.json"


@dataclass(frozen=True)
class Method:
    """A particle method: its label, the engine name and, for the fast MBC engine, the grazing parameter h."""

    label: str
    engine: str
    h: float | None = None


METHODS: tuple[Method, ...] = (
    Method("fast MBC h=0.05", "fast", 0.05), Method("fast MBC h=0.1", "fast", 0.1),
    Method("fast MBC h=0.3", "fast", 0.3), Method("takizuka_abe", "takizuka_abe"), Method("nanbu", "nanbu"),
    Method("spherical_bm", "spherical_bm"),
)
"""The methods compared: the issue's fast engine at h ∈ {0.05, 0.1, 0.3} and the three baselines."""


def reference_tpar(t_end: float) -> tuple[np.ndarray, np.ndarray, float]:
    """(times, T∥_ref(times), max error estimate) of the stored axisymmetric reference on [0, t_end]
    (t_end a multiple of its snapshot spacing ¼)."""
    ref = json.loads(REFERENCE.read_text())
    if ref["init"] != INIT or ref["gamma"] != GAMMA:
        raise ValueError(f"reference: {REFERENCE} is not the γ = {GAMMA}, {INIT} reference")
    times = np.asarray(ref["times"])
    keep = times <= t_end * (1 + 1e-12)
    if not np.isclose(times[keep][-1], t_end):
        raise ValueError(f"t_end: must be a snapshot time of the reference (spacing {times[1]:g}), got {t_end}")
    err = float(np.max(np.asarray(ref["tpar"]["error"])[keep]))
    return times[keep], np.asarray(ref["tpar"]["value"])[keep], err


def reference_slope(t: float) -> float:
    """dT∥_ref/dt at t: the derivative of the cubic spline through the whole stored reference (t ∈ [0, 5], spacing
    ¼; the interpolation error of the derivative, O(¼³) relative to the curve's third derivative, is far below the
    uses of this slope)."""
    ref = json.loads(REFERENCE.read_text())
    return float(CubicSpline(ref["times"], ref["tpar"]["value"])(t, 1))


def moment_matched(n: int, seed: int) -> np.ndarray:
    """``bimaxwellian:2,0.5`` particles whose empirical second moment is exactly diag(T⊥, T⊥, T∥) = diag(½, ½, 2).

    The docs/spec.md §8 sample (zero momentum, exact energy), whitened by the Cholesky factor of its second moment
    and rescaled per axis: T∥(0) and T⊥(0) are exact, so the initial-sampling noise of T∥(0) (std ≈ 2.8/√N)
    vanishes; what remains is the noise of the dynamics and of the sample's higher moments.
    """
    v = sample_initial(INIT, n, seed)
    chol = np.linalg.cholesky(v.T @ v / n)
    return np.ascontiguousarray(np.linalg.solve(chol, v.T).T * np.sqrt([T_PERP, T_PERP, T_PAR]))


def prepare(method: Method, n: int, dt: float, t_end: float, replicas: int) -> Engine:
    """The validated, prepared engine of ``method`` for N = n, step dt, horizon t_end (RunSpec checks every bound)."""
    spec = RunSpec.build(gamma=GAMMA, n=n, t_end=t_end, engine=method.engine, h=method.h, dt=dt,
                         init=np.zeros((n, 3)), replicas=replicas)
    return engine_for(spec)


def advance_tpar(engine: Engine, v: np.ndarray, seeds: np.ndarray, times: np.ndarray, dt: float) -> np.ndarray:
    """T∥ (R × K) of the R systems ``v`` (R × N × 3, advanced in place) at ``times``; segment k keyed (s_r, k)."""
    out = np.empty((v.shape[0], times.size))
    out[:, 0] = np.mean(v[:, :, 2] ** 2, axis=1)
    jumps = np.zeros(v.shape[0], dtype=np.int64)
    for k in range(1, times.size):
        engine.advance(v, seeds, k, float(times[k - 1]), float(times[k]), dt, jumps)
        out[:, k] = np.mean(v[:, :, 2] ** 2, axis=1)
    if not np.all(np.isfinite(out)):
        raise ArithmeticError("T_par: a run produced a non-finite temperature")
    return out


def ensemble_tpar(method: Method, dts: tuple[float, ...], n: int, replicas: int, times: np.ndarray, seed: int,
                  block: int = 32) -> tuple[np.ndarray, float]:
    """T∥ samples (len(dts) × R × K) of ``replicas`` common-random-number replicas (module docstring) at every
    step of ``dts``, and the wall seconds spent. Replicas run in blocks of ``block`` (parallel over replicas)."""
    out = np.empty((len(dts), replicas, times.size))
    engines = [prepare(method, n, dt, float(times[-1]), min(block, replicas)) for dt in dts]
    start = time.perf_counter()
    for r0 in range(0, replicas, block):
        seeds = replica_seeds(seed, r0, min(r0 + block, replicas))
        v0 = np.stack([moment_matched(n, int(s)) for s in seeds])
        for i, (eng, dt) in enumerate(zip(engines, dts, strict=True)):
            out[i, r0:r0 + seeds.size] = advance_tpar(eng, v0.copy(), seeds, times, dt)
    return out, time.perf_counter() - start


def timed_run(engine: Engine, v0: np.ndarray, seed: int, times: np.ndarray, dt: float) -> tuple[np.ndarray, float]:
    """(T∥ at ``times``, wall seconds) of ONE run from a copy of ``v0`` (N × 3): the cost a user pays per run
    (for N ≥ 4096 the pairs of a step run in parallel blocks, docs/spec.md §5.4). The engine is prepared
    beforehand, as once per session; the moment matching is not timed."""
    v = v0.copy()[None]
    start = time.perf_counter()
    tpar = advance_tpar(engine, v, np.array([seed], dtype=np.int64), times, dt)[0]
    return tpar, time.perf_counter() - start
