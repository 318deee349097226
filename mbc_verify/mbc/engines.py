"""The one dispatcher: a batch of R systems advanced through one segment by any engine, in chunks.

Engines (operators) are the MBC ``exact`` engine (:mod:`mbc_verify.mbc.exact`), the MBC ``fast`` engine and the
binary-collision baselines ``takizuka_abe``, ``nanbu``, ``spherical_bm`` (:mod:`mbc_verify.mbc.matching`). A
:class:`Engine` is prepared once per run description (tables built, defect resolved); :meth:`Engine.advance`
moves R systems (v: R × N × 3) from t0 to t1 as segment ``index`` of their random streams. The work is cut into
chunks — a number of steps (time-stepped engines) or of exact resummation periods (exact engine) — returning to
Python between chunks, so that Ctrl-C is honoured within a fraction of a second and a progress callback can report.
The chunk size adapts to the measured time of the previous chunk (target :data:`CHUNK_SECONDS`), starting from a
small work estimate; the result is bitwise the same as in one call, whatever the chunking and the thread count.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..interrupts import check as check_interrupt
from ..mutants import Defect
from .exact import JumpLaw, advance_exact, batch_exact, jump_law
from .fast import fast_law
from .matching import (
    OPERATORS,
    PARALLEL_MIN_N,
    PairLaw,
    Segment,
    baseline_law,
    batch_steps,
    n_steps,
    steps_parallel,
)

CHUNK_UPDATES = 2**19
"""Pair updates of the first chunk of a time-stepped engine (a small start; later chunks adapt)."""
CHUNK_EXACT = 2**19
"""Rate evaluations of the first chunk of the exact engine (a jump costs 2N of them; later chunks adapt)."""
CHUNK_SECONDS = 0.2
"""Target wall time of one chunk."""


class Chunker:
    """The size of the next chunk: ``size`` units, rescaled after each chunk by CHUNK_SECONDS / (its wall time),
    by a factor in [1/4, 4], never below 1."""

    def __init__(self, size: int) -> None:
        self.size = max(1, int(size))
        self._t = 0.0

    def start(self) -> int:
        self._t = time.perf_counter()
        return self.size

    def done(self) -> None:
        elapsed = time.perf_counter() - self._t
        factor = 4.0 if elapsed <= 0.0 else min(4.0, max(0.25, CHUNK_SECONDS / elapsed))
        self.size = max(1, int(self.size * factor))

Progress = Callable[[float], object]


@dataclass(frozen=True)
class Engine:
    """A prepared engine: its name, its numba law (:class:`JumpLaw` or :class:`PairLaw`) and planted defect."""

    name: str
    law: JumpLaw | PairLaw
    defect: Defect
    n: int

    @classmethod
    def prepare(cls, name: str, gamma: float, h: float | None, kernel: int, n: int, defect: Defect) -> Engine:
        """The engine ``name`` for N = ``n`` particles (``h``: the grazing parameter of the MBC engines)."""
        if name == "exact":
            return cls(name, jump_law(gamma, h, kernel, n, defect), defect, n)
        if name == "fast":
            return cls(name, fast_law(gamma, h, kernel, defect), defect, n)
        return cls(name, baseline_law(OPERATORS[name], gamma), defect, n)

    @property
    def exact(self) -> bool:
        """Whether this is the continuous-time exact engine (no time step)."""
        return self.name == "exact"

    def new_perm(self, replicas: int) -> np.ndarray:
        """The matching state at the start of a segment: the identity permutation per replica."""
        return np.tile(np.arange(self.n, dtype=np.int64), (replicas, 1))

    def advance(self, v: np.ndarray, seeds: np.ndarray, index: int, t0: float, t1: float, dt: float | None,
                jumps: np.ndarray, progress: Progress | None = None) -> None:
        """Advance the R systems ``v`` (R × N × 3, in place) from t0 to t1 as segment ``index``; jumps[r] (int64)
        accumulates each replica's jump (or collision) count. ``progress(t)`` after every chunk."""
        if self.exact:
            self._advance_exact(v, seeds, index, t0, t1, jumps, progress)
        else:
            self._advance_matched(v, seeds, index, t0, t1, dt, jumps, progress)

    def _advance_matched(self, v: np.ndarray, seeds: np.ndarray, index: int, t0: float, t1: float, dt: float,
                         jumps: np.ndarray, progress: Progress | None) -> None:
        replicas = v.shape[0]
        perm = self.new_perm(replicas)
        nsteps = n_steps(t0, t1, dt)
        chunk = Chunker(CHUNK_UPDATES // (replicas * max(self.n // 2, 1)))
        seg = Segment(np.int64(seeds[0]), np.int64(index), t0, t1, dt)
        s0 = 0
        while s0 < nsteps:
            s1 = min(s0 + chunk.start(), nsteps)
            if replicas == 1 and self.n >= PARALLEL_MIN_N:
                jumps[0] += steps_parallel(v[0], perm[0], seg, s0, s1, self.law, self.defect)
            else:
                batch_steps(v, perm, seeds, seg, s0, s1, self.law, self.defect, jumps)
            chunk.done()
            check_interrupt()
            s0 = s1
            if progress is not None:
                progress(t0 + (t1 - t0) * s1 / nsteps)

    def _advance_exact(self, v: np.ndarray, seeds: np.ndarray, index: int, t0: float, t1: float,
                       jumps: np.ndarray, progress: Progress | None) -> None:
        replicas = v.shape[0]
        periods = Chunker(CHUNK_EXACT // (2 * replicas * self.n * self.n))
        t = np.full(replicas, t0)
        made = np.zeros(replicas, dtype=np.int64)
        done = np.zeros(replicas, dtype=np.bool_)
        while not done.all():
            max_jumps = np.int64(periods.start() * self.n)
            if replicas == 1:
                k, t[0], done[0] = advance_exact(v[0], np.int64(seeds[0]), np.int64(index), t[0], t1, made[0],
                                                 max_jumps, self.law, self.defect)
                made[0] += k
            else:
                batch_exact(v, seeds, np.int64(index), t, t1, made, done, max_jumps, self.law, self.defect)
            periods.done()
            check_interrupt()
            if progress is not None:
                progress(float(t.min()))
        jumps += made
