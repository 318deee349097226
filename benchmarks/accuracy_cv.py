"""Would a control variate on the initial sample reduce the noise of the bias study? (It does not.)

    python -m benchmarks.accuracy_cv [--n 500] [--replicas 400] [--method takizuka_abe] [--dt 0.0625]

The moment-matched samples of :mod:`benchmarks.accuracy_runs` fix T∥(0), T⊥(0) exactly; what the initial sample
still carries is its higher structure. Candidate control variates, per replica: the exact initial rate of M_zz of
the N-particle Landau master equation on the sample, docs/spec.md eq. (19) with φ = v_z² at γ = −3,

    L_N M_zz = (1/N²) Σ_{i≠j} |u_ij|^γ (|u_ij|² − 3 u_ij,z²)        (u_ij = v_i − v_j),

and the fourth moments m_zzzz, m_xxzz + m_yyzz, (1/N) Σ |v|⁴. Printed: the fraction R² of the replica variance of
T∥(t) explained by a least-squares fit on each set — the largest variance reduction any control variate built on
them could give (Dimits et al. [Dim09] and Cohen et al. [Coh10] on noise, docs/references.md).
"""

from __future__ import annotations

import argparse

import numpy as np

from benchmarks.accuracy_runs import GAMMA, METHODS, ensemble_tpar, moment_matched, reference_tpar
from mbc_verify.mbc.ensemble import replica_seeds


def initial_features(v: np.ndarray) -> np.ndarray:
    """[L_N M_zz (eq. (19)), m_zzzz, m_xxzz + m_yyzz, (1/N) Σ|v|⁴] of one sample (N × 3), O(N²) memory."""
    n = v.shape[0]
    u = v[:, None, :] - v[None, :, :]
    r2 = np.einsum("ijk,ijk->ij", u, u)
    np.fill_diagonal(r2, 1.0)
    g = r2 ** (GAMMA / 2) * (r2 - 3.0 * u[..., 2] ** 2)
    np.fill_diagonal(g, 0.0)
    s = np.einsum("ij,ij->i", v, v)
    return np.array([g.sum() / n**2, np.mean(v[:, 2] ** 4), np.mean((v[:, 0] ** 2 + v[:, 1] ** 2) * v[:, 2] ** 2),
                     np.mean(s**2)])


def explained(y: np.ndarray, x: np.ndarray) -> float:
    """R² of the least-squares fit of y (R) on the columns of x (R × k) and a constant."""
    a = np.column_stack([np.ones(y.size), x])
    resid = y - a @ np.linalg.lstsq(a, y, rcond=None)[0]
    return float(1.0 - resid @ resid / ((y - y.mean()) @ (y - y.mean())))


def main(argv: list[str] | None = None) -> None:
    """Print R² per snapshot time for the rate, the fourth moments and all together."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--replicas", type=int, default=400)
    ap.add_argument("--method", default="takizuka_abe", choices=[m.label for m in METHODS])
    ap.add_argument("--dt", type=float, default=0.0625)
    args = ap.parse_args(argv)
    times, tref, _ = reference_tpar(1.0)
    method = next(m for m in METHODS if m.label == args.method)
    tpar = ensemble_tpar(method, (args.dt,), args.n, args.replicas, times, seed=11)[0][0]
    feats = np.array([initial_features(moment_matched(args.n, int(s)))
                      for s in replica_seeds(11, 0, args.replicas)])
    print(f"{args.method}, N = {args.n}, R = {args.replicas}, dt = {args.dt:g}: R^2 of T_par(t) on the initial sample")
    print("   t   rate (eq. 19)   4th moments   all")
    for k in range(1, times.size):
        r2 = [explained(tpar[:, k], feats[:, cols]) for cols in ([0], [1, 2, 3], [0, 1, 2, 3])]
        print(f"{times[k]:5.2f}   {r2[0]:11.3f}   {r2[1]:11.3f}   {r2[2]:.3f}")
    print(f"(R^2 of pure noise on k regressors is about k/R = {1 / args.replicas:.3f} per regressor)")


if __name__ == "__main__":
    main()
