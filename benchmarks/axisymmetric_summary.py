"""Print the measured summary of the axisymmetric solver (for the README): fitted convergence rates, conservation
drift and entropy of the reference run, and the NRL comparison (initial rate, and the bi-Maxwellian closure ODE
against the converged T∥(t) of reference/axisymmetric_tpar.json).

    OPENBLAS_NUM_THREADS=1 NUMBA_NUM_THREADS=1 python benchmarks/axisymmetric_summary.py      (about a minute)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from scipy.integrate import solve_ivp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_landau_axisymmetric import _fit, _rate_error  # noqa: E402  (the fitted studies of the test suite)

from mbc_verify.landau.axisymmetric import initial_rate, nrl_isotropization_rate, solve_axisymmetric  # noqa: E402

V_MAX = 12.649110640673518


def main() -> None:
    n_rs = np.array([22, 25, 28, 31, 34])
    errs = [_rate_error(int(n), V_MAX, 32) for n in n_rs]
    print(f"h:     error ≈ C exp(-c/h²), fitted c = {-_fit((n_rs / V_MAX) ** 2, np.log(errs))[0]:.2f}")
    ns = np.array([10, 13, 16, 19])
    errs = [_rate_error(51, V_MAX, int(n)) for n in ns]
    print(f"n_xi:  error ≈ C exp(-b n), fitted b = {-_fit(ns.astype(float), np.log(errs))[0]:.2f}")
    vms = np.array([6.0, 6.5, 7.0, 7.5, 8.0])
    errs = [_rate_error(int(round(v / 0.248)), float(v), 32) for v in vms]
    print(f"v_max: error ≈ C exp(-k v_max²), fitted k = {-_fit(vms ** 2, np.log(errs))[0]:.3f}")
    dts = np.array([0.5, 0.25, 0.125, 0.0625])
    tpar = np.array([solve_axisymmetric(-3.0, 1.0, snapshots=2, dt=float(d))["tpar"][-1] for d in dts])
    print(f"dt:    fitted order {_fit(np.log(dts[:-1]), np.log(np.abs(np.diff(tpar))))[0]:.2f}")
    rec = solve_axisymmetric(-3.0, 5.0, snapshots=21)
    print(f"run t = 5: {rec['wall_seconds']:.2f} s, {rec['steps']} steps; drift mass "
          f"{np.max(np.abs(np.array(rec['mass']) - 1)):.1e}, P_z {np.max(np.abs(np.array(rec['momentum']))):.1e}, "
          f"energy {np.max(np.abs(np.array(rec['energy']) - 3)):.1e}; "
          f"correction {rec['max_conservation_correction']:.1e}; "
          f"largest entropy step increase {rec['entropy_max_step_increase']:.1e}")
    rate = initial_rate(-3.0, "bimaxwellian:2,0.5")["dtpar_dt"]
    print(f"initial dT∥/dt {rate:.15f}, NRL {nrl_isotropization_rate(2, 0.5):.15f}, "
          f"relative difference {rate / nrl_isotropization_rate(2, 0.5) - 1:.1e}")
    ref = json.loads((ROOT / "reference" / "axisymmetric_tpar.json").read_text())
    times, exact = np.array(ref["times"]), np.array(ref["tpar"]["value"])
    closure = solve_ivp(lambda _t, y: [nrl_isotropization_rate(y[0], (3 - y[0]) / 2)], (0, 5), [2.0], t_eval=times,
                        rtol=1e-12, atol=1e-14).y[0]
    for k in range(0, len(times), 4):
        print(f"t = {times[k]:.0f}: T∥ = {exact[k]:.10f} ± {ref['tpar']['error'][k]:.0e}, NRL bi-Maxwellian closure "
              f"{closure[k]:.6f}")


if __name__ == "__main__":
    main()
