"""Counter-based random numbers: reproducible bit for bit, independent of thread count and schedule.

Every random number is a pure function of ``(seed, stream, counter)``::

    key    = mix64(mix64(seed ^ K0) + stream · K1)
    x      = mix64(key + counter · K2)                      (uint64, arithmetic mod 2⁶⁴)
    U      = ((x >> 11) + ½) · 2⁻⁵³  ∈ (0, 1)               (53 random bits, never 0 or 1)

``mix64`` is the SplitMix64 finaliser (Steele, Lea, Flood, OOPSLA 2014), a bijection of 64-bit words with full
avalanche; SplitMix64 itself is exactly ``mix64(key + counter · golden)``, which passes BigCrush. Engines key a
stream by (replica, step, pair) and use the counter for the draws inside it, so the numbers a pair sees do not
depend on which thread handles it or in which order: same seed ⇒ the same trajectory, bit for bit, with any
number of numba threads.

Keys are uint64; every function casts its key argument with ``np.uint64`` (a bit-preserving cast of an int64), so a
key that went through Python (where it is a plain int and may be typed int64 by numba) gives the same numbers.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_K0 = np.uint64(0x9E3779B97F4A7C15)
_K1 = np.uint64(0xD1B54A32D192ED03)
_K2 = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_TWO_M53 = 2.0**-53


@njit(cache=True, inline="always")
def mix64(z: np.uint64) -> np.uint64:
    """SplitMix64 finaliser: a bijective 64-bit mixer."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(cache=True, inline="always")
def stream_key(seed: np.uint64, stream: np.uint64) -> np.uint64:
    """Key of stream ``stream`` under ``seed`` (both uint64)."""
    return mix64(mix64(np.uint64(seed) ^ _K0) + np.uint64(stream) * _K1)


@njit(cache=True, inline="always")
def substream(key: np.uint64, sub: np.uint64) -> np.uint64:
    """A key derived from ``key`` for sub-stream ``sub`` (e.g. stream = step, sub-stream = pair)."""
    return mix64(np.uint64(key) ^ mix64(np.uint64(sub) * _K1 + _K0))


@njit(cache=True, inline="always")
def bits(key: np.uint64, counter: np.uint64) -> np.uint64:
    """64 random bits: the ``counter``-th word of the stream with key ``key``."""
    return mix64(np.uint64(key) + np.uint64(counter) * _K2)


@njit(cache=True, inline="always")
def uniform(key: np.uint64, counter: np.uint64) -> float:
    """A uniform double in the open interval (0, 1): ((x >> 11) + ½) · 2⁻⁵³."""
    x = bits(key, counter)
    return ((x >> _S11) + 0.5) * _TWO_M53


@njit(cache=True)
def uniforms(seed: int, stream: int, n: int) -> np.ndarray:
    """The first ``n`` uniforms of a stream (for tests and seeding)."""
    key = stream_key(np.uint64(seed), np.uint64(stream))
    out = np.empty(n)
    for k in range(n):
        out[k] = uniform(key, np.uint64(k))
    return out
