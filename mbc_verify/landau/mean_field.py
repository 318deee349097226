"""The mean-field coefficients (a ∗ f_t)(v) and (b ∗ f_t)(v) along the Landau flow, at arbitrary points and times.

docs/spec.md §1: a(z) = |z|^{γ+2} Π(z), b(z) = ∇·a(z) = −2|z|^γ z, and ∂_t f = ½ ∇·((a∗f)∇f − (b∗f) f). Self-averaging
(claim C10) compares the particles' empirical coefficients (1/N) Σ_j a(v_i − v_j), (1/N) Σ_j b(v_i − v_j) with
these at the particles' own velocities. :class:`MeanFieldCoefficients` solves the Landau equation once from a named
datum (zero momentum, docs/spec.md §8) to the snapshot times linspace(0, t_end, K) and evaluates the coefficients
of f_{t_k} at any points:

- γ = 0, exact for every datum: with M = ∫ v⊗v f and ∫ v f = 0, a(v − w) = |v − w|² I − (v − w)⊗(v − w) is quadratic,
  so (a ∗ f)(v) = (|v|² + tr M) I − v⊗v − M and (b ∗ f)(v) = −2v (:func:`gamma0_coefficients`); M(t) is the exact
  second-moment solution (:func:`mbc_verify.landau.maxwell.second_moment_exact`, derived rates), M(0) the datum's
  (diag(T⊥, T⊥, T∥) for ``bimaxwellian``, (E/3) I for isotropic data).
- γ ≠ 0: the axisymmetric solver (:func:`mbc_verify.landau.axisymmetric.solve_axisymmetric` at its default
  resolution, ``keep_states``) and its probe (:func:`~mbc_verify.landau.axisymmetric.record_coefficients`); it
  handles isotropic data too. Accuracy at its default resolution (measured, that module's docstring and tests): the
  solution to ~1e-10 in time and space, the probe's interpolation to ~1e-12 of each kernel's largest value.
  ``solver_options`` (e.g. ``n_r``, ``n_xi``, ``rtol``) are passed to the solver: a coarser grid is cheaper (the
  probe's weights cost O(n_r² n_ξ)); its accuracy is then the caller's to state (``tests/test_landau_mean_field.py``
  measures the grids claim C10 uses against the default one).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..initial import parse_init
from ..validation import check_array, check_gamma, check_int, check_positive
from .maxwell import second_moment_exact

__all__ = ["MeanFieldCoefficients", "gamma0_coefficients", "initial_second_moment"]


def gamma0_coefficients(v: object, m: object) -> tuple[np.ndarray, np.ndarray]:
    """((a ∗ f)(v), (b ∗ f)(v)) at γ = 0 for any f of mass 1, momentum 0 and second moment ``m`` (3 × 3), at the
    rows of ``v`` (M × 3): (|v|² + tr m) I − v⊗v − m and −2v (module docstring)."""
    v = check_array("v", v, (None, 3))
    m = check_array("m", m, (3, 3))
    s = np.sum(v * v, axis=1) + np.trace(m)
    return s[:, None, None] * np.eye(3) - v[:, :, None] * v[:, None, :] - m, -2.0 * v


def initial_second_moment(init: str) -> np.ndarray:
    """∫ v⊗v f₀ of a named datum (docs/spec.md §8): diag(T⊥, T⊥, T∥) for ``bimaxwellian``, (E/3) I otherwise (the
    other named data are isotropic)."""
    spec = parse_init(init)
    if spec.name == "bimaxwellian":
        tpar, tperp = spec.params
        return np.diag([tperp, tperp, tpar])
    return np.eye(3) * (spec.energy / 3.0)


class MeanFieldCoefficients:
    """(a ∗ f_t)(v), (b ∗ f_t)(v) at the snapshot times linspace(0, ``t_end``, ``snapshots``) of the Landau flow from
    ``init`` at exponent ``gamma`` (module docstring; ``solver_options`` go to the axisymmetric solver, γ ≠ 0;
    ``mutant``: a planted defect of the exact Maxwell rates (γ = 0) or of the axisymmetric solver, or None).
    ``at(k, points)`` evaluates snapshot k."""

    def __init__(self, gamma: float, init: str, t_end: float, snapshots: int, mutant: str | None = None,
                 **solver_options: Any) -> None:
        self.gamma = check_gamma(gamma)
        self.init = str(parse_init(init))
        self.t_end = check_positive("t_end", t_end)
        self.snapshots = check_int("snapshots", snapshots, 2)
        self.times = np.linspace(0.0, self.t_end, self.snapshots)
        self.record: dict[str, Any] | None = None
        if self.gamma == 0.0:
            self.second_moments = second_moment_exact(initial_second_moment(init), self.times, mutant)
        else:
            from .axisymmetric import solve_axisymmetric

            self.record = solve_axisymmetric(self.gamma, self.t_end, init=init, snapshots=self.snapshots,
                                             keep_states=True, mutant=mutant, **solver_options)
            self.second_moments = np.array(self.record["second_moment"])

    def at(self, k: int, points: object) -> tuple[np.ndarray, np.ndarray]:
        """((a ∗ f_{t_k})(v), (b ∗ f_{t_k})(v)) at ``points`` (M × 3): shapes (M, 3, 3) and (M, 3)."""
        k = check_int("k", k, 0, self.snapshots - 1)
        pts = check_array("points", points, (None, 3))
        if self.record is None:
            return gamma0_coefficients(pts, self.second_moments[k])
        from .axisymmetric import record_coefficients

        return record_coefficients(self.record, k, pts)
