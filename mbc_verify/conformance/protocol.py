"""The binary-collision operator protocol: what ``mbc-verify conform`` certifies (docs/conformance.md).

An operator advances the velocities of N particles of one species over one time step, in place::

    class CollisionOperator(Protocol):
        gamma: float                                   # the interaction exponent γ it was made for
        def step(self, v, dt, rng_seed, step_index): ...   # returns None

- ``v``: a C-contiguous float64 array of shape (N, 3), N ≥ 2, overwritten with the velocities after the step;
- ``dt``: the step length (> 0; the last step of an interval may be shorter than the others);
- ``rng_seed`` (int in [0, 2⁶³)), ``step_index`` (int ≥ 0, the step's number in the run): the step's randomness
  must be a deterministic function of (rng_seed, step_index) — e.g. ``np.random.default_rng([rng_seed,
  step_index])`` — so that a run is reproducible and its steps are independent. The conformance driver passes
  one ``rng_seed`` per system and counts the steps of each run from 0; runs at different Δt from the same
  initial data get the same seeds (common random numbers).

A **factory** makes an operator for one γ: ``factory(gamma=γ, **params)``; ``params`` are the operator's own
(e.g. ``h`` of the MBC engines). It is named by an import path ``pkg.module:factory``, by an entry point of the
group :data:`ENTRY_POINT_GROUP`, or by a built-in name (:mod:`mbc_verify.conformance.builtin`).

**Normalisation** (docs/spec.md §2, §9). The operator must approximate, over dt, the Landau master equation
(eq. (14)): each unordered pair {i, j} has its relative direction û = (v_i − v_j)/|v_i − v_j| diffusing on the
sphere with generator (2/N) |u|^γ Δ_S (eq. (16); the centre of mass and |u| kept), whose N → ∞ limit is the
Landau equation (1) with its ½. For a physical Coulomb code (γ = −3) this is its operator with time measured in
units of 1/ν₀, eq. (73). For the matched-pair family (Takizuka–Abe, Nanbu, …) with one uniform random matching per
step, a matched pair's direction-diffusion time is τ = dt |u|^γ (N − 1)/⌊N/2⌋ (eq. (63)).

Optional attribute ``continuous_time`` (default False): True for an operator that is exact in time (the MBC exact
engine), for which ``dt`` is only the length of the interval and certificates that fit a Δt order do not apply.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..validation import ArgumentError

ENTRY_POINT_GROUP = "mbc_verify.operators"
"""Entry-point group under which a package can register operator factories by name."""


@runtime_checkable
class CollisionOperator(Protocol):
    """A binary-collision operator (module docstring)."""

    gamma: float

    def step(self, v: np.ndarray, dt: float, rng_seed: int, step_index: int) -> None:
        """Advance the velocities ``v`` (N × 3 float64, in place) by one step of length ``dt``."""


OperatorFactory = Callable[..., CollisionOperator]
"""``factory(gamma=γ, **params) -> CollisionOperator``."""


def is_continuous_time(op: Any) -> bool:
    """Whether ``op`` declares itself exact in time (``continuous_time = True``)."""
    return bool(getattr(op, "continuous_time", False))


def check_operator(op: Any, gamma: float, name: str = "operator") -> CollisionOperator:
    """``op`` if it follows the protocol for ``gamma``; ArgumentError naming ``name`` otherwise.

    Checked: a ``step`` method and a ``gamma`` attribute equal to the requested γ; one step of a small system
    (N = 8, dt = 0.5) returns None, keeps the array's shape, dtype and finiteness, and moves the velocities (an
    operator that returns new velocities instead of writing them into ``v`` would otherwise look like one that
    never collides)."""
    if not callable(getattr(op, "step", None)) or not hasattr(op, "gamma"):
        raise ArgumentError(name, f"{name}: {type(op).__name__} does not follow the operator protocol (it needs a "
                                  "gamma attribute and a step(v, dt, rng_seed, step_index) method)")
    if float(op.gamma) != float(gamma):
        raise ArgumentError(name, f"{name}: the factory was asked for gamma = {gamma:g} but made an operator with "
                                  f"gamma = {op.gamma!r}")
    rng = np.random.default_rng(12345)
    v = rng.standard_normal((8, 3))
    v -= v.mean(axis=0)
    before = v.copy()
    out = op.step(v, 0.5, 1, 0)
    if out is not None:
        raise ArgumentError(name, f"{name}: step() returned {type(out).__name__}; the protocol advances v in place "
                                  "and returns None")
    if v.shape != (8, 3) or v.dtype != np.float64 or not np.all(np.isfinite(v)):
        raise ArgumentError(name, f"{name}: step() left v with shape {v.shape}, dtype {v.dtype} or non-finite "
                                  "values")
    if np.array_equal(v, before):
        raise ArgumentError(name, f"{name}: one step of 8 particles (dt = 0.5) left every velocity unchanged: "
                                  "step() must write the new velocities into v")
    return op
