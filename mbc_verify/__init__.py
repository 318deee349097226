"""mbc_verify: verified numerics for the MBC process and the Landau equation (Du, arXiv:2511.09035).

See SPEC (shared/SPEC.md) for every formula and normalisation; README.md for the quick start.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
