"""``harness browser``: which Chromium the harness will drive, and whether it launches."""

from __future__ import annotations

import click

from harness.browser.discovery import find_browser
from harness.browser.launch import launch_check


@click.command("browser")
@click.option("--browser-path", help="A Chromium or Chrome binary to use instead of searching.")
@click.option("--check", is_flag=True, help="Also launch it headless and load a blank page.")
def browser_command(browser_path: str | None, check: bool) -> None:
    """Show the browser the harness will use (and with --check, prove it launches)."""
    found = find_browser(browser_path)
    click.echo(found.describe())
    if check:
        version = launch_check(found)
        click.echo(f"launched: {version}")


def register(group: click.Group) -> None:
    group.add_command(browser_command)
