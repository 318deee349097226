"""JSON serialisation of run records (numpy arrays and scalars → lists and Python numbers)."""

from __future__ import annotations

from typing import Any

import numpy as np


def to_jsonable(x: Any) -> Any:
    """numpy arrays and scalars → lists and Python numbers, recursively (dicts, lists, tuples)."""
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, dict):
        return {k: to_jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [to_jsonable(v) for v in x]
    return x
