"""Run an external command in its own process group, so it can always be stopped as a whole.

A terminal's Ctrl-C goes to the whole foreground group; a command in its own group is spared,
and the harness decides when to stop it (see :mod:`harness.stack.signals`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.core.process_groups import track, untrack
from harness.errors import HarnessError

STOP_GRACE_S = 5.0
WATCH_INTERVAL_S = 0.5


@dataclass(frozen=True)
class CommandResult:
    """What a finished command did: exit code, combined output, and whether it ran out of time."""

    argv: tuple[str, ...]
    returncode: int
    output: str
    duration_s: float
    timed_out: bool = False
    errors: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def tail(self, lines: int = 20) -> str:
        text = "\n".join(part for part in (self.output, self.errors) if part.strip())
        return "\n".join(text.rstrip().splitlines()[-lines:])


def start_in_group(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    error: type[HarnessError] = HarnessError,
    **popen: object,
) -> subprocess.Popen[bytes]:
    """Start argv as the leader of a new session; a missing program becomes ``error``."""
    try:
        process: subprocess.Popen[bytes] = subprocess.Popen(  # type: ignore[call-overload]
            list(argv),
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            **popen,
        )
    except OSError as exc:
        raise error(f"cannot run {argv[0]!r}: {exc.strerror or exc}") from exc
    track(process.pid)  # a harness killed with SIGKILL: the next run reaps the group
    return process


def stop_group(process: subprocess.Popen[bytes], grace_s: float = STOP_GRACE_S) -> None:
    """SIGTERM the process's whole group, then SIGKILL what is left after ``grace_s``."""
    _signal_group(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):  # the SIGKILL below settles it
        process.wait(timeout=grace_s)
    _signal_group(process.pid, signal.SIGKILL)
    process.wait()
    untrack(process.pid)


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        return  # the group is already gone


def run_host_command(
    argv: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout_s: float | None = None,
    error: type[HarnessError] = HarnessError,
    separate_stderr: bool = False,
    watch: Callable[[], None] | None = None,
) -> CommandResult:
    """Run argv to completion, capturing its output; never leaves it running.

    ``watch`` is called about every half second while the command runs; whatever it raises
    stops the command and propagates (the Compose runner fails fast on a crashing service).
    """
    started = time.monotonic()
    stderr = subprocess.PIPE if separate_stderr else subprocess.STDOUT
    process = start_in_group(
        argv, cwd=cwd, env=env, error=error, stdout=subprocess.PIPE, stderr=stderr
    )
    deadline = None if timeout_s is None else started + timeout_s
    try:
        out, err, timed_out = _communicate(process, deadline, watch)
    except BaseException:
        stop_group(process)
        _close_pipes(process)
        raise
    untrack(process.pid)
    return CommandResult(
        tuple(argv),
        process.returncode,
        out.decode("utf-8", "replace"),
        time.monotonic() - started,
        timed_out,
        err.decode("utf-8", "replace"),
    )


def _communicate(
    process: subprocess.Popen[bytes], deadline: float | None, watch: Callable[[], None] | None
) -> tuple[bytes, bytes, bool]:
    while True:
        step = WATCH_INTERVAL_S if watch else None
        if deadline is not None:
            left = max(deadline - time.monotonic(), 0.0)
            step = left if step is None else min(step, left)
        try:
            out, err = process.communicate(timeout=step)
            return out or b"", err or b"", False
        except subprocess.TimeoutExpired:
            if deadline is not None and time.monotonic() >= deadline:
                out, err = _stop_and_drain(process)
                return out, err, True
            if watch is not None:
                watch()


def _close_pipes(process: subprocess.Popen[bytes]) -> None:
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


def _stop_and_drain(process: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    stop_group(process)
    try:
        out, err = process.communicate(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        _close_pipes(process)  # a grandchild that left the group still holds the pipe
        return b"", b""
    return out or b"", err or b""
