"""When is a Compose service ready? The harness's own answer, from container states alone.

A service with a health check must be healthy; one without must be running and stable (up for
``stable_for_s`` with no restart); a one-shot service must have exited 0. Unhealthy, a non-zero
exit, or a restart loop is a failure at once: ``up --wait`` takes a crash loop as ready.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from harness.stack.labels import NUMBER, SERVICE

Status = Literal["ready", "waiting", "failed"]
_DOCKER_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$")


@dataclass(frozen=True)
class ContainerState:
    """What the Docker engine says about one container of a service."""

    service: str
    name: str
    number: int
    status: str
    exit_code: int
    restart_count: int
    health: str | None
    health_output: str
    health_exit_code: int | None
    started_at: float | None
    oom_killed: bool = False
    finished_at: float | None = None
    healthy_at: float | None = None

    @classmethod
    def from_attrs(cls, attrs: Mapping[str, Any]) -> ContainerState:
        """From ``docker inspect`` output (``container.attrs`` in the SDK)."""
        state = attrs.get("State", {})
        labels = attrs.get("Config", {}).get("Labels") or {}
        health = state.get("Health") or {}
        last_check = (health.get("Log") or [{}])[-1]
        return cls(
            service=labels.get(SERVICE, ""),
            name=str(attrs.get("Name", "")).lstrip("/"),
            number=int(labels.get(NUMBER, "1") or 1),
            status=state.get("Status", "unknown"),
            exit_code=int(state.get("ExitCode", 0)),
            restart_count=int(attrs.get("RestartCount", 0)),
            health=health.get("Status"),
            health_output=str(last_check.get("Output", "")).strip(),
            health_exit_code=last_check.get("ExitCode"),
            started_at=(started := parse_docker_time(state.get("StartedAt", ""))),
            oom_killed=bool(state.get("OOMKilled", False)),
            finished_at=parse_docker_time(state.get("FinishedAt", "")),
            healthy_at=first_passing_probe(health.get("Log") or [], started),
        )

    def startup_s(self, seen_ready_at: float) -> float | None:
        """Seconds from the container's start to ready, by Docker's own clock: to the end of its
        first passing health check; a one-shot to its exit; else to when it was seen ready."""
        if self.started_at is None:
            return None
        if self.health is not None:
            ready_at = self.healthy_at
        elif self.status in ("exited", "dead"):
            ready_at = self.finished_at
        else:
            ready_at = seen_ready_at
        return None if ready_at is None else max(0.0, ready_at - self.started_at)


def first_passing_probe(log: Iterable[Mapping[str, Any]], since: float | None) -> float | None:
    """When the first health probe after ``since`` that passed ended (Docker keeps the last five
    probes, so this is read as soon as the container turns healthy)."""
    for probe in log:
        ended = parse_docker_time(str(probe.get("End", "")))
        if probe.get("ExitCode") == 0 and ended is not None and (since is None or ended >= since):
            return ended
    return None


def parse_docker_time(text: str) -> float | None:
    """Docker's RFC 3339 time (nanoseconds) as epoch seconds; None for its zero time."""
    match = _DOCKER_TIME.match(text)
    if match is None or text.startswith("0001-"):
        return None
    whole, fraction, zone = match.groups()
    stamp = f"{whole}.{(fraction or '0')[:6]}{'+00:00' if zone == 'Z' else zone}"
    return datetime.fromisoformat(stamp).timestamp()


@dataclass(frozen=True)
class ReadinessRules:
    """How one stack decides readiness; ``booting`` False once it was ready (a service that
    stops then is a death, not a misconfigured one-shot)."""

    one_shot: frozenset[str] = frozenset()
    stable_for_s: float = 2.0
    max_restarts: int = 3
    booting: bool = True


@dataclass(frozen=True)
class ServiceReadiness:
    """One service's readiness now, and why."""

    status: Status
    reason: str
    container: ContainerState | None = None


@dataclass
class ReadinessTracker:
    """Judges services over successive observations; restarts count from the first one seen."""

    rules: ReadinessRules
    baselines: dict[str, int] = field(default_factory=dict)

    def judge(
        self, service: str, containers: Iterable[ContainerState], now: float
    ) -> ServiceReadiness:
        verdicts = [self._judge_one(c, now) for c in sorted(containers, key=lambda c: c.number)]
        if not verdicts:
            return ServiceReadiness("waiting", "no container was created yet")
        for status in ("failed", "waiting"):
            found = [v for v in verdicts if v.status == status]
            if found:
                return found[0]
        return verdicts[0]

    def _judge_one(self, container: ContainerState, now: float) -> ServiceReadiness:
        baseline = self.baselines.setdefault(container.name, container.restart_count)
        if container.service in self.rules.one_shot:
            return _judge_one_shot(container)
        restarts = container.restart_count - baseline
        if restarts >= self.rules.max_restarts:
            return ServiceReadiness("failed", self._restarted(restarts, container), container)
        if container.status in ("exited", "dead"):
            return _judge_exited(container, self.rules.booting)
        if container.health is not None:
            return _judge_health(container)
        return self._judge_stability(container, now)

    def _restarted(self, restarts: int, container: ContainerState) -> str:
        last = _exit_reason(container)
        if self.rules.booting:
            return f"keeps restarting ({restarts} restarts, last {last})"
        return f"restarted ({restarts} restart(s), last {last})"

    def _judge_stability(self, container: ContainerState, now: float) -> ServiceReadiness:
        if container.status != "running" or container.started_at is None:
            return ServiceReadiness("waiting", f"is {container.status}", container)
        up_for = now - container.started_at
        if up_for < self.rules.stable_for_s:
            return ServiceReadiness("waiting", f"has run for {max(up_for, 0):.1f}s only", container)
        return ServiceReadiness("ready", "is running and stable", container)


def _judge_one_shot(container: ContainerState) -> ServiceReadiness:
    if container.status not in ("exited", "dead"):
        return ServiceReadiness("waiting", f"one-shot service is {container.status}", container)
    if container.exit_code == 0:
        return ServiceReadiness("ready", "one-shot service exited 0", container)
    return ServiceReadiness("failed", _exit_reason(container), container)


def _judge_exited(container: ContainerState, booting: bool) -> ServiceReadiness:
    reason = _exit_reason(container)
    if container.exit_code == 0 and booting:
        reason += "; if it is meant to run once, list it under compose.one_shot"
    return ServiceReadiness("failed", reason, container)


def _judge_health(container: ContainerState) -> ServiceReadiness:
    if container.health == "healthy" and container.status == "running":
        return ServiceReadiness("ready", "is healthy", container)
    if container.health == "unhealthy":
        return ServiceReadiness("failed", "is unhealthy", container)
    return ServiceReadiness(
        "waiting", f"is not healthy yet: its health check is {container.health}", container
    )


def _exit_reason(container: ContainerState) -> str:
    oom = " (killed: out of memory)" if container.oom_killed else ""
    return f"exited with code {container.exit_code}{oom}"
