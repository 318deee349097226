"""Small-amplitude Fisher dissipation of a pair law, and its exact worst case over a dictionary of modulations.

For k = ρ(r) (1 + ε ψ), ρ a radial density and ψ = β(r) Y_ℓm(û) one degree-ℓ modulation, the Fisher information
of :mod:`mbc_verify.mbc.pair_law` expands as I(k) = I(ρ) + ε² Q + O(ε³) with (orthonormal Y, |∇_S Y|² integrating
to L = ℓ(ℓ+1); derived in proofs_checks/derivations/pair_fisher.py::second_order_fisher)

    Q = ∫ r² ρ [β_r² + L β²/r²] dr.

Both dynamics leave ρ fixed and give β(r, t) = b(r) e^{−μ(r) t}, μ = α κ_ℓ (κ_ℓ = ℓ(ℓ+1) for the master equation,
4 s (1 − E P_ℓ)/h² for MBC), so ∂_t β_r = −μ β_r − μ' β and

    dQ/dt = −(G + C)[β],  G = ∫ r² ρ 2μ [β_r² + L β²/r²] dr ≥ 0,   C = ∫ r² ρ 2μ' β β_r dr.

G is the second-order part of −(J_r + J_S), C that of the commutator term (pair_law module docstring). For β in
the span of a dictionary b_i (``dictionary``: r^ℓ-type bumps (r/σ)^{ℓ+2n} e^{−r²/(2σ²)} over a log grid of σ),
β = Σ c_i b_i e^{−μt}, the worst case of the ratio −C/G is the largest generalised eigenvalue of the symmetric
pencil (−C, G): λ* > 1 iff some small modulation in the span makes I increase at that time (then dI/dt > 0 for
ε small enough: a counterexample), and 1 − λ* is the margin of the span. Modes of different (ℓ, m) are orthogonal
on every sphere, so at second order they decouple and m does not enter: the search is per degree ℓ.

The quadrature is that of :func:`mbc_verify.mbc.pair_law.make_grid` (radial panels), applied to the dictionary's
scales.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import eigh

from ..validation import check_array, check_int, check_positive
from .pair_law import Dynamics, PairLaw, concatenate, gaussian_mixture, make_grid

DEFAULT_SIGMAS = tuple(float(s) for s in np.geomspace(0.003, 10.0, 22))
"""Dictionary scales σ of the modulations (log-spaced over 3.5 decades)."""

DEFAULT_EXTRAS = (0, 2)
"""Dictionary extra even powers n: b = (r/σ)^{ℓ+n} e^{−r²/(2σ²)}."""

_RELATIVE_RANK = 1e-12  # eigen-directions of G below this fraction of its largest eigenvalue are dropped


def dictionary(r: np.ndarray, ell: int, sigmas=DEFAULT_SIGMAS, extras=DEFAULT_EXTRAS
               ) -> tuple[np.ndarray, np.ndarray, list[tuple[float, int]]]:
    """(b, b') on the radii ``r`` (rows: dictionary entries) and the entries' (σ, n)."""
    labels = [(float(s), int(n)) for n in extras for s in sigmas]
    b = np.empty((len(labels), r.size))
    db = np.empty_like(b)
    for i, (sigma, n) in enumerate(labels):
        p = ell + n
        x = r / sigma
        g = np.exp(-0.5 * x * x)
        b[i] = x ** p * g
        db[i] = (p * x ** max(p - 1, 0) - x ** (p + 1)) * g / sigma
    return b, db, labels


def quadratic_forms(weights, variances, ell: int, dynamics: Dynamics, t: float, sigmas=DEFAULT_SIGMAS,
                    extras=DEFAULT_EXTRAS, level: int = 2) -> dict[str, np.ndarray]:
    """The matrices Q, G, C (module docstring) of the dictionary at time t, for ρ = Σ w_j N(0, s_j I)."""
    return _forms_at(_static(weights, variances, ell, dynamics, sigmas, extras, level), float(t))


def _static(weights, variances, ell: int, dynamics: Dynamics, sigmas, extras, level: int) -> dict[str, object]:
    """The time-independent parts: radial nodes with weight r² ρ w_r, dictionary b, b', and μ, μ'."""
    ell = check_int("ell", ell, 1)
    rho_law = gaussian_mixture(weights, variances)
    grid = make_grid(_with_scales(rho_law, sigmas), dynamics, level)
    r = grid.r
    rho = rho_law.radial_coefficients(r)[0][0] / math.sqrt(4.0 * math.pi)
    b, db, labels = dictionary(r, ell, sigmas, extras)
    kappa = float(dynamics.kappa(ell)[ell])
    return {"r": r, "w": grid.wr * r * r * rho, "b": b, "db": db, "labels": labels, "lap": ell * (ell + 1.0),
            "mu": kappa * dynamics.rate.value(r), "dmu": kappa * dynamics.rate.derivative(r)}


def _forms_at(st: dict[str, object], t: float) -> dict[str, np.ndarray]:
    r, w, mu, dmu, lap = st["r"], st["w"], st["mu"], st["dmu"], st["lap"]
    decay = np.exp(-mu * t)
    beta, beta_r = st["b"] * decay, (st["db"] - t * dmu * st["b"]) * decay
    q = (beta_r * w) @ beta_r.T + lap * (beta * (w / (r * r))) @ beta.T
    g = (beta_r * (w * 2 * mu)) @ beta_r.T + lap * (beta * (w * 2 * mu / (r * r))) @ beta.T
    c = (beta * (w * dmu)) @ beta_r.T
    return {"Q": q, "G": g, "C": c + c.T, "labels": st["labels"]}


def _with_scales(law, sigmas):
    """A law whose Gaussian scales include the dictionary's (only its grid is used)."""
    s2 = np.asarray(sigmas, dtype=float) ** 2
    extra = PairLaw(np.zeros(s2.size, int), np.zeros(s2.size, int), np.zeros(s2.size, int), s2, np.zeros(s2.size))
    return concatenate(law, extra)


def worst_ratio(g: np.ndarray, c: np.ndarray) -> tuple[float, np.ndarray]:
    """λ* = max over c ≠ 0 of −cᵀCc / cᵀGc and its maximiser (G-normalised), on the numerically nonsingular part
    of G (eigen-directions below 1e-12 of its largest eigenvalue are dropped)."""
    gv, gu = eigh(g)
    keep = gv > _RELATIVE_RANK * gv.max()
    basis = gu[:, keep] / np.sqrt(gv[keep])
    lam, vec = eigh(basis.T @ (-c) @ basis)
    return float(lam[-1]), basis @ vec[:, -1]


def worst_case_scan(weights, variances, ell: int, dynamics: Dynamics, times, sigmas=DEFAULT_SIGMAS,
                    extras=DEFAULT_EXTRAS, level: int = 2) -> dict[str, object]:
    """λ*(t) over ``times`` for one degree ℓ and radial density; the worst time, its λ* and radial modulation.

    Returns plain data: ``times``, ``ratio`` (λ*(t)), ``worst_ratio``, ``worst_time``, ``margin`` (1 − worst_ratio),
    ``worst_coefficients`` (dictionary coefficients of the maximiser, scaled to max |c| = 1) and ``labels``.
    """
    t_arr = check_array("times", times, (None,))
    for t in t_arr:
        check_positive("times", float(t))
    static = _static(weights, variances, ell, dynamics, sigmas, extras, level)
    ratios, vectors = [], []
    for t in t_arr:
        forms = _forms_at(static, float(t))
        lam, vec = worst_ratio(forms["G"], forms["C"])
        ratios.append(lam)
        vectors.append(vec / np.max(np.abs(vec)))
    i = int(np.argmax(ratios))
    return {"ell": ell, "times": t_arr, "ratio": np.array(ratios), "worst_ratio": float(ratios[i]),
            "worst_time": float(t_arr[i]), "margin": 1.0 - float(ratios[i]),
            "worst_coefficients": vectors[i], "labels": static["labels"]}
