"""The ``harness`` command line: a click group whose subcommands live one area per module."""

from __future__ import annotations

import sys

import click

from harness import __version__
from harness.errors import HarnessError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="harness")
def cli() -> None:
    """Boot the real stack, run the journeys in a real browser, flag 'tests green, app broken'."""


def _register() -> None:
    # Each area adds its commands here, one import per module.
    from harness.cli import browser, schema

    browser.register(cli)
    schema.register(cli)
    from harness.cli import stack

    stack.register(cli)
    from harness.cli import crosscheck

    crosscheck.register(cli)
    from harness.cli import journeys

    journeys.register(cli)
    from harness.cli import run

    run.register(cli)


_register()


def main() -> None:
    """Console entry point: a HarnessError becomes its message and exit code, never a traceback."""
    try:
        # Without standalone mode click returns ctx.exit()'s code (it catches its own Exit).
        code = cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except HarnessError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
