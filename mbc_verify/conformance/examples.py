"""Operators written the way users write them: a correct Takizuka–Abe in plain NumPy and deliberately wrong ones.

:class:`NumpyTakizukaAbe` is the documented user example (docs/conformance.md): Takizuka & Abe's binary
collision (J. Comput. Phys. 25 (1977) 205) in the normalisation of docs/spec.md eqs. (63)–(64): one uniform random
matching per step, each matched pair's relative velocity u rotated by θ with tan(θ/2) = δ ~ N(0, τ),
τ = dt |u|^γ (N − 1)/⌊N/2⌋, about a uniformly random axis ⊥ u, the centre of mass kept. Its randomness is
``numpy.random.default_rng([rng_seed, step_index])``. It passes the conformance certificates.

The wrong operators each change one method of it, with a defect users actually make; each must fail the
certificate listed (``catches`` of :mod:`mbc_verify.conformance.certificates`):

- :class:`MissingSpeedFactor` — the deflection variance lacks its |u|^γ factor (τ = dt (N − 1)/⌊N/2⌋): right
  at γ = 0, wrong for every other γ → ``initial-rates``, ``isotropization``;
- :class:`DoubledFrequency` — the collision frequency is off by a factor 2 (τ doubled) → ``maxwell``,
  ``initial-rates``, ``isotropization``;
- :class:`ReusedPartners` — the pairs are drawn with replacement, so a particle can meet several partners in one
  step, and the vectorised update ``v[i] = …; v[j] = …`` then overwrites some of its collisions → ``conservation``;
- :class:`FirstOrderEnergy` — the rotation replaced by its small-angle expansion u' = (1 − θ²/2) u + θ |u| n,
  exact to first order in τ but |u'|² = |u|² (1 + θ⁴/4): energy grows by O(τ²) per collision → ``conservation``;
- :class:`FixedPairs` — the particles are never reshuffled: the pairs (0, 1), (2, 3), … collide every step, so
  partners stay correlated and the system never mixes → ``chaos``, ``relaxation``.

Factories: ``factory(gamma=γ)`` for each class (:data:`EXAMPLES`), e.g. the import path
``mbc_verify.conformance.examples:missing_speed_factor``.
"""

from __future__ import annotations

import numpy as np

SPEED_CAP = 1e250
"""|u|^γ is capped here so that δ² stays finite for coincident particles at γ < 0."""


class NumpyTakizukaAbe:
    """Takizuka–Abe in NumPy (module docstring): ``step(v, dt, rng_seed, step_index)`` in place."""

    def __init__(self, gamma: float) -> None:
        self.gamma = float(gamma)

    def pairs(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Indices (i, j) of this step's pairs: a uniform random perfect matching (one particle out for odd N)."""
        p = rng.permutation(n)
        m = n // 2
        return p[0:2 * m:2], p[1:2 * m:2]

    def tau(self, dt: float, r: np.ndarray, n: int) -> np.ndarray:
        """The pairs' direction-diffusion times τ = dt |u|^γ (N − 1)/⌊N/2⌋ (docs/spec.md eq. (63)); 0 at u = 0."""
        with np.errstate(divide="ignore"):
            speed = np.where(r > 0.0, np.minimum(r**self.gamma, SPEED_CAP), 0.0)
        return dt * speed * (n - 1) / (n // 2)

    def rotate(self, u: np.ndarray, r: np.ndarray, tau: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """u rotated by θ, tan(θ/2) = δ ~ N(0, τ), about a uniform axis n ⊥ u: cos θ u + sin θ |u| n."""
        d = np.sqrt(tau) * rng.standard_normal(r.size)
        cos, sin = (1.0 - d * d) / (1.0 + d * d), 2.0 * d / (1.0 + d * d)
        return cos[:, None] * u + (sin * r)[:, None] * self.normal(u, r, rng)

    @staticmethod
    def normal(u: np.ndarray, r: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A uniformly random unit vector ⊥ u per row: a Gaussian vector projected on u^⊥ twice (one projection
        loses orthogonality when the vector is nearly parallel to u; "twice is enough": Giraud, Langou, Rozložník,
        Comput. Math. Appl. 50 (2005) 1069) and normalised."""
        g = rng.standard_normal(u.shape)
        uh = u / np.where(r > 0.0, r, 1.0)[:, None]
        for _ in range(2):
            g -= np.sum(g * uh, axis=1)[:, None] * uh
        return g / np.linalg.norm(g, axis=1)[:, None]

    def step(self, v: np.ndarray, dt: float, rng_seed: int, step_index: int) -> None:
        """One collision step of length ``dt`` for the velocities ``v`` (N × 3), in place."""
        rng = np.random.default_rng([rng_seed, step_index])
        i, j = self.pairs(rng, v.shape[0])
        u = v[i] - v[j]
        r = np.linalg.norm(u, axis=1)
        c = 0.5 * (v[i] + v[j])
        w = self.rotate(u, r, self.tau(dt, r, v.shape[0]), rng)
        v[i] = c + 0.5 * w
        v[j] = c - 0.5 * w


class MissingSpeedFactor(NumpyTakizukaAbe):
    """Wrong: τ = dt (N − 1)/⌊N/2⌋, the |u|^γ factor of the deflection variance forgotten."""

    def tau(self, dt: float, r: np.ndarray, n: int) -> np.ndarray:
        return np.where(r > 0.0, dt * (n - 1) / (n // 2), 0.0)


class DoubledFrequency(NumpyTakizukaAbe):
    """Wrong: the collision frequency (τ) is twice the right one."""

    def tau(self, dt: float, r: np.ndarray, n: int) -> np.ndarray:
        return 2.0 * super().tau(dt, r, n)


class ReusedPartners(NumpyTakizukaAbe):
    """Wrong: ⌊N/2⌋ pairs drawn with replacement (a particle may meet several partners in one step); the vectorised
    update then keeps only the last write of a repeated index, which breaks momentum and energy conservation."""

    def pairs(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        i = rng.integers(0, n, n // 2)
        return i, (i + rng.integers(1, n, n // 2)) % n


class FirstOrderEnergy(NumpyTakizukaAbe):
    """Wrong: u' = (1 − θ²/2) u + θ |u| n, the rotation to second order in θ (first order in τ): |u'|² =
    |u|² (1 + θ⁴/4), energy conserved only to first order."""

    def rotate(self, u: np.ndarray, r: np.ndarray, tau: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        theta = 2.0 * np.arctan(np.sqrt(tau) * rng.standard_normal(r.size))
        n = self.normal(u, r, rng)
        return (1.0 - 0.5 * theta * theta)[:, None] * u + (theta * r)[:, None] * n


class FixedPairs(NumpyTakizukaAbe):
    """Wrong: never reshuffled — the pairs (0, 1), (2, 3), … every step."""

    def pairs(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        m = n // 2
        return np.arange(0, 2 * m, 2), np.arange(1, 2 * m, 2)


def takizuka_abe_numpy(gamma: float) -> NumpyTakizukaAbe:
    """Factory of the correct NumPy Takizuka–Abe operator."""
    return NumpyTakizukaAbe(gamma)


def missing_speed_factor(gamma: float) -> MissingSpeedFactor:
    """Factory of :class:`MissingSpeedFactor`."""
    return MissingSpeedFactor(gamma)


def doubled_frequency(gamma: float) -> DoubledFrequency:
    """Factory of :class:`DoubledFrequency`."""
    return DoubledFrequency(gamma)


def reused_partners(gamma: float) -> ReusedPartners:
    """Factory of :class:`ReusedPartners`."""
    return ReusedPartners(gamma)


def first_order_energy(gamma: float) -> FirstOrderEnergy:
    """Factory of :class:`FirstOrderEnergy`."""
    return FirstOrderEnergy(gamma)


def fixed_pairs(gamma: float) -> FixedPairs:
    """Factory of :class:`FixedPairs`."""
    return FixedPairs(gamma)


EXAMPLES: dict[str, str] = {
    "takizuka_abe_numpy": "the correct NumPy Takizuka–Abe (the documented user example)",
    "missing_speed_factor": "deflection variance missing its |u|^γ factor",
    "doubled_frequency": "collision frequency off by a factor 2",
    "reused_partners": "pairs drawn with replacement: a particle reused within a step (vectorised update)",
    "first_order_energy": "pair update that conserves energy only to first order",
    "fixed_pairs": "pairs never reshuffled",
}
"""Factory name (in this module) → what it is."""
WRONG = tuple(name for name in EXAMPLES if name != "takizuka_abe_numpy")
"""The deliberately wrong operators."""
