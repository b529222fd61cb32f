"""The ``harness`` command line: a click group whose subcommands live one area per module."""

from __future__ import annotations

import atexit
import importlib
import os
import signal
import sys
import threading
from typing import NoReturn

import click

from harness import __version__
from harness.contract import EXIT_BAD_INPUT, EXIT_SIGNAL_BASE
from harness.errors import HarnessError

#: Each command: its module, the click command in it, and its line in ``harness --help``.
#: The modules are imported only when their command runs, so ``--version`` and ``--help``
#: load none of Playwright, Docker or jsonschema (issue: start-up under 0.3 s).
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "browser": ("browser", "browser_command", "Show the browser the harness will use."),
    "crosscheck": ("crosscheck", "crosscheck_command", "Verdicts from existing JUnit reports."),
    "drift": ("drift", "drift_command", "The unit tests' mocks against a run's real responses."),
    "down": ("stack", "down_command", "Remove the kept and orphaned stacks of an environment."),
    "features": ("crosscheck", "features_command", "What links to what, and the gaps."),
    "history": ("history", "history_command", "Flaky rates, durations, start-up across runs."),
    "init": ("init", "init_command", "Start a project: harness.yml, environment, smoke journey."),
    "list": ("journeys", "list_command", "List the journeys, their tags and features."),
    "merge": ("merge", "merge_command", "Shard reports into one report, cross-check and gate."),
    "run": ("run", "run_cli", "Boot, run journeys and unit tests, cross-check, gate."),
    "schema": ("schema", "schema_command", "Print the JSON Schema of a file the harness reads."),
    "smoke": ("run", "smoke_command", "The journeys tagged smoke, on the local environment."),
    "status": ("stack", "status_command", "Show the stacks of the harness on this engine."),
    "up": ("stack", "up_command", "Boot an environment and keep it up."),
    "validate": ("journeys", "validate_command", "Check journeys, environments, harness.yml."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when used, with their help lines known up front."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, name, _ = LAZY_COMMANDS[cmd_name]
            command: click.Command = getattr(importlib.import_module(f"harness.cli.{module}"), name)
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            (name, LAZY_COMMANDS[name][2] if name in LAZY_COMMANDS else self._short_help(ctx, name))
            for name in self.list_commands(ctx)
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def _short_help(self, ctx: click.Context, name: str) -> str:
        command = super().get_command(ctx, name)
        return command.get_short_help_str() if command is not None else ""


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="harness")
def cli() -> None:
    """Boot the real stack, run the journeys in a real browser, flag 'tests green, app broken'."""


def _register() -> None:
    """Commands not in LAZY_COMMANDS register themselves here, one import per module."""


_register()


def main() -> None:
    """Console entry point: a HarnessError becomes its message and exit code, never a traceback."""
    try:
        # Without standalone mode click returns ctx.exit()'s code (it catches its own Exit).
        code = cli.main(standalone_mode=False)
    except SystemExit as exc:  # the commands exit with the contract's code
        code = exc.code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        code = EXIT_SIGNAL_BASE + signal.SIGINT
    except click.ClickException as exc:
        exc.show()
        code = EXIT_BAD_INPUT
    except HarnessError as exc:
        click.echo(f"error: {exc}", err=True)
        code = exc.exit_code
    exit_now(code if isinstance(code, int) else 0 if code is None else code)


def exit_now(code: int | str) -> NoReturn:
    """Exit with ``code`` once the output is flushed and the exit handlers have run, without
    the interpreter's teardown of every module and object, which took 0.1-0.2 s after a run
    had imported Playwright, SQLAlchemy and Jinja (measured; nothing is left to clean up by
    then: the stack is down, the browser closed, the reports and the history written and
    closed). The usual exit when a thread the interpreter would wait for still runs, or the
    output cannot be flushed (a closed pipe: Python then says so, as it would)."""
    others = [t for t in threading.enumerate() if not t.daemon and t is not threading.main_thread()]
    if not isinstance(code, int) or others:
        sys.exit(code)
    atexit._run_exitfuncs()  # first: what they write is flushed below
    atexit._clear()  # they ran: the usual exit below must not run them twice
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a reader that went away, or a stream already closed
        sys.exit(code)
    os._exit(code)
