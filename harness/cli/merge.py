"""``harness merge DIR... [--report-dir DIR]``: the report folders of ``harness run --shard I/N``
made into one report, one cross-check and one gate. Exit codes as one whole run; 2 for folders
that are not the shards of one run."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harness.core.project import load_project
from harness.run.merge import merge_runs, print_summary


@click.command("merge")
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the merged reports and evidence go (default: <artifacts>/merged-<run-id>).",
)
@click.option("--config", type=click.Path(dir_okay=False), help="The harness.yml to use.")
def merge_command(folders: tuple[Path, ...], report_dir: Path | None, config: str | None) -> None:
    """Merge the report folders of the shards of one run into one report and one gate.

    Journeys are unioned (the same journey in two shards is an error), unit suites counted once,
    the cross-check and the gate decided once: the exit code is the one a single run of every
    journey gives (0, 1, 3, 4, 5, 6). Exit 2 when the folders are not all N shards of one run
    of one commit and configuration.
    """
    project = load_project(config)
    click.echo(f"merging {len(folders)} folder(s)", err=True)
    finished, folder = merge_runs(folders, project, report_dir)
    print_summary(finished, folder)
    sys.exit(finished.gate.exit_code)
