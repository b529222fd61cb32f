"""The configuration fingerprint that decides whether ``--reuse`` may take a running stack.

It covers what changes the stack: the environment file, the compose files, the Compose
generation, the values of the environment variables the file refers to, and the files of every
build context (paths, sizes, modification times: no file is read, so it stays fast).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from harness.core.environment import Environment
from harness.core.templating import names_in

SKIPPED_DIRS = frozenset({".git", "node_modules", "__pycache__", ".venv", ".harness"})


def fingerprint(
    environment: Environment,
    generation: int,
    build_contexts: Iterable[Path],
    environ: Mapping[str, str],
) -> str:
    digest = hashlib.sha256(f"generation {generation}\n{environment.source}\n".encode())
    assert environment.compose is not None
    for file in environment.compose.files:
        digest.update(file.read_bytes() if file.is_file() else b"(missing)")
    for name in sorted(_variables(environment)):
        digest.update(f"\n{name}=".encode() + environ.get(name, "\0unset").encode())
    for context in sorted(set(build_contexts)):
        digest.update(_tree_stamp(context).encode())
    return digest.hexdigest()[:16]


def _variables(environment: Environment) -> set[str]:
    names = set()
    for text in environment.templated_texts():
        names |= names_in(text, "env") | names_in(text, "secrets")
    return names


def _tree_stamp(root: Path) -> str:
    lines = [str(root)]
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            path = Path(folder, name)
            try:
                stat = path.stat()
            except OSError:
                continue  # vanished while walking
            lines.append(f"{path.relative_to(root)} {stat.st_size} {stat.st_mtime_ns}")
    return "\n".join(lines)
