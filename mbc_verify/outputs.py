"""Output paths checked before any work starts, and files written atomically.

Every report and evidence file is written to a temporary file in the destination's directory and then renamed
over the destination (``os.replace``, atomic on POSIX): an interrupt or a crash leaves either the old file or the
new one, never a truncated one. :func:`check_output_dir` and :func:`check_output_file` are called by the CLI and
the API before a long computation, so that a bad path fails within seconds instead of after the run.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .validation import ArgumentError


def _writable_dir(path: Path, name: str) -> None:
    """Raise ArgumentError ``name`` unless a file can be created in the existing directory ``path``."""
    try:
        fd, probe = tempfile.mkstemp(dir=path, prefix=".mbc-verify-probe-")
    except OSError as exc:
        raise ArgumentError(name, f"{name}: cannot write in directory {str(path)!r} ({exc.strerror})") from None
    os.close(fd)
    os.unlink(probe)


def _nearest_existing(path: Path) -> Path:
    p = path
    while not p.exists():
        if p.parent == p:
            break
        p = p.parent
    return p


def check_output_dir(path: str | os.PathLike[str], name: str = "out_dir") -> Path:
    """A directory that exists and is writable, or can be created; ArgumentError naming ``name`` otherwise.

    Nothing is created here: the nearest existing ancestor must be a writable directory.
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise ArgumentError(name, f"{name}: {str(p)!r} exists and is not a directory")
    base = _nearest_existing(p.resolve())
    if not base.is_dir():
        raise ArgumentError(name, f"{name}: {str(base)!r} is not a directory, so {str(p)!r} cannot be created")
    _writable_dir(base, name)
    return p


def check_output_file(path: str | os.PathLike[str], name: str = "json_file") -> Path:
    """A file path that can be written: not a directory, in a directory that exists or can be created."""
    p = Path(path)
    if p.is_dir() or str(path).endswith(os.sep):
        raise ArgumentError(name, f"{name}: {str(p)!r} is a directory, not a file")
    if p.exists() and not os.access(p, os.W_OK):
        raise ArgumentError(name, f"{name}: {str(p)!r} is not writable")
    check_output_dir(p.parent if str(p.parent) else Path("."), name)
    return p


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return p


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """:func:`atomic_write_bytes` of UTF-8 text."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: str | os.PathLike[str], doc: Any, indent: int | None = 1) -> Path:
    """:func:`atomic_write_text` of ``json.dumps(doc)`` with a final newline."""
    return atomic_write_text(path, json.dumps(doc, indent=indent) + "\n")


def atomic_savefig(fig: Any, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """Save a matplotlib figure atomically (format from the suffix)."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format=Path(path).suffix.lstrip(".") or "png", **kwargs)
    return atomic_write_bytes(path, buf.getvalue())
