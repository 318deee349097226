"""Densities of the docs/spec.md §8 initial data (mass 1, zero momentum, energy ``InitSpec.energy``).

For a name ``NAME[:ARGS]`` (see :mod:`mbc_verify.initial`):

- ``maxwellian``               f(v) = (2π)^{-3/2} exp(-|v|²/2)                                   (energy 3)
- ``bimaxwellian:TPAR,TPERP``  f(v) = (2π)^{-3/2} (T⊥² T∥)^{-1/2} exp(-(v_x²+v_y²)/(2T⊥) - v_z²/(2T∥))
                               (parallel axis z; energy T∥ + 2T⊥)
- ``bkw:K0``                   f(v) = (2πK)^{-3/2} exp(-|v|²/(2K)) (A(K) + B(K)|v|²/K) at K = K0 (docs/spec.md §4);
                               A, B and the positivity range [K_min, K_max] come from ``mbc_verify.derived``
                               (keys ``bkw.A``, ``bkw.B``, ``bkw.K_min``, ``bkw.K_max``)
- ``mixture:W1,T1,…``          f(v) = Σ_k w_k (2πT_k)^{-3/2} exp(-|v|²/(2T_k)), with (w_k, T_k) from
                               :attr:`InitSpec.mixture` (Σ w = 1, Σ w 3T = 3)
- ``shell``                    uniform on the sphere |v| = √3: a measure, not a density. :func:`density` and
                               :func:`radial_density` refuse it with a ``ValueError`` naming ``init``. The
                               deterministic solvers use instead the *smoothed shell* :class:`SmoothedShell`
                               (a Gaussian ring of a given width, normalised to mass 1 and energy 3), which
                               tends to the shell as the width → 0 and is passed to them as a radial density.

``radial_density(spec, r)`` gives F(r) with f(v) = F(|v|) for the isotropic names. Two further radial densities
for the deterministic solvers: :class:`SmoothedShell` and the flat-topped :class:`SuperGaussian`.
:func:`hardy_stam_bound` is the derived bound of E_{f⊗f}|v − w|^{-2} by the Fisher information of f.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy import integrate

from ..initial import InitSpec, bkw_coefficients, parse_init
from ..validation import check_array, check_positive

__all__ = ["SmoothedShell", "SuperGaussian", "bkw_radial", "density", "hardy_stam_bound", "radial_density",
           "radial_function"]

_TWO_PI = 2.0 * math.pi


def bkw_radial(k: float, r: np.ndarray, name: str = "K") -> np.ndarray:
    """BKW radial density F(r) = (2πK)^{-3/2} e^{-r²/(2K)} (A + B r²/K) at K (docs/spec.md §4)."""
    a, b = bkw_coefficients(k, name)
    r2 = np.asarray(r, dtype=np.float64) ** 2
    return (_TWO_PI * k) ** -1.5 * np.exp(-r2 / (2.0 * k)) * (a + b * r2 / k)


def _mixture_radial(pairs: tuple[tuple[float, float], ...], r: np.ndarray) -> np.ndarray:
    r2 = np.asarray(r, dtype=np.float64) ** 2
    out = np.zeros_like(r2)
    for w, t in pairs:
        out += w * (_TWO_PI * t) ** -1.5 * np.exp(-r2 / (2.0 * t))
    return out


def radial_density(spec: InitSpec | str, r: np.ndarray) -> np.ndarray:
    """F(r) with f(v) = F(|v|) for the isotropic names ``maxwellian``, ``bkw:K0``, ``mixture:…``.

    ``shell`` (a delta on |v| = √3) and ``bimaxwellian`` (anisotropic) raise ``ValueError`` naming ``init``.
    """
    s = parse_init(spec)
    r = check_array("r", r)
    if s.name == "maxwellian":
        return _mixture_radial(((1.0, 1.0),), r)
    if s.name == "mixture":
        return _mixture_radial(s.mixture, r)
    if s.name == "bkw":
        return bkw_radial(s.params[0], r, "init (K0)")
    if s.name == "shell":
        raise ValueError("init: 'shell' is a measure on the sphere |v| = sqrt(3), not a density; "
                         "use SmoothedShell(width) for the deterministic solvers")
    raise ValueError(f"init: {str(s)!r} is not isotropic; radial_density needs an isotropic initial datum")


def density(spec: InitSpec | str, v: np.ndarray) -> np.ndarray:
    """f(v) of the initial datum ``spec`` at velocities ``v`` (shape (..., 3)); see the module docstring."""
    s = parse_init(spec)
    v = check_array("v", v)
    if v.ndim == 0 or v.shape[-1] != 3:
        raise ValueError(f"v: must have shape (..., 3), got {v.shape}")
    if s.name == "bimaxwellian":
        tpar, tperp = s.params
        q = (v[..., 0] ** 2 + v[..., 1] ** 2) / tperp + v[..., 2] ** 2 / tpar
        return _TWO_PI ** -1.5 / (tperp * math.sqrt(tpar)) * np.exp(-0.5 * q)
    return radial_density(s, np.sqrt(np.sum(v * v, axis=-1)))


@dataclass(frozen=True)
class SmoothedShell:
    """A shell of speed √3 smoothed at ``width``: F(r) = c g(λ r), g(r) = exp(-(r - √3)²/(2 width²)).

    c and λ are fixed by mass 4π∫F r² dr = 1 and energy 4π∫F r⁴ dr = 3 (moments of g by adaptive quadrature,
    relative accuracy ~1e-13): with m = 4π∫g r², e = 4π∫g r⁴ one has λ² = e/(3m), c = λ³/m. As width → 0 this
    tends to the uniform measure on |v| = √3 (the ``shell`` of docs/spec.md §8).
    """

    width: float

    def __post_init__(self) -> None:
        check_positive("width", self.width)

    @property
    def _scale(self) -> tuple[float, float]:
        return _shell_scale(float(self.width))

    def __call__(self, r: np.ndarray) -> np.ndarray:
        c, lam = self._scale
        r = np.asarray(r, dtype=np.float64)
        return c * np.exp(-((lam * r - math.sqrt(3.0)) ** 2) / (2.0 * self.width ** 2))

    @property
    def name(self) -> str:
        return f"smoothed_shell:{self.width!r}"

    @property
    def max_temperature(self) -> float:
        """A temperature scale of the tail (for the default grid): (√3/λ + 3 width/λ)²/3."""
        c, lam = self._scale
        return max(1.0, ((math.sqrt(3.0) + 3.0 * self.width) / lam) ** 2 / 3.0)


@cache
def _shell_scale(width: float) -> tuple[float, float]:
    r0 = math.sqrt(3.0)
    lo, hi = max(0.0, r0 - 40.0 * width), r0 + 40.0 * width

    def mom(k: int) -> float:
        def g(r: float) -> float:
            return 4.0 * math.pi * r ** k * math.exp(-((r - r0) ** 2) / (2 * width ** 2))

        val, _ = integrate.quad(g, lo, hi, epsabs=0.0, epsrel=1e-13, limit=200, points=[r0])
        return val

    m, e = mom(2), mom(4)
    lam = math.sqrt(e / (3.0 * m))
    return lam ** 3 / m, lam


class SuperGaussian:
    """Radial density F(r) = c e^{−(λr)^p} with mass 1 and energy 3: 4π∫F r² = 1, 4π∫F r⁴ = 3, i.e.
    λ² = Γ(5/p)/(3Γ(3/p)), c = p λ³/(4π Γ(3/p)); p = 2 is the Maxwellian, p > 2 flat-topped."""

    def __init__(self, p: float) -> None:
        self.p = check_positive("p", p)
        self.lam = math.sqrt(math.gamma(5.0 / p) / (3.0 * math.gamma(3.0 / p)))
        self.c = p * self.lam**3 / (4.0 * math.pi * math.gamma(3.0 / p))
        self.name = f"supergaussian:{p:g}"

    def __call__(self, r: np.ndarray) -> np.ndarray:
        return self.c * np.exp(-((self.lam * np.asarray(r, dtype=np.float64)) ** self.p))


def hardy_stam_bound(fisher: float) -> float:
    """C·I, C = derived key ``hardy.S_bound_constant`` (= 1/2): the bound E_{f⊗f}|v − w|^{-2} ≤ I(f)/2 for any
    density f on R³ with Fisher information I = ``fisher`` (Hardy's inequality with C_H = 4, |∇√g|² = |∇g|²/(4g),
    and Stam's inequality I(f ∗ f̃) ≤ I(f)/2; derivation in ``proofs_checks/derivations/hardy.py``)."""
    from .. import derived

    return derived.number("hardy.S_bound_constant") * fisher


Radial = Callable[[np.ndarray], np.ndarray]


def radial_function(init: InitSpec | str | Radial) -> Radial:
    """The radial density F of ``init``: a callable is returned as is, a name via :func:`radial_density`."""
    if callable(init) and not isinstance(init, (str, InitSpec)):
        return init
    s = parse_init(init)
    radial_density(s, np.zeros(1))  # validates (shell, bimaxwellian, BKW range) with a ValueError naming init
    return lambda r: radial_density(s, r)
