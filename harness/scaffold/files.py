"""The files ``harness init`` writes, rendered from jinja2 templates, and the check that none
of them exists yet: init never overwrites a file."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from harness.core.published_schema import published
from harness.errors import UsageError

#: Where the editor schemas go; the smoke journey's first line points there.
SCHEMA_DIR = ".harness"
ENVIRONMENT = "local"
CI_CHOICES = ("github",)


@dataclass(frozen=True)
class InitOptions:
    url: str | None = None
    ci: str | None = None


def new_project_files(options: InitOptions) -> dict[str, str]:
    """Relative path -> text of every file of a new project."""
    if options.url is not None:
        check_url(options.url)
    values = {"url": options.url, "environment": ENVIRONMENT, "schema_dir": SCHEMA_DIR}
    files = {
        "harness.yml": _render("harness.yml.j2", values),
        f"environments/{ENVIRONMENT}.yml": _render("environment.yml.j2", values),
        "journeys/smoke.journey.yml": _render("smoke.journey.yml.j2", values),
        f"{SCHEMA_DIR}/journey.schema.json": _schema("journey"),
        f"{SCHEMA_DIR}/steps.schema.json": _schema("steps"),
    }
    if options.ci == "github":
        files[".github/workflows/harness.yml"] = _render("github-workflow.yml.j2", values)
    return files


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--url {url}: not an http(s) URL; give where the app answers, such as "
            "http://127.0.0.1:8000"
        )


def existing(root: Path, files: dict[str, str]) -> list[str]:
    """The files of ``files`` that are already there (init then writes none of them)."""
    return sorted(name for name in files if (root / name).exists())


def _schema(kind: str) -> str:
    from harness.core.journey.schema import journey_schema, steps_schema

    schema = journey_schema() if kind == "journey" else steps_schema()
    return json.dumps(published(schema), indent=2) + "\n"


def _render(name: str, values: Mapping[str, object]) -> str:
    return _templates().get_template(name).render(**values)


def _templates() -> jinja2.Environment:
    # YAML, not HTML: nothing to escape; a value the template does not get is an error.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("harness.scaffold", "templates"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
