"""The law of a pair (N = 2) under MBC and under the Landau master equation, exactly, by its spectral evolution.

**Variables.** v₁ = c + u/2, v₂ = c − u/2 (c the centre of mass, u = v₁ − v₂); the map (c, u) → (v₁, v₂) has unit
Jacobian, so the density of (v₁, v₂) on R⁶ is F(v₁, v₂) = G(c, u). Since ∇_{v₁} = ½∇_c + ∇_u and
∇_{v₂} = ½∇_c − ∇_u,

    I(F) = ∫ |∇F|²/F = ∫ ( ½ |∇_c G|² + 2 |∇_u G|² ) / G       (derived in proofs_checks/derivations/pair_fisher.py)

and for a product law G = g(c) k(u) (g, k probability densities) I(F) = ½ I(g) + 2 I(k). Both dynamics keep c and
|u| and move only the direction û = u/|u| (SPEC §2, §3), so g and I(g) are constant and the dynamics of I(F) is that
of I(k) on R³. A law that is not a product is handled by :func:`mixture_fisher` (the (c, u)-correlated mixtures
Σ_q w_q N(0, s_q I)(c) k_q(u)); there the c-part ½∫|∇_c G|²/G is non-increasing for any rate law (the u-semigroup
does not depend on c and commutes with ∇_c, so the joint convexity of (a, b) ↦ a²/b applies, see
``radial_jensen`` below), and the u-part is ∫ dc I(G(c, ·)), fibre by fibre an N = 2 law of u. Hence I(F_t) is
non-increasing for every law on R⁶ iff I(k_t) is for every (unnormalised) density k on R³.

**Exchangeability.** F(v₁, v₂) = F(v₂, v₁) iff k(−u) = k(u) iff k has only even degrees ℓ (Y_ℓm(−û) = (−1)^ℓ Y_ℓm).
Guillén–Silvestre's sphere inequality is stated for symmetric (even) functions (S. Ji, arXiv:2408.13954: "positive
symmetric functions on the unit sphere"); the project's MBC particle laws are exchangeable.

**Spectral representation.** k(u) = Σ_{ℓ ≤ L, |m| ≤ ℓ} a_ℓm(r) Y_ℓm(û), Y_ℓm the real orthonormal spherical
harmonics (Y_ℓ0 = P̄_ℓ(x)/√(2π), Y_ℓm = P̄_ℓ^m(x) cos mφ/√π, Y_ℓ,−m = P̄_ℓ^m(x) sin mφ/√π, x = cos θ, P̄ the
associated Legendre functions normalised to ∫₋₁¹ P̄² dx = 1). A :class:`PairLaw` stores each a_ℓm as a finite sum
of terms coef · r^p e^{−r²/(2τ)} with p − ℓ even and ≥ 0, so that a_ℓm(r) Y_ℓm(û) is smooth (analytic) in u.

**Evolution** (per sphere |u| = r; Funk–Hecke, SPEC §3): a_ℓm(r, t) = a_ℓm(r, 0) e^{−μ_ℓ(r) t}, μ_ℓ = α(r) κ_ℓ with

    master equation:  κ_ℓ = ℓ(ℓ+1)                           (generator α(|u|) Δ_S, SPEC §2)
    MBC, N = 2:       κ_ℓ = 4 s(h) (1 − E[P_ℓ(cos θ)]) / h²   (pair rate (2/N) λ_h = λ_h = 4 α s/h², SPEC §3)

(fixed kernel: E[P_ℓ(cos θ)] = P_ℓ(cos h), s = 1; :func:`mbc_verify.mbc.angles.legendre_means`). Both generators are
self-adjoint for du, so the density evolves by the same operator. Radially, ∂_r a_ℓm(r, t) = (∂_r a_ℓm(r, 0) −
t μ_ℓ'(r) a_ℓm(r, 0)) e^{−μ_ℓ t}: in operator form ∂_t ∂_r k = 𝓛 ∂_r k + (α'/α) 𝓛 k, the commutator [∂_r, 𝓛] =
(α'/α) 𝓛 that vanishes iff α is constant.

**Fisher information and its dissipation.** With du = r² dr dω and |∇k|² = k_r² + (k_θ² + k_φ²/sin²θ)/r²,
I(k) = ∫ dr dω [r² k_r² + k_θ² + (k_φ/sin θ)²] / k, and d/dt I = J_r + C + J_S (:func:`fisher_rate_density`):

    J_r = ∫ r² [2 k_r 𝓛k_r / k − k_r² 𝓛k / k²]       ≤ 0 for every symmetric Markov 𝓛 (joint convexity of a²/b)
    C   = ∫ r² 2 k_r (α'/α)(𝓛k) / k                    the commutator term: 0 for constant α, any sign otherwise
    J_S = ∫ [2 ∇_S k · ∇_S 𝓛k / k − |∇_S k|² 𝓛k / k²]  the angular Fisher information's rate (≤ 0 for the master
                                                        equation: Bakry–Émery on S², Ric = 1)

Monotonicity is the statement C ≤ −(J_r + J_S); ``normalised_rate`` = dI/dt / (|J_r| + |J_S| + |C|) ∈ [−1, 1] is
positive exactly when I increases. Relative entropy with respect to the uniform law on each sphere (the
microcanonical sphere of N = 2 is {c fixed, |u| = r}): H(k | k̄) = ∫ k log(k/k̄), k̄ = a₀₀ Y₀₀ the rotation average,
dH/dt = ∫ 𝓛k log(k/k̄) ≤ 0 for every rate law (reversibility).

**Quadrature** (:func:`make_grid`, ``level`` 0…5): composite Gauss–Legendre in r on panels whose edges are the union
of a ratio-2 geometric sequence from 10⁻⁶ s to s (s the smallest Gaussian scale √τ: resolves the boundary layer
r ~ (κt)^{1/|γ|} of e^{−μt} for γ < 0), a ratio-1.2 geometric sequence from s to R, 24 uniform panels on [0, R]
(R = √τ_max (√90 + √p_max + 2): the integrands are below e^{-45} of their peak beyond R) and the rate law's
breakpoints; Gauss–Legendre in x = cos θ (nodes interior, so k_φ/sin θ is evaluated directly); the trapezoidal
rule in φ (spectral for periodic integrands; one node for axisymmetric laws). Every integrand is analytic on each
panel and the angular integrands are analytic and periodic, so the error decays geometrically in the level;
:func:`convergence` measures it (tests fit the decay; 10 digits are reached at level 3 for the project's
families).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.special import assoc_legendre_p_all, gammaln

from ..validation import check_array, check_choice, check_grazing, check_int, check_nonnegative
from .angles import KERNELS, legendre_means, rate_scale
from .rate_laws import RateLaw

LEVELS: tuple[tuple[int, int], ...] = ((8, 12), (12, 16), (16, 24), (24, 32), (32, 48), (48, 64))
"""Per level: (Gauss–Legendre nodes per radial panel, nodes in x = cos θ); n_φ = 2 n_x for non-axisymmetric laws."""

R_MIN_FACTOR = 1e-6
"""First geometric panel edge, in units of the smallest Gaussian scale (the rest of [0, r_min] is one panel)."""

_Y00 = 1.0 / math.sqrt(4.0 * math.pi)
_CHUNK = 192  # radial nodes per block in the integration kernel (bounds the memory of the (r × angle) fields)


@dataclass(frozen=True)
class PairLaw:
    """A density k(u) on R³ of the relative velocity: Σ_q coef_q r^{power_q} e^{−r²/(2 tau_q)} Y_{ell_q, m_q}(û).

    Arrays of equal length, one entry per term; several terms may share a mode (ℓ, m). Requires power ≥ ℓ with
    power − ℓ even (smoothness at u = 0), tau > 0, and at least one ℓ = 0 term. Positivity of k is not checked
    here; :func:`evaluate` checks it at every quadrature node and the family builders guarantee it
    (:func:`modulation_bound`).
    """

    ell: np.ndarray
    m: np.ndarray
    power: np.ndarray
    tau: np.ndarray
    coef: np.ndarray
    modes: tuple[tuple[int, int], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        arrays = [np.atleast_1d(np.asarray(getattr(self, n))) for n in ("ell", "m", "power", "tau", "coef")]
        if len({a.shape for a in arrays}) != 1 or arrays[0].ndim != 1:
            raise ValueError("ell: ell, m, power, tau, coef must be 1-d arrays of one length")
        ell, m, power = (a.astype(np.int64) for a in arrays[:3])
        tau, coef = check_array("tau", arrays[3]), check_array("coef", arrays[4])
        if np.any(ell < 0) or np.any(np.abs(m) > ell):
            raise ValueError("m: need ell >= 0 and |m| <= ell for every term")
        if np.any(power < ell) or np.any((power - ell) % 2):
            raise ValueError("power: need power >= ell and power - ell even (a smooth function of u)")
        if not np.all(tau > 0.0):
            raise ValueError("tau: every Gaussian scale must be > 0")
        if not np.any(ell == 0):
            raise ValueError("ell: the law needs an ell = 0 (radial) term")
        for name, value in zip(("ell", "m", "power", "tau", "coef"), (ell, m, power, tau, coef), strict=True):
            value.setflags(write=False)
            object.__setattr__(self, name, value)
        object.__setattr__(self, "modes", tuple(sorted({(int(a), int(b)) for a, b in zip(ell, m, strict=True)})))

    @property
    def lmax(self) -> int:
        return int(self.ell.max())

    @property
    def exchangeable(self) -> bool:
        """k(−u) = k(u), i.e. F(v₁, v₂) = F(v₂, v₁): only even degrees."""
        return bool(np.all(self.ell % 2 == 0))

    @property
    def axisymmetric(self) -> bool:
        return bool(np.all(self.m == 0))

    def mass(self) -> float:
        """∫ k du = √(4π) Σ_{ℓ=0 terms} coef ∫₀^∞ r^{p+2} e^{−r²/2τ} dr (exact: ½ (2τ)^{(p+3)/2} Γ((p+3)/2))."""
        sel = self.ell == 0
        p, tau = self.power[sel] + 3.0, self.tau[sel]
        moments = 0.5 * np.exp(0.5 * p * np.log(2.0 * tau) + gammaln(0.5 * p))
        return float(math.sqrt(4.0 * math.pi) * np.sum(self.coef[sel] * moments))

    def inverse_square_moment(self) -> float:
        """E|u|⁻² ∫ k du = ∫ k/|u|² du = √(4π) Σ_{ℓ=0 terms} coef ∫₀^∞ r^p e^{−r²/2τ} dr (exact; constant in time, since
        both dynamics keep |u|). Hardy's inequality in R³ (C_H = 4, φ = √k; proofs_checks/derivations/hardy.py)
        bounds it by I(k) = ∫|∇k|²/k, at every time."""
        sel = self.ell == 0
        p, tau = self.power[sel] + 1.0, self.tau[sel]
        moments = 0.5 * np.exp(0.5 * p * np.log(2.0 * tau) + gammaln(0.5 * p))
        return float(math.sqrt(4.0 * math.pi) * np.sum(self.coef[sel] * moments))

    def scaled(self, factor: float) -> PairLaw:
        """The law with every coefficient multiplied by ``factor``."""
        return PairLaw(self.ell, self.m, self.power, self.tau, self.coef * factor)

    def radial_coefficients(self, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(a, ∂_r a) at t = 0 on the radii ``r``: arrays (len(modes), len(r)), rows in the order of ``modes``."""
        row = {mode: i for i, mode in enumerate(self.modes)}
        rows = np.array([row[(int(a), int(b))] for a, b in zip(self.ell, self.m, strict=True)])
        rr = r[None, :]
        p, tau, coef = self.power[:, None], self.tau[:, None], self.coef[:, None]
        g = coef * np.exp(-rr * rr / (2.0 * tau))
        rp = rr ** p
        dr = np.where(p > 0, p * rr ** np.maximum(p - 1, 0), 0.0) - rp * rr / tau
        a = np.zeros((len(self.modes), r.size))
        da = np.zeros_like(a)
        np.add.at(a, rows, g * rp)
        np.add.at(da, rows, g * dr)
        return a, da


def concatenate(*laws: PairLaw) -> PairLaw:
    """The sum of densities (term lists joined)."""
    parts = [np.concatenate([getattr(law, n) for law in laws]) for n in ("ell", "m", "power", "tau", "coef")]
    return PairLaw(*parts)


def gaussian_mixture(weights, variances) -> PairLaw:
    """k = Σ_j w_j N(0, s_j I) on R³ (radial): a₀₀(r) = √(4π) Σ_j w_j (2π s_j)^{−3/2} e^{−r²/(2 s_j)}."""
    return modulated_law(weights, variances, ())


@dataclass(frozen=True)
class Modulation:
    """One angular modulation b(r) Y_ℓm(û) of a radial density ρ: k = ρ (1 + Σ b_i Y_i).

    bump (``gradient`` False): b(r) = coef (r/σ)^p e^{−r²/(2σ²)}, p = ℓ + extra (extra ≥ 0 even);
    gradient (True): b(r) = coef (s_min/σ²) (−r ρ'(r)/ρ(r)) (r/σ)^p e^{−r²/(2σ²)}, a modulation correlated with the
    radial gradient of ρ (s_min the smallest variance of ρ's mixture, so that −rρ'/ρ ≤ r²/s_min).
    """

    ell: int
    m: int
    coef: float
    sigma: float
    extra: int = 0
    gradient: bool = False

    def sup_b(self) -> float:
        """A bound on sup_r |b(r)|: |coef| sup_x x^q e^{−x²/2} = |coef| (q/e)^{q/2}, q = p (bump), p + 2 (gradient)."""
        q = self.ell + self.extra + (2 if self.gradient else 0)
        return abs(self.coef) * ((q / math.e) ** (0.5 * q) if q > 0 else 1.0)


def modulation_bound(modulations) -> float:
    """Σ_i sup|b_i| · sup|Y_i| ≥ sup |Σ_i b_i Y_i|, with sup|Y_ℓm| ≤ √((2ℓ+1)/(4π)) (Unsöld's addition theorem).

    k = ρ (1 + Σ b_i Y_i) is positive everywhere when this bound is < 1.
    """
    return float(sum(mod.sup_b() * math.sqrt((2 * mod.ell + 1) / (4.0 * math.pi)) for mod in modulations))


def modulated_law(weights, variances, modulations) -> PairLaw:
    """k = ρ(r) (1 + Σ_i b_i(r) Y_i(û)) with ρ = Σ_j w_j N(0, s_j I) (see :class:`Modulation`), as a :class:`PairLaw`.

    The mass is Σ_j w_j (the modulations have zero mean on every sphere). Products of Gaussians in r are Gaussians:
    ρ b_i has the scales τ = (1/s_j + 1/σ²)^{-1}.
    """
    w = check_array("weights", weights, (None,))
    s = check_array("variances", variances, w.shape)
    if not (np.all(w > 0.0) and np.all(s > 0.0)):
        raise ValueError("weights: weights and variances of the radial mixture must be > 0")
    norm = w * (2.0 * math.pi * s) ** -1.5
    terms = [(0, 0, 0, sj, math.sqrt(4.0 * math.pi) * cj) for sj, cj in zip(s, norm, strict=True)]
    s_min = float(s.min())
    for mod in modulations:
        p = check_int("extra", mod.extra, 0) + mod.ell
        if mod.extra % 2:
            raise ValueError(f"extra: must be even, got {mod.extra}")
        for sj, cj in zip(s, norm, strict=True):
            tau = 1.0 / (1.0 / sj + 1.0 / mod.sigma ** 2)
            c = cj * mod.coef * mod.sigma ** -p
            if mod.gradient:
                terms.append((mod.ell, mod.m, p + 2, tau, c * s_min / (mod.sigma ** 2 * sj)))
            else:
                terms.append((mod.ell, mod.m, p, tau, c))
    ell, m, power, tau, coef = (np.array(col) for col in zip(*terms, strict=True))
    return PairLaw(ell, m, power, tau.astype(float), coef.astype(float))


@dataclass(frozen=True)
class Dynamics:
    """The pair dynamics: ``kind`` "master" (α Δ_S) or "mbc" (rate 4 α s(h)/h², angle h; ``kernel`` of SPEC §3)."""

    rate: RateLaw
    kind: str = "master"
    h: float = 0.0
    kernel: str = "fixed"

    def __post_init__(self) -> None:
        check_choice("kind", self.kind, ("master", "mbc"))
        check_choice("kernel", self.kernel, tuple(KERNELS))
        if self.kind == "mbc":
            object.__setattr__(self, "h", check_grazing(self.h))

    @property
    def name(self) -> str:
        return f"master {self.rate.name}" if self.kind == "master" else f"MBC h={self.h:g} {self.rate.name}"

    def kappa(self, lmax: int) -> np.ndarray:
        """κ_ℓ, ℓ = 0…lmax: the per-degree rate factor (module docstring), μ_ℓ(r) = α(r) κ_ℓ."""
        ell = np.arange(lmax + 1, dtype=float)
        if self.kind == "master":
            return ell * (ell + 1.0)
        code = KERNELS[self.kernel]
        means = legendre_means(code, self.h, lmax)
        return 4.0 * rate_scale(code, self.h) * (1.0 - means) / self.h ** 2


@dataclass(frozen=True)
class Grid:
    """Quadrature nodes and weights: radial (r, wr), x = cos θ (x, wx), azimuth (phi, wphi)."""

    r: np.ndarray
    wr: np.ndarray
    x: np.ndarray
    wx: np.ndarray
    phi: np.ndarray
    wphi: np.ndarray

    @property
    def size(self) -> int:
        return self.r.size * self.x.size * self.phi.size


def radial_edges(law: PairLaw, dynamics: Dynamics) -> np.ndarray:
    """Panel edges in r (module docstring, **Quadrature**)."""
    s_min, s_max = math.sqrt(float(law.tau.min())), math.sqrt(float(law.tau.max()))
    r_max = s_max * (math.sqrt(90.0) + math.sqrt(float(law.power.max())) + 2.0)
    n_geo = max(2, int(math.ceil(math.log(r_max / s_min) / math.log(1.2))) + 1)
    edges = np.concatenate([[0.0], s_min * 2.0 ** np.arange(math.log2(R_MIN_FACTOR), 0.0),
                            np.geomspace(s_min, r_max, n_geo), np.linspace(0.0, r_max, 25),
                            dynamics.rate.breakpoints()])
    edges = np.unique(edges[(edges >= 0.0) & (edges <= r_max)])
    keep = np.concatenate([[True], np.diff(edges) > 1e-12 * r_max])
    return edges[keep]


def make_grid(law: PairLaw, dynamics: Dynamics, level: int = 3) -> Grid:
    """The quadrature grid at refinement ``level`` (0…5, :data:`LEVELS`)."""
    level = check_int("level", level, 0, len(LEVELS) - 1)
    n_gauss, n_x = LEVELS[level]
    edges = radial_edges(law, dynamics)
    g, w = np.polynomial.legendre.leggauss(n_gauss)
    a, b = edges[:-1, None], edges[1:, None]
    r = (0.5 * (b - a) * (g + 1.0) + a).ravel()
    wr = (0.5 * (b - a) * w).ravel()
    x, wx = np.polynomial.legendre.leggauss(n_x)
    n_phi = 1 if law.axisymmetric else 2 * n_x
    phi = 2.0 * math.pi * np.arange(n_phi) / n_phi
    wphi = np.full(n_phi, 2.0 * math.pi / n_phi)
    return Grid(r, wr, x, wx, phi, wphi)


def angular_basis(modes: tuple[tuple[int, int], ...], x: np.ndarray, phi: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(Y, ∂_θ Y, ∂_φ Y / sin θ) of the real orthonormal harmonics on the tensor grid x × φ: (modes, n_x · n_φ)."""
    lmax = max(ell for ell, _ in modes)
    mmax = max(abs(m) for _, m in modes)
    p, dp = assoc_legendre_p_all(lmax, mmax, x, norm=True, diff_n=1)
    sin_t = np.sqrt(1.0 - x * x)
    out = np.zeros((3, len(modes), x.size, phi.size))
    for i, (ell, m) in enumerate(modes):
        mm = abs(m)
        pl, dpl = p[ell, mm], dp[ell, mm]
        if m == 0:
            ang, dang = np.full(phi.size, 1.0 / math.sqrt(2.0 * math.pi)), np.zeros(phi.size)
        elif m > 0:
            ang, dang = np.cos(mm * phi) / math.sqrt(math.pi), -mm * np.sin(mm * phi) / math.sqrt(math.pi)
        else:
            ang, dang = np.sin(mm * phi) / math.sqrt(math.pi), mm * np.cos(mm * phi) / math.sqrt(math.pi)
        out[0, i] = pl[:, None] * ang[None, :]
        out[1, i] = (-sin_t * dpl)[:, None] * ang[None, :]
        out[2, i] = (pl / sin_t)[:, None] * dang[None, :]
    return tuple(o.reshape(len(modes), -1) for o in out)


def fisher_density(k, k_r, k_th, k_phs, r):
    """Fisher integrand for dr dω: [r² k_r² + k_θ² + k_φs²] / k, with k_φs = ∂_φ k / sin θ."""
    return (r * r * k_r * k_r + k_th * k_th + k_phs * k_phs) / k


def fisher_rate_density(k, k_r, k_th, k_phs, kdot, kdot_r, kdot_th, kdot_phs, r):
    """(radial, angular) parts of ∂_t of :func:`fisher_density` given the time derivatives of its arguments.

    radial = 2 r² k_r k̇_r / k − r² k_r² k̇ / k²,  angular = 2 (k_θ k̇_θ + k_φs k̇_φs) / k − (k_θ² + k_φs²) k̇ / k²
    (the formula is derived, not assumed, in proofs_checks/derivations/pair_fisher.py::fisher_rate_density).
    """
    inv = 1.0 / k
    kdot_over = kdot * inv * inv
    radial = r * r * (2.0 * k_r * kdot_r * inv - k_r * k_r * kdot_over)
    angular = 2.0 * (k_th * kdot_th + k_phs * kdot_phs) * inv - (k_th * k_th + k_phs * k_phs) * kdot_over
    return radial, angular


def radial_fields(law: PairLaw, dynamics: Dynamics, r: np.ndarray, t: float) -> dict[str, np.ndarray]:
    """Spectral coefficients at time t on the radii r (rows: ``law.modes``).

    a = a₀ e^{−μt}, a_r = (a₀' − t μ' a₀) e^{−μt}, ȧ = −μ a, and ∂_t a_r split as its generator part −μ a_r plus the
    commutator part −μ' a (module docstring).
    """
    return _fields_at(_static_fields(law, dynamics, r), t)


def _static_fields(law: PairLaw, dynamics: Dynamics, r: np.ndarray) -> tuple[np.ndarray, ...]:
    """(a₀, a₀', μ, μ') on the radii r: the time-independent part of :func:`radial_fields`."""
    a0, da0 = law.radial_coefficients(r)
    kappa = dynamics.kappa(law.lmax)[[ell for ell, _ in law.modes]][:, None]
    return a0, da0, kappa * dynamics.rate.value(r)[None, :], kappa * dynamics.rate.derivative(r)[None, :]


def _fields_at(static: tuple[np.ndarray, ...], t: float) -> dict[str, np.ndarray]:
    a0, da0, mu, dmu = static
    decay = np.exp(-mu * t)
    a = a0 * decay
    a_r = (da0 - t * dmu * a0) * decay
    return {"a": a, "a_r": a_r, "adot": -mu * a, "adot_r_gen": -mu * a_r, "adot_r_comm": -dmu * a}


def _block_sums(fields: dict[str, np.ndarray], basis: tuple, r: np.ndarray, w: np.ndarray, i00: int) -> np.ndarray:
    """Weighted sums over one radial block: [mass, I, J_r, C, J_S, H, dH/dt, ∫|k log(k/k̄)|, ∫|k̇ log(k/k̄)|,
    ∫(|radial| + |C integrand| + |angular|) (the round-off scale of dI/dt), min k/k̄]."""
    y, y_th, y_phs = basis
    k = fields["a"].T @ y
    if not np.all(k > 0.0):
        raise ValueError("law: the density is not positive at a quadrature node")
    k_r, k_th, k_phs = fields["a_r"].T @ y, fields["a"].T @ y_th, fields["a"].T @ y_phs
    kdot, kdot_th, kdot_phs = fields["adot"].T @ y, fields["adot"].T @ y_th, fields["adot"].T @ y_phs
    kdot_r_gen, kdot_r_comm = fields["adot_r_gen"].T @ y, fields["adot_r_comm"].T @ y
    rr = r[:, None]
    radial, angular = fisher_rate_density(k, k_r, k_th, k_phs, kdot, kdot_r_gen, kdot_th, kdot_phs, rr)
    commutator = 2.0 * rr * rr * k_r * kdot_r_comm / k
    kbar = (fields["a"][i00] * _Y00)[:, None]
    log_ratio = np.log(k / kbar)
    ent, dent = rr * rr * k * log_ratio, rr * rr * kdot * log_ratio
    parts = [rr * rr * k, fisher_density(k, k_r, k_th, k_phs, rr), radial, commutator, angular, ent, dent,
             np.abs(ent), np.abs(dent), np.abs(radial) + np.abs(commutator) + np.abs(angular)]
    sums = [float(np.sum(w * part)) for part in parts]
    return np.array(sums + [float(np.min(k / kbar))])


def dfisher_of(radial_jensen, commutator, angular):
    """dI/dt = J_r + C + J_S."""
    return radial_jensen + commutator + angular


def evaluate(law: PairLaw, dynamics: Dynamics, times, level: int = 3, grid: Grid | None = None
             ) -> dict[str, np.ndarray]:
    """Fisher information, its rate and the relative entropy of k_t, by quadrature, at each of ``times``.

    Returns arrays over ``times``: ``fisher`` I(k_t), ``dfisher`` dI/dt = J_r + C + J_S, ``radial_jensen`` J_r,
    ``commutator`` C, ``angular`` J_S, ``rate_scale`` |J_r| + |J_S| + |C|, ``normalised_rate`` dI/dt / rate_scale
    (nan where rate_scale = 0), ``rate_abs`` (the integral of the absolute integrands: dI/dt's round-off scale),
    ``entropy`` H(k_t | k̄), ``dentropy`` dH/dt, ``entropy_scale`` and ``dentropy_scale`` (the integrals of the
    absolute integrands: the round-off scale of H and dH/dt), ``mass`` ∫k_t (constant), ``min_ratio`` min k_t/k̄
    over the nodes; plus ``times`` and ``nodes`` (the grid size). Not normalised by the mass.
    """
    t_arr = check_array("times", np.atleast_1d(np.asarray(times, dtype=float)), (None,))
    for t in t_arr:
        check_nonnegative("times", float(t))
    grid = make_grid(law, dynamics, level) if grid is None else grid
    basis = angular_basis(law.modes, grid.x, grid.phi)
    w_ang = (grid.wx[:, None] * grid.wphi[None, :]).ravel()
    i00 = law.modes.index((0, 0)) if (0, 0) in law.modes else None
    if i00 is None:
        raise ValueError("law: the law needs an (ell, m) = (0, 0) term")
    blocks = [(slice(i, i + _CHUNK), _static_fields(law, dynamics, grid.r[i:i + _CHUNK]))
              for i in range(0, grid.r.size, _CHUNK)]
    rows = np.zeros((t_arr.size, 11))
    for j, t in enumerate(t_arr):
        acc = np.zeros(11)
        acc[10] = math.inf
        for sl, static in blocks:
            w = grid.wr[sl, None] * w_ang[None, :]
            block = _block_sums(_fields_at(static, float(t)), basis, grid.r[sl], w, i00)
            acc[:10] += block[:10]
            acc[10] = min(acc[10], block[10])
        rows[j] = acc
    mass, fisher, jr, comm, js, ent, dent, ent_abs, dent_abs, rate_abs, min_ratio = rows.T
    rate_scale = np.abs(jr) + np.abs(js) + np.abs(comm)
    with np.errstate(invalid="ignore", divide="ignore"):
        normalised = np.where(rate_scale > 0.0, dfisher_of(jr, comm, js) / rate_scale, np.nan)
    dfisher = dfisher_of(jr, comm, js)
    return {"times": t_arr, "fisher": fisher, "dfisher": dfisher, "radial_jensen": jr, "commutator": comm,
            "angular": js, "normalised_rate": normalised, "rate_scale": rate_scale, "rate_abs": rate_abs,
            "entropy": ent, "dentropy": dent, "entropy_scale": ent_abs, "dentropy_scale": dent_abs,
            "mass": mass, "min_ratio": min_ratio, "nodes": np.full(t_arr.size, grid.size)}


SCALES = {"fisher": "fisher", "dfisher": "rate_abs", "entropy": "entropy_scale", "dentropy": "dentropy_scale"}
"""The round-off scale of each quantity: the integral of its integrand's absolute value."""

ROUND_OFF = 1e-13
"""Relative round-off of a quadrature sum of ≤ 10⁶ terms of one sign (≈ √n ε with margin), times its scale."""


def convergence(law: PairLaw, dynamics: Dynamics, t: float, levels=(0, 1, 2, 3, 4),
                keys=("fisher", "dfisher", "entropy")) -> dict[str, object]:
    """The quantities ``keys`` at one time on successive levels, their differences to the finest level, the
    round-off floor (``ROUND_OFF`` × the quantity's :data:`SCALES` entry at the finest level) and the geometric
    decay rate of the differences: least-squares slope of log₁₀|Δ| against the level, over the levels whose
    difference exceeds 10 × the floor (nan if fewer than two: converged to round-off from the start)."""
    values = {key: [] for key in keys}
    nodes, scales = [], {}
    for level in levels:
        out = evaluate(law, dynamics, [t], level)
        nodes.append(int(out["nodes"][0]))
        for key in keys:
            values[key].append(float(out[key][0]))
            scales[key] = abs(float(out[SCALES[key]][0]))
    result: dict[str, object] = {"levels": list(levels), "nodes": nodes, "t": t}
    for key in keys:
        v = np.array(values[key])
        diff = np.abs(v[:-1] - v[-1])
        floor = ROUND_OFF * scales[key]
        use = diff > 10.0 * floor
        slope = (float(np.polyfit(np.array(levels[:-1])[use], np.log10(diff[use]), 1)[0])
                 if use.sum() >= 2 else math.nan)
        result[key] = {"values": v.tolist(), "diff_to_finest": diff.tolist(), "round_off": floor,
                       "scale": scales[key], "log10_decay_per_level": slope}
    return result


def mixture_fisher(c_weights, c_variances, laws: list[PairLaw], dynamics: Dynamics, t: float, level: int = 3,
                   n_c: int = 48) -> dict[str, float]:
    """I(F_t) on R⁶ for the non-product law G(c, u) = Σ_q w_q N(0, s_q I)(c) k_q(u) (module docstring).

    I(F) = ∫ dc [ ½ ∫ |∇_c G|²/G du + 2 I_u(G(c, ·)) ], with ∇_c N(0, sI)(c) = −(c/s) N(0, sI)(c), so at
    |c| = ρ the c-part is ∫ (Σ_q w_q g_q'(ρ) k_q)² / (Σ_q w_q g_q(ρ) k_q) du. The c-integral is 4π ∫ ρ² dρ by
    Gauss–Legendre with ``n_c`` nodes on [0, √s_max · 12]. Returns ``c_part`` (½·…), ``u_part`` (2·…), ``fisher``.
    """
    w = check_array("c_weights", c_weights, (len(laws),))
    s = check_array("c_variances", c_variances, (len(laws),))
    rho_max = math.sqrt(float(s.max())) * 12.0
    g, gw = np.polynomial.legendre.leggauss(check_int("n_c", n_c, 4))
    rho, wrho = 0.5 * rho_max * (g + 1.0), 0.5 * rho_max * gw
    gauss = w[None, :] * (2 * math.pi * s[None, :]) ** -1.5 * np.exp(-rho[:, None] ** 2 / (2 * s[None, :]))
    dgauss = -(rho[:, None] / s[None, :]) * gauss
    grid = make_grid(concatenate(*laws), dynamics, level)
    c_part = u_part = 0.0
    for i in range(rho.size):
        fibre = concatenate(*[law.scaled(gauss[i, q]) for q, law in enumerate(laws)])
        numer = concatenate(*[law.scaled(dgauss[i, q]) for q, law in enumerate(laws)])
        weight = 4.0 * math.pi * rho[i] ** 2 * wrho[i]
        u_part += weight * 2.0 * float(evaluate(fibre, dynamics, [t], grid=grid)["fisher"][0])
        c_part += weight * 0.5 * _ratio_integral(numer, fibre, dynamics, t, grid)
    return {"c_part": c_part, "u_part": u_part, "fisher": c_part + u_part}


def _ratio_integral(numer: PairLaw, denom: PairLaw, dynamics: Dynamics, t: float, grid: Grid) -> float:
    """∫ n_t² / k_t du for two laws evolved by the same dynamics, on one grid."""
    y_n = angular_basis(numer.modes, grid.x, grid.phi)[0]
    y_d = angular_basis(denom.modes, grid.x, grid.phi)[0]
    w_ang = (grid.wx[:, None] * grid.wphi[None, :]).ravel()
    out = 0.0
    for start in range(0, grid.r.size, _CHUNK):
        sl = slice(start, start + _CHUNK)
        n_val = radial_fields(numer, dynamics, grid.r[sl], t)["a"].T @ y_n
        k_val = radial_fields(denom, dynamics, grid.r[sl], t)["a"].T @ y_d
        out += float(np.sum(grid.wr[sl, None] * w_ang[None, :] * grid.r[sl, None] ** 2 * n_val ** 2 / k_val))
    return out
