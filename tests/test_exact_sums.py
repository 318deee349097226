"""Error-free transformations and accurate sums (mbc_verify.exact_sums), checked in exact rational arithmetic."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mbc_verify.exact_sums import exact_energy, exact_momentum, two_prod, two_sum

EPS = 2.0**-53
moderate = st.floats(-1e100, 1e100, allow_nan=False, allow_infinity=False).filter(lambda x: x == 0 or abs(x) > 1e-100)


@settings(max_examples=200)
@given(moderate, moderate)
def test_two_sum_and_two_prod_are_error_free(a, b):
    s, e = two_sum(a, b)
    assert s == a + b and Fraction(s) + Fraction(e) == Fraction(a) + Fraction(b)
    p, f = two_prod(a, b)
    assert p == a * b and Fraction(p) + Fraction(f) == Fraction(a) * Fraction(b)


@settings(max_examples=50)
@given(st.integers(0, 2**31), st.integers(2, 40), st.integers(-30, 30))
def test_exact_energy_within_one_ulp_of_the_exact_sum(seed, n, scale):
    v = np.random.default_rng(seed).standard_normal((n, 3)) * 2.0**scale
    # Dot2 on a sum of squares (condition number 1): |error| ≤ ε|s| + O(n²ε²)|s| < 1 ulp (Ogita–Rump–Oishi 2005)
    for rows in (np.arange(n), np.array([0, n - 1])):
        exact = sum(Fraction(x) ** 2 for x in v[rows].ravel())
        got = exact_energy(v, rows)
        assert abs(Fraction(got) - exact) <= Fraction(float(np.spacing(float(exact))))


@settings(max_examples=50)
@given(st.integers(0, 2**31), st.integers(2, 40))
def test_exact_momentum_meets_the_sum2_bound(seed, n):
    v = np.random.default_rng(seed).standard_normal((n, 3)) * 10.0 ** np.random.default_rng(seed + 1).uniform(
        -8, 8, (n, 1))
    got = exact_momentum(v)
    gamma = (n - 1) * EPS / (1 - (n - 1) * EPS)
    for k in range(3):
        col = v[:, k]
        exact = math.fsum(col)  # correctly rounded
        # Sum2 (Ogita–Rump–Oishi 2005, Prop. 4.5): |res − s| ≤ ε|s| + γ_{n−1}² Σ|p_i|, plus the rounding of fsum
        assert abs(got[k] - exact) <= EPS * abs(exact) + gamma**2 * np.abs(col).sum() + np.spacing(abs(exact))


def test_compensation_recovers_what_plain_summation_loses():
    v = np.array([[1e16, 0.0, 0.0], [1.0, 0.0, 0.0], [-1e16, 0.0, 0.0]])
    assert v[:, 0].cumsum()[-1] == 0.0  # negative control: left-to-right float summation loses the 1
    assert exact_momentum(v)[0] == 1.0
