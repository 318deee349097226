"""Random variates for the baseline collision steps, drawn from the project's counter-based stream.

Every draw is a pure function of (key, counter) (:mod:`mbc_verify.mbc.rng`), so a baseline run is reproducible
bit for bit and independent of the thread count, exactly as the MBC engines.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..mbc.rng import uniform

_TWO_PI = 2.0 * math.pi


@njit(cache=True)
def normal(key: np.uint64, counter: np.uint64) -> float:
    """A standard normal variate by Box–Muller from the uniforms at ``counter`` and ``counter + 1``.

    Z = √(-2 ln U₁) cos(2π U₂); U₁ ∈ (0, 1) is never 0 (:func:`mbc_verify.mbc.rng.uniform`), so Z is finite.
    """
    u1 = uniform(key, counter)
    u2 = uniform(key, counter + np.uint64(1))
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(_TWO_PI * u2)
