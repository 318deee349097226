"""Engine-level probes: the MBC jump kernel and generator evaluated directly, for the claims that certify them.

- :func:`zonal_generator`: the MBC generator of one pair applied to a zonal harmonic (docs/spec.md §3),
  with the library's rotation and rate.
"""

from __future__ import annotations

import math

import numpy as np

from ..legendre import legendre
from ..mutants import defect
from .kernel import rotate
from .rates import lambda_h


def zonal_generator(u: np.ndarray, e: np.ndarray, ell: int, gamma: float, h: float, mutant: str | None = None,
                    nodes: int = 16) -> float:
    """G_h φ(û) = λ_h(|u|) (mean over M azimuths of φ(u'/|u|) − φ(û)) for φ(û) = P_ℓ(û·ê).

    u' is the library's rotation of u by h (:func:`mbc_verify.mbc.kernel.rotate`) at the azimuths φ_m = 2πm/M,
    λ_h the library's rate (:func:`mbc_verify.mbc.rates.lambda_h`, fixed kernel), both with the planted defect
    ``mutant``. The M-point trapezoid rule in φ is exact for trigonometric polynomials of degree < M, and
    φ(u') is one of degree ℓ in (cos φ, sin φ): for M > ℓ the azimuthal mean is exact up to round-off.
    """
    r = float(np.linalg.norm(u))
    phi0 = legendre(ell, float(u @ e) / r)
    acc = 0.0
    for m in range(nodes):
        a = 2.0 * math.pi * m / nodes
        up = np.array(rotate(u[0], u[1], u[2], math.cos(h), math.sin(h), math.cos(a), math.sin(a)))
        acc += legendre(ell, float(up @ e) / float(np.linalg.norm(up))) - phi0
    return lambda_h(r, gamma, h, 0, defect(mutant, "mbc")) * acc / nodes
