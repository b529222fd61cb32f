"""What makes two runs parts of one: the configuration they ran (a fingerprint of harness.yml,
the environment file, the gate and every selected journey's file) and the git commit. A run
records both in report.json; ``harness merge`` refuses shards that differ in either."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

#: CI variables holding the commit a job checked out, for a checkout without ``git``.
_COMMIT_VARIABLES = ("GITHUB_SHA", "CI_COMMIT_SHA", "BUILDKITE_COMMIT", "CIRCLE_SHA1", "GIT_COMMIT")


def _file_digest(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def config_fingerprint(
    project_file: Path | None,
    environment_file: Path,
    fail_on: Iterable[str],
    journeys: Sequence[tuple[str, Path]],
) -> str:
    """A digest of what decides a run's outcome besides the app: harness.yml, the environment
    file, ``fail_on``, and the selected journeys (id and file content) before any sharding."""
    parts = {
        "harness.yml": _file_digest(project_file),
        "environment": [environment_file.name, _file_digest(environment_file)],
        "fail_on": sorted(fail_on),
        "journeys": sorted([jid, _file_digest(path)] for jid, path in journeys),
    }
    text = json.dumps(parts, sort_keys=True)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def split_fingerprint(parts: Sequence[Sequence[str]]) -> str:
    """A digest of how the journeys were dealt to the shards: shards that balanced on different
    durations (different histories) split differently, and must not be merged."""
    text = json.dumps([list(part) for part in parts])
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def git_commit(root: Path) -> str | None:
    """The commit checked out in ``root``; else the one the CI names; None outside git."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        result = None
    if result is not None and result.returncode == 0 and result.stdout.strip():
        return result.stdout.strip()
    return next((os.environ[v] for v in _COMMIT_VARIABLES if os.environ.get(v)), None)
