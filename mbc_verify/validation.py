"""Input validation shared by the library and the CLI (docs/spec.md §8, last item).

Every public function validates its arguments with these helpers. A bad value raises a
``ValueError`` whose message starts with the parameter's name and states the allowed range,
e.g. ``gamma: must lie in [-3, 1], got 1.5``. The CLI prints that message in one line and
exits with status 2.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

GAMMA_MIN = -3.0
GAMMA_MAX = 1.0


class ArgumentError(ValueError):
    """A bad argument: the message starts with the parameter's name (``param``), e.g. ``h: must lie in (0, pi),
    got 4.0``. The CLI replaces that name by the flag the user typed (``--grazing``); ``param`` is the bare name
    (``"init"`` for a message starting ``"init (K0): ..."``)."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param.split(" ", 1)[0]


def fail(name: str, rule: str, value: object) -> ArgumentError:
    """The ArgumentError ``"{name}: {rule}, got {value!r}"`` (to be raised by the caller)."""
    return ArgumentError(name, f"{name}: {rule}, got {value!r}")


def check_real(name: str, value: object, allowed: str = "") -> float:
    """A finite real number (bool, NaN and inf refused); ``allowed`` (e.g. "in [-3, 1]") goes in the message."""
    rule = "must be a finite real number" + (f" {allowed}" if allowed else "")
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise fail(name, rule, value)
    x = float(value)
    if not math.isfinite(x):
        raise fail(name, rule, value)
    return x


def check_gamma(gamma: object, name: str = "gamma") -> float:
    """Interaction exponent γ ∈ [-3, 1] (docs/spec.md §1; γ = -3 is Coulomb)."""
    g = check_real(name, gamma, f"in [{GAMMA_MIN:g}, {GAMMA_MAX:g}]")
    if not GAMMA_MIN <= g <= GAMMA_MAX:
        raise fail(name, f"must lie in [{GAMMA_MIN:g}, {GAMMA_MAX:g}]", gamma)
    return g


def check_grazing(h: object, name: str = "h") -> float:
    """Grazing parameter (rotation angle) h ∈ (0, π) (docs/spec.md §3)."""
    x = check_real(name, h, "in (0, pi)")
    if not 0.0 < x < math.pi:
        raise fail(name, "must lie in (0, pi)", h)
    return x


def check_positive(name: str, value: object) -> float:
    """A finite real number > 0 (temperatures T, times, time steps, widths)."""
    x = check_real(name, value, "> 0")
    if not x > 0.0:
        raise fail(name, "must be > 0", value)
    return x


def check_nonnegative(name: str, value: object) -> float:
    """A finite real number ≥ 0."""
    x = check_real(name, value, ">= 0")
    if not x >= 0.0:
        raise fail(name, "must be >= 0", value)
    return x


def check_int(name: str, value: object, minimum: int, maximum: int | None = None) -> int:
    """An integer in [minimum, maximum] (bool refused; integral floats refused too)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise fail(name, "must be an integer", value)
    k = int(value)
    if k < minimum or (maximum is not None and k > maximum):
        rng = f">= {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
        raise fail(name, f"must be an integer {rng}", value)
    return k


def check_n_particles(n: object, name: str = "n") -> int:
    """Number of particles N ≥ 2 (a pair is the smallest system that collides)."""
    return check_int(name, n, 2)


def check_seed(seed: object, name: str = "seed") -> int:
    """A seed: integer in [0, 2**63 - 1]."""
    return check_int(name, seed, 0, 2**63 - 1)


def check_array(
    name: str,
    value: object,
    shape: Sequence[int | None] | None = None,
    *,
    finite: bool = True,
) -> np.ndarray:
    """A float64 array with the given shape (``None`` entries are free); NaN/inf refused.

    Returns a C-contiguous float64 copy when a conversion is needed, the array itself otherwise.
    """
    try:
        arr = np.ascontiguousarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise fail(name, "must be an array of real numbers", type(value).__name__) from exc
    if shape is not None:
        ok = arr.ndim == len(shape) and all(s is None or s == d for s, d in zip(shape, arr.shape, strict=False))
        if not ok:
            want = "(" + ", ".join("*" if s is None else str(s) for s in shape) + ")"
            raise fail(name, f"must have shape {want}", arr.shape)
    if finite and not np.all(np.isfinite(arr)):
        raise fail(name, "must contain only finite values (no NaN or inf)", "array with NaN/inf")
    return arr


def check_velocities(v: object, name: str = "v") -> np.ndarray:
    """Velocities of N ≥ 2 particles in R³: a finite float64 array of shape (N, 3)."""
    arr = check_array(name, v, (None, 3))
    if arr.shape[0] < 2:
        raise fail(name, "must hold N >= 2 particles (shape (N, 3))", arr.shape)
    return arr


def check_choice(name: str, value: object, choices: Sequence[str]) -> str:
    """One of a fixed set of names."""
    if not isinstance(value, str) or value not in choices:
        raise fail(name, "must be one of " + ", ".join(choices), value)
    return value
