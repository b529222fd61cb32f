"""``harness up``, ``harness down`` and ``harness status``: the stacks of the harness by hand."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import click

from harness.core.environment import Environment, find_environment, load_environment
from harness.core.paths import display_path
from harness.core.process_groups import reap_orphans
from harness.core.project import ProjectConfig, load_project
from harness.errors import Interrupted, UsageError
from harness.stack.boot import RunningStack, boot, new_run_id, reuse_wanted
from harness.stack.docker_state import Removed, connect
from harness.stack.signals import exit_like_signal
from harness.stack.sweep import StackInfo, harness_stacks, remove_stack

_env_option = click.option("--env", "env_name", metavar="NAME", help="environments/NAME.yml")
_config_option = click.option(
    "--config", type=click.Path(dir_okay=False), help="harness.yml to use (default: found upwards)"
)


def say(message: str) -> None:
    click.echo(f"harness: {message}", err=True)


def load_environment_named(project: ProjectConfig, name: str | None) -> Environment:
    folder = project.root / project.environments
    path = find_environment(folder, name, project.default_environment)
    return load_environment(path, project.root, display=display_path(path))


@click.command("up")
@_env_option
@_config_option
@click.option("--keep", "-d", is_flag=True, help="Leave it running and return (Compose only).")
@click.option("--reuse", is_flag=True, help="Take a running stack with the same configuration.")
def up_command(env_name: str | None, config: str | None, keep: bool, reuse: bool) -> None:
    """Boot an environment; stop and remove it with Ctrl-C (or keep it with --keep)."""
    project = load_project(config)
    environment = load_environment_named(project, env_name)
    if keep and environment.processes:
        raise UsageError(
            f"--keep: environment '{environment.name}' has processes, which stop with the "
            "harness; run `harness up` without --keep and stop it with Ctrl-C"
        )
    reaped = reap_orphans()  # what a run killed with SIGKILL left running
    if reaped:
        say(f"stopped {len(reaped)} process group(s) left running by a killed run")
    run_id = new_run_id()
    artifacts = project.root / project.artifacts / run_id
    try:
        with boot(
            environment, artifacts, keep=keep, reuse=reuse_wanted(reuse), run_id=run_id, say=say
        ) as stack:
            _show(stack)
            if not stack.kept and environment.kind != "external":
                _stay_up(stack)
    except Interrupted as exc:
        exit_like_signal(exc)


def _show(stack: RunningStack) -> None:
    for name, url in stack.urls.items():
        click.echo(f"{name}: {url}")
    click.echo(f"logs: {stack.logs_dir}")


def _stay_up(stack: RunningStack) -> None:
    say("up; press Ctrl-C to stop it and remove everything")
    reported: set[str] = set()
    while True:
        time.sleep(1)
        for problem in stack.problems():
            if problem not in reported:
                say(problem)
                reported.add(problem)


@click.command("down")
@_env_option
@_config_option
@click.option("--all", "all_", is_flag=True, help="Those of every environment of the project.")
def down_command(env_name: str | None, config: str | None, all_: bool) -> None:
    """Remove the kept and orphaned stacks of an environment (or of all, with --all)."""
    wanted = _stack_filter(config, env_name, all_)
    client = connect()
    stacks = [s for s in harness_stacks(client) if wanted(s)]
    live = [s for s in stacks if s.owner_alive and not s.kept]
    for stack in stacks:
        if stack not in live:
            removed = remove_stack(client, stack.project, run_id=stack.run_id)
            click.echo(f"removed {stack.project} ({_describe_removed(removed)})")
    for stack in live:
        click.echo(f"left {stack.project}: harness process {stack.owner} runs it and removes it")
    if not stacks:
        click.echo("no stack of the harness to remove")


def _stack_filter(
    config: str | None, env_name: str | None, all_: bool
) -> Callable[[StackInfo], bool]:
    """Stacks of one environment file, or (``all_``) of any file in the project's folder."""
    project = load_project(config)
    folder = (project.root / project.environments).resolve()
    if all_:
        return lambda stack: Path(stack.environment_file).parent == folder
    path = str(find_environment(folder, env_name, project.default_environment).resolve())
    return lambda stack: stack.environment_file == path


def _describe_removed(removed: Removed) -> str:
    counts = {"containers": removed.containers, "networks": removed.networks}
    counts["volumes"] = removed.volumes
    counts["images"] = removed.images
    return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "nothing was left"


@click.command("status")
@_env_option
@_config_option
def status_command(env_name: str | None, config: str | None) -> None:
    """Show the stacks of the harness on this Docker engine: run, since when, owner."""
    wanted = _stack_filter(config, env_name, False) if env_name else (lambda _: True)
    stacks = [s for s in harness_stacks(connect()) if wanted(s)]
    if not stacks:
        click.echo("no stack of the harness is running")
        return
    rows: list[tuple[str, ...]] = [
        ("PROJECT", "ENVIRONMENT", "RUN", "SINCE", "OWNER", "CONTAINERS")
    ]
    rows += [_row(s) for s in stacks]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _row(stack: StackInfo) -> tuple[str, ...]:
    pid = stack.owner.rpartition("@")[2].partition(":")[0]
    if stack.kept:
        owner = "kept"
    else:
        owner = f"pid {pid} " + ("running" if stack.owner_alive else "gone (stale)")
    containers = f"{stack.running}/{stack.containers} running"
    return stack.project, stack.environment, stack.run_id, stack.started, owner, containers


def register(group: click.Group) -> None:
    group.add_command(up_command)
    group.add_command(down_command)
    group.add_command(status_command)
