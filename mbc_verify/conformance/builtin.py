"""The library's five collision operators behind the operator protocol (:mod:`mbc_verify.conformance.protocol`).

``mbc_fast`` (the fast MBC engine, docs/spec.md §5.4), ``mbc_exact`` (the exact MBC engine, §5.3: continuous time,
``continuous_time = True``), ``takizuka_abe``, ``nanbu``, ``spherical_bm`` (the baselines, §5.6). One operator
step of length dt is one segment of the one dispatcher :class:`mbc_verify.mbc.engines.Engine` with one step: the
segment index is ``step_index + 1`` and the seed ``rng_seed``, so a step is reproducible bit for bit. Besides
``step`` (one system) each has ``step_batch(v, dt, seeds, step_index)`` for R systems at once (v: R × N × 3, the
replicas in ``prange``), bitwise the same as ``step`` on each system: the conformance driver uses it.

The MBC engines need the grazing parameter ``h``; their Landau limit is h → 0 with an O(h²) bias (eq. (28)):
``mbc_fast`` defaults to :data:`DEFAULT_H_FAST`, whose bias (relative h²/3 on the traceless rate) is below the
resolution of the certificates, and ``mbc_exact``, whose cost grows like 1/h², to :data:`DEFAULT_H_EXACT`.
"""

from __future__ import annotations

import numpy as np

from ..mbc.engines import Engine
from ..mutants import NO_DEFECT
from ..runspec import RunSpec

DEFAULT_H_FAST = 0.1
DEFAULT_H_EXACT = 0.5


class EngineOperator:
    """A library engine as a :class:`~mbc_verify.conformance.protocol.CollisionOperator` (module docstring)."""

    def __init__(self, engine: str, gamma: float, h: float | None = None) -> None:
        spec = RunSpec.build(gamma=gamma, n=2, t_end=1.0, engine=engine, h=h, dt=None if engine == "exact" else 1.0)
        self.engine, self.gamma, self.h = spec.engine, spec.gamma, spec.h
        self.continuous_time = engine == "exact"
        self._engines: dict[int, Engine] = {}

    def _prepared(self, n: int) -> Engine:
        if n not in self._engines:
            RunSpec.build(gamma=self.gamma, n=n, t_end=1.0, engine=self.engine, h=self.h,
                          dt=None if self.continuous_time else 1.0)
            self._engines[n] = Engine.prepare(self.engine, self.gamma, self.h, 0, n, NO_DEFECT)
        return self._engines[n]

    def step_batch(self, v: np.ndarray, dt: float, seeds: np.ndarray, step_index: int) -> None:
        """One step of length ``dt`` of the R systems ``v`` (R × N × 3, in place), system r with ``seeds[r]``."""
        jumps = np.zeros(v.shape[0], dtype=np.int64)
        self._prepared(v.shape[1]).advance(v, np.asarray(seeds, dtype=np.int64), step_index + 1, 0.0, dt,
                                           None if self.continuous_time else dt, jumps)

    def step(self, v: np.ndarray, dt: float, rng_seed: int, step_index: int) -> None:
        """One step of length ``dt`` of the velocities ``v`` (N × 3, in place)."""
        self.step_batch(v[None], dt, np.array([rng_seed], dtype=np.int64), step_index)


def mbc_fast(gamma: float, h: float = DEFAULT_H_FAST) -> EngineOperator:
    """The fast MBC engine with grazing parameter ``h``."""
    return EngineOperator("fast", gamma, h)


def mbc_exact(gamma: float, h: float = DEFAULT_H_EXACT) -> EngineOperator:
    """The exact (continuous-time) MBC engine with grazing parameter ``h``."""
    return EngineOperator("exact", gamma, h)


def takizuka_abe(gamma: float) -> EngineOperator:
    """The Takizuka–Abe baseline."""
    return EngineOperator("takizuka_abe", gamma)


def nanbu(gamma: float) -> EngineOperator:
    """The Nanbu baseline."""
    return EngineOperator("nanbu", gamma)


def spherical_bm(gamma: float) -> EngineOperator:
    """The pairwise spherical Brownian motion baseline."""
    return EngineOperator("spherical_bm", gamma)


BUILTINS = {"mbc_fast": mbc_fast, "mbc_exact": mbc_exact, "takizuka_abe": takizuka_abe, "nanbu": nanbu,
            "spherical_bm": spherical_bm}
"""Built-in operator names and their factories."""
