"""Ctrl-C that is never lost, even while numba compiles.

Python turns SIGINT into :class:`KeyboardInterrupt` at the next bytecode it runs. While numba compiles a kernel for
the first time (a fresh install: no cache yet), that bytecode can belong to a ctypes callback of LLVM's object
cache, where the exception is printed as "Exception ignored" and dropped, or leaves numba without a compiled
object (a RuntimeError later). The handler that :func:`install` sets therefore also records the interrupt;
:func:`check` (between the chunks of every engine and between campaign units) turns a recorded interrupt into
KeyboardInterrupt, and :func:`interrupted` lets the command line report an error that followed one as the
interrupt it was. A Ctrl-C during a kernel's first compilation is therefore never lost, but it takes effect when
that compilation ends (seconds, once per install: the compiled kernels are cached on disk); after that, within
one engine chunk (a fraction of a second).
"""

from __future__ import annotations

import signal
from types import FrameType

_pending = False


def _handler(signum: int, frame: FrameType | None) -> None:
    global _pending
    _pending = True
    raise KeyboardInterrupt


def install() -> None:
    """Record every SIGINT (and raise KeyboardInterrupt as usual), if Python's default handler is the current one;
    any other disposition (ignored, or a host application's handler) is left alone."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _handler)


def interrupted() -> bool:
    """True once a SIGINT has arrived under the handler of :func:`install`."""
    return _pending


def check() -> None:
    """Raise KeyboardInterrupt if a SIGINT has arrived (a no-op unless :func:`install` was called)."""
    if _pending:
        raise KeyboardInterrupt
