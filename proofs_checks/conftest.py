"""proofs_checks uses the same hypothesis profiles as tests/ (defined once, in tests/conftest.py)."""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parents[1] / "tests" / "conftest.py"))
