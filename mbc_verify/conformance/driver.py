"""The generic driver: R systems advanced through given times by any operator of the protocol.

:meth:`Driver.advance` cuts [t0, t1] into steps of length dt (the last one ends exactly at t1:
:func:`mbc_verify.mbc.matching.n_steps`, :func:`~mbc_verify.mbc.matching.step_length`) and calls, per step,
the operator's ``step_batch(v, dt, seeds, step_index)`` when it has one (the built-ins: one numba call per step for
all R systems) or else ``step(v[r], dt, seeds[r], step_index)`` for each system r in turn. Step indices count the
steps of a run from 0. A continuous-time operator gets one call per interval.

Cost of a user operator (no ``step_batch``): one Python call per system and step, so R · (t_end/dt) calls; a
vectorised NumPy operator costs about 20 µs + 0.1–0.3 µs per particle per call (measured for
:class:`mbc_verify.conformance.examples.NumpyTakizukaAbe`); the certificates' sizes keep the quick profile to a
few minutes for such an operator (docs/conformance.md lists the totals).

Initial data: system r of an ensemble with master seed s has the seed s_r of
:func:`mbc_verify.mbc.ensemble.replica_seed` for both its initial velocities
(:func:`mbc_verify.mbc.initial.sample_initial`) and its ``rng_seed``, so runs at several Δt from the same
master seed start from the same velocities and share their random seeds (common random numbers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from ..mbc.ensemble import replica_seeds
from ..mbc.initial import sample_initial
from ..mbc.matching import n_steps, step_length
from ..runspec import check_finite
from ..validation import check_positive
from .protocol import CollisionOperator, is_continuous_time

Observe = Callable[[np.ndarray], np.ndarray]
"""``observe(v)`` for v of shape R × N × 3 → features R × F."""


class Driver:
    """Advances R systems by one operator (module docstring)."""

    def __init__(self, op: CollisionOperator) -> None:
        self.op = op
        self.continuous_time = is_continuous_time(op)
        self._batch = getattr(op, "step_batch", None)

    def step_lengths(self, t0: float, t1: float, dt: float) -> list[float]:
        """The lengths of the steps from t0 to t1 (one interval for a continuous-time operator)."""
        if self.continuous_time:
            return [t1 - t0] if t1 > t0 else []
        dt = check_positive("dt", dt)
        k = n_steps(t0, t1, dt)
        return [step_length(t0, t1, dt, k, s) for s in range(k)]

    def advance(self, v: np.ndarray, seeds: np.ndarray, t0: float, t1: float, dt: float, first_step: int = 0) -> int:
        """Advance the systems ``v`` (R × N × 3, in place) from t0 to t1; return the next step index."""
        k = first_step
        for tau in self.step_lengths(t0, t1, dt):
            if self._batch is not None:
                self._batch(v, tau, seeds, k)
            else:
                for r in range(v.shape[0]):
                    self.op.step(v[r], tau, int(seeds[r]), k)
            k += 1
        return k


def observe_run(driver: Driver, v: np.ndarray, seeds: np.ndarray, times: np.ndarray, dt: float,
                observe: Observe) -> np.ndarray:
    """Features (R × K × F) of the systems ``v`` (advanced in place) at the K ``times``, starting at times[0]."""
    first = observe(v)
    out = np.empty((v.shape[0], len(times), first.shape[1]))
    out[:, 0] = first
    step = 0
    for k in range(1, len(times)):
        step = driver.advance(v, seeds, float(times[k - 1]), float(times[k]), dt, step)
        check_finite("velocities", v, float(times[k]))
        out[:, k] = observe(v)
    return out


def blocks(init: str, n: int, replicas: int, seed: int, block: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(seeds, initial velocities B × N × 3) of consecutive blocks of an ensemble (module docstring)."""
    for r0 in range(0, replicas, block):
        seeds = replica_seeds(seed, r0, min(r0 + block, replicas))
        yield seeds, np.stack([sample_initial(init, n, int(s)) for s in seeds])


def ensemble(driver: Driver, init: str, n: int, replicas: int, seed: int, times: np.ndarray, dt: float,
             observe: Observe, block: int = 64) -> np.ndarray:
    """Features (R × K × F) of an ensemble of R systems of N particles from ``init`` at ``times``."""
    return np.concatenate([observe_run(driver, v, s, times, dt, observe)
                           for s, v in blocks(init, n, replicas, seed, block)])


REPEAT_STRIDE = 0x9E3779B97F4A7C15
"""Seed offset of the repeats of a run (odd: the seeds of different repeats never coincide)."""


def repeat_seeds(seeds: np.ndarray, j: int) -> np.ndarray:
    """The seeds of repeat j: (s + j · REPEAT_STRIDE) mod 2⁶³ (repeat 0: the seeds themselves)."""
    return np.array([(int(x) + j * REPEAT_STRIDE) % 2**63 for x in seeds], dtype=np.int64)


def ladder(driver: Driver, init: str, n: int, replicas: int, seed: int, dts: list[float],
           times: Callable[[float], np.ndarray], observe: Observe, block: int = 64,
           repeats: list[int] | None = None) -> list[np.ndarray]:
    """For each Δt of ``dts``: features (R × K × F) at ``times(Δt)``, every Δt from the same initial velocities and
    seeds (common random numbers). With ``repeats``, the run at dts[k] is repeated repeats[k] times from the same
    initial velocities with independent seeds (:func:`repeat_seeds`) and the features are averaged over the
    repeats (a per-system mean: independent systems stay independent)."""
    reps = repeats if repeats is not None else [1] * len(dts)
    parts: list[list[np.ndarray]] = [[] for _ in dts]
    for s, v0 in blocks(init, n, replicas, seed, block):
        for k, dt in enumerate(dts):
            runs = [observe_run(driver, v0.copy(), repeat_seeds(s, j), times(dt), dt, observe) for j in range(reps[k])]
            parts[k].append(np.mean(runs, axis=0))
    return [np.concatenate(p) for p in parts]


def second_moment(v: np.ndarray) -> np.ndarray:
    """M = (1/N) Σ v_i ⊗ v_i per system, flattened (R × 9)."""
    return np.einsum("rni,rnj->rij", v, v).reshape(v.shape[0], 9) / v.shape[1]


def tpar(v: np.ndarray) -> np.ndarray:
    """T∥ = (1/N) Σ v_{i,z}² per system (R × 1)."""
    return np.mean(v[..., 2] ** 2, axis=1)[:, None]
