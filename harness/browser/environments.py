"""The ``urls`` of an environment, for running journeys against an environment that is up.

The environment file is found through the project (``harness.yml``'s ``environments`` folder),
validated by the environment loader, and its urls rendered with ``${env.NAME}``. Urls that
name a booted stack (``${compose...}``, ``${port...}``) are known only to ``harness run``.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from harness.core.environment import load_environment
from harness.core.project import load_project
from harness.core.templating import Context, render
from harness.errors import TemplateError, UsageError


def _environment_file(name: str, folder: Path) -> Path:
    for suffix in (".yml", ".yaml"):
        if (folder / f"{name}{suffix}").is_file():
            return folder / f"{name}{suffix}"
    known = sorted(p.stem for p in folder.glob("*.y*ml")) if folder.is_dir() else []
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise UsageError(
        f"--harness-env: no environment '{name}' ({folder / name}.yml does not exist).{hint}\n"
        f"    Environments there: {', '.join(known) or 'none'}"
    )


def read_environment_urls(name: str, start: Path) -> dict[str, str]:
    """``urls`` of environment ``name`` in the project around ``start``, rendered.

    SourceError when the file has mistakes; UsageError when it is missing or its urls are only
    known once its stack is up."""
    project = load_project(cwd=start)
    path = _environment_file(name, project.root / project.environments)
    environment = load_environment(path, project.root)
    context = Context(env=dict(os.environ))
    try:
        return {key: render(value, context) for key, value in environment.urls.items()}
    except TemplateError as exc:
        raise UsageError(
            f"{path}: {exc}\n    Urls that name a booted stack (${{compose...}}, ${{port...}}) "
            f"are known once it is up: use `harness run --env {name}`, or pass --base-url"
        ) from exc
