"""Relative entropy of a small-N particle law with respect to the uniform law on its microcanonical sphere.

States of the MBC engines have zero momentum and an exact energy (SPEC §6), so the N-particle law F lives on
S_N(E, 0) = {Σ v_i = 0, Σ |v_i|² = N E}. Jacobi coordinates w_k = √(k/(k+1)) (mean(v_1…v_k) − v_{k+1}),
k = 1…N−1, are an isometry of {Σ v_i = 0} onto R^{3(N−1)} with Σ_k |w_k|² = Σ_i |v_i|², so x = w/|w| maps
S_N(E, 0) onto the unit sphere S^d, d = 3N − 4, and the uniform law (SPEC §2–§3, invariant and reversible) onto
the uniform law U. H(F | U) = log|S^d| − h(F), h the differential entropy for the surface measure, is
non-increasing along MBC (reversibility; exact for N = 2 in :mod:`.pair_law`).

Estimator (Kozachenko–Leonenko with exact geodesic-ball volumes): from M samples,
ĥ = ψ(M) − ψ(k) + (1/M) Σ_i log Vol(B(x_i, ρ_i)), ρ_i the geodesic distance of x_i to its k-th nearest neighbour and
Vol(B(ρ)) = |S^{d−1}| ∫₀^ρ sin^{d−1}s ds (:func:`ball_volume`). For U itself the mass of B(x_i, ρ_i) is Beta(k, M−k),
whose log has mean ψ(k) − ψ(M): the estimate of H(U | U) = 0 is unbiased. For a smooth density the bias is
O((k/M)^{2/d}) (Kozachenko & Leonenko, Probl. Inf. Transm. 23 (1987) 95–101; Singh et al., Amer. J. Math. Management
Sci. 23 (2003) 301–321). Stated error (:func:`relative_entropy`): the standard error std(batch estimates)/√B of the
full-sample estimate (B independent batches of M/B samples: each has √B times its spread), and the bias
(Ĥ_{M/2} − Ĥ_M)/(2^{2/d} − 1), which is b(M) under the model b(M) = c M^{−2/d} (mean of the two half samples).
Error = 3 se + |bias|. :func:`mbc_relative_entropy` applies it to MBC ensembles of N = 3 (d = 5).

Invariance of U (:func:`uniform_invariance`): started from i.i.d. Maxwellian velocities (``maxwellian``, normalised
to zero momentum and energy E by a shift and one scaling, SPEC §6), the law on S^d is exactly U: the zero-momentum
part of an isotropic Gaussian is isotropic in R^{3(N−1)}, so its direction is uniform. MBC keeps U (every rate law of
|u|), so F_t = U and H(F_t | U) = 0 at every t; for U the estimator is exactly unbiased (above), so
z = Ĥ / se ≤ 5 with no bias term. A kernel that does not keep U (an anisotropic azimuth, a one-sided jump) moves
F_t off U and Ĥ > 0.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import betainc, digamma, gammaln

from ..validation import check_array, check_int
from .ensemble import ensemble_states


def jacobi_sphere_points(v: np.ndarray) -> np.ndarray:
    """(M, N, 3) zero-momentum states of equal energy → (M, 3(N−1)) unit vectors x = w/|w| (module docstring)."""
    v = check_array("v", v, (None, None, 3))
    n = v.shape[1]
    if n < 2:
        raise ValueError(f"v: need N >= 2 particles, got {n}")
    w = []
    for k in range(1, n):
        w.append(math.sqrt(k / (k + 1.0)) * (v[:, :k].mean(axis=1) - v[:, k]))
    w = np.concatenate(w, axis=1)
    return w / np.linalg.norm(w, axis=1, keepdims=True)


def sphere_volume(d: int) -> float:
    """|S^d| = 2 π^{(d+1)/2} / Γ((d+1)/2)."""
    return 2.0 * math.pi ** (0.5 * (d + 1)) / math.exp(gammaln(0.5 * (d + 1)))


def ball_volume(rho: np.ndarray, d: int) -> np.ndarray:
    """Volume of a geodesic ball of radius ρ ≤ π on the unit S^d: |S^{d−1}| ∫₀^ρ sin^{d−1}s ds, with
    ∫₀^ρ sin^{d−1} = ½ B(d/2, ½) I_{sin²ρ}(d/2, ½) for ρ ≤ π/2 and the complement beyond."""
    half = 0.5 * math.exp(gammaln(0.5 * d) + gammaln(0.5) - gammaln(0.5 * d + 0.5))
    inner = half * betainc(0.5 * d, 0.5, np.sin(np.minimum(rho, math.pi / 2)) ** 2)
    outer = 2.0 * half - half * betainc(0.5 * d, 0.5, np.sin(rho) ** 2)
    return sphere_volume(d - 1) * np.where(rho <= math.pi / 2, inner, outer)


def knn_entropy(x: np.ndarray, k: int = 4) -> float:
    """Kozachenko–Leonenko estimate of h(F) for the surface measure of S^d from unit vectors x (M, d+1)."""
    x = check_array("x", x, (None, None))
    k = check_int("k", k, 1, x.shape[0] - 1)
    d = x.shape[1] - 1
    dist, _ = cKDTree(x).query(x, k=k + 1)
    rho = 2.0 * np.arcsin(np.minimum(dist[:, k] / 2.0, 1.0))
    return float(digamma(x.shape[0]) - digamma(k) + np.mean(np.log(ball_volume(rho, d))))


def relative_entropy(x: np.ndarray, k: int = 4, batches: int = 10) -> dict[str, float]:
    """Ĥ(F | U) = log|S^d| − ĥ(F) from unit vectors x, with its stated error (module docstring).

    Returns ``value``, ``se`` (std of the B batch estimates / √B), ``bias`` ((mean Ĥ_{M/2} − Ĥ_M)/(2^{2/d} − 1)),
    ``error`` = 3 se + |bias|, and the sample size ``m``.
    """
    x = check_array("x", x, (None, None))
    batches = check_int("batches", batches, 2)
    d = x.shape[1] - 1
    log_s = math.log(sphere_volume(d))
    full = log_s - knn_entropy(x, k)
    per_batch = np.array([log_s - knn_entropy(b, k) for b in np.array_split(x, batches)])
    halves = np.mean([log_s - knn_entropy(b, k) for b in np.array_split(x, 2)])
    bias = float((halves - full) / (2.0 ** (2.0 / d) - 1.0))
    se = float(per_batch.std(ddof=1) / math.sqrt(batches))
    return {"value": full, "se": se, "bias": bias, "error": 3.0 * se + abs(bias), "m": x.shape[0]}


def mbc_relative_entropy(gamma: float, h: float, n: int = 3, *, init: str = "bimaxwellian:4,0.25",
                         t_end: float = 2.0, snapshots: int = 5, replicas: int = 20000, seed: int = 0,
                         engine: str = "exact", k: int = 4, mutant: str | None = None) -> dict[str, object]:
    """Ĥ(F_t | U) along an MBC ensemble (:func:`mbc_verify.mbc.ensemble.ensemble_states`), with stated errors.

    Returns ``times``, ``value``, ``error`` (per time, :func:`relative_entropy`) and ``largest_rise``: the largest
    Ĥ(t_j) − Ĥ(t_i), i < j, minus error_i + error_j (≤ 0: non-increasing within the stated error).
    """
    times, states = ensemble_states(gamma, h, n, t_end, replicas=replicas, init=init, engine=engine,
                                    snapshots=snapshots, seed=seed, mutant=mutant)
    est = [relative_entropy(jacobi_sphere_points(states[:, i]), k) for i in range(times.size)]
    value = np.array([e["value"] for e in est])
    error = np.array([e["error"] for e in est])
    rise = max(value[j] - value[i] - error[i] - error[j] for i in range(times.size) for j in range(i + 1, times.size))
    return {"gamma": gamma, "h": h, "n": n, "init": init, "replicas": replicas, "seed": seed, "engine": engine,
            "times": times, "value": value, "error": error, "se": np.array([e["se"] for e in est]),
            "bias": np.array([e["bias"] for e in est]), "largest_rise": float(rise)}


def uniform_invariance(gamma: float, h: float, n: int = 3, *, t_end: float = 2.0, snapshots: int = 3,
                       replicas: int = 100000, seed: int = 0, engine: str = "exact", k: int = 4, batches: int = 50,
                       mutant: str | None = None) -> dict[str, object]:
    """Ĥ(F_t | U) from the uniform law (``maxwellian`` data, module docstring) and z = Ĥ / se at t > 0.

    se from ``batches`` batch estimates (each unbiased for U; 50 batches, so that the 5σ limit of z is not inflated
    by a few-degrees-of-freedom spread estimate). Returns ``times``, ``value``, ``se`` and ``max_z``.
    """
    times, states = ensemble_states(gamma, h, n, t_end, replicas=replicas, init="maxwellian", engine=engine,
                                    snapshots=snapshots, seed=seed, mutant=mutant)
    est = [relative_entropy(jacobi_sphere_points(states[:, i]), k, batches) for i in range(1, times.size)]
    value = np.array([e["value"] for e in est])
    se = np.array([e["se"] for e in est])
    return {"gamma": gamma, "h": h, "n": n, "replicas": replicas, "seed": seed, "engine": engine,
            "times": times[1:], "value": value, "se": se, "max_z": float(np.max(value / se))}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Ĥ(F_t | U) along N = 3 MBC ensembles, with stated errors")
    parser.add_argument("--gammas", default="-3,-2,0")
    parser.add_argument("--h", type=float, default=0.3)
    parser.add_argument("--replicas", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for g in (float(x) for x in args.gammas.split(",")):
        out = mbc_relative_entropy(g, args.h, replicas=args.replicas, seed=args.seed)
        cells = ", ".join(f"{t:g}: {v:.4f} ± {e:.4f}" for t, v, e in zip(out["times"], out["value"], out["error"],
                                                                        strict=True))
        print(f"gamma {g:g}, h {args.h:g}, N 3, M {args.replicas}, init {out['init']}: {cells}; "
              f"largest rise beyond the errors {out['largest_rise']:+.4f}")
