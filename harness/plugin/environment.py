"""The ``urls`` of an environment that is already up, for ``pytest --harness-env NAME``.

The environment file is found and validated by the core's environment loader, like
``harness run`` does, and its urls rendered with ``${env.NAME}``. Urls that name a booted stack
(``${compose...}``, ``${port...}``) are known only once the stack is up.
"""

from __future__ import annotations

import os
from pathlib import Path

from harness.core.environment import find_environment, load_environment
from harness.core.project import load_project
from harness.core.templating import Context, render
from harness.errors import TemplateError, UsageError


def read_environment_urls(name: str, start: Path) -> dict[str, str]:
    """``urls`` of environment ``name`` in the project around ``start``, rendered.

    SourceError when the file has mistakes; UsageError when it is missing or its urls are only
    known once its stack is up."""
    project = load_project(cwd=start)
    try:
        path = find_environment(project.root / project.environments, name)
    except UsageError as exc:
        raise UsageError(f"--harness-env: {exc}") from exc
    environment = load_environment(path, project.root)
    context = Context(env=dict(os.environ))
    try:
        return {key: render(value, context) for key, value in environment.urls.items()}
    except TemplateError as exc:
        raise UsageError(
            f"{path}: {exc}\n    Urls that name a booted stack (${{compose...}}, ${{port...}}) "
            f"are known once it is up: use `harness run --env {name}`, or pass --base-url"
        ) from exc
