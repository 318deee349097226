"""The MBC particle layer (docs/spec.md §3): the jump kernel, the exact and fast engines, runs, ensembles, probes.

Public entry points (imported lazily): :func:`simulate` and :func:`advance` (one run; the dispatcher
:class:`~mbc_verify.mbc.engines.Engine` serves the MBC engines and the baselines), :func:`run_ensemble`,
:func:`run_states`, :func:`ensemble_states`, :func:`replica_seed` (ensembles), :func:`sample_initial` (initial
data), :func:`moments`, :func:`pair_singular_moment`, :func:`collision_coefficient`, :func:`drift_coefficient`
(observables), :func:`zonal_generator` (an engine-level probe of the generator).
"""

from __future__ import annotations

from ..lazy import lazy_face

_EXPORTS = {
    "advance": "mbc_verify.mbc.api", "simulate": "mbc_verify.mbc.api",
    "Engine": "mbc_verify.mbc.engines",
    "OBSERVABLES": "mbc_verify.mbc.ensemble", "ensemble_states": "mbc_verify.mbc.ensemble",
    "replica_seed": "mbc_verify.mbc.ensemble", "replica_seeds": "mbc_verify.mbc.ensemble",
    "run_ensemble": "mbc_verify.mbc.ensemble", "run_states": "mbc_verify.mbc.ensemble",
    "sample_initial": "mbc_verify.mbc.initial",
    "collision_coefficient": "mbc_verify.mbc.observables", "drift_coefficient": "mbc_verify.mbc.observables",
    "moments": "mbc_verify.mbc.observables",
    "pair_singular_moment": "mbc_verify.mbc.observables",
    "zonal_generator": "mbc_verify.mbc.probes",
}
__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_face(__name__, _EXPORTS, globals())
