"""Implicit time stepping of df/dt = Q(f) for the axisymmetric Landau solver.

**Method.** The 5-stage, order-4, L-stable, stiffly accurate SDIRK of Hairer & Wanner (*Solving Ordinary
Differential Equations II*, 2nd ed., Springer 1996, §IV.6, Table 6.5; γ = 1/4, with the embedded order-3
solution b̂); the order conditions up to order 4 (3 for b̂) are checked in the tests with exact fractions.

**Stage equations** F_i = f_n + Δt Σ_{j<i} a_ij K_j + ¼Δt Q(F_i), K_i = (F_i - f_n - Δt Σ_{j<i} a_ij K_j)/(¼Δt), by
a simplified Newton iteration whose Jacobian is the frozen operator L[f_n] (coefficients of f_n, the stiff part of
Q' — the neglected part, the variation of the coefficients, is a smooth integral operator, which costs a
contraction factor ≈ 0.04 per iteration at Δt = 0.25, γ = -3); the linear systems (I - ¼Δt L) δ = -R by
GMRES (scipy) with the mode-diagonal preconditioner of :meth:`AxisymmetricOperator.block_inverses`, to a relative
residual ``GMRES_RTOL``. Newton stops when max|δ| ≤ ``newton_tol`` · max|f_n|.

**Exact conservation.** After each Newton update the stage value is projected back onto the invariant manifold
(:meth:`AxisymmetricOperator.project`: mass, axial momentum and energy equal to those of f_n) — a change of the
size of the Newton and GMRES residuals. Since the method is stiffly accurate, f_{n+1} = F_5 has the invariants of
f_n to round-off, step after step.

**Step size.** Fixed (``dt``), or adaptive: the embedded error Δt Σ (b_j - b̂_j) K_j, filtered by the
preconditioner (Shampine's filter (I - γΔt J)⁻¹, which removes the stiff components that the non-L-stable
embedded solution gets wrong; Hairer & Wanner IV.8), in max norm relative to max|f_n|, must be ≤ ``rtol``;
Δt_new = Δt · clip(0.9 (rtol/err)^(1/4), 0.2, 4). Steps end exactly on the output times.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from scipy.sparse.linalg import LinearOperator, gmres

from .axisymmetric_operator import AxisymmetricOperator

__all__ = ["SDIRK4_A", "SDIRK4_B_EMBEDDED", "StepStats", "integrate", "sdirk4_step"]

_Q = Fraction
#: Butcher matrix of the order-4 SDIRK (b = last row, stiffly accurate), exact fractions
SDIRK4_A_EXACT = (
    (_Q(1, 4), 0, 0, 0, 0),
    (_Q(1, 2), _Q(1, 4), 0, 0, 0),
    (_Q(17, 50), _Q(-1, 25), _Q(1, 4), 0, 0),
    (_Q(371, 1360), _Q(-137, 2720), _Q(15, 544), _Q(1, 4), 0),
    (_Q(25, 24), _Q(-49, 48), _Q(125, 16), _Q(-85, 12), _Q(1, 4)),
)
SDIRK4_B_EMBEDDED_EXACT = (_Q(59, 48), _Q(-17, 96), _Q(225, 32), _Q(-85, 12), _Q(0))
SDIRK4_A = np.array([[float(x) for x in row] for row in SDIRK4_A_EXACT])
SDIRK4_B_EMBEDDED = np.array([float(x) for x in SDIRK4_B_EMBEDDED_EXACT])
DIAG = 0.25
GMRES_RTOL = 1e-3
MAX_NEWTON = 30


@dataclass
class StepStats:
    """Counters of an integration."""

    steps: int = 0
    rejected: int = 0
    newton: int = 0
    gmres: int = 0
    max_correction: float = 0.0
    step_times: list[float] = field(default_factory=list)


class NewtonFailure(RuntimeError):
    """The simplified Newton iteration of a stage did not converge."""


def sdirk4_step(op: AxisymmetricOperator, f: np.ndarray, dt: float, newton_tol: float,
                stats: StepStats) -> tuple[np.ndarray, float]:
    """One SDIRK4 step of size dt from f; returns (f_new, filtered error estimate relative to max|f|)."""
    shape = f.shape
    target = op.moments(f)
    coef = op.coefficients(f)
    gdt = DIAG * dt
    inv = op.block_inverses(coef, gdt)
    n = f.size

    def count(_: object) -> None:
        stats.gmres += 1

    jac = LinearOperator((n, n), matvec=lambda v: v - gdt * op.frozen(coef, v.reshape(shape)).ravel())
    pre = LinearOperator((n, n), matvec=lambda v: op.apply_blocks(inv, v.reshape(shape)).ravel())
    scale = float(np.max(np.abs(f)))
    ks: list[np.ndarray] = []
    q0 = op.rhs(f, coef)
    for i in range(5):
        base = f + dt * sum((SDIRK4_A[i, j] * ks[j] for j in range(i)), np.zeros(shape))
        stage = base + gdt * (ks[-1] if ks else q0)
        for iteration in range(1, MAX_NEWTON + 1):
            stats.newton += 1
            res = stage - base - gdt * op.rhs(stage)
            stats.max_correction = max(stats.max_correction, float(np.max(np.abs(op.last_correction))))
            delta, _ = gmres(jac, -res.ravel(), M=pre, rtol=GMRES_RTOL, atol=0.0, restart=20, maxiter=5,
                             callback=count, callback_type="pr_norm")
            stage = op.project(stage + delta.reshape(shape), target)
            if float(np.max(np.abs(delta))) <= newton_tol * scale:
                break
            if iteration == MAX_NEWTON:
                raise NewtonFailure(f"dt: Newton did not converge in {MAX_NEWTON} iterations at dt={dt!r}")
        ks.append((stage - base) / gdt)
    err = dt * sum(((SDIRK4_A[4, j] - SDIRK4_B_EMBEDDED[j]) * ks[j] for j in range(5)), np.zeros(shape))
    return stage, float(np.max(np.abs(op.apply_blocks(inv, err)))) / scale


def integrate(op: AxisymmetricOperator, f0: np.ndarray, times: np.ndarray, *, rtol: float, dt: float | None,
              newton_tol: float, record: Callable[[int, np.ndarray], None],
              on_step: Callable[[float, np.ndarray], None] | None = None) -> StepStats:
    """Integrate from f0 at times[0] through ``times``, calling record(k, f) at each output time (k = 0 first).

    ``dt``: fixed step (each output interval cut into equal steps ≤ dt) or None (adaptive, ``rtol``).
    ``on_step(t, f)`` after every accepted step.
    """
    stats = StepStats()
    f = f0
    record(0, f)
    scale = float(np.max(np.abs(op.rhs(f)))) / float(np.max(np.abs(f)))
    h = 0.01 * min(float(times[1] - times[0]), 1.0 / max(scale, 1e-300))
    for k in range(1, len(times)):
        t, target = float(times[k - 1]), float(times[k])
        if dt is not None:
            n_sub = max(1, math.ceil((target - t) / dt * (1 - 1e-12)))
            for s in range(n_sub):
                f, _ = sdirk4_step(op, f, (target - t) / n_sub, newton_tol, stats)
                stats.steps += 1
                _after(stats, on_step, t + (s + 1) * (target - t) / n_sub if s < n_sub - 1 else target, f)
        else:
            f, h = _adaptive_interval(op, f, t, target, h, rtol, newton_tol, stats, on_step)
        record(k, f)
    return stats


def _after(stats: StepStats, on_step: Callable[[float, np.ndarray], None] | None, t: float, f: np.ndarray) -> None:
    stats.step_times.append(t)
    if on_step is not None:
        on_step(t, f)


def _adaptive_interval(op: AxisymmetricOperator, f: np.ndarray, t: float, target: float, h: float, rtol: float,
                       newton_tol: float, stats: StepStats,
                       on_step: Callable[[float, np.ndarray], None] | None) -> tuple[np.ndarray, float]:
    """Adaptive steps from t to target; returns (f(target), proposed next step)."""
    while t < target:
        step = min(h, target - t)
        last = step >= target - t
        try:
            f_new, err = sdirk4_step(op, f, step, newton_tol, stats)
        except NewtonFailure:
            f_new, err = f, math.inf
        if err <= rtol:
            f, t = f_new, (target if last else t + step)
            stats.steps += 1
            _after(stats, on_step, t, f)
        else:
            stats.rejected += 1
        factor = 0.2 if not math.isfinite(err) else min(4.0, max(0.2, 0.9 * (rtol / max(err, 1e-300)) ** 0.25))
        # an accepted step shortened to hit the output time does not shrink the proposal
        h = max(h, step * factor) if (err <= rtol and step < h) else step * factor
        if h < 1e-12 * max(1.0, abs(target)):
            raise RuntimeError(f"rtol: the step size fell below 1e-12 at t = {t:.6g}; the run is not resolvable")
    return f, h
