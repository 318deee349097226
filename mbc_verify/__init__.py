"""mbc_verify: verified numerics for the MBC process and the Landau equation (Du, arXiv:2511.09035).

Public API (docs/spec.md §8), imported lazily so that ``import mbc_verify`` stays fast (numba compiles on first use):

- :func:`certify` — run the validation campaign (claims C1–C12) and write the reports;
- :func:`conform` — certify binary-collision operators (the operator × certificate matrix, docs/conformance.md);
- :func:`simulate` — one particle run (MBC engines or a baseline), :func:`advance` — advance given velocities;
  :func:`run_ensemble` — many replicas with streamed observables; :class:`RunSpec` — the validated run description;
- :func:`solve` — one deterministic Landau run (``maxwell``, ``isotropic``, ``blob``);
- :class:`Certificate`, :class:`Check`, :func:`run_claim`, :func:`all_claims`, :data:`MUTANTS`, :func:`parse_init`.

Every formula and normalisation follows docs/spec.md (the Landau equation with the ½ of the paper's eq. (1.1)).
"""

from __future__ import annotations

from .lazy import lazy_face

__version__ = "0.1.0"

_EXPORTS = {
    "certify": "mbc_verify.campaign",
    "conform": "mbc_verify.conformance.campaign",
    "simulate": "mbc_verify.mbc.api", "advance": "mbc_verify.mbc.api",
    "run_ensemble": "mbc_verify.mbc.ensemble",
    "RunSpec": "mbc_verify.runspec",
    "solve": "mbc_verify.solve",
    "Certificate": "mbc_verify.certificate", "Check": "mbc_verify.certificate",
    "run_claim": "mbc_verify.claims.runner",
    "measure_power": "mbc_verify.power",
    "all_claims": "mbc_verify.claims.registry",
    "MUTANTS": "mbc_verify.mutants",
    "parse_init": "mbc_verify.initial",
}

__all__ = ["__version__", *_EXPORTS]
__getattr__, __dir__ = lazy_face(__name__, _EXPORTS, globals())
