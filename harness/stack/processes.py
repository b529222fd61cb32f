"""Local processes as an environment, like Playwright's ``webServer`` but never left behind.

Each command leads its own process group, so stopping it (SIGTERM, then SIGKILL after a grace
period) also stops whatever it started: ``npm run dev`` and its node, a shell and its children.
Output goes, with timestamps, to ``services/<name>.log`` in the run's artifacts.
"""

from __future__ import annotations

import collections
import os
import re
import subprocess
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from harness.core.commands import command_environ
from harness.core.environment import ReadyCheck
from harness.core.masking import mask
from harness.errors import ProcessStartError
from harness.stack.commands import start_in_group, stop_group
from harness.stack.probes import Probe, http_probe, poll_until, tcp_probe
from harness.stack.watch import ServiceDeath, utc_from_epoch

TAIL_LINES = 20


@dataclass(frozen=True)
class ProcessSpec:
    """A process with every reference rendered, ready to start."""

    name: str
    command: tuple[str, ...]
    cwd: Path
    env: Mapping[str, str]
    ready: ReadyCheck | None
    stop_timeout_s: float
    shown_command: str


class RunningProcess:
    """One started process: its output pump, its readiness, its teardown."""

    def __init__(self, spec: ProcessSpec, log_path: Path, secrets: Collection[str]) -> None:
        self.spec = spec
        self.log_path = log_path
        self.secrets = secrets
        self.tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
        self.log_matched = threading.Event()
        self.output_closed_at: float | None = None
        self.pattern = (
            re.compile(spec.ready.target) if spec.ready and spec.ready.kind == "log" else None
        )
        env = {"PYTHONUNBUFFERED": "1", **command_environ(os.environ), **spec.env}
        if not spec.cwd.is_dir():
            raise ProcessStartError(f"process '{spec.name}': no such directory {spec.cwd}")
        try:
            self.process = start_in_group(
                spec.command,
                cwd=spec.cwd,
                env=env,
                error=ProcessStartError,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
        except ProcessStartError as exc:
            raise ProcessStartError(f"process '{spec.name}': {exc}") from exc
        self.pump = threading.Thread(target=self._pump, name=f"output of {spec.name}", daemon=True)
        self.pump.start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        with self.log_path.open("w", encoding="utf-8") as log:
            for raw in self.process.stdout:
                line = mask(raw.decode("utf-8", "replace").rstrip("\n"), self.secrets)
                stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
                log.write(f"{stamp} {line}\n")
                log.flush()
                self.tail.append(line)
                if self.pattern is not None and self.pattern.search(line):
                    self.log_matched.set()
        self.output_closed_at = time.time()  # the moment of an exit, closer than any poll

    def exit_problem(self) -> str | None:
        """What went wrong if the process has exited, else None."""
        code = self.process.poll()
        return None if code is None else f"process '{self.spec.name}' exited with code {code}"

    def death(self) -> ServiceDeath | None:
        """The process's exit, once it has exited, with its last output lines."""
        code = self.process.poll()
        if code is None:
            return None
        self.pump.join(timeout=1)
        died = self.output_closed_at or time.time()
        return ServiceDeath(
            service=self.spec.name,
            kind="process",
            at=utc_from_epoch(died),
            reason=f"exited with code {code}",
            exit_code=code,
            log_tail=tuple(self.tail),
            log=f"services/{self.log_path.name}",
        )

    def check_alive(self) -> None:
        problem = self.exit_problem()
        if problem is not None:
            self.pump.join(timeout=2)
            raise ProcessStartError(self.explain(f"{problem} before it was ready"))

    def wait_ready(self) -> float:
        """Block until the readiness check passes; seconds it took. Fails fast on an exit."""
        started = time.monotonic()
        check = self.spec.ready
        if check is None:
            self.check_alive()
            return 0.0
        ready, seen = poll_until(self._probe(check), check.timeout_s, self.check_alive)
        if not ready:
            self.check_alive()
            raise ProcessStartError(
                self.explain(
                    f"process '{self.spec.name}' was not ready within {check.timeout_s:g}s "
                    f"({check.kind} {mask(check.target, self.secrets)}: {seen})"
                )
            )
        return time.monotonic() - started

    def _probe(self, check: ReadyCheck) -> Probe:
        if check.kind == "http":
            return http_probe(check.target)
        if check.kind == "tcp":
            return tcp_probe(check.target)
        return lambda: (self.log_matched.is_set(), "the line has not appeared")

    def explain(self, headline: str) -> str:
        lines = [headline, f"    command: {self.spec.shown_command}"]
        if self.tail:
            lines.append("    last output lines:")
            lines += [f"      {line}" for line in self.tail]
        else:
            lines.append("    it wrote no output")
        lines.append(f"    full output: {self.log_path}")
        return "\n".join(lines)

    def stop(self) -> None:
        stop_group(self.process, self.spec.stop_timeout_s)
        self.pump.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


def start_processes(
    specs: list[ProcessSpec],
    logs_dir: Path,
    secrets: Collection[str],
    started: list[RunningProcess],
) -> dict[str, float]:
    """Start each process in order, waiting for it to be ready before the next one starts.

    Started processes are appended to ``started`` at once, so the caller can stop them even
    when a later one fails. Returns seconds to ready per process.
    """
    logs_dir.mkdir(parents=True, exist_ok=True)
    timings = {}
    for spec in specs:
        process = RunningProcess(spec, logs_dir / f"{spec.name}.log", secrets)
        started.append(process)
        timings[spec.name] = process.wait_ready()
    return timings


def stop_processes(started: list[RunningProcess]) -> None:
    """Stop in reverse order of starting (dependents first)."""
    for process in reversed(started):
        process.stop()
