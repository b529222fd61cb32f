"""The labels that mark a stack as the harness's: which run, which owner process, which config.

Every container, network and volume of a harness stack carries them, so a stack can be found,
reused or removed through the Docker SDK alone, and a stack whose owner died can be swept.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

PROJECT = "com.docker.compose.project"
SERVICE = "com.docker.compose.service"
NUMBER = "com.docker.compose.container-number"

RUN = "org.harness.run"
OWNER = "org.harness.owner"
ENVIRONMENT = "org.harness.environment"
FINGERPRINT = "org.harness.fingerprint"
KEEP = "org.harness.keep"
STARTED = "org.harness.started"
ENV_FILE = "org.harness.environment-file"
PORTS = "org.harness.ports"

PROJECT_PREFIX = "harness-"


@dataclass(frozen=True)
class Owner:
    """The process that owns a stack: host, pid, and the pid's start time (pids are reused)."""

    host: str
    pid: int
    started: str

    @classmethod
    def current(cls) -> Owner:
        return cls(socket.gethostname(), os.getpid(), _process_start(os.getpid()))

    @classmethod
    def from_label(cls, text: str) -> Owner | None:
        host, _, rest = text.rpartition("@")
        pid, _, started = rest.partition(":")
        return cls(host, int(pid), started) if host and pid.isdigit() else None

    def label(self) -> str:
        return f"{self.host}@{self.pid}:{self.started}"

    def alive(self) -> bool:
        """False only when sure: same host, and the pid is gone or now names another process."""
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # it exists, owned by someone else
        return not self.started or _process_start(self.pid) in ("", self.started)


def _process_start(pid: int) -> str:
    """The start time of pid in clock ticks since boot (Linux), or '' where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rpartition(")")[2].split()[19]


def slug(text: str, limit: int) -> str:
    """Lowercase [a-z0-9-], valid in a Compose v1 and v2 project name and an image name."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:limit].strip("-") or "x"


def project_name(environment: str, run_id: str) -> str:
    """A project name unique to this run: ``harness-<environment>-<run id>``."""
    return f"{PROJECT_PREFIX}{slug(environment, 24)}-{slug(run_id, 24)}"


def stack_labels(
    *, run_id: str, environment: str, env_file: Path, fingerprint: str, keep: bool
) -> dict[str, str]:
    return {
        RUN: run_id,
        OWNER: Owner.current().label(),
        ENVIRONMENT: environment,
        ENV_FILE: str(env_file),
        FINGERPRINT: fingerprint,
        KEEP: "true" if keep else "false",
        STARTED: datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def is_stale(labels: Mapping[str, str]) -> bool:
    """A harness stack nobody will tear down: not kept, and its owner process is gone."""
    if labels.get(KEEP) == "true" or RUN not in labels:
        return False
    owner = Owner.from_label(labels.get(OWNER, ""))
    return owner is not None and not owner.alive()
