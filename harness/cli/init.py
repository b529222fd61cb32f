"""``harness init``: a new project in the current folder, never overwriting a file."""

from __future__ import annotations

from pathlib import Path

import click

from harness.errors import UsageError
from harness.scaffold.files import CI_CHOICES, InitOptions, existing, new_project_files


@click.command("init")
@click.option("--url", metavar="URL", help="Where the app already answers (http://...).")
@click.option(
    "--ci", type=click.Choice(CI_CHOICES), help="Also write a CI workflow that runs the gate."
)
def init_command(url: str | None, ci: str | None) -> None:
    """Start a project here: harness.yml, an environment, a smoke journey, editor schemas.

    Never overwrites: if any of the files exists, nothing is written (exit 2).
    """
    root = Path.cwd()
    files = new_project_files(InitOptions(url=url, ci=ci))
    there = existing(root, files)
    if there:
        raise UsageError(
            "harness init writes nothing: these files exist already and would be overwritten: "
            + ", ".join(there)
            + "\n    Move them away, or add what is missing by hand (harness schema KIND)."
        )
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as out:  # "x": a file that appeared meanwhile stays
            out.write(text)
        click.echo(f"wrote {name}")
    click.echo(_next_steps(url))


def _next_steps(url: str | None) -> str:
    if url is None:
        return (
            "next: say how the app starts in environments/local.yml (processes or compose), "
            "then: harness validate && harness run"
        )
    return "next: harness validate && harness run"
