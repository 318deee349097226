"""Closed moment equations of the MBC process for Maxwell molecules (γ = 0) at finite h and N (docs/spec.md §3, §4).

The generator identities are derived by sympy in ``proofs_checks`` and read through :mod:`mbc_verify.derived`
(never typed in here). For the empirical second moment M = (1/N) Σ v_i⊗v_i and fourth moment m4 = (1/N) Σ |v_i|⁴:

    d/dt E[M] = α_h tr(M) I + β_h M                  (keys ``mbc.gamma0.alpha_h``, ``mbc.gamma0.beta_h``)
    L_h m4 = a_h m4 + b_h(E, M2),  E = tr M, M2 = tr(M²)     (key ``mbc.gamma0.moment4_generator``)

The first is closed and linear: its solution is :func:`mbc_verify.landau.maxwell.second_moment_solution` at
(α_h, β_h) (the Landau rates are the h → 0 limits). The second is linear in m4 with a constant a_h, but E and M2 are
random at finite N: E[m4(t)] = e^{a_h t} m4(0) + ∫_0^t e^{a_h(t−s)} E[b_h(s)] ds, the integral by
:func:`forced_response` from the sampled b_h.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import derived
from ..validation import check_array, check_grazing, check_int

__all__ = ["forced_response", "moment4_generator", "second_moment_rates"]


def second_moment_rates(h: float, n: int) -> tuple[float, float]:
    """(α_h, β_h) of d/dt E[M] = α_h tr(M) I + β_h M for the γ = 0 MBC process with N = n (derived keys)."""
    h = check_grazing(h)
    n = check_int("n", n, 2)
    return (float(derived.function("mbc.gamma0.alpha_h", "h", "N")(h, n)),
            float(derived.function("mbc.gamma0.beta_h", "h", "N")(h, n)))


def moment4_generator(h: float, n: int) -> tuple[float, Callable[[Any, Any], Any]]:
    """(a_h, b_h(E, M2)) with L_h m4 = a_h m4 + b_h(E, M2) for γ = 0, N = n (key ``mbc.gamma0.moment4_generator``).

    a_h is read as g(1, 0, 0) − g(0, 0, 0) and the linearity in m4 is checked (``ArithmeticError`` otherwise).
    """
    h = check_grazing(h)
    n = check_int("n", n, 2)
    g = derived.function("mbc.gamma0.moment4_generator", "m4", "E", "M2", "h", "N")
    a = float(g(1.0, 0.0, 0.0, h, n) - g(0.0, 0.0, 0.0, h, n))
    if abs(float(g(2.0, 0.0, 0.0, h, n)) - 2 * a) > 1e-12 * abs(a):
        raise ArithmeticError("mbc.gamma0.moment4_generator is not linear in m4")
    return a, lambda e, m2: g(0.0, e, m2, h, n)


def forced_response(times: np.ndarray, forcing: np.ndarray, a: float, fine: int = 4000) -> np.ndarray:
    """∫_0^{t_k} e^{a(t_k − s)} b(s) ds at every t_k, b piecewise linear through (times, forcing[..., k]).

    The trapezoid rule on ``fine`` sub-intervals per output interval (error O((Δt/fine)²) of the integrand's
    second derivative). ``forcing``: shape (..., K) for K = len(times) → same shape.
    """
    times = check_array("times", times, (None,))
    check_int("fine", fine, 1)
    s = np.linspace(times[0], times[-1], fine * (len(times) - 1) + 1)
    b = np.stack([np.interp(s, times, row) for row in forcing.reshape(-1, len(times))])
    out = np.zeros((b.shape[0], len(times)))
    for k in range(1, len(times)):
        m = s <= times[k] + 1e-15
        out[:, k] = np.trapezoid(np.exp(a * (times[k] - s[m])) * b[:, m], s[m], axis=1)
    return out.reshape(forcing.shape)
