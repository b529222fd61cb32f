"""SIGINT, SIGTERM and SIGHUP become an orderly teardown instead of a leaked stack.

While a stack boots or runs, a signal raises :class:`~harness.errors.Interrupted` in the main
thread, so every ``finally`` runs. While a teardown runs (:func:`shielded`) signals are held
back and raised once it is done: a second Ctrl-C must not cut a ``down`` short.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from harness.errors import Interrupted

HANDLED = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class _State:
    installed = False
    shield_depth = 0
    pending: int | None = None


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _State.shield_depth > 0:
        if _State.pending is not None:
            print("harness: still tearing down the stack; please wait", file=sys.stderr)
        _State.pending = _State.pending or signum
        return
    raise Interrupted(signum)


@contextmanager
def signals_raise() -> Iterator[None]:
    """Within the block, a handled signal raises Interrupted (main thread only; re-entrant)."""
    if _State.installed or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.getsignal(signum) for signum in HANDLED}
    for signum in HANDLED:
        signal.signal(signum, _on_signal)
    _State.installed = True
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _State.installed = False


@contextmanager
def shielded() -> Iterator[None]:
    """Hold signals back until the block ends, then raise the first one that arrived."""
    _State.shield_depth += 1
    try:
        yield
    finally:
        _State.shield_depth -= 1
    if _State.shield_depth == 0 and _State.pending is not None:
        signum, _State.pending = _State.pending, None
        raise Interrupted(signum)


def exit_like_signal(interrupted: Interrupted) -> None:
    """Die of the signal itself, the convention a parent shell or CI runner expects."""
    signal.signal(interrupted.signum, signal.SIG_DFL)
    signal.raise_signal(interrupted.signum)
    sys.exit(interrupted.exit_code)  # only reached where the signal cannot kill (not POSIX)
