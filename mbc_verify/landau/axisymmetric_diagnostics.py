"""Error levels of the axisymmetric solver's entropy, dissipation and Fisher information (claims C7, C8).

The solver (:mod:`.axisymmetric`) records the discrete entropy H_h = Σ_P ω f log f, the semi-discrete dissipation
D_h = -Σ_P ω log f Q_h(f) (P: the nodes where f > 0; round-off and spectral-truncation values ≲ 1e-11 max f in the
far tail can be ≤ 0) and the Fisher information I_h = 4 Σ ω |G√f|² (docs/spec.md eqs. (8)–(10)). The H-theorem
is not built into the scheme (:mod:`.axisymmetric_operator`), so a test of D ≥ 0 or of dH/dt ≤ 0 needs the size
of the errors. This module computes them state by state (docs/spec.md §1.3 for the exact identities).

**Conservation form.** Q_h conserves mass, axial momentum and energy to round-off and log M_f (M_f the Maxwellian
with the invariants of f, :func:`equilibrium_of`) is a combination of 1, v_z, |v|², so in exact arithmetic

    D_h = D̂_h - Σ_N ω log M_f Q_h(f),     D̂_h = -Σ_P ω log(f/M_f) Q_h(f)                              (a)

(N: the nodes where f ≤ 0). D̂_h (:func:`dissipation_error`) is the form that is tested: it does not add the
large tail values of |log f| ≈ |v|²/2T times the round-off-level tail values of Q_h.

**Operator error** (measured at the Maxwellian). The exact Q conserves too, so D̂_h - D = -Σ_P ω log(f/M_f) δQ(f),
δQ = Q_h - Q. δQ(f) is not known, but at the Maxwellian it is: Q(M) = 0 (docs/spec.md eq. (12)), so δQ(M_f) =
Q_h(M_f), the quadrature error of the coefficients (≈ 2e-12 of max M at the default resolution). Taking δQ(f) ≈
δQ(M_f) node by node,

    E_op(f) = Σ_P ω |log(f/M_f)| |Q_h(M_f)|.                                                                (b)

This is a model, exact at f = M_f and first order in f - M_f; it matters only near equilibrium, where D(f) itself
falls to the level of δQ (far from equilibrium D ≫ E_op).

**Round-off** (first-order bound). Evaluating Q_h(f) = half · Div(A·Gf - B f) with given coefficients A, B (their
own rounding is part of the operator error measured at M) rounds each entry of G x by at most (m + 3) ε (|G| |x|)
(a dot product of m = max(n_r, n_ξ) terms errs by ≤ m ε Σ|terms|; two more roundings for the parity split, one for
the metric factor) with |G| the gradient with the absolute values of its matrices (:func:`abs_grad`), likewise Div
(:func:`abs_div`); the flux adds 3 ε (|A G f| + |B f|), the conservation correction 2 ε |f| (|c₁| + |c₂| r). This
bounds |fl(Q_h(f)) - Q_h(f)| ≤ ρ_Q(f) node by node (:func:`rhs_roundoff`) and

    E_rd(f) = Σ_P ω [ |log(f/M_f)| ρ_Q + ε (|log f| + |log M_f|) |Q_h| ] + (log₂N + 3) ε Σ_P ω |log(f/M_f) Q_h|  (c)

(the rounding of the logarithms, and the pairwise sum of the N = n_r n_ξ products). Since D ≥ 0: D̂_h ≥ -(E_op + E_rd).

**Entropy per step** (:func:`entropy_budget`). dH_h/dt = Σ_P ω (log f + 1) Q_h = -D̂_h - Σ_N ω (log M_f + 1) Q_h by
(a) and mass conservation, so in exact arithmetic H_h rises at most at the rate

    E(f) = E_op + E_rd + E_N,    E_N = Σ_N ω (|log M_f| + 1) |Q_h(f)|.                                         (d)

A step also rounds: (i) the projection restores the invariants only up to the rounding of their sums,
(log₂N + 3) ε Σ ω |f log M_f| = V for each of the two states (H changes by Σ ω log M_f δf for such a δf);
(ii) H_h itself is rounded (the record's ``entropy_roundoff_bound`` R_H). With the larger value of E at the
two snapshots that bracket step j (the states between them are not recorded), step j may raise H_h by at most

    A_j = R + Δt_j max(E(f_k), E(f_{k+1})),   t_k < t_j ≤ t_{k+1},   R = R_H + 2 max_k V_k.               (e)

The time-discretisation error is not added: far from equilibrium a step lowers H by Δt D ≫ its local error
(rtol-controlled); near it the dynamics is the linearised, nearly symmetric (in L²(1/M)) operator, under which the
L-stable SDIRK4 (:mod:`.axisymmetric_stepper`) contracts every mode, so it lowers the quadratic H(f|M) as the exact
flow does. Measured: H at the snapshots changes by ≤ 2e-10 when rtol goes from 1e-7 to 1e-9 (bi-Maxwellians and
axial mixtures, γ = -3, -2, 1).
Integrated: dH_h/dt = -D_h + Σ_P ω Q_h = -D_h - Σ_N ω Q_h (mass conservation) for the recorded D_h, so
|H(t_end) - H(0) + ∫ D_h dt| ≤ t_end max_k E_N,k + steps · 2 max_k V_k + 2 R_H (``integral_allowance``), plus the
quadrature error of ∫ D_h dt over the snapshots (and the time error above).

**Fisher information and Dirichlet energy** (first-order round-off bounds). For J(g) = c Σ ω |G g|² (c = 4, g = √f:
I_h; c = 1, g = f: the Dirichlet energy ∫|∇f|², a negative control of claim C8 — convex and smooth like I, but not
a Lyapunov functional of the Landau equation), the rounding of G g is at most e = (m + 4) ε |G| |g| (one more
rounding for the square root), so |fl(J) - J| ≤ c Σ ω (2 |Gg| e + e²) + (log₂N + 5) ε J (:func:`quadratic_functional`,
:func:`functional_series`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..validation import check_choice
from .axisymmetric import TAIL_EXPONENT, AxialMixture, default_resolution, discretise, record_operator
from .axisymmetric_grid import AxisymmetricGrid
from .axisymmetric_operator import AxisymmetricOperator

__all__ = ["EPS", "abs_div", "abs_grad", "coarser", "dissipation_error", "entropy_budget", "equilibrium_of",
           "equilibrium_v_max", "functional_series", "maxwellian", "quadratic_functional",
           "relaxation_time", "rhs_roundoff"]

EPS = float(np.finfo(np.float64).eps)


def _flip(x: np.ndarray) -> np.ndarray:
    return x + x[:, ::-1]


def abs_grad(grid: AxisymmetricGrid, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """|G| x for x ≥ 0: :meth:`AxisymmetricGrid.grad` with absolute values of its matrices and factors, i.e.
    (½ (|D_e| + |D_o|)(x + x̃), (sin θ / r)(x |∂_ξ|ᵀ)), x̃ the ξ-reflected array."""
    radial = 0.5 * ((np.abs(grid.d_even) + np.abs(grid.d_odd)) @ _flip(x))
    angular = (grid.sin[None, :] / grid.r[:, None]) * (x @ np.abs(grid.d_xi).T)
    return radial, angular


def abs_div(grid: AxisymmetricGrid, x_r: np.ndarray, x_t: np.ndarray) -> np.ndarray:
    """|Div| (x_r, x_t) for x ≥ 0: :meth:`AxisymmetricGrid.div` with absolute values of its matrices."""
    r2 = grid.r[:, None] ** 2
    radial = 0.5 * ((np.abs(grid.d_even) + np.abs(grid.d_odd)) @ _flip(r2 * x_r)) / r2
    angular = (((grid.w * grid.sin)[None, :] * x_t) @ np.abs(grid.d_xi)) / (grid.w[None, :] * grid.r[:, None])
    return radial + angular


def equilibrium_of(op: AxisymmetricOperator, f: np.ndarray) -> np.ndarray:
    """M_f on the grid: the Maxwellian with the discrete mass, axial momentum and energy of f (:func:`maxwellian`)."""
    return maxwellian(op, op.moments(f))


def maxwellian(op: AxisymmetricOperator, target: np.ndarray) -> np.ndarray:
    """The Maxwellian N(u e_z, T) with mass, axial momentum and energy ``target`` = (Σ ω f, Σ ω v_z f, Σ ω |v|² f),
    sampled on the grid and projected onto them (:meth:`AxisymmetricOperator.project`)."""
    g = op.grid
    target = np.asarray(target, dtype=np.float64)
    u = target[1] / target[0]
    temp = (target[2] / target[0] - u * u) / 3.0
    q = g.r[:, None] ** 2 - 2.0 * u * g.v_z() + u * u
    m = target[0] * (2.0 * math.pi * temp) ** -1.5 * np.exp(-q / (2.0 * temp))
    return op.project(m, target)


def rhs_roundoff(op: AxisymmetricOperator, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(Q_h(f), ρ_Q(f)): the operator and the first-order bound of its rounding at every node (module docstring)."""
    g = op.grid
    c = op.coefficients(f)
    q = op.rhs(f, c)
    c1, c2 = (abs(float(x)) for x in op.last_correction)
    m = max(g.n_r, g.n_xi) + 3
    g_r, g_t = g.grad(f)
    e_r, e_t = (m * EPS * x for x in abs_grad(g, np.abs(f)))
    fric = abs(op.friction)
    size_r = np.abs(c.a_rr * g_r) + np.abs(c.a_rt * g_t) + fric * np.abs(c.b_r * f)
    size_t = np.abs(c.a_rt * g_r) + np.abs(c.a_tt * g_t) + fric * np.abs(c.b_t * f)
    corr = 2.0 * EPS * np.abs(f) * (c1 + c2 * g.r[:, None])
    err_r = np.abs(c.a_rr) * e_r + np.abs(c.a_rt) * e_t + 3.0 * EPS * size_r + corr
    err_t = np.abs(c.a_rt) * e_r + np.abs(c.a_tt) * e_t + 3.0 * EPS * size_t + corr
    bound = abs(op.half) * (abs_div(g, err_r, err_t) + m * EPS * abs_div(g, size_r + corr, size_t + corr))
    return q, bound + EPS * np.abs(q)


def dissipation_error(op: AxisymmetricOperator, f: np.ndarray) -> dict[str, float]:
    """The dissipation D̂_h of f in conservation form and its error terms (module docstring, (a)–(d)).

    Keys: ``dissipation`` D̂_h; ``operator_error`` E_op; ``roundoff`` E_rd; ``bound`` E_op + E_rd (D̂_h ≥ -bound);
    ``excluded`` E_N; ``log_ratio_l1`` L = Σ_P ω |log(f/M_f)|; ``invariant_rounding`` (log₂N + 3) ε Σ ω |f log M_f|;
    ``equilibrium_residual`` max |Q_h(M_f)| / max M_f.
    """
    g = op.grid
    pos = f > 0.0
    logf = np.log(np.where(pos, f, 1.0))
    m = equilibrium_of(op, f)
    logm = np.log(m)
    qm = op.rhs(m)
    q, rho = rhs_roundoff(op, f)
    w = np.where(pos, g.omega, 0.0)
    rel = logf - logm
    sums = (math.log2(f.size) + 3.0) * EPS
    e_op = float(np.sum(w * np.abs(rel) * np.abs(qm)))
    e_rd = (float(np.sum(w * (np.abs(rel) * rho + EPS * (np.abs(logf) + np.abs(logm)) * np.abs(q))))
            + sums * float(np.sum(w * np.abs(rel * q))))
    return {"dissipation": -float(np.sum(w * rel * q)), "operator_error": e_op, "roundoff": e_rd,
            "bound": e_op + e_rd,
            "excluded": float(np.sum(np.where(pos, 0.0, g.omega * (np.abs(logm) + 1.0) * np.abs(q)))),
            "log_ratio_l1": float(np.sum(w * np.abs(rel))),
            "invariant_rounding": sums * float(np.sum(g.omega * np.abs(f * logm))),
            "equilibrium_residual": float(np.max(np.abs(qm)) / np.max(m))}


def _states(record: dict[str, Any]) -> list[np.ndarray]:
    if "states" not in record:
        raise ValueError("record: has no 'states'; run solve_axisymmetric with keep_states=True")
    return [np.array(s, dtype=np.float64) for s in record["states"]]


def entropy_budget(record: dict[str, Any]) -> dict[str, Any]:
    """The entropy audit of a :func:`~.axisymmetric.solve_axisymmetric` run with ``keep_states=True``
    (module docstring (a)–(e)): per snapshot the :func:`dissipation_error` terms (lists under their keys), per
    step the increase ΔH_j (``step_increase``) and its allowance A_j (``step_allowance``), per snapshot the rate
    bound E (``rate_bound``), the run's ``step_floor`` R and ``integral_allowance`` for H(t_end) - H(0) + ∫ D_h dt
    (without the quadrature)."""
    op = record_operator(record)
    per = [dissipation_error(op, f) for f in _states(record)]
    out: dict[str, Any] = {key: [p[key] for p in per] for key in per[0]}
    rate = np.array([p["bound"] + p["excluded"] for p in per])
    rounding = float(record["entropy_roundoff_bound"])
    invariants = 2.0 * max(p["invariant_rounding"] for p in per)
    step_times = np.asarray(record["step_times"])
    interval = np.searchsorted(np.asarray(record["times"]), step_times[1:], side="left") - 1
    bracket = np.maximum(rate[interval], rate[interval + 1])
    increase = np.diff(np.asarray(record["step_entropy"]))
    allowance = rounding + invariants + np.diff(step_times) * bracket
    out.update(step_increase=increase.tolist(), step_allowance=allowance.tolist(), rate_bound=rate.tolist(),
               step_floor=rounding + invariants,
               integral_allowance=(record["t_end"] * max(p["excluded"] for p in per) + record["steps"] * invariants
                                   + 2.0 * rounding))
    return out


def quadratic_functional(grid: AxisymmetricGrid, x: np.ndarray, factor: float) -> tuple[float, float]:
    """(J, bound of its rounding) for J = factor · Σ ω |G x|² (module docstring)."""
    g_r, g_t = grid.grad(x)
    m = max(grid.n_r, grid.n_xi) + 4
    e_r, e_t = (m * EPS * y for y in abs_grad(grid, np.abs(x)))
    value = factor * grid.integrate(g_r ** 2 + g_t ** 2)
    first = factor * grid.integrate(2.0 * (np.abs(g_r) * e_r + np.abs(g_t) * e_t) + e_r ** 2 + e_t ** 2)
    return value, first + (math.log2(x.size) + 5.0) * EPS * abs(value)


def functional_series(record: dict[str, Any], functional: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, rounding bounds) at the snapshots of a ``keep_states=True`` record: ``functional`` "fisher"
    (I_h = 4 Σ ω |G√f|², negative values of f counted as 0: the record's ``fisher``) or "dirichlet" (Σ ω |G f|²)."""
    functional = check_choice("functional", functional, ("fisher", "dirichlet"))
    grid = record_operator(record).grid
    pairs = [quadratic_functional(grid, np.sqrt(np.maximum(f, 0.0)), 4.0) if functional == "fisher"
             else quadratic_functional(grid, f, 1.0) for f in _states(record)]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def relaxation_time(gamma: float, init: Any, **resolution: Any) -> float:
    """τ = H(f₀ | M) / D(f₀): the initial relative entropy ∫ f₀ log(f₀/M) over the initial dissipation D̂_h(f₀), on
    the grid of :func:`~.axisymmetric.solve_axisymmetric` for ``init`` and the ``resolution`` keywords (n_r, v_max,
    n_xi, kernel)."""
    _, op, f0 = discretise(gamma, init, **resolution)
    m = equilibrium_of(op, f0)
    pos = f0 > 0.0
    rel = float(np.sum(np.where(pos, op.grid.omega * f0 * np.log(np.where(pos, f0, 1.0) / m), 0.0)))
    return rel / dissipation_error(op, f0)["dissipation"]


def equilibrium_v_max(init: Any) -> float:
    """v_max of :func:`~.axisymmetric.default_resolution`, raised for an :class:`~.axisymmetric.AxialMixture` to
    √(2 · TAIL_EXPONENT · T_eq) (T_eq = energy/3, the equilibrium temperature) so that the Maxwellian the run relaxes
    to is resolved as well (drifting beams: T_eq exceeds every component temperature)."""
    v_max = default_resolution(init)[1]
    if isinstance(init, AxialMixture):
        v_max = max(v_max, math.sqrt(2.0 * TAIL_EXPONENT * init.energy / 3.0))
    return v_max


def coarser(record: dict[str, Any], factor: float = 0.75, rtol_factor: float = 10.0) -> dict[str, Any]:
    """Resolution keywords of the coarse partner of a run for a Richardson allowance: ⌈factor · n_r⌉ speeds and
    ⌈factor · n_ξ⌉ nodes on the same (0, v_max), tolerance rtol_factor · rtol — coarser in every resolution
    parameter, so that under monotone convergence the fine run's error is at most the coarse–fine difference."""
    return {"n_r": math.ceil(factor * record["n_r"]), "n_xi": math.ceil(factor * record["n_xi"]),
            "v_max": record["v_max"], "rtol": rtol_factor * record["rtol"], "kernel": record["kernel"]}
