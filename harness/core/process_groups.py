"""The process groups a run started (unit-test commands, local processes, host commands), noted
on disk while they run, so that a run killed with SIGKILL, which cleans up nothing, has them
reaped by the next run on the machine, the way a stale Compose stack is swept.

One small file per group under ``$XDG_STATE_HOME/harness/groups`` (``~/.local/state``): the
owner's pid and start time, the group's leader and its start time (pids are reused: a group is
only killed while its leader is the process that was noted, or, with the leader gone, while
members of its group remain, which keeps the group id from being reused)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
from pathlib import Path


def state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "harness" / "groups"


def _started(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _alive(pid: int, started: str | None) -> bool:
    now = _started(pid)
    return now is not None and (started is None or now == started)


def _has_members(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _note(pgid: int) -> Path:
    return state_dir() / f"{os.getpid()}-{pgid}.json"


def track(pgid: int) -> None:
    """Note a group this process started (best effort: a read-only home only loses the reaping)."""
    record = {
        "owner": os.getpid(),
        "owner_started": _started(os.getpid()),
        "pgid": pgid,
        "started": _started(pgid),
    }
    with contextlib.suppress(OSError):
        state_dir().mkdir(parents=True, exist_ok=True)
        _note(pgid).write_text(json.dumps(record), encoding="utf-8")


def untrack(pgid: int) -> None:
    with contextlib.suppress(OSError):
        _note(pgid).unlink(missing_ok=True)


def reap_orphans() -> list[int]:
    """SIGKILL every noted group whose owner is gone; the group ids killed."""
    killed = []
    for note in sorted(state_dir().glob("*.json")) if state_dir().is_dir() else ():
        try:
            record = json.loads(note.read_text(encoding="utf-8"))
            owner, pgid = int(record["owner"]), int(record["pgid"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if _alive(owner, record.get("owner_started")):
            continue
        leader = _started(pgid)
        if (leader is not None and leader == record.get("started")) or (
            leader is None and _has_members(pgid)
        ):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pgid, signal.SIGKILL)
                killed.append(pgid)
        with contextlib.suppress(OSError):
            note.unlink()
    return killed
