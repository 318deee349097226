"""Densities of the docs/spec.md §8 initial data: mass 1, zero momentum, nominal energy; refusals name ``init``."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from mbc_verify.landau.densities import SmoothedShell, density, radial_density


def _has_bkw_keys() -> bool:
    try:
        from mbc_verify import derived

        return all(k in derived.keys() for k in ("bkw.A", "bkw.B", "bkw.K_min", "bkw.K_max"))
    except (ImportError, FileNotFoundError):  # derived.json not exported yet
        return False


needs_bkw = pytest.mark.skipif(not _has_bkw_keys(), reason="derived keys bkw.A/B/K_min/K_max not available yet")

ISOTROPIC = ["maxwellian", "mixture:0.5,0.5,0.5,1.5", "mixture:1,0.3,2,1,0.5,4"]


def _radial_moment(fn, k: int) -> float:
    val, _ = integrate.quad(lambda r: 4 * math.pi * r ** k * fn(np.array([r]))[0], 0, 40, epsabs=0,
                            epsrel=1e-12, limit=200)
    return val


def _cube_moments(spec: str) -> tuple[float, np.ndarray, np.ndarray]:
    """Mass, momentum, second moment by the trapezoid rule on [-16, 16]³ (spectrally accurate for Gaussians)."""
    x = np.linspace(-16, 16, 129)
    dx = x[1] - x[0]
    v = np.stack(np.meshgrid(x, x, x, indexing="ij"), axis=-1)
    f = density(spec, v) * dx ** 3
    mass = f.sum()
    mom = np.einsum("ijk,ijkl->l", f, v)
    sec = np.einsum("ijk,ijkl,ijkm->lm", f, v, v)
    return mass, mom, sec


@pytest.mark.parametrize("spec", [*ISOTROPIC, "bimaxwellian:2,0.5", "bimaxwellian:0.6,1.7"])
def test_density_normalisation(spec: str) -> None:
    from mbc_verify.initial import parse_init

    mass, mom, sec = _cube_moments(spec)
    # trapezoid rule on a Gaussian with spacing 0.25: error ≪ 1e-12; tolerance 1e-10 covers the sum's round-off
    assert mass == pytest.approx(1.0, abs=1e-10)
    assert np.abs(mom).max() < 1e-10
    assert np.trace(sec) == pytest.approx(parse_init(spec).energy, abs=1e-9)
    if spec.startswith("bimaxwellian"):
        tpar, tperp = parse_init(spec).params
        assert np.allclose(np.diag(sec), [tperp, tperp, tpar], atol=1e-9)
        assert np.abs(sec - np.diag(np.diag(sec))).max() < 1e-10


@pytest.mark.parametrize("spec", ISOTROPIC)
def test_radial_matches_3d(spec: str) -> None:
    rng = np.random.default_rng(3)
    v = rng.normal(size=(50, 3)) * 2
    assert np.allclose(density(spec, v), radial_density(spec, np.linalg.norm(v, axis=1)), rtol=1e-14, atol=0)
    assert _radial_moment(lambda r: radial_density(spec, r), 2) == pytest.approx(1.0, rel=1e-11)
    assert _radial_moment(lambda r: radial_density(spec, r), 4) == pytest.approx(3.0, rel=1e-11)


@needs_bkw
@pytest.mark.parametrize("k0", [0.6, 0.7, 0.95, 1.0])
def test_bkw_normalisation(k0: float) -> None:
    spec = f"bkw:{k0}"
    assert _radial_moment(lambda r: radial_density(spec, r), 2) == pytest.approx(1.0, rel=1e-11)
    assert _radial_moment(lambda r: radial_density(spec, r), 4) == pytest.approx(3.0, rel=1e-11)
    assert np.all(radial_density(spec, np.linspace(0, 10, 101)) >= 0)


@needs_bkw
def test_bkw_out_of_range_names_init() -> None:
    with pytest.raises(ValueError, match=r"^init"):
        radial_density("bkw:0.5", np.ones(2))


@pytest.mark.parametrize("width", [0.1, 0.3, 0.8])
def test_smoothed_shell(width: float) -> None:
    shell = SmoothedShell(width)
    assert _radial_moment(shell, 2) == pytest.approx(1.0, rel=1e-10)
    assert _radial_moment(shell, 4) == pytest.approx(3.0, rel=1e-10)


def test_refusals_name_parameter() -> None:
    with pytest.raises(ValueError, match=r"^init"):
        radial_density("shell", np.ones(2))
    with pytest.raises(ValueError, match=r"^init"):
        density("shell", np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^init"):
        radial_density("bimaxwellian:1,2", np.ones(2))
    with pytest.raises(ValueError, match=r"^init"):
        density("mixture:-1,1", np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^init"):
        density("mixture:1,0", np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^v"):
        density("maxwellian", np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"^v"):
        density("maxwellian", np.full((2, 3), np.nan))
    with pytest.raises(ValueError, match=r"^width"):
        SmoothedShell(0.0)
