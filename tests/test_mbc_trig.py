"""The library-free sines and cosines of mbc_verify.mbc.trig against mpmath.

(cos 2πu, sin 2πu) must be within ``TURN_ULPS`` = 4 and sin²(πu) within ``HAV_ULPS`` = 9 units of 2⁻⁵³, relative to
the exact value (the bounds derived in the module docstring: the Taylor remainders are below 10⁻¹⁸, the rest is the
rounding of the argument and of the polynomial's evaluation, doubled by the square). Exact zeros of the exact
function must come out as exact zeros (the reduction is exact). The reference is mpmath's ``sinpi``/``cospi``, exact
at rational multiples of π. Negative control: the same kernel truncated two terms early exceeds the bound, so the
test can see a wrong polynomial.

"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mbc_verify.mbc.trig import _S, HAV_ULPS, TURN_ULPS, hav_pi, turn

EPS = 2.0**-53


def _rel(got: float, exact: mp.mpf) -> float:
    """|got − exact| / |exact| in units of 2⁻⁵³ (0 when both vanish, inf when only the exact value does)."""
    if exact == 0:
        return 0.0 if got == 0.0 else math.inf
    return float(abs(mp.mpf(got) - exact) / abs(exact)) / EPS


def _worst(u: float) -> float:
    """The larger of hav_pi's and turn's errors at u, each relative to its own bound."""
    with mp.workprec(160):
        x = mp.mpf(u)
        c, s = turn(u)
        hav = _rel(hav_pi(u), mp.sinpi(x) ** 2) / HAV_ULPS
        return max(hav, _rel(c, mp.cospi(2 * x)) / TURN_ULPS, _rel(s, mp.sinpi(2 * x)) / TURN_ULPS)


@given(st.one_of(st.floats(2.0**-500, 1.0), st.sampled_from([0.0, 1.0])))
def test_within_the_ulp_bound_anywhere(u: float) -> None:
    """Every u the samplers pass (rng.py's uniforms are ≥ 2⁻⁵⁴); below 2⁻⁵⁰⁰ the square (πu)² would underflow."""
    assert _worst(u) <= 1.0


def test_within_the_ulp_bound_at_the_reduction_edges_and_a_dense_grid() -> None:
    edges = [j / 8.0 + d for j in range(9) for d in (0.0, 2.0**-40, -(2.0**-40), 2.0**-53, -(2.0**-53))]
    grid = list(np.linspace(0.0, 1.0, 2049)) + list(np.random.default_rng(3).random(2000))
    worst = max(_worst(u) for u in edges + grid if 0.0 <= u <= 1.0)
    assert worst <= 1.0


def test_negative_control_a_truncated_kernel_breaks_the_bound() -> None:
    x = math.pi / 4.0
    z = x * x
    short = x + x * z * sum(_S[k] * z ** (k - 1) for k in range(1, 7))  # through x¹¹ instead of x¹⁷
    with mp.workprec(160):
        assert _rel(short, mp.sinpi(mp.mpf(1) / 4)) > TURN_ULPS
