"""Fisher information of the initial data (mbc_verify.landau.maxwell.initial_fisher), the Hardy–Stam bound
(mbc_verify.landau.densities.hardy_stam_bound) and the flat-topped super-Gaussian density."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from mbc_verify.landau.densities import SuperGaussian, density, hardy_stam_bound
from mbc_verify.landau.maxwell import initial_fisher


def _fisher_by_quadrature(init: str) -> float:
    """∫|∇f|²/f by central differences and the midpoint rule on a Cartesian grid (second order in dx)."""
    x = np.linspace(-8.0, 8.0, 129)
    dx = x[1] - x[0]
    v = np.stack(np.meshgrid(x, x, x, indexing="ij"), axis=-1)
    f = density(init, v)
    grads = np.gradient(f, dx, axis=(0, 1, 2))
    g2 = sum(g * g for g in grads)
    return float(np.sum(np.where(f > 1e-300, g2 / np.where(f > 1e-300, f, 1.0), 0.0)) * dx**3)


def test_initial_fisher_closed_forms():
    assert initial_fisher("maxwellian") == 3.0
    assert initial_fisher("bimaxwellian:2,0.5") == pytest.approx(2 / 0.5 + 1 / 2)
    # BKW at K = 1 is the unit Maxwellian (A = 1, B = 0): the quadrature must return 3
    assert initial_fisher("bkw:1") == pytest.approx(3.0, rel=1e-10)
    for init in ("bimaxwellian:2,0.5", "bkw:0.7"):  # independent evaluation, dx = 0.125
        assert initial_fisher(init) == pytest.approx(_fisher_by_quadrature(init), rel=2e-2)
    with pytest.raises(ValueError, match="^init"):
        initial_fisher("shell")


def test_hardy_stam_bound_holds_for_maxwellian():
    """E|v − w|^{-2} for v − w ~ N(0, 2I) is 1/2 (E|z|^{-2} = 1/(σ² (d − 2)), d = 3), below the bound I/2 = 3/2."""
    assert hardy_stam_bound(3.0) == pytest.approx(1.5)
    assert 0.5 < hardy_stam_bound(initial_fisher("maxwellian"))


def test_supergaussian_normalised():
    for p in (2.0, 8.0):
        f = SuperGaussian(p)
        mass = integrate.quad(lambda r, f=f: 4 * math.pi * r * r * f(r), 0, 20)[0]
        energy = integrate.quad(lambda r, f=f: 4 * math.pi * r**4 * f(r), 0, 20)[0]
        assert math.isclose(mass, 1.0, rel_tol=1e-10) and math.isclose(energy, 3.0, rel_tol=1e-10)
    r = np.linspace(0.0, 5.0, 11)
    assert np.allclose(SuperGaussian(2.0)(r), (2 * math.pi) ** -1.5 * np.exp(-r * r / 2), rtol=1e-13)
    assert SuperGaussian(8.0).name == "supergaussian:8"
    with pytest.raises(ValueError, match="^p"):
        SuperGaussian(-1.0)
