"""Seed steps: commands run once the stack is ready, checked by exit code, output kept."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from harness.core.commands import command_environ, fill_python
from harness.core.environment import SeedStep
from harness.core.masking import mask
from harness.core.templating import Context, names_in, render
from harness.errors import SeedError
from harness.stack.commands import CommandResult, run_host_command

if TYPE_CHECKING:  # the Docker SDK only for a Compose environment
    from harness.stack.compose import ComposeStack


def run_seeds(
    steps: Sequence[SeedStep],
    *,
    compose: ComposeStack | None,
    context: Context,
    root: Path,
    artifacts_dir: Path,
    secrets: Collection[str],
    say: Callable[[str], None],
) -> None:
    """Run every step in order; the first that fails raises SeedError with its output."""
    folder = artifacts_dir / "seed"
    for index, step in enumerate(steps, start=1):
        argv = [render(arg, context) for arg in step.command]
        named = context.secret_values(names_in(" ".join(step.command), "secrets"))
        shown = mask(step.describe(argv), {*secrets, *named})  # as it runs, never a ${...}
        say(f"seed step {index}: {shown}")
        result = _run_step(step, argv, compose, root)
        log = folder / f"{index}-{step.kind}.log"
        folder.mkdir(parents=True, exist_ok=True)
        log.write_text(mask(result.output, secrets), encoding="utf-8")
        if not result.ok:
            raise SeedError(_failure(index, step, shown, result, log, secrets))


def _run_step(
    step: SeedStep, argv: list[str], compose: ComposeStack | None, root: Path
) -> CommandResult:
    if step.kind == "exec":
        assert compose is not None  # checked when loading
        assert step.service is not None
        return compose.exec(step.service, argv, step.timeout_s)
    argv = [fill_python(arg) for arg in argv]
    env = command_environ(os.environ)
    return run_host_command(argv, cwd=root, env=env, timeout_s=step.timeout_s, error=SeedError)


def _failure(
    index: int,
    step: SeedStep,
    shown: str,
    result: CommandResult,
    log: Path,
    secrets: Collection[str],
) -> str:
    if result.timed_out:
        head = f"seed step {index} ({shown}) did not finish within {step.timeout_s:g}s"
    else:
        head = f"seed step {index} ({shown}) exited with code {result.returncode}"
    tail = mask(result.tail(15), secrets).splitlines()
    body = ["    last output lines:", *(f"      {line}" for line in tail)] if tail else []
    return "\n".join([head, *body, f"    full output: {log}"])
