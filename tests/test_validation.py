"""Bad input raises a ValueError whose message names the parameter (docs/spec.md §8, last item)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mbc_verify import validation as val
from mbc_verify.initial import parse_init


@pytest.mark.parametrize("g", [-3.0001, 1.5, math.nan, math.inf, "1", None, True])
def test_gamma(g) -> None:
    with pytest.raises(ValueError, match="^gamma"):
        val.check_gamma(g)


@pytest.mark.parametrize("g", [-3, -3.0, 0, 1.0, np.float64(-2.5)])
def test_gamma_ok(g) -> None:
    assert val.check_gamma(g) == float(g)


@pytest.mark.parametrize("h", [0.0, -0.1, math.pi, 4.0, math.nan])
def test_grazing(h) -> None:
    with pytest.raises(ValueError, match="^h: must .*in \\(0, pi\\)"):
        val.check_grazing(h)


@pytest.mark.parametrize("n", [1, 0, -5, 2.0, "10"])
def test_n(n) -> None:
    with pytest.raises(ValueError, match="^n"):
        val.check_n_particles(n)


@pytest.mark.parametrize("t", [0.0, -1.0, math.nan])
def test_positive(t) -> None:
    with pytest.raises(ValueError, match="^T: must .*> 0"):
        val.check_positive("T", t)


def test_arrays() -> None:
    with pytest.raises(ValueError, match="^v: must have shape \\(\\*, 3\\)"):
        val.check_velocities(np.zeros((4, 2)))
    with pytest.raises(ValueError, match="^v: must contain only finite"):
        val.check_velocities(np.array([[0.0, 0, 0], [np.nan, 0, 0]]))
    with pytest.raises(ValueError, match="^v: must hold N >= 2"):
        val.check_velocities(np.zeros((1, 3)))
    assert val.check_velocities(np.zeros((2, 3))).dtype == np.float64


@pytest.mark.parametrize("spec", ["gaussian", "bimaxwellian:1", "bimaxwellian:1,x", "bimaxwellian:1,-2",
                                  "bkw", "bkw:0", "maxwellian:1", "mixture:1", "mixture:1,0", "", 3])
def test_bad_init_names_the_parameter(spec) -> None:
    with pytest.raises(ValueError, match="^init"):
        parse_init(spec)


def test_init_energy_and_mixture_rescaling() -> None:
    assert parse_init("bimaxwellian:2,0.5").energy == 3.0
    assert parse_init("bimaxwellian:1,2").energy == 5.0
    assert parse_init("bkw:0.7").params == (0.7,)
    mix = parse_init("mixture:1,1,3,3").mixture
    assert sum(w for w, _ in mix) == pytest.approx(1.0)
    assert sum(3 * w * t for w, t in mix) == pytest.approx(3.0)
