"""``harness drift [RUN_DIR | HAR]``: the mocks in the unit tests, as their source reads now,
against the real traffic of a finished run (default: the latest) or of a HAR file.

Exit 0 when no mock drifted, 1 when some did, 2 for bad input."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harness.core.project import load_project
from harness.run.drift import DriftReport, drift_of_har, drift_of_run, latest_run

EXIT_NO_DRIFT = 0
EXIT_DRIFT = 1


@click.command("drift")
@click.argument("source", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--config", type=click.Path(dir_okay=False), help="The harness.yml to use.")
@click.option("--unchecked", is_flag=True, help="Also list the mocks with nothing to compare.")
def drift_command(source: Path | None, config: str | None, unchecked: bool) -> None:
    """The unit tests' mocks against a run's real responses (or a HAR file's).

    SOURCE is a run folder (default: the latest run under the project's artifacts) or a HAR
    file exported by a browser or by Playwright. Exit 0 when no mock drifted, 1 when some did.
    """
    project = load_project(config)
    found = source or latest_run(project)
    report = drift_of_run(found, project) if found.is_dir() else drift_of_har(found, project)
    click.echo(render(report, unchecked))
    sys.exit(EXIT_DRIFT if report.drift else EXIT_NO_DRIFT)


def render(report: DriftReport, unchecked: bool = False) -> str:
    """One sentence per drifted mock, grouped by feature, the tests that use it beneath."""
    lines = [f"Mock drift against the real responses of {report.source}:"]
    for name, verdict, found in report.features:
        if not found.drift and not (unchecked and found.unmatched):
            continue
        lines.append(f"{name}" + (f" ({verdict})" if verdict else "") + ":")
        for drift in found.drift:
            lines.append(f"  {drift.kind:<8} {drift.message}")
            lines.append(f"           used by {_tests(drift.tests)}")
        if unchecked:
            lines += [f"  {'-':<8} {u.message}" for u in found.unmatched]
    count, left = len(report.drift), len(report.unmatched)
    lines.append(f"{count} drifted mock difference(s)" if count else "No mock drifted.")
    if left:
        hint = "" if unchecked else " (--unchecked lists them)"
        lines.append(f"{left} mock(s) had no real response to compare with{hint}.")
    return "\n".join(lines)


def _tests(tests: tuple[str, ...], shown: int = 3) -> str:
    more = f", and {len(tests) - shown} more" if len(tests) > shown else ""
    return ", ".join(tests[:shown]) + more


def register(cli: click.Group) -> None:
    cli.add_command(drift_command)
