"""Deterministic Landau solvers (docs/spec.md §1, §4): exact Maxwell-molecule dynamics, the conservative entropic
isotropic solver, the blob particle method, and the densities of the initial data.

Public entry points (imported lazily): :func:`solve_maxwell`, :func:`second_moment_exact`, :func:`moment4_exact`,
:func:`bkw_k`, :func:`bkw_moment4`, :func:`bkw_entropy`, :func:`bkw_fisher` (γ = 0, exact); :func:`solve_isotropic`,
:class:`IsotropicGrid` (isotropic solver); :func:`solve_blob` (blob method); :func:`density`,
:func:`radial_density`, :class:`SmoothedShell` (initial densities); :class:`MeanFieldCoefficients`,
:func:`gamma0_coefficients` ((a∗f_t)(v), (b∗f_t)(v) along the flow); :func:`mixture_moment4_rate`,
:func:`isotropic_moment4_rate` (initial rate of ∫|v|⁴f).
"""

from __future__ import annotations

from ..lazy import lazy_face

_EXPORTS = {
    **dict.fromkeys(("solve_maxwell", "second_moment_exact", "moment4_exact", "bkw_k", "bkw_moment4", "bkw_entropy",
                     "bkw_fisher", "bkw_solution"), "mbc_verify.landau.maxwell"),
    **dict.fromkeys(("solve_isotropic", "IsotropicGrid"), "mbc_verify.landau.isotropic"),
    **dict.fromkeys(("solve_blob", "parallel_temperature_curve"), "mbc_verify.landau.blob"),
    **dict.fromkeys(("density", "radial_density", "SmoothedShell"), "mbc_verify.landau.densities"),
    **dict.fromkeys(("MeanFieldCoefficients", "gamma0_coefficients"), "mbc_verify.landau.mean_field"),
    **dict.fromkeys(("mixture_moment4_rate", "isotropic_moment4_rate"), "mbc_verify.landau.moment_rates"),
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_face(__name__, _EXPORTS, globals())
