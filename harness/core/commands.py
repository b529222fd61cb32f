"""What a command the harness starts for the project sees: its own interpreter first.

``harness`` may be called by its path (``.venv/bin/harness``) from a shell where its virtual
environment is not activated. The project's commands (unit tests, processes, host seed steps)
then still find the harness's interpreter and tools before any other: its bin folder leads their
PATH, and ``{python}`` in a command is that interpreter's path.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

#: Replaced, in a command's arguments, by the interpreter the harness runs on.
PYTHON_PLACEHOLDER = "{python}"


def own_bin_folder() -> str | None:
    """The bin folder of the virtual environment the harness runs in, or None outside one."""
    if sys.prefix == sys.base_prefix:
        return None  # a system interpreter: its folder is on PATH already, or chosen by the user
    return os.path.dirname(sys.executable)  # not resolved: a venv's python is a symlink


def command_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` with the harness's own bin folder first on PATH (once)."""
    env = dict(environ)
    folder = own_bin_folder()
    if folder is None:
        return env
    rest = [p for p in env.get("PATH", os.defpath).split(os.pathsep) if p and p != folder]
    env["PATH"] = os.pathsep.join([folder, *rest])
    return env


def fill_python(arg: str) -> str:
    """``arg`` with ``{python}`` replaced by the path of the harness's interpreter."""
    return arg.replace(PYTHON_PLACEHOLDER, sys.executable)
