"""``harness run`` (the gate: boot, unit tests, journeys, cross-check, reports, teardown) and
``harness smoke`` (the journeys tagged smoke against the local environment, reusing its stack)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from harness.contract import DEFAULT_TRACE, TRACE_MODES
from harness.errors import Interrupted
from harness.run.options import BROWSERS, RunOptions
from harness.stack.signals import exit_like_signal

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _common(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options ``harness run`` and ``harness smoke`` share."""
    options: list[Decorator] = [
        click.argument("paths", nargs=-1, type=click.Path()),
        click.option("--env", "env", metavar="NAME", help="environments/NAME.yml to run against."),
        click.option(
            "-k",
            "keyword",
            metavar="EXPR",
            help="Journeys whose name, id or file match: "
            "words with and, or, not (-k 'checkout and not slow').",
        ),
        click.option(
            "--workers", type=int, metavar="N", help="Journeys at once (default: one per core)."
        ),
        click.option(
            "--browser",
            type=click.Choice(BROWSERS),
            default="chromium",
            help="The browser every journey runs in (default: chromium).",
        ),
        click.option("--browser-path", metavar="PATH", help="A Chromium or Chrome binary."),
        click.option(
            "--browser-endpoint",
            metavar="URL",
            help="A remote browser instead of a local one: ws(s):// for Playwright's protocol "
            "(run-server, launchServer), http(s):// for CDP (default: $HARNESS_BROWSER_ENDPOINT, "
            "then browser.endpoint of the environment file, then of harness.yml).",
        ),
        click.option("--headed", is_flag=True, help="Show the browser windows."),
        click.option(
            "--trace",
            type=click.Choice(TRACE_MODES),
            help=f"When an attempt records a Playwright trace and keeps it "
            f"(default: trace in harness.yml, else {DEFAULT_TRACE}).",
        ),
        click.option(
            "--update-snapshots",
            is_flag=True,
            help="Write the expect_screenshot baselines that are missing or differ, "
            "instead of failing on them.",
        ),
        click.option(
            "--report-dir",
            type=click.Path(file_okay=False),
            help="Put this run's reports and artifacts here (default: <artifacts>/<run-id>).",
        ),
        click.option(
            "--config",
            type=click.Path(dir_okay=False),
            help="harness.yml (default: found upwards).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command("run")
@_common
@click.option(
    "--tag", "tags", multiple=True, metavar="TAG", help="Only journeys with this tag (repeatable)."
)
@click.option("--keep", is_flag=True, help="Leave the stack running afterwards.")
@click.option("--reuse", is_flag=True, help="Use a running stack with the same configuration.")
@click.option("--no-unit", is_flag=True, help="Do not run or read the unit tests.")
@click.option("--shard", metavar="I/N", help="Run the I-th of N parts of the journeys.")
@click.option("--fail-on-flaky", is_flag=True, help="A journey passed only on retry fails it.")
@click.option(
    "--last-failed",
    is_flag=True,
    help="Only the journeys that failed or were flaky in the last run of the environment.",
)
def run_cli(no_unit: bool, **given: Any) -> None:
    """Boot the environment, run the journeys and the unit tests, cross-check, report.

    Exit 0: the gate passed; 1: a journey failed; 2: bad input; 3: tests green, app broken;
    4: the environment could not start; 5: no journey was selected; 6: a policy limit in
    gate was not met.
    """
    _run(RunOptions.from_command_line(unit=not no_unit, **_tuples(given)))


@click.command("smoke")
@_common
def smoke_command(**given: Any) -> None:
    """The journeys tagged smoke against the local environment (else the default one),
    reusing its running stack (or booting one and leaving it up), without the unit tests."""
    options = RunOptions.from_command_line(unit=False, reuse=True, smoke=True, **_tuples(given))
    _run(options)


def _tuples(given: dict[str, Any]) -> dict[str, Any]:
    return {key: tuple(value) if isinstance(value, list) else value for key, value in given.items()}


def _run(options: RunOptions) -> None:
    # The first browser launches now, while the run itself is imported, validated and planned.
    from harness.run.workers import start_early

    early = start_early(options)
    from harness.run.orchestrate import run_harness

    try:
        code = run_harness(options, early=early)
    except Interrupted as exc:
        exit_like_signal(exc)
        return
    # sys.exit, not click's Exit: ``cli.main(standalone_mode=False)`` returns an Exit's code.
    sys.exit(code)


def register(group: click.Group) -> None:
    group.add_command(run_cli)
    group.add_command(smoke_command)
