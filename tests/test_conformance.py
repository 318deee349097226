"""The conformance suite's parts: the operator protocol, naming operators, the generic driver, the Δt-ladder
analysis and the isotropization reference file (docs/conformance.md)."""

from __future__ import annotations

import json
import math
from importlib import metadata
from pathlib import Path

import numpy as np
import pytest

from mbc_verify.conformance import builtin
from mbc_verify.conformance.certificates import isotropization
from mbc_verify.conformance.convergence import analyse_ladder
from mbc_verify.conformance.driver import Driver, ladder, repeat_seeds, tpar
from mbc_verify.conformance.examples import EXAMPLES, NumpyTakizukaAbe
from mbc_verify.conformance.loading import OperatorSpec, load_factory, parse_params
from mbc_verify.conformance.protocol import ENTRY_POINT_GROUP, CollisionOperator, check_operator
from mbc_verify.mbc.initial import sample_initial
from mbc_verify.stats import fit_offset_power, fit_power_gls

# ----------------------------------------------------------------------------- protocol


class _Returns(NumpyTakizukaAbe):
    def step(self, v, dt, rng_seed, step_index):  # noqa: ANN001, ANN202 — a wrong operator
        w = v.copy()
        super().step(w, dt, rng_seed, step_index)
        return w


class _Frozen(NumpyTakizukaAbe):
    def step(self, v, dt, rng_seed, step_index):  # noqa: ANN001, ANN202
        return None


def test_protocol_accepts_the_example_and_the_builtins() -> None:
    for op in (NumpyTakizukaAbe(-3.0), builtin.takizuka_abe(-3.0), builtin.mbc_fast(-3.0), builtin.mbc_exact(-3.0)):
        assert isinstance(op, CollisionOperator)
        assert check_operator(op, -3.0) is op


@pytest.mark.parametrize(("op", "message"), [
    (object(), "does not follow the operator protocol"),
    (NumpyTakizukaAbe(0.0), "made an operator with gamma = 0.0"),
    (_Returns(-3.0), "returned ndarray; the protocol advances v in place"),
    (_Frozen(-3.0), "left every velocity unchanged"),
])
def test_protocol_refuses_what_users_get_wrong(op: object, message: str) -> None:
    with pytest.raises(ValueError, match="^operator: ") as err:
        check_operator(op, -3.0)
    assert message in str(err.value)


# ----------------------------------------------------------------------------- naming operators


def test_operators_by_builtin_name_import_path_and_entry_point() -> None:
    assert load_factory("nanbu") is builtin.nanbu
    assert load_factory("mbc_verify.conformance.examples:takizuka_abe_numpy").__name__ == "takizuka_abe_numpy"
    assert load_factory("mbc_verify.conformance.examples:NumpyTakizukaAbe.pairs")  # a dotted attribute path
    names = [ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)]
    assert "takizuka_abe_numpy" in names  # registered by pyproject.toml
    assert isinstance(OperatorSpec("takizuka_abe_numpy").make(0.0), NumpyTakizukaAbe)


def test_an_entry_point_of_another_package(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = metadata.EntryPoint("their_ta", "mbc_verify.conformance.examples:fixed_pairs", ENTRY_POINT_GROUP)
    real = metadata.entry_points

    def entry_points(**kw):  # noqa: ANN003, ANN202
        return [fake] if kw.get("group") == ENTRY_POINT_GROUP else real(**kw)

    monkeypatch.setattr(metadata, "entry_points", entry_points)
    assert OperatorSpec("their_ta").make(-2.0).gamma == -2.0


@pytest.mark.parametrize(("name", "message"), [
    ("nosuch", "unknown operator 'nosuch'"),
    ("no_such_module_xyz:make", "cannot import module 'no_such_module_xyz'"),
    ("mbc_verify.conformance.examples:nothing", "has no attribute 'nothing'"),
    ("mbc_verify.conformance.examples:EXAMPLES", "is dict, not a factory callable"),
    ("", "must name an operator"),
])
def test_bad_operator_names(name: str, message: str) -> None:
    with pytest.raises(ValueError, match="^operator: ") as err:
        load_factory(name)
    assert message in str(err.value)


def test_operator_parameters() -> None:
    assert parse_params(["h=0.2", "kernel=fixed", "flag=true"]) == (("flag", True), ("h", 0.2), ("kernel", "fixed"))
    spec = OperatorSpec("mbc_fast", parse_params(["h=0.3"]))
    assert spec.label == "mbc_fast[h=0.3]" and spec.make(0.0).h == 0.3
    assert OperatorSpec.from_dict(spec.to_dict()) == spec
    for bad in (["h"], ["1x=2"], ["h=1", "h=2"]):
        with pytest.raises(ValueError, match="^params: "):
            parse_params(bad)
    with pytest.raises(ValueError, match="^params: .*refused its arguments"):
        OperatorSpec("nanbu", (("h", 0.1),)).make(0.0)


def test_every_example_factory_follows_the_protocol() -> None:
    for name in EXAMPLES:
        assert check_operator(load_factory(f"mbc_verify.conformance.examples:{name}")(gamma=-1.0), -1.0)


# ----------------------------------------------------------------------------- the driver


@pytest.mark.parametrize("name", ["takizuka_abe", "spherical_bm", "mbc_fast", "mbc_exact"])
def test_batch_path_is_bitwise_the_protocol_step(name: str) -> None:
    """The fast batch path (step_batch: all systems in one numba call) equals stepping each system through
    the protocol's step(), bit for bit."""
    op = load_factory(name)(gamma=-3.0)
    v0 = np.stack([sample_initial("bimaxwellian:2,0.5", 24, s) for s in range(5)])
    seeds = np.arange(100, 105, dtype=np.int64)
    a = v0.copy()
    drv = Driver(op)
    drv.advance(a, seeds, 0.0, 0.3, 0.1)
    b = v0.copy()
    for r in range(5):
        for k, tau in enumerate(drv.step_lengths(0.0, 0.3, 0.1)):
            op.step(b[r], tau, int(seeds[r]), k)
    assert np.array_equal(a, b) and not np.array_equal(a, v0)


def test_driver_steps_and_common_random_numbers() -> None:
    drv = Driver(NumpyTakizukaAbe(0.0))
    lengths = drv.step_lengths(0.0, 0.25, 0.1)
    assert len(lengths) == 3 and math.isclose(sum(lengths), 0.25) and lengths[:2] == [0.1, 0.1]
    assert Driver(builtin.mbc_exact(0.0)).step_lengths(0.0, 0.25, 0.1) == [0.25]
    runs = ladder(drv, "bimaxwellian:2,0.5", 16, 6, 3, [0.01, 0.02], lambda dt: np.array([0.0, 0.04]), tpar,
                  block=4, repeats=[2, 1])
    assert np.array_equal(runs[0][:, 0], runs[1][:, 0])  # the same initial systems at every Δt
    assert not np.array_equal(runs[0][:, 1], runs[1][:, 1])
    s = np.array([0, 2**63 - 1], dtype=np.int64)
    assert np.array_equal(repeat_seeds(s, 0), s) and np.all(repeat_seeds(s, 1) >= 0)
    assert repeat_seeds(s, 1)[0] != repeat_seeds(s, 2)[0]


# ----------------------------------------------------------------------------- Δt-ladder analysis


DTS = [0.0025, 0.005, 0.01, 0.02]


def _samples(mean: np.ndarray, sd: float, r: int = 400, seed: int = 5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    common = rng.standard_normal((r, 1))  # correlated across Δt, as common random numbers make them
    return mean + sd * (0.6 * common + 0.8 * rng.standard_normal((r, len(mean))))


def test_ladder_without_resolved_dt_dependence_is_a_constant() -> None:
    res = analyse_ladder(DTS, _samples(np.zeros(4), 0.1), 2.0)
    assert res.limit_model == "constant" and abs(res.limit) <= 5 * res.limit_stderr
    assert not math.isfinite(res.order) and res.limit_check("x", "q").holds


def test_ladder_recovers_order_and_a_zero_limit() -> None:
    res = analyse_ladder(DTS, _samples(40.0 * np.array(DTS) ** 0.7, 0.05), -6.0)
    assert res.limit_model == "offset power" and res.limit_check("x", "q").holds
    lo, hi = res.order_ci
    assert lo <= 0.7 <= hi and hi - lo < 0.3 and res.resolved >= 3


def test_ladder_catches_a_limit_that_is_not_the_exact_value() -> None:
    res = analyse_ladder(DTS, _samples(0.5 + 40.0 * np.array(DTS), 0.05), -6.0)
    check = res.limit_check("x", "q")
    assert not check.holds and math.isclose(check.measured, -5.5, abs_tol=0.2)
    assert not res.limit_holds and not math.isfinite(res.order)  # no order under a rejected model


def test_power_law_fits_with_covariance() -> None:
    x = np.array(DTS)
    fit = fit_power_gls(x, 3.0 * x**0.8, np.diag((0.01 * 3.0 * x**0.8) ** 2))
    assert math.isclose(fit.order, 0.8, abs_tol=1e-6) and math.isclose(fit.coefficient, 3.0, rel_tol=1e-5)
    assert fit.offset == 0.0 and fit.order_stderr > 0
    off = fit_offset_power(x, 0.2 + 3.0 * x**0.8, np.eye(4) * 1e-8)
    assert math.isclose(off.offset, 0.2, abs_tol=1e-3) and math.isclose(off.order, 0.8, abs_tol=1e-2)
    with pytest.raises(ValueError, match="^x: "):
        fit_offset_power(x[:3], x[:3], np.eye(3))
    with pytest.raises(ValueError, match="^cov: "):
        fit_power_gls(x, x, -np.eye(4))


# ----------------------------------------------------------------------------- the isotropization reference


def _write_reference(path: Path, gamma: float, times: list[float], tpar: list[float]) -> Path:
    doc = {"gamma": gamma, "init": "bimaxwellian:2,0.5", "times": times,
           "tpar": {"value": tpar, "error": [1e-10] * len(times)}, "tperp": {"value": [0.5] * len(times)}}
    path.write_text(json.dumps(doc))
    return path


def test_reference_file_is_read_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(isotropization, "PACKAGE_DIR", tmp_path / "none")
    monkeypatch.setattr(isotropization, "REPOSITORY_DIR", tmp_path)
    assert isotropization.load_reference() is None
    _write_reference(tmp_path / isotropization.REFERENCE_NAME, -3.0, [0.0, 0.5, 1.0], [2.0, 1.9, 1.8])
    ref = isotropization.load_reference()
    assert ref["gamma"] == -3.0 and ref["times"] == [0.0, 0.5, 1.0] and ref["tpar_error"][1] == 1e-10
    assert isotropization.snapshot_times(ref, 1.0, 0.5) == [1, 2]
    (tmp_path / "bad.json").write_text(json.dumps({"times": [0.0], "tpar": [2.0]}))
    with pytest.raises(ValueError, match="^reference: "):
        isotropization.load_reference(tmp_path / "bad.json")


def test_reference_curve_path_certifies_against_the_curve(tmp_path: Path) -> None:
    """The curve path with a tiny fake file whose curve is exact: γ = 0, T∥(t) = 1 + e^{−6t} (eq. (35)) — a
    correct operator passes, a doubled collision frequency fails."""
    times = [0.0, 0.02, 0.04]
    ref = isotropization.load_reference(_write_reference(tmp_path / "ref.json", 0.0, times,
                                                         [1.0 + math.exp(-6.0 * t) for t in times]))
    sizes = {"n": 4096, "replicas": 16, "t_end": 0.04, "spacing": 0.02, "dts": [0.0025, 0.005, 0.01, 0.02]}
    for name, holds in (("takizuka_abe", True), ("mbc_verify.conformance.examples:doubled_frequency", False)):
        data = isotropization.curve_ladders(Driver(OperatorSpec(name).make(0.0)), ref, sizes, 0)
        assert data["mode"] == "curve" and [row["t"] for row in data["ladders"]] == [0.02, 0.04]
        last = data["ladders"][-1]
        assert (abs(last["limit"]) <= 5 * last["limit_stderr"]) is holds, (name, last["limit"], last["limit_stderr"])


# ----------------------------------------------------------------------------- properties

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_values = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False, width=32),
                    st.booleans(), st.text(alphabet="abcxyz_", min_size=1, max_size=6))


@given(st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True), _values, max_size=4))
def test_operator_spec_round_trips_through_plain_data(params: dict) -> None:
    spec = OperatorSpec("takizuka_abe", parse_params(params))
    again = OperatorSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec and again.label == spec.label
    assert all(ch.isalnum() or ch in "._=-" for ch in spec.slug)


@given(st.floats(-1.0, 1.0), st.floats(0.5, 2.0))
def test_ladder_limit_is_equivariant_under_a_shift_of_the_errors(shift: float, reference: float) -> None:
    """Adding a constant c to every error moves the limit by c (the analysis has no preferred origin) and the
    tolerance does not depend on the reference value."""
    base = _samples(40.0 * np.array(DTS), 0.05)
    a = analyse_ladder(DTS, base, 0.0)
    b = analyse_ladder(DTS, base + shift, reference)
    assert a.limit_model == b.limit_model
    assert math.isclose(b.limit, a.limit + shift, abs_tol=1e-6) and math.isclose(a.tolerance, b.tolerance,
                                                                                    rel_tol=1e-6)
