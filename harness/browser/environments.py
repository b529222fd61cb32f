"""The ``urls`` of an environment file, for running journeys against an environment that is up.

A stand-in until the environment loader can resolve a booted stack's urls: it reads
``environments/NAME.yml`` (the folder named by ``harness.yml``'s ``environments`` key when
there is one) and renders ``${env.NAME}`` in its urls.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import yaml

from harness.core.templating import Context, render
from harness.errors import TemplateError, UsageError


def _environments_folder(root: Path) -> Path:
    project = root / "harness.yml"
    if project.is_file():
        data = yaml.safe_load(project.read_text(encoding="utf-8")) or {}
        if isinstance(data, dict) and isinstance(data.get("environments"), str):
            return root / str(data["environments"])
    return root / "environments"


def _environment_file(name: str, folder: Path) -> Path:
    for suffix in (".yml", ".yaml"):
        if (folder / f"{name}{suffix}").is_file():
            return folder / f"{name}{suffix}"
    known = sorted(p.stem for p in folder.glob("*.y*ml")) if folder.is_dir() else []
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    valid = ", ".join(known) or "none"
    raise UsageError(
        f"--harness-env: no environment '{name}' ({folder}/{name}.yml does not exist).{hint}\n"
        f"    Environments there: {valid}"
    )


def read_environment_urls(name: str, root: Path) -> dict[str, str]:
    """``urls`` of environment ``name``, rendered; UsageError when missing or not yet known."""
    path = _environment_file(name, _environments_folder(root))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise UsageError(f"{path}: not valid YAML: {exc}") from exc
    urls = data.get("urls") if isinstance(data, dict) else None
    if not isinstance(urls, dict):
        raise UsageError(f"{path}: environment '{name}' has no urls mapping")
    context = Context(env=dict(os.environ))
    try:
        return {str(key): render(str(value), context) for key, value in urls.items()}
    except TemplateError as exc:
        raise UsageError(
            f"{path}: {exc}\n    Urls that name a booted stack (${{compose...}}, ${{port...}}) "
            f"are known once it is up: use `harness run --env {name}`, or pass --base-url"
        ) from exc
