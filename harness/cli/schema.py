"""``harness schema KIND``: print the JSON Schema of a file kind, for editors and CI tools."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import Any

import click

from harness.core.published_schema import published

# kind -> "module:function" returning the schema; the validator uses the same function.
SCHEMAS: dict[str, str] = {
    "report": "harness.report.json_report:report_schema",
    "project": "harness.core.project:project_schema",
    "environment": "harness.core.environment:environment_schema",
    "journey": "harness.core.journey.schema:journey_schema",
    "steps": "harness.core.journey.schema:steps_schema",
}


def load_schema(kind: str) -> dict[str, Any]:
    """The published schema of ``kind``: the validator's, without its message annotations."""
    module_name, _, function_name = SCHEMAS[kind].partition(":")
    factory: Callable[[], dict[str, Any]] = getattr(
        importlib.import_module(module_name), function_name
    )
    return published(factory())


@click.command("schema")
@click.argument("kind", type=click.Choice(sorted(SCHEMAS)))
def schema_command(kind: str) -> None:
    """Print the JSON Schema of a journey, shared steps, environment, project or report."""
    click.echo(json.dumps(load_schema(kind), indent=2, sort_keys=False))


def register(group: click.Group) -> None:
    group.add_command(schema_command)
