"""The ``harness`` command as a real process: ``python -m harness ARGS`` in a folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def harness_process(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
