"""numba kernels of the blob particle method (see :mod:`mbc_verify.landau.blob` for the scheme).

Three kernels, each parameterised, none with fastmath (the collision sum is the conservation-critical part;
the entropy parts are kept exact too so that the discrete entropy gradient is the gradient of the discrete
entropy to round-off):

- :func:`collision_field`  U_i = -c Σ_j w_j |z|^p Π(z) (F_i - F_j),  z = v_i - v_j, p = γ + 2, c = ½ (docs/spec.md §1);
  ``prange`` over i, O(N²).
- :func:`grid_density`     G_l = Σ_k w_k ψ(x_l - v_k) on the fixed quadrature grid (and ∇G_l when asked),
  ``prange`` over x-slabs of the grid, particles found through a slab list (:func:`bin_particles`).
- :func:`entropy_gradient` F_i = Σ_l Δx³ ∇ψ(v_i - x_l) (1 + log G_l), ``prange`` over particles.
- :func:`point_density`    f_ε(x) = Σ_k w_k ψ(x - v_k) at arbitrary points (direct sum).

The mollifier ψ is the Gaussian of standard deviation ε made compactly supported in a C¹ way
(see :func:`mollifier_normaliser`): with s = |v|², g(s) = exp(-s/(2ε²)), S = R²,

    ψ(v) = [g(s) - g(S) + (s - S) g(S)/(2ε²)] / Z   for s < S,   0 otherwise,

which is ≥ 0 (g is convex in s), C¹, and differs from the Gaussian by at most g(S) ~ 2e-11 relative for
R = 7ε. ∇ψ(v) = -v (g(s) - g(S)) / (ε² Z).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange


def mollifier_normaliser(eps: float, cutoff: float) -> float:
    """Z = ∫ [g(|v|²) - g(R²) + (|v|² - R²) g(R²)/(2ε²)] dv over |v| < R (closed form).

    Z = (2πε²)^{3/2} [erf(R/(√2 ε)) - √(2/π) (R/ε) e^{-R²/(2ε²)}] - g(R²) (4π/3) R³ - g(R²) (4π/15) R⁵/ε².
    """
    gs = math.exp(-cutoff * cutoff / (2.0 * eps * eps))
    gauss = (2.0 * math.pi * eps * eps) ** 1.5 * (
        math.erf(cutoff / (math.sqrt(2.0) * eps)) - math.sqrt(2.0 / math.pi) * (cutoff / eps) * gs)
    return gauss - gs * (4.0 * math.pi / 3.0) * cutoff ** 3 - gs * (4.0 * math.pi / 15.0) * cutoff ** 5 / eps ** 2


@njit(cache=True, inline="always")
def _radial_power(r2: float, p: float, mode: int) -> float:
    """|z|^p from r2 = |z|²; mode picks the cheap exact form: 0 → r2^(p/2) via pow, 1 → r2 (p = 2),
    2 → √r2 (p = 1), 3 → 1 (p = 0), 4 → 1/√r2 (p = -1)."""
    if mode == 1:
        return r2
    if mode == 2:
        return math.sqrt(r2)
    if mode == 3:
        return 1.0
    if mode == 4:
        return 1.0 / math.sqrt(r2)
    return r2 ** (0.5 * p)


def power_mode(p: float) -> int:
    """The :func:`_radial_power` mode for exponent p."""
    return {2.0: 1, 1.0: 2, 0.0: 3, -1.0: 4}.get(float(p), 0)


@njit(cache=True, inline="always")
def _row_terms(i: int, vx: np.ndarray, vy: np.ndarray, vz: np.ndarray, gx: np.ndarray, gy: np.ndarray,
               gz: np.ndarray, w: np.ndarray, p: float, mode: int, tx: np.ndarray, ty: np.ndarray,
               tz: np.ndarray) -> None:
    """Pair terms t_j = w_j |z|^p Π(z) d of row i (0 for |z| = 0), written to (tx, ty, tz)."""
    xi, yi, zi = vx[i], vy[i], vz[i]
    fxi, fyi, fzi = gx[i], gy[i], gz[i]
    for j in range(vx.shape[0]):
        zx = xi - vx[j]
        zy = yi - vy[j]
        zz = zi - vz[j]
        dx = fxi - gx[j]
        dy = fyi - gy[j]
        dz = fzi - gz[j]
        r2 = zx * zx + zy * zy + zz * zz
        pos = r2 > 0.0
        r2s = r2 if pos else 1.0
        q = (zx * dx + zy * dy + zz * dz) / r2s
        s = w[j] * _radial_power(r2s, p, mode) if pos else 0.0
        tx[j] = s * (dx - q * zx)
        ty[j] = s * (dy - q * zy)
        tz[j] = s * (dz - q * zz)


#: rows of the pair sum handled by one parallel task (each task owns three length-N scratch arrays)
ROWS_PER_TASK = 32


@njit(cache=True, parallel=True)
def collision_field(v: np.ndarray, w: np.ndarray, f: np.ndarray, p: float, mode: int, coef: float,
                    out: np.ndarray) -> None:
    """out_i = -coef Σ_{j≠i} w_j |z|^p (d - z (z·d)/|z|²), z = v_i - v_j, d = F_i - F_j.

    a(z) d = |z|^(γ+2) Π(z) d with p = γ + 2 (docs/spec.md §1). Coincident particles (|z| = 0) contribute 0
    (the j = i term, and the limit of the summand, which is O(|z|^(γ+3)) for smooth F).

    Layout for speed without fastmath: positions and F are copied to separate component arrays, the pair
    terms of row i are written to scratch arrays (a branch-free loop the compiler can vectorise) and then
    summed in the fixed order j = 0, …, N-1, so the result does not depend on the thread count.
    """
    n = v.shape[0]
    vx, vy, vz = v[:, 0].copy(), v[:, 1].copy(), v[:, 2].copy()
    gx, gy, gz = f[:, 0].copy(), f[:, 1].copy(), f[:, 2].copy()
    tasks = (n + ROWS_PER_TASK - 1) // ROWS_PER_TASK
    for task in prange(tasks):
        tx = np.empty(n)
        ty = np.empty(n)
        tz = np.empty(n)
        for i in range(task * ROWS_PER_TASK, min((task + 1) * ROWS_PER_TASK, n)):
            # one call site per exponent form, so that after inlining the form is a constant and the
            # branch-free loop holds only the arithmetic it needs (no pow where p = 2, 1, 0, -1)
            if mode == 1:
                _row_terms(i, vx, vy, vz, gx, gy, gz, w, p, 1, tx, ty, tz)
            elif mode == 2:
                _row_terms(i, vx, vy, vz, gx, gy, gz, w, p, 2, tx, ty, tz)
            elif mode == 3:
                _row_terms(i, vx, vy, vz, gx, gy, gz, w, p, 3, tx, ty, tz)
            elif mode == 4:
                _row_terms(i, vx, vy, vz, gx, gy, gz, w, p, 4, tx, ty, tz)
            else:
                _row_terms(i, vx, vy, vz, gx, gy, gz, w, p, 0, tx, ty, tz)
            ux = 0.0
            uy = 0.0
            uz = 0.0
            for j in range(n):
                ux += tx[j]
                uy += ty[j]
                uz += tz[j]
            out[i, 0] = -coef * ux
            out[i, 1] = -coef * uy
            out[i, 2] = -coef * uz


@njit(cache=True, inline="always")
def _g_cut(r2: float, inv2e2: float, s_cut: float, g_s: float) -> float:
    """Unnormalised cut-off Gaussian g(s) - g(S) + (s - S) g(S)/(2ε²) for s = r2 < S (0 beyond)."""
    if r2 >= s_cut:
        return 0.0
    return math.exp(-r2 * inv2e2) - g_s + (r2 - s_cut) * g_s * inv2e2


@njit(cache=True, inline="always")
def _dg_cut(r2: float, inv2e2: float, s_cut: float, g_s: float) -> float:
    """d/ds of :func:`_g_cut` at s = r2: -(g(s) - g(S))/(2ε²) for s < S (0 beyond); ∇ψ(v) = 2 v dg/Z."""
    if r2 >= s_cut:
        return 0.0
    return -(math.exp(-r2 * inv2e2) - g_s) * inv2e2


@njit(cache=True)
def bin_particles(v: np.ndarray, x0: float, h: float, n0: int) -> tuple[np.ndarray, np.ndarray]:
    """Counting sort of the particles by their nearest grid index along x, clipped to [0, n0 - 1].

    Returns (start, order): the particles of slab b are order[start[b]:start[b+1]] (deterministic order).
    """
    n = v.shape[0]
    slab = np.empty(n, dtype=np.int64)
    start = np.zeros(n0 + 1, dtype=np.int64)
    for k in range(n):
        b = int(math.floor((v[k, 0] - x0) / h + 0.5))
        b = min(max(b, 0), n0 - 1)
        slab[k] = b
        start[b + 1] += 1
    for b in range(n0):
        start[b + 1] += start[b]
    fill = start[:-1].copy()
    order = np.empty(n, dtype=np.int64)
    for k in range(n):
        order[fill[slab[k]]] = k
        fill[slab[k]] += 1
    return start, order


@njit(cache=True, parallel=True)
def grid_density(v: np.ndarray, w: np.ndarray, x0: np.ndarray, h: np.ndarray, ng: np.ndarray,
                 eps: float, cutoff: float, znorm: float, start: np.ndarray, order: np.ndarray,
                 with_grad: bool, g_out: np.ndarray, grad_out: np.ndarray) -> None:
    """G_l = Σ_k w_k ψ(x_l - v_k) at the grid nodes x_l = x0 + (i, j, k) h (flattened, C order), and, if
    ``with_grad``, ∇G_l = Σ_k w_k ∇ψ(x_l - v_k).

    ``prange`` over the x-slabs i of the grid: slab i gathers the particles of the slabs within the cut-off
    (from :func:`bin_particles`) and scatters each into its own nodes within R, so no two threads write the
    same node and the summation order does not depend on the thread count. Cost O(N (2R/h)³).
    """
    inv2e2 = 1.0 / (2.0 * eps * eps)
    s_cut = cutoff * cutoff
    g_s = math.exp(-s_cut * inv2e2)
    reach = int(math.ceil(cutoff / h[0])) + 1
    plane = ng[1] * ng[2]
    for i in prange(ng[0]):
        xi = x0[0] + i * h[0]
        _zero_slab(g_out, grad_out, i * plane, (i + 1) * plane, with_grad)
        for b in range(max(i - reach, 0), min(i + reach + 1, ng[0])):
            for q in range(start[b], start[b + 1]):
                m = order[q]
                dx = xi - v[m, 0]
                if dx * dx < s_cut:
                    _scatter(v[m], w[m], dx, i * plane, x0, h, ng, cutoff, inv2e2, s_cut, g_s, with_grad, g_out,
                             grad_out)
        _scale_slab(g_out, grad_out, i * plane, (i + 1) * plane, with_grad, znorm)


@njit(cache=True, inline="always")
def _zero_slab(g_out: np.ndarray, grad_out: np.ndarray, l0: int, l1: int, with_grad: bool) -> None:
    for l in range(l0, l1):
        g_out[l] = 0.0
        if with_grad:
            grad_out[l, 0] = 0.0
            grad_out[l, 1] = 0.0
            grad_out[l, 2] = 0.0


@njit(cache=True, inline="always")
def _scale_slab(g_out: np.ndarray, grad_out: np.ndarray, l0: int, l1: int, with_grad: bool, znorm: float) -> None:
    for l in range(l0, l1):
        g_out[l] /= znorm
        if with_grad:
            grad_out[l, 0] /= znorm
            grad_out[l, 1] /= znorm
            grad_out[l, 2] /= znorm


@njit(cache=True, inline="always")
def _scatter(vm: np.ndarray, wm: float, dx: float, base0: int, x0: np.ndarray, h: np.ndarray, ng: np.ndarray,
             cutoff: float, inv2e2: float, s_cut: float, g_s: float, with_grad: bool, g_out: np.ndarray,
             grad_out: np.ndarray) -> None:
    """Add particle m (velocity vm, weight wm, x-offset dx from the slab) to the nodes of its slab within R."""
    vy, vz = vm[1], vm[2]
    jlo = max(int(math.ceil((vy - cutoff - x0[1]) / h[1])), 0)
    jhi = min(int(math.floor((vy + cutoff - x0[1]) / h[1])), ng[1] - 1)
    klo = max(int(math.ceil((vz - cutoff - x0[2]) / h[2])), 0)
    khi = min(int(math.floor((vz + cutoff - x0[2]) / h[2])), ng[2] - 1)
    for j in range(jlo, jhi + 1):
        dy = x0[1] + j * h[1] - vy
        base = base0 + j * ng[2]
        for k in range(klo, khi + 1):
            dz = x0[2] + k * h[2] - vz
            r2 = dx * dx + dy * dy + dz * dz
            if r2 < s_cut:
                g_out[base + k] += wm * _g_cut(r2, inv2e2, s_cut, g_s)
                if with_grad:
                    dg = 2.0 * wm * _dg_cut(r2, inv2e2, s_cut, g_s)
                    grad_out[base + k, 0] += dg * dx
                    grad_out[base + k, 1] += dg * dy
                    grad_out[base + k, 2] += dg * dz


@njit(cache=True, parallel=True)
def entropy_gradient(v: np.ndarray, x0: np.ndarray, h: np.ndarray, ng: np.ndarray, eps: float,
                     cutoff: float, znorm: float, log_term: np.ndarray, out: np.ndarray) -> None:
    """out_i = Σ_l Δx³ ∇ψ(v_i - x_l) log_term_l over the grid nodes within the cut-off of v_i, where
    log_term_l = 1 + log G_l (0 at nodes with G_l = 0, which no particle reaches) and Δx³ = h_x h_y h_z."""
    inv2e2 = 1.0 / (2.0 * eps * eps)
    s_cut = cutoff * cutoff
    g_s = math.exp(-s_cut * inv2e2)
    vol = h[0] * h[1] * h[2]
    n = v.shape[0]
    for p in prange(n):
        vx, vy, vz = v[p, 0], v[p, 1], v[p, 2]
        ilo = max(int(math.ceil((vx - cutoff - x0[0]) / h[0])), 0)
        ihi = min(int(math.floor((vx + cutoff - x0[0]) / h[0])), ng[0] - 1)
        jlo = max(int(math.ceil((vy - cutoff - x0[1]) / h[1])), 0)
        jhi = min(int(math.floor((vy + cutoff - x0[1]) / h[1])), ng[1] - 1)
        klo = max(int(math.ceil((vz - cutoff - x0[2]) / h[2])), 0)
        khi = min(int(math.floor((vz + cutoff - x0[2]) / h[2])), ng[2] - 1)
        fx = 0.0
        fy = 0.0
        fz = 0.0
        for i in range(ilo, ihi + 1):
            dx = vx - (x0[0] + i * h[0])
            for j in range(jlo, jhi + 1):
                dy = vy - (x0[1] + j * h[1])
                base = (i * ng[1] + j) * ng[2]
                for k in range(klo, khi + 1):
                    dz = vz - (x0[2] + k * h[2])
                    r2 = dx * dx + dy * dy + dz * dz
                    if r2 < s_cut:
                        dg = 2.0 * _dg_cut(r2, inv2e2, s_cut, g_s) * log_term[base + k]
                        fx += dg * dx
                        fy += dg * dy
                        fz += dg * dz
        scale = vol / znorm
        out[p, 0] = fx * scale
        out[p, 1] = fy * scale
        out[p, 2] = fz * scale


@njit(cache=True, parallel=True)
def point_density(points: np.ndarray, v: np.ndarray, w: np.ndarray, eps: float, cutoff: float,
                  znorm: float, out: np.ndarray) -> None:
    """out_m = Σ_k w_k ψ(x_m - v_k): the regularised (reconstructed) density at arbitrary points."""
    inv2e2 = 1.0 / (2.0 * eps * eps)
    s_cut = cutoff * cutoff
    g_s = math.exp(-s_cut * inv2e2)
    for m in prange(points.shape[0]):
        acc = 0.0
        for k in range(v.shape[0]):
            dx = points[m, 0] - v[k, 0]
            dy = points[m, 1] - v[k, 1]
            dz = points[m, 2] - v[k, 2]
            acc += w[k] * _g_cut(dx * dx + dy * dy + dz * dz, inv2e2, s_cut, g_s)
        out[m] = acc / znorm
