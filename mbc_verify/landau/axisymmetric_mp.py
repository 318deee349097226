"""mpmath spot check of the axisymmetric solver: the same semi-discrete operator in 30-digit arithmetic.

The grid (nodes, Gauss–Legendre rule by Newton iteration on P_n, Fourier and Legendre derivative matrices), the
product-integration weights (closed-form Green's functions, γ ∈ {-3, -1, 0, 1}, with exact rational
coefficients; 32 Gauss–Legendre nodes per cell instead of 16, so that the mpmath weights are the exact ones to
far below float64 round-off) and :class:`.AxisymmetricOperator` itself (which runs in the arithmetic of its grid
and weights) are evaluated with mpmath numbers. The initial datum is the float64 nodal datum (sampled and
corrected to the nominal invariants as in :func:`.axisymmetric.initial_state`, without the resolution checks: the
check concerns arithmetic, not resolution) converted exactly, so the difference between :func:`initial_rate_mp` and the
float64 rates is the round-off of the float64 evaluation of one and the same discrete operator, and the rates
of mass, axial momentum and energy show the conservation identities at 30 digits. Small grids only (n_r ≲ 24,
n_ξ ≲ 12: the weights cost O(n_r² n_ξ) mpmath kernel evaluations).
"""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from typing import Any

import mpmath
import numpy as np

from ..validation import check_gamma, check_int
from .axisymmetric import _datum, _sample, default_resolution
from .axisymmetric_grid import AxisymmetricGrid
from .axisymmetric_kernel import N_KERNELS, closed_form_available
from .axisymmetric_operator import AxisymmetricOperator

__all__ = ["MpAxisymmetricGrid", "initial_rate_mp"]

MP_DPS = 30
MP_GAUSS = 32


def _object(shape: tuple[int, ...]) -> np.ndarray:
    out = np.empty(shape, dtype=object)
    out[...] = mpmath.mpf(0)
    return out


def mp_leggauss(n: int) -> tuple[list[Any], list[Any]]:
    """Gauss–Legendre nodes and weights at the current mpmath precision (Newton from the float64 nodes)."""
    x0, _ = np.polynomial.legendre.leggauss(n)
    nodes, weights = [], []
    for guess in x0:
        x = mpmath.mpf(float(guess))
        for _ in range(100):
            p, dp = _legendre_and_derivative(n, x)
            dx = p / dp
            x -= dx
            if abs(dx) < mpmath.eps * 4:
                break
        _, dp = _legendre_and_derivative(n, x)
        nodes.append(x)
        weights.append(2 / ((1 - x * x) * dp * dp))
    return nodes, weights


def _legendre_and_derivative(n: int, x: Any) -> tuple[Any, Any]:
    p0, p1 = mpmath.mpf(1), x
    for ell in range(1, n):
        p0, p1 = p1, ((2 * ell + 1) * x * p1 - ell * p0) / (ell + 1)
    return p1, n * (x * p1 - p0) / (x * x - 1)


def _tables(n_modes: int, x: list[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p, dp, d2p = _object((n_modes, len(x))), _object((n_modes, len(x))), _object((n_modes, len(x)))
    for k, xk in enumerate(x):
        p[0, k] = mpmath.mpf(1)
        if n_modes > 1:
            p[1, k], dp[1, k] = xk, mpmath.mpf(1)
        for ell in range(1, n_modes - 1):
            p[ell + 1, k] = ((2 * ell + 1) * xk * p[ell, k] - ell * p[ell - 1, k]) / (ell + 1)
            dp[ell + 1, k] = dp[ell - 1, k] + (2 * ell + 1) * p[ell, k]
            d2p[ell + 1, k] = d2p[ell - 1, k] + (2 * ell + 1) * dp[ell, k]
    return p, dp, d2p


class MpAxisymmetricGrid(AxisymmetricGrid):
    """:class:`AxisymmetricGrid` with every array in mpmath numbers (call inside ``mpmath.workdps``)."""

    def __post_init__(self) -> None:
        n, mpf = self.n_r, mpmath.mpf
        self.h = mpf(self.v_max) / n
        self.r = np.array([(i + mpf(1) / 2) * self.h for i in range(n)], dtype=object)
        xi, w = mp_leggauss(self.n_xi)
        self.xi, self.w = np.array(xi, dtype=object), np.array(w, dtype=object)
        self.sin = np.array([mpmath.sqrt(1 - x * x) for x in xi], dtype=object)
        self.omega = 2 * mpmath.pi * self.h * np.outer(self.r ** 2, self.w)
        m, period = 2 * n, 2 * mpf(self.v_max)
        d = _object((m, m))
        for a in range(m):
            for b in range(m):
                if a != b:
                    d[a, b] = (mpmath.pi / period) * (-1) ** (a - b) * mpmath.cot(mpmath.pi * (a - b) / m)
        d1, d2 = d[n:, n:], d[n:, n - 1::-1]
        self.d_even, self.d_odd = d1 + d2, d1 - d2
        self.p, self.dp, self.d2p = _tables(self.n_xi, xi)
        ell = np.arange(self.n_xi)
        self.to_modes_matrix = np.array([[(2 * int(e) + 1) * self.p[e, k] * self.w[k] / 2 for k in range(self.n_xi)]
                                         for e in ell], dtype=object)
        dxi = self.dp.T @ self.to_modes_matrix
        for k in range(self.n_xi):
            dxi[k, k] -= np.sum(dxi[k])
        self.d_xi = dxi

    def cardinal(self, s: np.ndarray, parity: int) -> np.ndarray:
        m, period = 2 * self.n_r, 2 * mpmath.mpf(self.v_max)
        sign = 1 if parity % 2 == 0 else -1

        def card(x: Any) -> Any:
            den = m * mpmath.tan(mpmath.pi * x / period)
            return mpmath.mpf(1) if den == 0 else mpmath.sin(mpmath.pi * x / self.h) / den

        return np.array([[card(sq - rj) + sign * card(sq + rj) for rj in self.r] for sq in s], dtype=object)


@cache
def _power_terms(p: int, ell: int, dps: int) -> tuple[tuple[Any, int], ...]:
    """(4π × exact coefficient at ``dps`` digits, m) of the closed-form K_ℓ[u^p] (see :mod:`.axisymmetric_kernel`)."""
    lam = Fraction(-p, 2)

    def poch(a: Fraction, n: int) -> Fraction:
        out = Fraction(1)
        for k in range(n):
            out *= a + k
        return out

    pre = poch(lam, ell) / poch(Fraction(3, 2), ell)
    terms, k = [], 0
    while pre != 0:
        ck = (poch(lam + ell, k) * poch(lam - Fraction(1, 2), k)
              / (poch(Fraction(1), k) * poch(Fraction(2 * ell + 3, 2), k)))
        if ck == 0:
            break
        terms.append((4 * mpmath.pi * mpmath.mpf((pre * ck).numerator) / (pre * ck).denominator, ell + 2 * k))
        k += 1
    return tuple(terms)


def _power_kernel(p: int, ell: int, d: int, r: Any, s: Any) -> Any:
    out = mpmath.mpf(0)
    for coef, m in _power_terms(p, ell, mpmath.mp.dps):
        expo = m if r < s else p - m  # exponent of r in r_<^m r_>^(p-m)
        fall = 1
        for j in range(d):
            fall *= expo - j
        if fall:
            out += coef * fall * r ** (expo - d) * (s ** (p - m) if r < s else s ** m)
    return out


def _six(gamma: int, ell: int, r: Any, s: Any) -> list[Any]:
    e = gamma + 2
    c_hi = Fraction(-1, e * (gamma + 4))
    c_2 = Fraction(1, e * (gamma + 4)) + Fraction(1, 2 * (gamma + 4))

    def mp(x: Fraction) -> Any:
        return mpmath.mpf(x.numerator) / x.denominator

    one = 4 * mpmath.pi if ell == 0 else 0
    ke = _power_kernel(e, ell, 0, r, s)
    kf = [mp(c_hi) * _power_kernel(gamma + 4, ell, d, r, s) + mp(c_2) * _power_kernel(2, ell, d, r, s)
          for d in range(3)]
    kh = (ke - one) / e
    return [kf[0], kf[1], kf[2], ke + kh, kh, _power_kernel(e, ell, 1, r, s) / e]


def mp_weights(grid: MpAxisymmetricGrid, gamma: int) -> np.ndarray:
    """The kernel weights W[e, ℓ, i, j] of the grid nodes in mpmath (closed form, no grading needed)."""
    gx, gw = mp_leggauss(MP_GAUSS)
    edges = [mpmath.mpf(0), *grid.r, mpmath.mpf(grid.v_max)]
    s, ws = [], []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        s += [(b - a) * (x + 1) / 2 + a for x in gx]
        ws += [(b - a) * w / 2 for w in gw]
    cards = (grid.cardinal(s, 0), grid.cardinal(s, 1))
    n_modes = grid.n_modes
    out = _object((N_KERNELS, n_modes, grid.n_r, grid.n_r))
    for i, rho in enumerate(grid.r):
        for ell in range(n_modes):
            k = _object((N_KERNELS, len(s)))
            for q, sq in enumerate(s):
                k[:, q] = [x * ws[q] * sq * sq for x in _six(gamma, ell, rho, sq)]
            out[:, ell, i, :] = k @ cards[ell % 2]
    return out


def initial_rate_mp(gamma: float, init: Any = "bimaxwellian:1.5,0.75", *, n_r: int = 16, v_max: float | None = None,
                    n_xi: int = 8, dps: int = MP_DPS) -> dict[str, Any]:
    """The rates of :func:`.axisymmetric.initial_rate` on one grid in float64 and in ``dps``-digit arithmetic.

    Returns ``dtpar_dt`` / ``dmoment4_dt`` (mpmath, as strings ``*_mp`` and floats), their float64 values
    (``*_float64``), and ``conservation_mp``: the rates of Σω, Σω v_z, Σω|v|² of the mpmath operator (strings).
    """
    gamma = check_gamma(gamma)
    if not closed_form_available(gamma):
        raise ValueError(f"gamma: the mpmath spot check uses the closed-form kernels, gamma in {{-3, -1, 0, 1}}, "
                         f"got {gamma!r}")
    n_r, n_xi = check_int("n_r", n_r, 4), check_int("n_xi", n_xi, 2)
    datum = _datum(init)
    g64 = AxisymmetricGrid(n_r, default_resolution(init)[1] if v_max is None else v_max, n_xi)
    op64 = AxisymmetricOperator(g64, gamma, method="closed")
    f64 = op64.project(_sample(datum, g64), np.array(datum.nominal or (1.0, 0.0, 3.0)))
    q64 = op64.rhs(f64)
    out: dict[str, Any] = {"dtpar_dt_float64": g64.integrate(g64.v_z() ** 2 * q64),
                           "dmoment4_dt_float64": g64.integrate((g64.r ** 4)[:, None] * q64),
                           "n_r": g64.n_r, "n_xi": g64.n_xi, "v_max": g64.v_max, "dps": dps}
    with mpmath.workdps(dps):
        grid = MpAxisymmetricGrid(g64.n_r, g64.v_max, g64.n_xi)
        op = AxisymmetricOperator(grid, gamma, half=mpmath.mpf(1) / 2, weights=mp_weights(grid, int(gamma)))
        f = np.array([[mpmath.mpf(float(x)) for x in row] for row in f64], dtype=object)
        q = op.rhs(f)
        rates = {"dtpar_dt": np.sum(grid.omega * grid.v_z() ** 2 * q),
                 "dmoment4_dt": np.sum(grid.omega * np.outer(grid.r ** 4, np.ones(grid.n_xi)) * q)}
        cons = [np.sum(grid.omega * phi * q) for phi in op.invariants]
        for key, val in rates.items():
            out[key + "_mp"] = mpmath.nstr(val, dps)
            out[key] = float(val)
        out["conservation_mp"] = [mpmath.nstr(c, 5) for c in cons]
    return out
