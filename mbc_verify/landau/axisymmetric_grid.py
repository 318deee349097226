"""Velocity grid of the axisymmetric Landau solver: parity-folded Fourier in the speed r, Gauss–Legendre in ξ.

An axisymmetric density is f(v) = f(r, ξ), r = |v|, ξ = v_z/|v| (the cosine of the angle θ to the axis z).

**Nodes and quadrature.** r_i = (i + ½)h, i = 0..n_r-1, h = v_max/n_r; ξ_k the n_ξ Gauss–Legendre nodes with
weights w_k. The weights ω_ik = 2π h r_i² w_k integrate ∫ g dv = 2π ∫₀^∞ r² ∫₋₁¹ g dξ dr. For smooth g the inner
integral is an even function of r, so the midpoint rule in r is the trapezoid rule on the whole line and
converges faster than any power of h (its error is the Fourier transform at 2π/h: ≈ e^{-2π²T/h²} for a
Gaussian of temperature T), up to the tail beyond v_max.

**Radial derivative.** Along the line through the origin in direction ξ_k, u(x) = f(|x|, sign(x) ξ_k) is a
smooth function of x ∈ ℝ; the nodes ±r_i form the periodic grid of 2n_r points on [-v_max, v_max), and
∂_r f(r_i, ξ_k) = u'(r_i) is taken by the Fourier (trigonometric-interpolant) derivative D of that grid
(Trefethen, *Spectral Methods in MATLAB*, SIAM 2000, ch. 3: D_ab = (π/P)(-1)^(a-b) cot(π(a-b)/M), M = 2n_r,
P = 2 v_max). Folding the partner ray -ξ_k back onto r > 0 gives ∂_r f = D_e f^e + D_o f^o with f^e, f^o the
parts of f even and odd in ξ (the partner node of ξ_k is ξ_{n-1-k} = -ξ_k). Accuracy ≈ e^{-π²T/(2h²)} for a
Gaussian of temperature T (the Fourier transform at the Nyquist frequency π/h), provided f(v_max) is negligible.

**Angular derivative.** (1/r) ∂_θ f = -(√(1-ξ²)/r) ∂_ξ f with ∂_ξ the Legendre collocation derivative at the
Gauss nodes (exact for polynomials of degree < n_ξ); its diagonal is set to minus the off-diagonal row sum so
that it annihilates constants to round-off.

**Divergence.** The discrete divergence is minus the ω-adjoint of the gradient, Div = -Ω⁻¹ Gᵀ Ω, so that
Σ ω φ Div(Γ) = -Σ ω (Gφ)·Γ exactly (discrete integration by parts, no boundary term). Radially it equals
(1/r²) D(r² Γ_r) (D is skew-symmetric), in ξ it is (1/(w_k r)) Σ_l (∂_ξ)_{lk} w_l √(1-ξ_l²) Γ_θ,l.

**Legendre modes.** f_ℓ(r_i) = (2ℓ+1)/2 Σ_k w_k P_ℓ(ξ_k) f(r_i, ξ_k), ℓ = 0..n_ξ-1 (exact inverse of
f = Σ_ℓ f_ℓ P_ℓ on polynomials of degree < n_ξ). A mode ℓ has radial parity (-1)^ℓ: f_ℓ(-r) = (-1)^ℓ f_ℓ(r).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.polynomial import legendre as npleg

from ..validation import check_array, check_int, check_positive

__all__ = ["AxisymmetricGrid", "legendre_tables"]


def legendre_tables(n_modes: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P_ℓ(x), P_ℓ'(x), P_ℓ''(x) for ℓ = 0..n_modes-1 at points x (each of shape (n_modes, len(x))).

    Three-term recurrences (ℓ+1)P_{ℓ+1} = (2ℓ+1)xP_ℓ - ℓP_{ℓ-1}, P_{ℓ+1}' = P_{ℓ-1}' + (2ℓ+1)P_ℓ and its derivative
    P_{ℓ+1}'' = P_{ℓ-1}'' + (2ℓ+1)P_ℓ', stable on [-1, 1].
    """
    x = np.asarray(x, dtype=np.float64)
    p = np.zeros((n_modes, x.size))
    dp = np.zeros_like(p)
    d2p = np.zeros_like(p)
    p[0] = 1.0
    if n_modes > 1:
        p[1] = x
        dp[1] = 1.0
    for ell in range(1, n_modes - 1):
        p[ell + 1] = ((2 * ell + 1) * x * p[ell] - ell * p[ell - 1]) / (ell + 1)
        dp[ell + 1] = dp[ell - 1] + (2 * ell + 1) * p[ell]
        d2p[ell + 1] = d2p[ell - 1] + (2 * ell + 1) * dp[ell]
    return p, dp, d2p


def _fourier_derivative(m: int, period: float) -> np.ndarray:
    """Derivative matrix of the trigonometric interpolant on m (even) equispaced points of a period."""
    idx = np.arange(m)
    diff = idx[:, None] - idx[None, :]
    out = np.zeros((m, m))
    off = diff != 0
    out[off] = (math.pi / period) * (-1.0) ** diff[off] / np.tan(math.pi * diff[off] / m)
    return out


@dataclass
class AxisymmetricGrid:
    """The (r, ξ) tensor grid of the module docstring: ``n_r`` speeds on (0, ``v_max``), ``n_xi`` Gauss nodes."""

    n_r: int
    v_max: float
    n_xi: int
    h: float = field(init=False)
    r: np.ndarray = field(init=False, repr=False)
    xi: np.ndarray = field(init=False, repr=False)
    w: np.ndarray = field(init=False, repr=False)
    sin: np.ndarray = field(init=False, repr=False)
    omega: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.n_r = check_int("n_r", self.n_r, 4)
        self.v_max = check_positive("v_max", self.v_max)
        self.n_xi = check_int("n_xi", self.n_xi, 2)
        n = self.n_r
        self.h = self.v_max / n
        self.r = (np.arange(n) + 0.5) * self.h
        self.xi, self.w = npleg.leggauss(self.n_xi)
        self.sin = np.sqrt(1.0 - self.xi ** 2)
        self.omega = 2.0 * math.pi * self.h * self.r[:, None] ** 2 * self.w[None, :]
        d = _fourier_derivative(2 * n, 2.0 * self.v_max)
        d1 = d[n:, n:]
        d2 = d[n:, n - 1::-1]
        self.d_even = np.ascontiguousarray(d1 + d2)  # acts on parity +1 (even) extensions
        self.d_odd = np.ascontiguousarray(d1 - d2)
        self.p, self.dp, self.d2p = legendre_tables(self.n_xi, self.xi)
        ell = np.arange(self.n_xi)
        self.to_modes_matrix = ((2 * ell[:, None] + 1) / 2.0) * self.p * self.w[None, :]  # (L, n_xi)
        dxi = self.dp.T @ self.to_modes_matrix
        dxi[np.diag_indices_from(dxi)] -= dxi.sum(axis=1)
        self.d_xi = dxi

    @property
    def n_modes(self) -> int:
        return self.n_xi

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n_r, self.n_xi)

    def radial_derivative_matrix(self, parity: int) -> np.ndarray:
        """D_e (parity 0, even extension) or D_o (parity 1): ∂_r on r_i of a mode of that radial parity."""
        return self.d_even if parity % 2 == 0 else self.d_odd

    def v_perp(self) -> np.ndarray:
        return self.r[:, None] * self.sin[None, :]

    def v_z(self) -> np.ndarray:
        return self.r[:, None] * self.xi[None, :]

    def to_modes(self, f: np.ndarray) -> np.ndarray:
        """Legendre modes f_ℓ(r_i), shape (n_r, n_xi)."""
        return f @ self.to_modes_matrix.T

    def from_modes(self, fl: np.ndarray) -> np.ndarray:
        return fl @ self.p

    def grad(self, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(∂_r f, (1/r) ∂_θ f) at the nodes (module docstring)."""
        fe = 0.5 * (f + f[:, ::-1])
        fo = 0.5 * (f - f[:, ::-1])
        g_r = self.d_even @ fe + self.d_odd @ fo
        g_t = -(self.sin[None, :] / self.r[:, None]) * (f @ self.d_xi.T)
        return g_r, g_t

    def div(self, flux_r: np.ndarray, flux_t: np.ndarray) -> np.ndarray:
        """-Ω⁻¹ Gᵀ Ω (flux_r, flux_t): the divergence adjoint to :meth:`grad`."""
        u = self.r[:, None] ** 2 * flux_r
        ue = 0.5 * (u + u[:, ::-1])
        uo = 0.5 * (u - u[:, ::-1])
        radial = (self.d_odd @ ue + self.d_even @ uo) / self.r[:, None] ** 2
        v = (self.w * self.sin)[None, :] * flux_t
        angular = (v @ self.d_xi) / (self.w[None, :] * self.r[:, None])
        return radial + angular

    def integrate(self, g: np.ndarray) -> float:
        """Σ ω g ≈ ∫ g dv."""
        return float(np.sum(self.omega * g))

    def cardinal(self, s: np.ndarray, parity: int) -> np.ndarray:
        """C_j(s) = S(s - r_j) + (-1)^parity S(s + r_j), S the periodic cardinal function; shape (len(s), n_r).

        Σ_j g(r_j) C_j(s) is the trigonometric interpolant at s of a function g of that radial parity.
        """
        m = 2 * self.n_r
        period = 2.0 * self.v_max

        def card(x: np.ndarray) -> np.ndarray:
            den = m * np.tan(math.pi * x / period)
            small = np.abs(den) < 1e-300
            val = np.sin(math.pi * x / self.h) / np.where(small, 1.0, den)
            return np.where(small, 1.0, val)

        s = np.asarray(s, dtype=np.float64)
        sign = 1.0 if parity % 2 == 0 else -1.0
        return card(s[:, None] - self.r[None, :]) + sign * card(s[:, None] + self.r[None, :])

    def interpolate(self, f: np.ndarray, r: object, xi: object) -> np.ndarray:
        """f at arbitrary points (r, ξ) (1-D arrays of equal length): the spectral interpolant of the nodal values.

        Σ_ℓ P_ℓ(ξ) Σ_j f_ℓ(r_j) C_j^{(ℓ)}(r), with C of the parity of ℓ; points with r ≥ v_max get 0 (the grid's
        density is negligible there by construction).
        """
        r = check_array("r", r, (None,))
        xi = check_array("xi", xi, (r.size,))
        fl = self.to_modes(f)
        p, _, _ = legendre_tables(self.n_modes, np.clip(xi, -1.0, 1.0))
        out = np.zeros(r.size)
        for parity in (0, 1):
            c = self.cardinal(r, parity)  # (M, n_r)
            vals = c @ fl[:, parity::2]  # (M, modes of that parity)
            out += np.sum(vals * p[parity::2].T, axis=1)
        return np.where(r < self.v_max, out, 0.0)
