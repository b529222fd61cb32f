"""What a run prints while it runs, one line per event, from any thread: what boots and which
service waits on what, each unit-test suite, each journey as it finishes. Progress goes to
stderr; the summary (and GitHub Actions annotations) to stdout."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

import yaml

from harness.core.environment import Environment, ReadyCheck
from harness.core.masking import mask
from harness.core.templating import Context, names_in, render
from harness.errors import TemplateError
from harness.report import console
from harness.report.masking import mask_text
from harness.report.model import Journey, UnitSuite
from harness.report.text import headline, printable


class Progress:
    """Prints progress lines, whole and in order, whichever thread they come from."""

    def __init__(self, stream: TextIO | None = None, secrets: tuple[str, ...] = ()) -> None:
        self.stream = stream or sys.stderr
        self.colour = console.wants_colour(self.stream)
        self.secrets = secrets
        self._lock = threading.Lock()

    def say(self, message: str) -> None:
        line = printable(mask_text(message, self.secrets))
        with self._lock:
            print(line, file=self.stream, flush=True)

    def stack(self, message: str) -> None:
        """What the stack reports while it boots and tears down."""
        self.say(f"  {message}")

    def unit(self, suite: UnitSuite) -> None:
        self.say(console.unit_suite_finished(suite))

    def journey(self, journey: Journey) -> None:
        failure = journey.failure
        if failure is not None and failure.kind == "error" and not failure.line:
            self.say(f"{'ERROR':<11} {journey.name}: {headline(failure.message)}")
            return  # the harness could not run it: no step, no place in the file
        where = f"{journey.failing_file}:{failure.line}" if failure else None
        line = console.journey_finished(
            journey.name,
            journey.status,
            journey.duration_s,
            attempts=len(journey.attempts),
            where=where,
            colour=self.colour,
        )
        self.say(line)
        written = {s.written for a in journey.attempts for s in a.artifacts.snapshots if s.written}
        for path in sorted(written):
            self.say(f"    wrote the screenshot baseline {path}")
        for attempt in journey.attempts:
            if attempt.failure is not None and (attempt.number < len(journey.attempts)):
                step = f"step {attempt.failure.step} ({attempt.failure.step_name})"
                message = headline(attempt.failure.message, 200)
                self.say(f"    attempt {attempt.number} failed at {step}: {message}; retried")
        if journey.status == "failed" and failure is not None:
            self.say(f"    step {failure.step} ({failure.step_name}): {headline(failure.message)}")


class BootWatch:
    """While the environment boots, says every few seconds which services are not ready yet
    and what each waits on (its dependencies, else its own readiness check)."""

    def __init__(
        self,
        progress: Progress,
        waits_on: Mapping[str, tuple[str, ...]],
        checks: Mapping[str, str],
        every_s: float = 5.0,
    ) -> None:
        self.progress = progress
        self.waits_on = dict(waits_on)
        self.checks = dict(checks)
        self.every_s = every_s
        self.ready: set[str] = set()
        self._stop = threading.Event()
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._watch, name="boot progress", daemon=True)

    def heard(self, message: str) -> None:
        """A line of the stack: ``web is healthy`` marks ``web`` ready."""
        name = message.split(" ", 1)[0]
        if name in self.waits_on and (" is " in message or "exited 0" in message):
            self.ready.add(name)
        if message.startswith(("removing ", "teardown: ")):  # the boot failed: no more waiting
            self._stop.set()
        self.progress.stack(message)

    def __enter__(self) -> BootWatch:
        self._started = time.monotonic()
        if self.waits_on:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """No more waiting lines (the environment is up, or failed)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(self.every_s):
            for line in self.waiting_lines(time.monotonic() - self._started):
                if self._stop.is_set():  # the teardown began while the lines were made
                    return
                self.progress.stack(line)

    def waiting_lines(self, elapsed_s: float) -> list[str]:
        lines = []
        for service, needs in self.waits_on.items():
            if service in self.ready:
                continue
            pending = [n for n in needs if n not in self.ready]
            on = ", ".join(pending) if pending else self.checks.get(service, "its start")
            lines.append(console.service_waiting(service, on, elapsed_s))
        return lines


def boot_watch(
    environment: Environment, progress: Progress, ports: Mapping[str, str] | None = None
) -> BootWatch:
    """The watch for ``environment``: its Compose services (read from the compose files, for
    the dependencies only) and its processes, whose checks show the ``ports`` of the boot."""
    waits_on: dict[str, tuple[str, ...]] = {}
    checks: dict[str, str] = {}
    if environment.compose is not None:
        for name, spec in _compose_services(environment.compose.files).items():
            waits_on[name] = _dependencies(spec)
            checks[name] = "its health check" if spec.get("healthcheck") else "its container"
    for process in environment.processes:
        waits_on[process.name] = ()
        checks[process.name] = (
            _shown_check(process.ready, ports or {}) if process.ready else "its start"
        )
    return BootWatch(progress, waits_on, checks)


def _shown_check(check: ReadyCheck, ports: Mapping[str, str]) -> str:
    """``http http://127.0.0.1:43121/healthz``: the target as the boot probes it. A target
    that names anything but ports and variables (known only once the stack is up) is shown
    by its kind alone, never with an unfilled ``${...}``."""
    context = Context(env=os.environ, ports=ports)
    try:
        shown = render(check.target, context)
    except TemplateError:
        return f"its {check.kind} check"
    secrets = context.secret_values(names_in(check.target, "secrets"))
    return f"{check.kind} {mask(shown, secrets)}"


def _compose_services(files: tuple[Path, ...]) -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = {}
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue  # progress only: Compose itself reports what is wrong with the file
        found = data.get("services") if isinstance(data, dict) else None
        for name, spec in (found or {}).items():
            services.setdefault(str(name), {}).update(spec if isinstance(spec, dict) else {})
    return services


def _dependencies(spec: dict[str, Any]) -> tuple[str, ...]:
    depends = spec.get("depends_on") or ()
    return tuple(str(name) for name in depends) if isinstance(depends, (list, dict)) else ()


def describe_services(environment: Environment) -> list[str]:
    """The services and processes ``environment`` boots, for the "booting" line."""
    names = list(_compose_services(environment.compose.files)) if environment.compose else []
    return names + [process.name for process in environment.processes]
