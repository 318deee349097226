"""Particle initial data (docs/spec.md §8): laws, normalisation to zero momentum and exact energy, validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from mbc_verify.initial import parse_init
from mbc_verify.mbc.initial import check_particle_init, draw, sample_initial

EPS = 2.0**-52
P_5SIGMA = 5.733e-7  # two-sided p-value of a 5σ deviation


def _bkw_available() -> bool:
    try:
        from mbc_verify import derived

        return all(k in derived.keys() for k in ("bkw.A", "bkw.B", "bkw.K_min", "bkw.K_max"))
    except FileNotFoundError:
        return False


needs_bkw = pytest.mark.skipif(not _bkw_available(), reason="derived keys bkw.A, bkw.B, bkw.K_min/max missing")

INITS = ["maxwellian", "bimaxwellian:2,0.5", "shell", pytest.param("bkw:0.7", marks=needs_bkw)]


@pytest.mark.parametrize("init", INITS)
@pytest.mark.parametrize("n", [2, 3, 5, 1000])
def test_zero_momentum_and_exact_energy(init, n) -> None:
    v = sample_initial(init, n, seed=4)
    assert v.shape == (n, 3) and v.dtype == np.float64 and v.flags.c_contiguous
    energy = parse_init(init).energy
    # Round-off (μ = ε/2, numpy's pairwise sums have relative error ≤ L μ, L = ⌈log₂ N⌉ + 1): the stored
    # v_i - m̂ differ from the exact shift by ≤ μ|v_i - m̂|, m̂ from the mean by ≤ Lμ max|v|, the scaling adds μ
    # and this test's own mean another Lμ: |mean| ≤ (2L + 2) μ max|v| = (L + 1) ε max|v|. Energy: Ê carries
    # ≤ (L + 1)μ, the factor c = √(E/Ê) ≤ ((L + 1)/2 + 2)μ, the scaled squares 2μ more, this test's mean (L + 1)μ:
    # relative error ≤ (2L + 8)μ = (L + 4) ε.
    big_l = math.ceil(math.log2(n)) + 1
    assert np.abs(v.mean(axis=0)).max() <= (big_l + 1) * EPS * np.abs(v).max()
    assert abs(np.mean(np.sum(v * v, axis=1)) - energy) <= (big_l + 4) * EPS * energy


@pytest.mark.parametrize("init", INITS)
def test_reproducible_from_the_seed(init) -> None:
    a, b, c = sample_initial(init, 50, 7), sample_initial(init, 50, 7), sample_initial(init, 50, 8)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_maxwellian_components_are_standard_normal() -> None:
    v = draw(parse_init("maxwellian"), 30000, np.random.default_rng(1))
    for a in range(3):
        assert stats.kstest(v[:, a], "norm").pvalue > P_5SIGMA


def test_bimaxwellian_temperatures() -> None:
    v = draw(parse_init("bimaxwellian:2,0.5"), 30000, np.random.default_rng(2))
    assert stats.kstest(v[:, 2] / math.sqrt(2.0), "norm").pvalue > P_5SIGMA
    for a in range(2):
        assert stats.kstest(v[:, a] / math.sqrt(0.5), "norm").pvalue > P_5SIGMA
    assert abs(np.mean(v[:, 0] * v[:, 2])) < 5 * math.sqrt(2.0 * 0.5 / 30000)


def test_bimaxwellian_normalised_energy_is_tpar_plus_two_tperp() -> None:
    v = sample_initial("bimaxwellian:3,0.25", 100, 0)
    assert abs(np.mean(np.sum(v * v, axis=1)) - 3.5) <= 12 * EPS * 3.5  # (L + 4)ε, L = 8 (see above)


def test_shell_has_equal_speeds_and_uniform_directions() -> None:
    for n in (2, 3, 4, 7, 1000):
        v = sample_initial("shell", n, 3)
        speeds = np.linalg.norm(v, axis=1)
        # speeds equal before normalisation up to the rounding of ω/|ω| and √3·ω (≤ 3ε); the shift by a mean of
        # size ≤ (L + 1)ε√3 and the common scaling (relative ≤ (L + 4)ε/2) keep them equal to ≤ (2L + 8)ε
        big_l = math.ceil(math.log2(n)) + 1
        assert np.abs(speeds - math.sqrt(3.0)).max() <= (2 * big_l + 8) * EPS * math.sqrt(3.0)
    v = draw(parse_init("shell"), 30001, np.random.default_rng(5))
    # each velocity is uniform on the sphere of radius √3: v_z/√3 ~ U(-1, 1) (Archimedes)
    assert stats.kstest(v[:, 2] / math.sqrt(3.0), "uniform", args=(-1.0, 2.0)).pvalue > P_5SIGMA


@needs_bkw
@pytest.mark.parametrize("k0", [0.6, 0.75, 1.0])
def test_bkw_radial_law_is_exact(k0) -> None:
    # KS test of |v| against the CDF of the BKW density itself, integrated numerically from
    # f = (2πK)^{-3/2} e^{-|v|²/(2K)} (A + B|v|²/K) (independent of the sampler's mixture decomposition).
    from mbc_verify import derived

    a = float(derived.function("bkw.A", "K")(k0))
    b = float(derived.function("bkw.B", "K")(k0))

    def radial_density(r: float) -> float:
        return 4 * math.pi * r * r * (2 * math.pi * k0) ** -1.5 * math.exp(-r * r / (2 * k0)) * (a + b * r * r / k0)

    assert integrate.quad(radial_density, 0, math.inf)[0] == pytest.approx(1.0, abs=1e-10)

    def cdf(x: np.ndarray) -> np.ndarray:
        return np.array([integrate.quad(radial_density, 0, xi)[0] for xi in np.atleast_1d(x)])

    v = draw(parse_init(f"bkw:{k0}"), 20000, np.random.default_rng(6))
    speeds = np.linalg.norm(v, axis=1)
    grid = np.linspace(0, speeds.max() * 1.01, 4001)
    tab = np.concatenate([[0.0], np.cumsum([integrate.quad(radial_density, x0, x1)[0]
                                              for x0, x1 in zip(grid[:-1], grid[1:], strict=True)])])
    assert abs(tab[-1] - cdf(grid[-1])[0]) < 1e-10
    assert stats.kstest(speeds, lambda x: np.interp(x, grid, tab)).pvalue > P_5SIGMA
    # isotropy of the directions: ẑ-component uniform on (-1, 1)
    assert stats.kstest(v[:, 2] / speeds, "uniform", args=(-1.0, 2.0)).pvalue > P_5SIGMA


@needs_bkw
def test_bkw_outside_positivity_range_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^init \(K0\)"):
        sample_initial("bkw:0.5", 10, 0)
    with pytest.raises(ValueError, match=r"^init \(K0\)"):
        sample_initial("bkw:1.2", 10, 0)


def test_mixture_is_refused_for_particles() -> None:
    with pytest.raises(ValueError, match="^init: 'mixture' is for deterministic solvers only"):
        check_particle_init("mixture:1,1,1,2")


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"init": "gaussian", "n": 10, "seed": 0}, "init"),
    ({"init": "bimaxwellian:1", "n": 10, "seed": 0}, "init"),
    ({"init": "bimaxwellian:1,x", "n": 10, "seed": 0}, "init"),
    ({"init": "bimaxwellian:1,-2", "n": 10, "seed": 0}, "init"),
    ({"init": "maxwellian", "n": 1, "seed": 0}, "n"),
    ({"init": "maxwellian", "n": 10, "seed": -1}, "seed"),
])
def test_bad_input_names_the_parameter(kwargs, name) -> None:
    with pytest.raises(ValueError, match=f"^{name}"):
        sample_initial(**kwargs)


# ---------------------------------------------------------------- the mixture sampler (for run_states)


def test_mixture_sampler_normalisation_components_and_reproducibility() -> None:
    from mbc_verify.mbc.initial import sample_mixture

    n = 4000
    v = sample_mixture("mixture:0.5,0.2,0.5,1.8", n, seed=3)
    assert v.shape == (n, 3) and v.flags.c_contiguous
    assert np.abs(v.mean(axis=0)).max() <= 64 * EPS * np.abs(v).max()
    assert np.mean(np.sum(v * v, axis=1)) == pytest.approx(3.0, rel=64 * EPS)
    assert np.array_equal(v, sample_mixture("mixture:0.5,0.2,0.5,1.8", n, seed=3))
    # the radial law Σ w_k χ₃(T_k): KS test of |v| (before normalisation the law is exact; the normalisation moves
    # speeds by O(N^-1/2), far below the KS resolution at this N) at the 5σ level
    def cdf(r):
        return sum(0.5 * stats.chi.cdf(r / math.sqrt(t), 3) for t in (0.2, 1.8))

    assert stats.kstest(np.linalg.norm(v, axis=1), cdf).pvalue > P_5SIGMA
    with pytest.raises(ValueError, match="^init"):
        sample_mixture("maxwellian", 10, seed=0)
