"""Find the Compose CLI, v2 (``docker compose``) or v1 (``docker-compose``), and speak its flags.

Detection runs ``version``, never ``--help``: ``docker compose --help`` exits 0 even when the v2
plugin is missing (it prints the docker CLI's own help). ``HARNESS_COMPOSE`` forces a choice:
``v2``, ``v1``, or a command line such as ``/opt/bin/docker-compose``.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from harness.errors import ComposeError
from harness.stack.commands import run_host_command

COMPOSE_ENV = "HARNESS_COMPOSE"
V2 = ("docker", "compose")
V1 = ("docker-compose",)
INSTALL_HINT = (
    "Install Compose v2 (https://docs.docker.com/compose/install/linux/) or v1 "
    f"(Debian: apt-get install docker-compose), or point {COMPOSE_ENV} at one."
)
_VERSION = re.compile(r"(?:version\s+)?v?(\d+)\.(\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class ComposeCli:
    """One working Compose command and its version; builds the lifecycle command lines."""

    command: tuple[str, ...]
    version: tuple[int, int, int]

    @property
    def generation(self) -> int:
        return 2 if self.version[0] >= 2 else 1

    def describe(self) -> str:
        return f"{' '.join(self.command)} {'.'.join(map(str, self.version))}"

    def global_flags(self) -> list[str]:
        # --ansi arrived in v1.28; older v1 only knows --no-ansi.
        if self.generation == 2 or self.version >= (1, 28, 0):
            return ["--ansi", "never"]
        return ["--no-ansi"]

    def argv(self, project: str, files: Sequence[Path], directory: Path, *args: str) -> list[str]:
        """``compose -p PROJECT --project-directory DIR -f FILE... ARGS``."""
        file_flags = [flag for file in files for flag in ("-f", str(file))]
        head = [*self.command, *self.global_flags(), "-p", project]
        return [*head, "--project-directory", str(directory), *file_flags, *args]

    def down_args(self, stop_timeout_s: float) -> list[str]:
        return ["down", "--volumes", "--remove-orphans", "--timeout", str(round(stop_timeout_s))]


def parse_version(output: str) -> tuple[int, int, int] | None:
    """The first ``X.Y[.Z]`` of a ``version`` output, or None."""
    first_line = output.strip().splitlines()[0] if output.strip() else ""
    match = _VERSION.search(first_line)
    if match is None:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def candidates(forced: str) -> list[tuple[str, ...]]:
    """The commands to try, in order, for a value of HARNESS_COMPOSE ('' tries v2 then v1)."""
    choice = forced.strip()
    if not choice:
        return [V2, V1]
    if choice.lower() in ("v2", "2"):
        return [V2]
    if choice.lower() in ("v1", "1"):
        return [V1]
    return [tuple(shlex.split(choice))]


def detect_compose(environ: Mapping[str, str] | None = None) -> ComposeCli:
    """The Compose CLI to use; raises ComposeError saying what was tried and why it failed."""
    forced = (os.environ if environ is None else environ).get(COMPOSE_ENV, "")
    return _detect(forced)


@lru_cache(maxsize=8)
def _detect(forced: str) -> ComposeCli:
    tried: list[str] = []
    for command in candidates(forced):
        found = _probe(command, tried)
        if found is not None:
            return found
    how = f" ({COMPOSE_ENV}={forced})" if forced.strip() else ""
    lines = "\n".join(f"    {line}" for line in tried)
    raise ComposeError(f"no working Compose CLI{how}; tried:\n{lines}\n    {INSTALL_HINT}")


def _probe(command: tuple[str, ...], tried: list[str]) -> ComposeCli | None:
    shown = " ".join([*command, "version"])
    try:
        result = run_host_command([*command, "version"], timeout_s=30, error=ComposeError)
    except ComposeError as exc:
        tried.append(f"{shown}: {exc}")
        return None
    version = parse_version(result.output) if result.ok else None
    if version is None:
        tried.append(f"{shown}: exit {result.returncode}: {result.tail(2) or 'no output'}")
        return None
    return ComposeCli(command, version)
