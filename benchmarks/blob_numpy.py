"""NumPy broadcast baseline of the blob collision field (a benchmark reference).

Same formula as :func:`mbc_verify.landau.blob_kernel.collision_field` (docs/spec.md §1 normalisation, c = ½):

    U_i = -c Σ_{j, |z|>0} w_j |z|^p (d - z (z·d)/|z|²),   z = v_i - v_j,  d = F_i - F_j,  p = γ + 2,

evaluated with array broadcasting over blocks of rows i (each block holds rows × N × 3 doubles).
"""

from __future__ import annotations

import numpy as np


def collision_field_numpy(v: np.ndarray, w: np.ndarray, f: np.ndarray, gamma: float, coef: float = 0.5,
                          block_bytes: int = 64 * 2**20) -> np.ndarray:
    """U (N × 3) by NumPy broadcasting, ``block_bytes`` bounding each temporary (N_block × N × 3) array."""
    n = v.shape[0]
    rows = max(1, block_bytes // (24 * n))
    out = np.empty_like(v)
    p = gamma + 2.0
    for i0 in range(0, n, rows):
        z = v[i0:i0 + rows, None, :] - v[None, :, :]
        d = f[i0:i0 + rows, None, :] - f[None, :, :]
        r2 = np.einsum("ijk,ijk->ij", z, z)
        pos = r2 > 0.0
        safe = np.where(pos, r2, 1.0)
        q = np.einsum("ijk,ijk->ij", z, d) / safe
        s = np.where(pos, w[None, :] * safe ** (0.5 * p), 0.0)
        out[i0:i0 + rows] = -coef * (np.einsum("ij,ijk->ik", s, d) - np.einsum("ij,ijk->ik", s * q, z))
    return out
