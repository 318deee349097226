"""Baseline Monte Carlo collision operators, in the normalisation of docs/spec.md §1–§2 (§5.6, eq. (63)).

- :mod:`.takizuka_abe` — Takizuka & Abe, J. Comput. Phys. 25 (1977) 205: one deflection per matched pair with
  tan(θ/2) Gaussian;
- :mod:`.nanbu` — Nanbu, Phys. Rev. E 55 (1997) 4642: cumulative small-angle scattering, one deflection from
  e^{A cos χ};
- :mod:`.spherical_bm` — Du, Li, Xie & Yu, J. Comput. Phys. 543 (2025) 114387: the exact spherical Brownian motion
  of the pair's direction over the step;
- :mod:`.numpy_mbc` — the fast MBC engine's algorithm in vectorised NumPy (a throughput baseline; import it from
  its module, it is not needed by the engines).

The three numba operators are pair laws of the one matched-pair driver :mod:`mbc_verify.mbc.matching` (the
fast MBC engine's random matching, random numbers and observables); run them with
``mbc_verify.simulate(gamma, None, n, t_end, engine=NAME, dt=DT)`` or :func:`mbc_verify.run_ensemble`.
"""

from __future__ import annotations

from .nanbu import langevin, nanbu_a, nanbu_angle
from .spherical_bm import griffiths_moments, heat_kernel_eigenvalues, sbm_angle
from .takizuka_abe import ta_angle

__all__ = ["griffiths_moments", "heat_kernel_eigenvalues",
           "langevin", "nanbu_a", "nanbu_angle", "sbm_angle", "ta_angle"]
