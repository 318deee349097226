"""Anisotropic runs shared by claims C7 and C8: axisymmetric data, run lengths, fine/coarse run pairs.

The data are bi-Maxwellians (``bimaxwellian:T∥,T⊥``, axis z, docs/spec.md §8) and Maxwellian mixtures displaced
along the axis (:class:`mbc_verify.landau.axisymmetric.AxialMixture`, given in a claim's sizes as a list of
(weight, temperature, axial drift) triples). Runs use :func:`mbc_verify.landau.axisymmetric.solve_axisymmetric` at
its default resolution, with v_max raised to resolve the equilibrium as well
(:func:`mbc_verify.landau.axisymmetric_diagnostics.equilibrium_v_max`), and last a given number of relaxation
times τ = H(f₀|M)/D(f₀) (:func:`~mbc_verify.landau.axisymmetric_diagnostics.relaxation_time`, from the correct
operator: the run length is a design parameter, the same with or without a planted defect).

**Step budget.** A run may take on average at most ``STEPS_PER_OUTPUT`` adaptive steps per output interval (the
correct runs of C7 and C8 take ≤ 4); a run that exceeds it, or whose step size collapses (the solver's
``RuntimeError``), raises :class:`RunFailed`, which the claims report as a failed check (a planted defect can make
the density concentrate, so that the adaptive steps shrink without end).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..landau.axisymmetric import AxialMixture, solve_axisymmetric
from ..landau.axisymmetric_diagnostics import coarser, equilibrium_v_max, relaxation_time

Datum = str | Sequence[Sequence[float]]
#: resource limit of a run: adaptive steps per output interval, on average (module docstring)
STEPS_PER_OUTPUT = 10


class RunFailed(Exception):
    """An axisymmetric run exceeded its step budget or could not be resolved (module docstring)."""


def solve_guarded(gamma: float, t_end: float, *, init: Any, snapshots: int, **options: Any) -> dict[str, Any]:
    """:func:`solve_axisymmetric` within the step budget; :class:`RunFailed` when it is exceeded or the step size
    collapses."""
    limit = STEPS_PER_OUTPUT * (snapshots - 1)
    count = [0]

    def budget(t: float, _t_end: float) -> None:
        count[0] += 1
        if count[0] > limit:
            raise RunFailed(f"more than {limit} steps ({STEPS_PER_OUTPUT} per output interval) by t = {t:.6g}")

    try:
        return solve_axisymmetric(gamma, t_end, init=init, snapshots=snapshots, progress=budget, **options)
    except RuntimeError as err:
        if str(err).startswith("rtol:"):
            raise RunFailed(str(err)) from err
        raise


def axial_datum(spec: Datum) -> str | AxialMixture:
    """The datum a sizes entry names: an initial-data name, or an :class:`AxialMixture` of (w, T, u) triples."""
    return spec if isinstance(spec, str) else AxialMixture(tuple(tuple(float(x) for x in c) for c in spec))


def datum_label(spec: Datum) -> str:
    """Short printable name of a datum (the :class:`AxialMixture` name for mixtures)."""
    d = axial_datum(spec)
    return d if isinstance(d, str) else d.name


def run_length(gamma: float, spec: Datum, relaxation_times: float) -> float:
    """``relaxation_times`` · τ for the datum at exponent γ (module docstring)."""
    init = axial_datum(spec)
    return relaxation_times * relaxation_time(gamma, init, v_max=equilibrium_v_max(init))


def run_pair(gamma: float, spec: Datum, t_end: float, snapshots: int, mutant: str | None,
             coarse: bool = True) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(fine, coarse) records with ``keep_states``: the default resolution and its :func:`coarser` partner (None
    when ``coarse`` is False); :class:`RunFailed` as :func:`solve_guarded`."""
    init = axial_datum(spec)
    fine = solve_guarded(gamma, t_end, init=init, snapshots=snapshots, v_max=equilibrium_v_max(init),
                         mutant=mutant, keep_states=True)
    if not coarse:
        return fine, None
    return fine, solve_guarded(gamma, t_end, init=init, snapshots=snapshots, mutant=mutant, keep_states=True,
                               **coarser(fine))
