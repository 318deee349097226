"""Exact Maxwell-molecule (γ = 0) dynamics of the Landau equation (docs/spec.md §1 with its ½, §4, claim C12).

Closed moment equations (mass 1, zero momentum; rates from the sympy derivations of proofs_checks, read through
:mod:`mbc_verify.derived`, never typed in here):

    dM/dt = α tr(M) I + β M                    (keys ``maxwell.second_moment_alpha``, ``..._beta``)
    d m4/dt = R(m4, E, M2),  E = tr M, M2 = tr(M²), m4 = ∫|v|⁴ f     (key ``maxwell.moment4_rhs``, linear in m4)

Exact solutions: with c = 3α + β,  tr M(t) = tr M₀ e^{ct} and

    M(t) = e^{βt} M₀ + (tr M₀ / 3)(e^{ct} - e^{βt}) I,
    M_kk(t) = −αE/β + (M_kk(0) + αE/β) e^{βt}   when the energy E = tr M is conserved (c = 0; any rates α, β of
                                               this closed form, e.g. the finite-h MBC ones ``mbc.gamma0.*_h``),
    m4(t) = e^{κt} m4(0) + ∫₀ᵗ e^{κ(t-s)} R(0, E(s), M2(s)) ds,   κ = ∂R/∂m4,

the integral done symbolically by sympy (sums of exponentials) once and cached.

BKW solution (docs/spec.md §4): f_t(v) = (2πK)^{-3/2} e^{-|v|²/(2K)} (A(K) + B(K)|v|²/K) at K = K(t) (keys ``bkw.A``,
``bkw.B``, ``bkw.K``); its moments from the Gaussian moments E|v|^{2k} = K^k (2k+1)!! for N(0, K I) in R³,
its entropy ∫ f log f and Fisher information ∫ |∇f|²/f by adaptive quadrature in r (relative accuracy ~1e-13).
:func:`initial_fisher` gives the Fisher information of the initial data with a finite one (Gaussians, BKW).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import sympy as sp
from scipy import integrate

from ..initial import bkw_coefficients, parse_init
from ..mutants import MAXWELL_RATES, check_mutant, defect
from ..validation import check_array, check_gamma, check_int, check_nonnegative, check_positive, check_real
from .densities import bkw_radial

__all__ = ["bkw_density", "bkw_k", "bkw_moment4", "bkw_entropy", "bkw_fisher", "bkw_solution", "initial_fisher",
           "moment4_exact", "moment4_rhs", "second_moment_diagonal", "second_moment_exact", "second_moment_rates",
           "second_moment_solution", "solve_maxwell"]


def _derived():  # noqa: ANN202 — the derived-constants module of proofs_checks, imported when first needed
    from .. import derived

    return derived


def _clock(t: np.ndarray | float, mutant: str | None) -> np.ndarray:
    """The time at which the exact solutions are evaluated: t, or t(1 + ε) under the ``maxwell_rates`` defect.

    Every rate of the closed γ = 0 dynamics (α, β, the fourth-moment ODE, K(t) of BKW) is proportional to the
    collision operator's constant, so multiplying all of them by 1 + ε is exactly the time change t → t(1 + ε).
    """
    d = defect(check_mutant(mutant), "maxwell")
    t = np.asarray(t, dtype=np.float64)
    return t * (1.0 + d.amp) if d.code == MAXWELL_RATES else t


@cache
def second_moment_rates() -> tuple[float, float]:
    """(α, β) of dM/dt = α tr(M) I + β M (derived keys ``maxwell.second_moment_alpha/beta``)."""
    d = _derived()
    return d.number("maxwell.second_moment_alpha"), d.number("maxwell.second_moment_beta")


def second_moment_solution(m0: np.ndarray, t: np.ndarray | float, alpha: float, beta: float) -> np.ndarray:
    """The solution of dM/dt = α tr(M) I + β M from M(0) = m0, for any rates (α, β):

        M(t) = e^{βt} m0 + (tr m0/3)(e^{ct} − e^{βt}) I,   c = 3α + β

    (tr M solves d tr M/dt = c tr M). The Landau rates give :func:`second_moment_exact`; the finite-h rates of the
    γ = 0 MBC process (:func:`mbc_verify.mbc.moment_equations.second_moment_rates`) give E[M(t) | M(0)] for the
    particles. ``m0``: shape B + (3, 3) (a batch of initial matrices), ``t``: shape T → shape B + T + (3, 3).
    """
    m0 = check_array("m0", m0, finite=False)
    if m0.ndim < 2 or m0.shape[-2:] != (3, 3):
        raise ValueError(f"m0: must have shape (..., 3, 3), got {m0.shape}")
    t = np.asarray(t, dtype=np.float64)
    c = 3.0 * alpha + beta
    eb = np.exp(beta * t)[..., None, None]
    ec = np.exp(c * t)[..., None, None]
    batch = m0.shape[:-2] + (1,) * t.ndim
    tr = np.trace(m0, axis1=-2, axis2=-1).reshape(batch + (1, 1))
    return eb * m0.reshape(batch + (3, 3)) + tr / 3.0 * (ec - eb) * np.eye(3)


def second_moment_exact(m0: np.ndarray, t: np.ndarray | float, mutant: str | None = None) -> np.ndarray:
    """M(t) = e^{βt} M₀ + (tr M₀/3)(e^{ct} - e^{βt}) I, c = 3α + β, at the Landau rates; shape t.shape + (3, 3).

    ``mutant``: a ``maxwell_rates:EPS`` defect multiplies α and β by 1 + ε.
    """
    return second_moment_solution(check_array("m0", m0, (3, 3)), _clock(t, mutant), *second_moment_rates())


def second_moment_diagonal(alpha: float, beta: float, energy: float, m0: np.ndarray | float,
                           t: float) -> np.ndarray:
    """A diagonal entry m = M_kk(t) of dM/dt = α tr(M) I + β M at conserved energy tr M = E: the solution of
    dm/dt = α E + β m, m(t) = −αE/β + (m0 + αE/β) e^{βt} (elementwise in ``m0``, e.g. one M_kk(0) per replica).

    With the Landau rates (:func:`second_moment_rates`) it is the (k, k) entry of :func:`second_moment_exact`
    (3α + β = 0); with the finite-h MBC rates (derived keys ``mbc.gamma0.alpha_h``, ``mbc.gamma0.beta_h``) it is
    E[M_kk(t) | V_0] of the MBC process at γ = 0, any N (claim C4).
    """
    beta = check_real("beta", beta)
    if beta == 0.0:
        raise ValueError("beta: must be non-zero (the relaxation rate of the closed second moment), got 0.0")
    fixed = -check_real("alpha", alpha) * check_real("energy", energy) / beta
    return fixed + (np.asarray(m0, dtype=np.float64) - fixed) * math.exp(beta * check_real("t", t))


@cache
def _moment4_symbolic() -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    """m4(t) in symbols (t, m40, E0, S0) with S0 = tr(M₀²), from the derived ODE (see module docstring)."""
    d = _derived()
    rhs = d.expr("maxwell.moment4_rhs")
    sym = {s.name: s for s in rhs.free_symbols}
    m4, e_s, m2_s = (sym.get(n, sp.Symbol(n)) for n in ("m4", "E", "M2"))
    alpha = sp.nsimplify(d.expr("maxwell.second_moment_alpha"))
    beta = sp.nsimplify(d.expr("maxwell.second_moment_beta"))
    t, s, m40, e0, s0 = sp.symbols("t s m40 E0 S0", real=True)
    c = 3 * alpha + beta
    kappa = sp.diff(rhs, m4)
    if sp.diff(kappa, m4) != 0 or kappa.free_symbols:
        raise RuntimeError("maxwell.moment4_rhs is not linear in m4 with a constant coefficient")
    # M(s) = e^{βs} M0 + q(s) I, q = (E0/3)(e^{cs} - e^{βs}):  tr M(s)² = e^{2βs} S0 + 2 q e^{βs} E0 + 3 q²
    q = e0 / 3 * (sp.exp(c * s) - sp.exp(beta * s))
    m2_of_s = sp.exp(2 * beta * s) * s0 + 2 * q * sp.exp(beta * s) * e0 + 3 * q ** 2
    forcing = sp.expand(rhs.subs(m4, 0).subs({e_s: e0 * sp.exp(c * s), m2_s: m2_of_s}))
    integral = sp.integrate(sp.expand(sp.exp(kappa * (t - s)) * forcing), (s, 0, t), conds="none")
    sol = sp.exp(kappa * t) * m40 + integral
    return sp.simplify(sol), (t, m40, e0, s0)


@cache
def _moment4_function() -> Callable[..., Any]:
    expr, syms = _moment4_symbolic()
    return sp.lambdify(syms, expr, "numpy")


def moment4_exact(m0: np.ndarray, m40: float, t: np.ndarray | float, mutant: str | None = None) -> np.ndarray:
    """Exact ∫|v|⁴ f at times t for γ = 0 from M(0) = m0 and ∫|v|⁴ f(0) = m40 (``mutant`` as in
    :func:`second_moment_exact`)."""
    m0 = check_array("m0", m0, (3, 3))
    t = np.asarray(t, dtype=np.float64)
    val = _moment4_function()(_clock(t, mutant), float(m40), float(np.trace(m0)), float(np.trace(m0 @ m0)))
    return np.broadcast_to(np.asarray(val, dtype=np.float64), t.shape).copy()


def moment4_rhs(m4: float, e: float, m2: float) -> float:
    """R(m4, E, M2) of d m4/dt (derived key ``maxwell.moment4_rhs``)."""
    return float(_derived().function("maxwell.moment4_rhs", "m4", "E", "M2")(m4, e, m2))


# --- BKW --------------------------------------------------------------------------------------------------


def bkw_k(k0: float, t: np.ndarray | float, mutant: str | None = None) -> np.ndarray:
    """K(t) of the BKW solution from K(0) = k0 (derived key ``bkw.K`` in symbols K0, t; ``mutant`` as in
    :func:`second_moment_exact`)."""
    bkw_coefficients(k0, "K0")
    fn = _derived().function("bkw.K", "K0", "t")
    t = _clock(t, mutant)
    return np.asarray(np.vectorize(lambda x: float(fn(k0, x)))(t), dtype=np.float64)


def bkw_density(k0: float, t: float, v: np.ndarray) -> np.ndarray:
    """f(t, v) of the BKW solution from K(0) = k0: the BKW density at K(t), velocities of shape (..., 3)."""
    v = check_array("v", v)
    if v.ndim == 0 or v.shape[-1] != 3:
        raise ValueError(f"v: must have shape (..., 3), got {v.shape}")
    k = float(bkw_k(k0, check_nonnegative("t", t)))
    return bkw_radial(k, np.sqrt(np.sum(v * v, axis=-1)))


def bkw_moment4(k: float) -> float:
    """∫|v|⁴ f of the BKW density at K: A·15K² + (B/K)·105K³ (Gaussian moments of N(0, K I) in R³)."""
    a, b = bkw_coefficients(k)
    return a * 15.0 * k ** 2 + b * 105.0 * k ** 2


def _bkw_parts(k: float) -> tuple[float, float, float]:
    a, b = bkw_coefficients(k)
    return a, b, (2.0 * math.pi * k) ** -1.5


def bkw_entropy(k: float) -> float:
    """H = ∫ f log f of the BKW density at K, by adaptive quadrature 4π∫ F log F r² dr."""
    a, b, g0 = _bkw_parts(k)

    def integrand(r: float) -> float:
        poly = a + b * r * r / k
        if poly <= 0.0:
            return 0.0
        f = g0 * math.exp(-r * r / (2.0 * k)) * poly
        return 4.0 * math.pi * r * r * f * (math.log(g0) - r * r / (2.0 * k) + math.log(poly))

    return _quad(integrand, k)


def bkw_fisher(k: float) -> float:
    """I = ∫ |∇f|²/f of the BKW density at K: 4π∫ F'(r)²/F r² dr with F' in closed form, by quadrature."""
    a, b, g0 = _bkw_parts(k)

    def integrand(r: float) -> float:
        poly = a + b * r * r / k
        g = g0 * math.exp(-r * r / (2.0 * k))
        dpoly = -r / k * poly + 2.0 * b * r / k  # F' = G (dpoly)
        if poly <= 0.0:  # A = 0: F = G B r²/K and F'²/F = G B (2 - r²/K)² / K
            return 4.0 * math.pi * r * r * g * b * (2.0 - r * r / k) ** 2 / k
        return 4.0 * math.pi * r * r * g * dpoly * dpoly / poly

    return _quad(integrand, k)


def _quad(fn: Callable[[float], float], k: float) -> float:
    hi = math.sqrt(2.0 * k * 800.0)  # e^{-r²/(2K)} < e^{-800}: below the float64 range
    val, _ = integrate.quad(fn, 0.0, hi, epsabs=0.0, epsrel=1e-13, limit=400, points=[math.sqrt(k)])
    return float(val)


def bkw_solution(k0: float, times: np.ndarray, mutant: str | None = None) -> dict[str, list[float]]:
    """K, ∫|v|⁴ f, entropy and Fisher information of the BKW solution from K(0) = k0 at ``times`` (``mutant`` as
    in :func:`second_moment_exact`)."""
    times = check_array("times", times, (None,))
    ks = bkw_k(k0, times, mutant)
    return {"times": times.tolist(), "K": ks.tolist(),
            "moment4": [bkw_moment4(k) for k in ks],
            "entropy": [bkw_entropy(k) for k in ks],
            "fisher": [bkw_fisher(k) for k in ks]}


def initial_fisher(init: str) -> float:
    """I(f₀) = ∫|∇f₀|²/f₀ of an initial datum: BKW by quadrature (:func:`bkw_fisher`), Gaussians exactly.

    A centred Gaussian with covariance diag(T₁, T₂, T₃) has I = Σ 1/T_k: ``maxwellian`` (T = 1) gives 3,
    ``bimaxwellian:TPAR,TPERP`` gives 2/T⊥ + 1/T∥. Other names (``shell``, ``mixture``) raise ``ValueError``
    naming init.
    """
    spec = parse_init(init)
    if spec.name == "maxwellian":
        return 3.0
    if spec.name == "bimaxwellian":
        t_par, t_perp = (float(x) for x in spec.params)
        return 2.0 / t_perp + 1.0 / t_par
    if spec.name == "bkw":
        return float(bkw_fisher(float(spec.params[0])))
    raise ValueError(f"init: no Fisher information for {init!r} (finite-I data: maxwellian, bimaxwellian, bkw)")


# --- solve ------------------------------------------------------------------------------------------------


def _initial_moments(spec: Any) -> tuple[np.ndarray, float]:
    """(M(0), ∫|v|⁴ f(0)) of an initial-data name (docs/spec.md §8 normalisation)."""
    s = parse_init(spec)
    if s.name == "bimaxwellian":
        tpar, tperp = s.params
        m0 = np.diag([tperp, tperp, tpar])
        return m0, float(np.trace(m0) ** 2 + 2.0 * np.trace(m0 @ m0))  # Isserlis: E|v|⁴ = (tr Σ)² + 2 tr Σ²
    if s.name == "bkw":
        bkw_coefficients(s.params[0], "init (K0)")  # range check naming init
        return np.eye(3), bkw_moment4(s.params[0])
    if s.name == "shell":
        return np.eye(3), 9.0  # |v| = √3 exactly
    if s.name == "mixture":
        return np.eye(3), float(sum(w * 15.0 * t * t for w, t in s.mixture))
    return np.eye(3), 15.0  # maxwellian


def solve_maxwell(gamma: float, t_end: float, *, init: str = "maxwellian", snapshots: int = 11,
                  mutant: str | None = None,
                  progress: Callable[[float, float], None] | None = None) -> dict[str, Any]:
    """Exact γ = 0 dynamics from ``init`` (any docs/spec.md §8 name), sampled at ``snapshots`` equally spaced times.

    Returns the docs/spec.md §8 ``solve`` record: ``second_moment`` and ``moment4`` from the exact moment equations for
    every initial datum; ``entropy`` and ``fisher`` for ``bkw:K0`` (BKW solution) and ``maxwellian``
    (stationary), ``None`` otherwise (no closed form). ``gamma`` must be 0 (``ValueError`` naming gamma).
    ``mutant``: a ``maxwell_rates:EPS`` defect multiplies every rate by 1 + ε (:func:`second_moment_exact`).
    """
    gamma = check_gamma(gamma)
    if gamma != 0.0:
        raise ValueError(f"gamma: the exact Maxwell-molecule solution needs gamma = 0, got {gamma!r}")
    t_end = check_positive("t_end", t_end)
    snapshots = check_int("snapshots", snapshots, 2)
    mutant = check_mutant(mutant)
    spec = parse_init(init)
    if progress is not None and not callable(progress):
        raise ValueError("progress: must be a callable progress(t, t_end) or None")
    t0 = time.perf_counter()
    times = np.linspace(0.0, t_end, snapshots)
    m0, m40 = _initial_moments(spec)
    mt = second_moment_exact(m0, times, mutant)
    energy = np.trace(mt, axis1=1, axis2=2)
    rec: dict[str, Any] = {
        "times": times.tolist(), "mass": [1.0] * snapshots, "momentum": [[0.0, 0.0, 0.0]] * snapshots,
        "energy": energy.tolist(), "second_moment": mt.tolist(),
        "moment4": moment4_exact(m0, m40, times, mutant).tolist(),
        "entropy": None, "fisher": None,
    }
    if spec.name == "bkw":
        sol = bkw_solution(spec.params[0], times, mutant)
        rec.update(entropy=sol["entropy"], fisher=sol["fisher"], K=sol["K"])
    elif spec.name == "maxwellian":
        rec.update(entropy=[-1.5 * math.log(2.0 * math.pi) - 1.5] * snapshots, fisher=[3.0] * snapshots)
    if progress is not None:
        progress(t_end, t_end)
    rec.update(wall_seconds=time.perf_counter() - t0, method="maxwell", gamma=gamma, t_end=t_end,
               init=str(spec), snapshots=snapshots, mutant=mutant, dt=None)
    return rec
