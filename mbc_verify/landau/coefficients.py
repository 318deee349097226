"""The mean-field collision coefficient (a ∗ f)(v) = ∫ a(v − w) f(w) dw of the Landau equation at a Maxwellian
(docs/spec.md §1: a(z) = |z|^{γ+2} Π(z), Π(z) = I − ẑ⊗ẑ), for γ = 0 and γ = −3, and its N-particle conditional mean.

- γ = 0: a(z) = |z|² I − z⊗z and (a ∗ M_T)(v) = (|v|² + 2T) I − v⊗v (E|v − w|² = |v|² + 3T,
  E(v − w)⊗(v − w) = v⊗v + T I for w ~ N(0, T I)).
- γ = −3: for isotropic f, (a ∗ f)(v) = α(r) Π(v̂) + β(r) v̂⊗v̂, r = |v|. Since a(z) = ∇²|z| for γ = −3,
  a ∗ f = ∇² g with the Rosenbluth potential g = |·| ∗ f, whose angular average gives, with F(s) the radial
  density, g'(r) = 4π[∫_0^r s²F (1 − s²/(3r²)) ds + ∫_r^∞ (2r/3) s F ds], α = g'/r, and
  tr(a ∗ f) = Δg = 2 (|·|⁻¹ ∗ f) = 8π[(1/r)∫_0^r s²F ds + ∫_r^∞ sF ds] (Newton), β = tr − 2α
  (Rosenbluth, MacDonald & Judd, Phys. Rev. 107 (1957) 1). The radial integrals are evaluated by mpmath quadrature
  on a grid of r ≤ :data:`R_TABLE` and interpolated by a cubic spline (error ≪ 10⁻⁶), by quadrature beyond it.
  Other temperatures by scaling: a is homogeneous of degree −1, so (a ∗ M_T)(v) = T^{-1/2} (a ∗ M_1)(v/√T).

:func:`conditional_coefficient` is the mean-field value of the empirical coefficient A_i = (1/N) Σ_j a(v_i − v_j)
of N particles at the microcanonical equilibrium (energy 3N, momentum 0): see its docstring.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import mpmath
import numpy as np
from scipy.interpolate import CubicSpline

from ..validation import check_array

__all__ = ["R_TABLE", "conditional_coefficient", "coulomb_radial_coefficients", "maxwellian_coefficient",
           "maxwellian_coefficient_coulomb", "maxwellian_coefficient_gamma0"]

R_TABLE = 10.0
"""Radius of the tabulated γ = −3 coefficients; beyond it they are evaluated by quadrature directly."""


def _velocities(v: object) -> np.ndarray:
    return check_array("v", v, (None, 3), finite=False)


def maxwellian_coefficient_gamma0(v: np.ndarray, temperature: np.ndarray | float = 1.0) -> np.ndarray:
    """(a ∗ M_T)(v) = (|v|² + 2T) I − v⊗v for γ = 0 (rows of ``v``: N × 3 → N × 3 × 3; T scalar or per row)."""
    v = _velocities(v)
    s = np.sum(v * v, axis=1)
    return (s + 2.0 * temperature)[:, None, None] * np.eye(3) - v[:, :, None] * v[:, None, :]


def _maxwell_radial(s: mpmath.mpf) -> mpmath.mpf:
    return (2 * mpmath.pi) ** -1.5 * mpmath.exp(-s * s / 2)


def coulomb_radial_coefficients(r: float, radial: Callable[[mpmath.mpf], mpmath.mpf] = _maxwell_radial,
                                dps: int = 15) -> tuple[float, float]:
    """(α(r), β(r)) of (a ∗ f)(v) = α Π(v̂) + β v̂⊗v̂ for γ = −3 and an isotropic f with radial density F
    (default the Maxwellian, T = 1), by mpmath quadrature at ``dps`` digits (module docstring)."""
    with mpmath.workdps(dps):
        r = mpmath.mpf(r)
        four_pi = 4 * mpmath.pi
        inner = [0, r] if r > 0 else [0, 0]
        outer = [r, r + 4, r + 12, mpmath.inf]
        if r == 0:
            tr = 2 * four_pi * mpmath.quad(lambda s: s * radial(s), outer)
            return float(tr / 3), float(tr / 3)
        g1 = four_pi * (mpmath.quad(lambda s: s * s * radial(s) * (1 - s * s / (3 * r * r)), inner)
                        + mpmath.quad(lambda s: 2 * r / 3 * s * radial(s), outer))
        tr = 2 * four_pi * (mpmath.quad(lambda s: s * s * radial(s), inner) / r
                            + mpmath.quad(lambda s: s * radial(s), outer))
        alpha = g1 / r
        return float(alpha), float(tr - 2 * alpha)


@cache
def _coulomb_table() -> tuple[CubicSpline, CubicSpline]:
    r = np.linspace(0.0, R_TABLE, 81)
    ab = np.array([coulomb_radial_coefficients(x) for x in r])
    return CubicSpline(r, ab[:, 0]), CubicSpline(r, ab[:, 1])


def maxwellian_coefficient_coulomb(v: np.ndarray) -> np.ndarray:
    """(a ∗ M)(v) for γ = −3, M the Maxwellian with T = 1 (rows of ``v``: N × 3 → N × 3 × 3)."""
    v = _velocities(v)
    r = np.sqrt(np.sum(v * v, axis=1))
    sa, sb = _coulomb_table()
    alpha, beta = sa(r), sb(r)
    far = r > R_TABLE
    for k in np.flatnonzero(far):
        alpha[k], beta[k] = coulomb_radial_coefficients(float(r[k]))
    vh = v / np.where(r > 0, r, 1.0)[:, None]
    outer = vh[:, :, None] * vh[:, None, :]
    return alpha[:, None, None] * (np.eye(3) - outer) + beta[:, None, None] * outer


def maxwellian_coefficient(v: np.ndarray, gamma: float, temperature: np.ndarray | float = 1.0) -> np.ndarray:
    """(a ∗ M_T)(v) for γ ∈ {0, −3}; T per row allowed (γ = −3 by the scaling of the module docstring)."""
    t = np.broadcast_to(np.asarray(temperature, dtype=float), (np.shape(v)[0],))
    if gamma == 0.0:
        return maxwellian_coefficient_gamma0(v, t)
    if gamma == -3.0:
        return maxwellian_coefficient_coulomb(v / np.sqrt(t)[:, None]) / np.sqrt(t)[:, None, None]
    raise ValueError(f"gamma: the mean-field coefficient is implemented for 0 and -3, got {gamma!r}")


def conditional_coefficient(v: np.ndarray, gamma: float, cavity: bool = True) -> np.ndarray:
    """The mean-field value of A_i = (1/N) Σ_j a(v_i − v_j) given v_i, for every particle of a configuration ``v``
    of N particles at the microcanonical equilibrium (energy 3N, momentum 0; f = M, T = 1).

    The self-term vanishes (a(0) = 0), so A_i sums N − 1 terms with the weight 1/N.
    ``cavity=False``: ((N−1)/N)(a ∗ M)(v_i), the conditional mean for independent particles of law M.
    ``cavity=True``: ((N−1)/N)(a ∗ M_{T_i'})(v_i N/(N−1)), T_i' = (3N − |v_i|² N/(N−1))/(3(N−1)). Given v_i, the other
    N − 1 velocities are uniform on {Σ_{j≠i} v_j = −v_i, Σ_{j≠i} |v_j|² = 3N − |v_i|²}: each has the exact mean
    −v_i/(N−1) and, after that shift, the isotropic covariance T_i' I; this is the Gaussian with these two moments
    (the exact conditional mean of A_i for γ = 0, where a is quadratic; for γ = −3 correct to O(1/N)).
    """
    v = _velocities(v)
    n = v.shape[0]
    if not cavity:
        return (n - 1) / n * maxwellian_coefficient(v, gamma)
    s = np.sum(v * v, axis=1)
    t_cav = (3.0 * n - s * n / (n - 1)) / (3.0 * (n - 1))
    return (n - 1) / n * maxwellian_coefficient(v * (n / (n - 1)), gamma, np.maximum(t_cav, 1e-12))
