"""Double-double arithmetic: a real number as an unevaluated sum hi + lo of two float64 (|lo| ≤ ulp(hi)/2).

Used only to *build and certify* tables (never at sampling time): evaluating a Legendre series whose value is a
small tail probability needs an absolute accuracy far below float64's 2⁻⁵³, and so do the one-jump eigenvalues it
is built from (cos and exp in double-double below, with constants from mpmath). The error-free transformations are
Knuth's TwoSum and Dekker's TwoProduct with Veltkamp splitting (T. J. Dekker, "A floating-point technique for
extending the available precision", Numer. Math. 18 (1971) 224–242); the double-double operations follow
Y. Hida, X. S. Li, D. H. Bailey, "Algorithms for quad-double precision floating point arithmetic", ARITH-15
(2001), and have a relative error of a few 2⁻¹⁰⁶. They rely on IEEE round-to-nearest without re-association or
contraction, i.e. no ``fastmath`` (numba's default).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

_SPLIT = 134217729.0  # 2^27 + 1


@njit(cache=True, inline="always")
def two_sum(a: float, b: float) -> tuple:
    """(s, e) with s = fl(a + b) and a + b = s + e exactly (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


@njit(cache=True, inline="always")
def quick_two_sum(a: float, b: float) -> tuple:
    """(s, e) with s = fl(a + b), a + b = s + e exactly, valid when |a| ≥ |b| (Dekker)."""
    s = a + b
    return s, b - (s - a)


@njit(cache=True, inline="always")
def two_prod(a: float, b: float) -> tuple:
    """(p, e) with p = fl(a·b) and a·b = p + e exactly (Dekker, Veltkamp splitting; no overflow assumed)."""
    p = a * b
    c = _SPLIT * a
    ah = c - (c - a)
    al = a - ah
    c = _SPLIT * b
    bh = c - (c - b)
    bl = b - bh
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


@njit(cache=True, inline="always")
def dd_add(ah: float, al: float, bh: float, bl: float) -> tuple:
    """(a + b) in double-double."""
    s, e = two_sum(ah, bh)
    t, f = two_sum(al, bl)
    e += t
    s, e = quick_two_sum(s, e)
    e += f
    return quick_two_sum(s, e)


@njit(cache=True, inline="always")
def dd_mul(ah: float, al: float, bh: float, bl: float) -> tuple:
    """(a · b) in double-double."""
    p, e = two_prod(ah, bh)
    e += ah * bl + al * bh
    return quick_two_sum(p, e)


@njit(cache=True, inline="always")
def dd_mul_d(ah: float, al: float, b: float) -> tuple:
    """(a · b) for a double-double a and a float64 b."""
    p, e = two_prod(ah, b)
    e += al * b
    return quick_two_sum(p, e)


@njit(cache=True, inline="always")
def dd_div_d(a: float, b: float) -> tuple:
    """a / b for float64 a, b, as a double-double (one Newton correction of fl(a/b))."""
    q = a / b
    p, e = two_prod(q, b)
    r = ((a - p) - e) / b
    return quick_two_sum(q, r)


def _constants() -> tuple:
    """Double-double constants from mpmath (40 digits): cos/sin(jπ/16), j = 0..16; 1/n!, n = 0..25; π/16; ln 2."""
    import mpmath as mp

    def split(x: mp.mpf) -> tuple:
        hi = float(x)
        return hi, float(x - mp.mpf(hi))

    with mp.workdps(40):
        trig = np.array([split(mp.cos(j * mp.pi / 16)) + split(mp.sin(j * mp.pi / 16)) for j in range(17)])
        inv_fact = np.array([split(1 / mp.factorial(n)) for n in range(26)])
        pi16 = np.array(split(mp.pi / 16))
        ln2 = np.array(split(mp.log(2)))
    return trig, inv_fact, pi16, ln2


_TRIG, _INV_FACT, _PI16, _LN2 = _constants()


@njit(cache=True)
def dd_cos_sin(th: float, tl: float) -> tuple:
    """(cos t, sin t) in double-double for t = th + tl ∈ [0, π]: t = jπ/16 + r with |r| ≤ π/32, Taylor series of
    cos r and sin r to r^25 (remainder < 10⁻³⁸), and the angle-addition formula with tabulated cos, sin(jπ/16)."""
    j = min(16, max(0, int(round(th / _PI16[0]))))
    ph, pl = dd_mul_d(_PI16[0], _PI16[1], float(j))
    rh, rl = dd_add(th, tl, -ph, -pl)
    r2h, r2l = dd_mul(rh, rl, rh, rl)
    ch, cl = _INV_FACT[24, 0], _INV_FACT[24, 1]
    sh, sl = _INV_FACT[25, 0], _INV_FACT[25, 1]
    for n in range(22, -1, -2):
        ch, cl = dd_mul(ch, cl, -r2h, -r2l)
        ch, cl = dd_add(ch, cl, _INV_FACT[n, 0], _INV_FACT[n, 1])
        sh, sl = dd_mul(sh, sl, -r2h, -r2l)
        sh, sl = dd_add(sh, sl, _INV_FACT[n + 1, 0], _INV_FACT[n + 1, 1])
    sh, sl = dd_mul(sh, sl, rh, rl)
    ah, al, bh, bl = _TRIG[j, 0], _TRIG[j, 1], _TRIG[j, 2], _TRIG[j, 3]
    xh, xl = dd_mul(ah, al, ch, cl)
    yh, yl = dd_mul(bh, bl, sh, sl)
    cos_h, cos_l = dd_add(xh, xl, -yh, -yl)
    xh, xl = dd_mul(bh, bl, ch, cl)
    yh, yl = dd_mul(ah, al, sh, sl)
    sin_h, sin_l = dd_add(xh, xl, yh, yl)
    return cos_h, cos_l, sin_h, sin_l


@njit(cache=True)
def dd_exp(xh: float, xl: float) -> tuple:
    """exp(x) in double-double for x ≤ 0 (underflow to 0 below −700): x = k ln 2 + r, exp(r/2⁸) by Taylor to the
    13th power (remainder < 10⁻³⁵), squared eight times, scaled by 2^k."""
    if xh < -700.0:
        return 0.0, 0.0
    k = int(round(xh / _LN2[0]))
    ph, pl = dd_mul_d(_LN2[0], _LN2[1], float(k))
    rh, rl = dd_add(xh, xl, -ph, -pl)
    rh, rl = rh / 256.0, rl / 256.0
    eh, el = _INV_FACT[13, 0], _INV_FACT[13, 1]
    for n in range(12, -1, -1):
        eh, el = dd_mul(eh, el, rh, rl)
        eh, el = dd_add(eh, el, _INV_FACT[n, 0], _INV_FACT[n, 1])
    for _ in range(8):
        eh, el = dd_mul(eh, el, eh, el)
    return math.ldexp(eh, k), math.ldexp(el, k)


@njit(cache=True, inline="always")
def dd_div(ah: float, al: float, bh: float, bl: float) -> tuple:
    """(a / b) in double-double (three quotient digits)."""
    q1 = ah / bh
    ph, pl = dd_mul_d(bh, bl, q1)
    rh, rl = dd_add(ah, al, -ph, -pl)
    q2 = rh / bh
    ph, pl = dd_mul_d(bh, bl, q2)
    rh, rl = dd_add(rh, rl, -ph, -pl)
    q3 = rh / bh
    s, e = quick_two_sum(q1, q2)
    return dd_add(s, e, q3, 0.0)
