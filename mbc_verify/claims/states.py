"""Ensemble states for any named datum, ``mixture`` included (claims C5, C10).

:func:`mbc_verify.mbc.ensemble.ensemble_states` draws its initial states with
:func:`mbc_verify.mbc.initial.sample_initial`, which refuses ``mixture`` (a density of the deterministic solvers).
:func:`named_states` draws replica r's initial state with the replica seed s_r = ``replica_seed(seed, r)`` — by
:func:`~mbc_verify.mbc.initial.sample_mixture` for a ``mixture``, by ``sample_initial`` otherwise — and runs it with
:func:`mbc_verify.mbc.ensemble.run_states` under the same seed: for the particle data this is ``ensemble_states``
bit for bit.
"""

from __future__ import annotations

import numpy as np

from ..initial import parse_init
from ..mbc.ensemble import replica_seeds, run_states
from ..mbc.initial import sample_initial, sample_mixture


def named_states(gamma: float, h: float, n: int, t_end: float, *, replicas: int, init: str, snapshots: int,
                 seed: int, mutant: str | None = None, engine: str = "fast") -> tuple[np.ndarray, np.ndarray]:
    """(times, velocities R × K × N × 3) at K = ``snapshots`` equally spaced times on [0, t_end] (module docstring)."""
    sample = sample_mixture if parse_init(init).name == "mixture" else sample_initial
    seeds = replica_seeds(seed, 0, replicas)
    v0 = np.stack([sample(init, n, int(s)) for s in seeds])
    times = np.linspace(0.0, t_end, snapshots)
    return times, run_states(v0, seeds, times, gamma, h, engine=engine, mutant=mutant)
