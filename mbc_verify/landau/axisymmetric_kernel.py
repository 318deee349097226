"""Mode-by-mode radial kernels of the generalised Rosenbluth potentials, and their product-integration weights.

**Potentials.** For γ ∈ [-3, 1] the Landau kernel a(z) = |z|^(γ+2) Π(z) and b(z) = ∇·a(z) = -2|z|^γ z are
(our identity, checked in the tests) a(z) = ∇∇F(|z|) + G(|z|) I and b(z) = -2 ∇H(|z|) with

    H(u) = (u^(γ+2) - 1)/(γ+2)   (→ log u at γ = -2),   F(u) = -u² (H(u) - ½)/(γ+4),   G(u) = u^(γ+2) + H(u),

(F' = -uH, F'' = -H - u^(γ+2), H' = u^(γ+1)), so that (a∗f) = ∇∇Φ_F + Φ_G I and (b∗f) = -2∇Φ_H with the
potentials Φ_k = k(|·|) ∗ f. At γ = -3: F = u - u²/2, G = 1, H = 1 - 1/u, i.e. a∗f = ∇∇g and b∗f = 2∇h with
the Rosenbluth potentials g = |·| ∗ f, h = |·|⁻¹ ∗ f (Rosenbluth, MacDonald & Judd, Phys. Rev. 107 (1957) 1);
the regularised family keeps every γ, including the logarithmic case γ = -2, in one formula.

**Legendre modes (Funk–Hecke).** For f = Σ_ℓ f_ℓ(s) P_ℓ(ξ), Φ_k(r, ξ) = Σ_ℓ P_ℓ(ξ) ∫₀^∞ s² K_ℓ[k](r, s) f_ℓ(s) ds with

    K_ℓ[k](r, s) = 2π ∫₋₁¹ k(√(r² + s² - 2rsμ)) P_ℓ(μ) dμ = (2π/(rs)) ∫_{|r-s|}^{r+s} k(u) P_ℓ(μ(u)) u du,

and the radial derivatives ∂_r K_ℓ, ∂_r² K_ℓ by differentiation under the integral (∂_r u = c = (r - sμ)/u,
∂_r c = (1 - c²)/u). Six kernels are used (index ``e``):

    0: K[F]   1: ∂_r K[F] (integrand -H (r - sμ))   2: ∂_r² K[F] (integrand -H - u^(γ+2) c²)
    3: K[G]   4: K[H]      5: ∂_r K[H] (integrand u^γ (r - sμ))

*Closed form* (exact Green's functions), for powers k = u^p with p an odd integer, or an even integer ≥ 0: with
λ = -p/2, t = r_</r_>, the Gegenbauer-to-Legendre connection of (1 - 2tμ + t²)^(-λ) gives

    K_ℓ[u^p] = 4π (λ)_ℓ/(3/2)_ℓ · r_>^p t^ℓ ₂F₁(λ+ℓ, λ-½; ℓ+3/2; t²),

a terminating series in those cases: separable sums of r_<^m r_>^(p-m) (RMJ 1957 for p = ±1). F, G, H are
combinations of u^(γ+2), u^(γ+4), u² and 1, so the closed form covers γ ∈ {-3, -1, 0, 1}.

*Quadrature* (every γ; the only route for γ = -2 and non-integer γ): the u-integral by composite
Gauss–Legendre on panels [δ, 2δ], [2δ, 4δ], …, [·, r+s] (δ = |r - s|; geometric panels resolve the
near-singular u^(γ+1) behaviour as s → r), with 8 + ⌈0.5 L Δθ⌉ nodes per panel (Δθ the angle μ(u) sweeps on
the panel, L the number of modes: P_ℓ oscillates on the scale π/ℓ in θ). Agreement with the closed form: ~1e-14
relative (tests).

**Product integration.** With f_ℓ given by its values at the grid nodes r_j through the trigonometric
interpolant of its radial parity (``AxisymmetricGrid.cardinal``), Ψ_ℓ(ρ) = Σ_j W[e, ℓ, ρ, j] f_ℓ(r_j) with
W = ∫₀^{v_max} s² K_ℓ(ρ, s) C_j(s) ds by Gauss–Legendre on the cells between the nodes, ρ added as a
breakpoint (K is not smooth across s = ρ) and the two cells next to ρ graded geometrically towards it
(kernels with non-integer powers of |s - ρ|). The weights are computed once per (γ, grid) and cached.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numba import njit
from numpy.polynomial import legendre as npleg

from ..validation import check_gamma
from .axisymmetric_grid import AxisymmetricGrid

__all__ = ["N_KERNELS", "closed_form_available", "closed_form_kernels", "kernel_weights", "mode_kernels",
           "power_mode_kernel", "quadrature_kernels", "refined_weights"]

N_KERNELS = 6
_FOUR_PI = 4.0 * math.pi
#: Gauss–Legendre nodes per cell of the outer (s) quadrature
N_GAUSS = 16
#: geometric halvings of the two cells next to the singular point s = ρ
N_GRADE = 8
#: largest panel rule of the inner quadrature, and its angular resolution factor
_NMAX = 96
_THETA_PTS = 0.5
_GX = np.zeros((_NMAX + 1, _NMAX))
_GW = np.zeros((_NMAX + 1, _NMAX))
for _n in range(1, _NMAX + 1):
    _GX[_n, :_n], _GW[_n, :_n] = npleg.leggauss(_n)


def closed_form_available(gamma: float) -> bool:
    """Whether γ + 2 and γ + 4 are powers with a terminating Funk–Hecke series (γ ∈ {-3, -1, 0, 1})."""
    return float(gamma) in (-3.0, -1.0, 0.0, 1.0)


def _poch(a: float, n: int) -> float:
    out = 1.0
    for k in range(n):
        out *= a + k
    return out


def _falling(a: float, d: int) -> float:
    out = 1.0
    for j in range(d):
        out *= a - j
    return out


@lru_cache(maxsize=4096)
def _power_terms(p: int, ell: int) -> tuple[tuple[float, int], ...]:
    """(coefficient, m) with K_ℓ[u^p] = Σ coefficient · r_<^m r_>^(p-m) (module docstring); empty if zero."""
    lam = -p / 2.0
    pre = _FOUR_PI * _poch(lam, ell) / _poch(1.5, ell)
    if pre == 0.0:
        return ()
    terms = []
    for k in range(ell + abs(p) + 2):
        ck = _poch(lam + ell, k) * _poch(lam - 0.5, k) / (math.factorial(k) * _poch(ell + 1.5, k))
        if ck == 0.0:
            return tuple(terms)
        terms.append((pre * ck, ell + 2 * k))
    raise ArithmeticError(f"p: the Funk–Hecke series of u^{p} does not terminate")


def power_mode_kernel(p: int, ell: int, d: int, r: np.ndarray, s: np.ndarray) -> np.ndarray:
    """∂_r^d K_ℓ[u^p](r, s) in closed form (p odd ≥ -1 or even ≥ 0; d ∈ {0, 1, 2}; r, s > 0 broadcast)."""
    r, s = np.broadcast_arrays(np.asarray(r, dtype=np.float64), np.asarray(s, dtype=np.float64))
    out = np.zeros(r.shape)
    below = r < s
    t = np.where(below, r / s, s / r)
    for coef, m in _power_terms(int(p), int(ell)):
        # r < s: r^m s^(p-m) = s^p t^m;   r > s: r^(p-m) s^m = r^p t^m;  d-th r-derivative of each monomial
        lo = _falling(m, d) * s ** p * t ** m / r ** d
        hi = _falling(p - m, d) * r ** (p - d) * t ** m
        out += coef * np.where(below, lo, hi)
    return out


def closed_form_kernels(gamma: float, n_modes: int, r: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The six kernels (module docstring) for γ ∈ {-3, -1, 0, 1}, shape (6, n_modes) + broadcast(r, s).shape."""
    if not closed_form_available(gamma):
        raise ValueError(f"gamma: the closed-form kernels need gamma in {{-3, -1, 0, 1}}, got {gamma!r}")
    g = int(gamma)
    e = g + 2
    shape = np.broadcast(np.asarray(r), np.asarray(s)).shape
    out = np.empty((N_KERNELS, n_modes) + shape)
    c_hi = -1.0 / (e * (g + 4))                      # F = c_hi u^(γ+4) + c_2 u²
    c_2 = 1.0 / (e * (g + 4)) + 1.0 / (2 * (g + 4))
    for ell in range(n_modes):
        one = _FOUR_PI if ell == 0 else 0.0
        ke = power_mode_kernel(e, ell, 0, r, s)
        out[0, ell] = c_hi * power_mode_kernel(g + 4, ell, 0, r, s) + c_2 * power_mode_kernel(2, ell, 0, r, s)
        out[1, ell] = c_hi * power_mode_kernel(g + 4, ell, 1, r, s) + c_2 * power_mode_kernel(2, ell, 1, r, s)
        out[2, ell] = c_hi * power_mode_kernel(g + 4, ell, 2, r, s) + c_2 * power_mode_kernel(2, ell, 2, r, s)
        out[4, ell] = (ke - one) / e
        out[3, ell] = ke + out[4, ell]
        out[5, ell] = power_mode_kernel(e, ell, 1, r, s) / e
    return out


@njit(cache=True)
def _h_of(u: float, e: float) -> float:
    """H(u) = (u^e - 1)/e, evaluated as expm1(e log u)/e (log u + O(e) near e = 0)."""
    lu = math.log(u)
    x = e * lu
    if abs(x) < 1e-8:
        return lu * (1.0 + 0.5 * x)
    return math.expm1(x) / e


@njit(cache=True)
def _panel(r, s, gamma, n_modes, left, right, n, gx, gw, acc):  # noqa: ANN001, ANN202
    """Add one Gauss panel [left, right] of the u-integral of the six kernels to acc (6, n_modes)."""
    e = gamma + 2.0
    half = 0.5 * (right - left)
    mid = 0.5 * (right + left)
    for k in range(n):
        u = mid + half * gx[n, k]
        wu = half * gw[n, k] * 2.0 * math.pi / (r * s) * u
        mu = (r * r + s * s - u * u) / (2.0 * r * s)
        rm = r - s * mu
        c = rm / u
        hh = _h_of(u, e)
        ue = u ** e
        v0 = -u * u * (hh - 0.5) / (gamma + 4.0)
        v1 = -hh * rm
        v2 = -hh - ue * c * c
        v3 = ue + hh
        v5 = ue / (u * u) * rm
        p_prev = 0.0
        p_cur = 1.0
        for ell in range(n_modes):
            wp = wu * p_cur
            acc[0, ell] += wp * v0
            acc[1, ell] += wp * v1
            acc[2, ell] += wp * v2
            acc[3, ell] += wp * v3
            acc[4, ell] += wp * hh
            acc[5, ell] += wp * v5
            p_next = ((2 * ell + 1) * mu * p_cur - ell * p_prev) / (ell + 1)
            p_prev = p_cur
            p_cur = p_next


@njit(cache=True)
def quadrature_kernels(r, s_arr, gamma, n_modes, gx, gw, out):  # noqa: ANN001, ANN201
    """The six kernels at (r, s_q) for all q by the panel quadrature of the module docstring, into out[e, ℓ, q]."""
    acc = np.empty((6, n_modes))
    for q in range(s_arr.shape[0]):
        s = s_arr[q]
        hi = r + s
        acc[:, :] = 0.0
        left = max(abs(r - s), 1e-14 * hi)
        while left < hi:
            right = 2.0 * left
            if right > 0.5 * hi:
                right = hi
            mu_l = min(1.0, max(-1.0, (r * r + s * s - left * left) / (2.0 * r * s)))
            mu_r = min(1.0, max(-1.0, (r * r + s * s - right * right) / (2.0 * r * s)))
            n = 8 + int(math.ceil(0.5 * n_modes * (math.acos(mu_r) - math.acos(mu_l))))
            _panel(r, s, gamma, n_modes, left, right, min(n, gx.shape[0] - 1), gx, gw, acc)
            left = right
        out[:, :, q] = acc


def mode_kernels(gamma: float, n_modes: int, r: float, s: np.ndarray, method: str = "auto") -> np.ndarray:
    """The six kernels at one radius r and points s, shape (6, n_modes, len(s)).

    ``method``: "closed" (γ ∈ {-3, -1, 0, 1}), "quadrature" (any γ) or "auto" (closed form where available).
    """
    gamma = check_gamma(gamma)
    s = np.ascontiguousarray(s, dtype=np.float64)
    if method == "closed" or (method == "auto" and closed_form_available(gamma)):
        return closed_form_kernels(gamma, n_modes, np.asarray(float(r)), s)
    if method not in ("auto", "quadrature"):
        raise ValueError(f"method: must be one of auto, closed, quadrature, got {method!r}")
    out = np.empty((N_KERNELS, n_modes, s.size))
    quadrature_kernels(float(r), s, gamma, n_modes, _GX, _GW, out)
    return out


def _outer_rule(edges: np.ndarray, rho: float) -> tuple[np.ndarray, np.ndarray]:
    """Gauss points and weights on the cells between ``edges`` (which include ρ), the two cells touching ρ
    graded geometrically towards it."""
    gx, gw = npleg.leggauss(N_GAUSS)
    pts, wts = [], []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        subs = [(lo, hi)]
        if hi == rho or lo == rho:
            subs = []
            a, b = lo, hi
            for _ in range(N_GRADE):
                if hi == rho:
                    m = 0.5 * (a + b)
                    subs.append((a, m))
                    a = m
                else:
                    m = 0.5 * (a + b)
                    subs.append((m, b))
                    b = m
            subs.append((a, b))
        for a, b in subs:
            pts.append(0.5 * (b - a) * (gx + 1.0) + a)
            wts.append(0.5 * (b - a) * gw)
    return np.concatenate(pts), np.concatenate(wts)


def kernel_weights(grid: AxisymmetricGrid, gamma: float, radii: np.ndarray | None = None,
                   method: str = "auto") -> np.ndarray:
    """W[e, ℓ, i, j] (module docstring) at ``radii`` (default: the grid nodes r_i), shape (6, L, len(radii), n_r).

    Node weights are cached per (grid, γ, method); other radii are computed on each call.
    """
    gamma = check_gamma(gamma)
    if radii is None:
        return _node_weights(grid.n_r, grid.v_max, grid.n_xi, gamma, method)
    return _weights(grid, gamma, np.asarray(radii, dtype=np.float64), method)


@lru_cache(maxsize=8)
def _node_weights(n_r: int, v_max: float, n_xi: int, gamma: float, method: str) -> np.ndarray:
    grid = AxisymmetricGrid(n_r, v_max, n_xi)
    out = _weights(grid, gamma, grid.r, method)
    out.setflags(write=False)
    return out


@lru_cache(maxsize=4)
def refined_weights(n_r: int, v_max: float, n_xi: int, gamma: float, method: str, refine: int) -> np.ndarray:
    """Cached weights at the refined radii (m + ½) h/refine, m < refine·n_r (for :mod:`.axisymmetric_probe`)."""
    grid = AxisymmetricGrid(n_r, v_max, n_xi)
    out = _weights(grid, check_gamma(gamma), (np.arange(refine * n_r) + 0.5) * (grid.h / refine), method)
    out.setflags(write=False)
    return out


def _weights(grid: AxisymmetricGrid, gamma: float, radii: np.ndarray, method: str) -> np.ndarray:
    n_modes = grid.n_modes
    out = np.empty((N_KERNELS, n_modes, radii.size, grid.n_r))
    base = np.concatenate([[0.0], grid.r, [grid.v_max]])
    for i, rho in enumerate(radii):
        if not rho > 0.0:
            raise ValueError(f"radii: must be > 0, got {rho!r}")
        edges = np.unique(np.concatenate([base[base < grid.v_max], [grid.v_max], [rho] if rho < grid.v_max else []]))
        s, ws = _outer_rule(edges, float(rho))
        k = mode_kernels(gamma, n_modes, float(rho), s, method) * (ws * s * s)
        out[:, 0::2, i, :] = k[:, 0::2] @ grid.cardinal(s, 0)
        out[:, 1::2, i, :] = k[:, 1::2] @ grid.cardinal(s, 1)
    return out
