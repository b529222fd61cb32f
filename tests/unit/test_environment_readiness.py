"""The harness's own readiness rules, judged from container states (pure: no Docker here)."""

from __future__ import annotations

from typing import Any

import pytest

from harness.stack.readiness import (
    ContainerState,
    ReadinessRules,
    ReadinessTracker,
    parse_docker_time,
)

NOW = 1_800_000_000.0


def state(service: str = "web", **changes: Any) -> ContainerState:
    values: dict[str, Any] = {
        "service": service,
        "name": f"p-{service}-1",
        "number": 1,
        "status": "running",
        "exit_code": 0,
        "restart_count": 0,
        "health": None,
        "health_output": "",
        "health_exit_code": None,
        "started_at": NOW - 60,
    }
    values.update(changes)
    return ContainerState(**values)


def judge(
    *states: ContainerState, rules: ReadinessRules | None = None, now: float = NOW
) -> tuple[str, str]:
    tracker = ReadinessTracker(rules or ReadinessRules(stable_for_s=2.0))
    verdict = tracker.judge(states[0].service if states else "web", states, now)
    return verdict.status, verdict.reason


@pytest.mark.parametrize(
    ("container", "expected"),
    [
        (state(health="healthy"), ("ready", "is healthy")),
        (
            state(health="starting"),
            ("waiting", "is not healthy yet: its health check is starting"),
        ),
        (state(health="unhealthy"), ("failed", "is unhealthy")),
        (state(), ("ready", "is running and stable")),
        (state(started_at=NOW - 0.5), ("waiting", "has run for 0.5s only")),
        (state(status="created", started_at=None), ("waiting", "is created")),
        (state(status="restarting"), ("waiting", "is restarting")),
        (state(status="exited", exit_code=2), ("failed", "exited with code 2")),
        (
            state(status="exited", exit_code=137, oom_killed=True),
            ("failed", "exited with code 137 (killed: out of memory)"),
        ),
    ],
)
def test_a_long_running_service(container: ContainerState, expected: tuple[str, str]) -> None:
    assert judge(container) == expected


def test_a_service_that_exits_0_unasked_is_told_about_one_shot() -> None:
    status, reason = judge(state(status="exited", exit_code=0))
    assert status == "failed"
    assert reason.endswith("if it is meant to run once, list it under compose.one_shot")


@pytest.mark.parametrize("code", [0, 137])
def test_a_service_that_stops_after_the_boot_gets_no_one_shot_hint(code: int) -> None:
    after_boot = ReadinessRules(stable_for_s=0.0, max_restarts=1, booting=False)
    status, reason = judge(state(status="exited", exit_code=code), rules=after_boot)
    assert (status, reason) == ("failed", f"exited with code {code}")


def test_one_restart_after_the_boot_is_a_death() -> None:
    tracker = ReadinessTracker(ReadinessRules(max_restarts=1, booting=False))
    assert tracker.judge("web", [state(restart_count=2)], NOW).status == "ready"
    restarted = state(restart_count=3, exit_code=137)
    assert tracker.judge("web", [restarted], NOW).reason == (
        "restarted (1 restart(s), last exited with code 137)"
    )


@pytest.mark.parametrize(
    ("container", "expected"),
    [
        (state("migrate", status="exited", exit_code=0), ("ready", "one-shot service exited 0")),
        (state("migrate", status="exited", exit_code=3), ("failed", "exited with code 3")),
        (state("migrate"), ("waiting", "one-shot service is running")),
    ],
)
def test_a_one_shot_service(container: ContainerState, expected: tuple[str, str]) -> None:
    assert judge(container, rules=ReadinessRules(one_shot=frozenset({"migrate"}))) == expected


def test_a_service_without_container_waits() -> None:
    assert judge() == ("waiting", "no container was created yet")


def test_restarts_count_from_the_first_observation() -> None:
    tracker = ReadinessTracker(ReadinessRules(stable_for_s=2.0, max_restarts=3))
    assert tracker.judge("web", [state(restart_count=7)], NOW).status == "ready"
    assert tracker.judge("web", [state(restart_count=9, started_at=NOW)], NOW).status == "waiting"
    crashed = state(status="restarting", restart_count=10, exit_code=1)
    assert tracker.judge("web", [crashed], NOW).reason == (
        "keeps restarting (3 restarts, last exited with code 1)"
    )


def test_every_replica_must_be_ready_and_a_failure_wins() -> None:
    second = {"name": "p-web-2", "number": 2}
    assert judge(state(), state(**second, started_at=NOW))[0] == "waiting"
    assert (
        judge(state(started_at=NOW), state(**second, status="exited", exit_code=1))[0] == "failed"
    )
    assert judge(state(), state(**second)) == ("ready", "is running and stable")


def test_container_state_from_docker_inspect() -> None:
    attrs = {
        "Name": "/harness-x-web-1",
        "RestartCount": 2,
        "Config": {
            "Labels": {
                "com.docker.compose.service": "web",
                "com.docker.compose.container-number": "1",
            }
        },
        "State": {
            "Status": "running",
            "ExitCode": 0,
            "OOMKilled": False,
            "StartedAt": "2026-11-21T00:10:33.553971467Z",
            "Health": {
                "Status": "unhealthy",
                "Log": [
                    {"ExitCode": 0, "Output": "ok"},
                    {"ExitCode": 1, "Output": "database connection refused\n"},
                ],
            },
        },
    }
    found = ContainerState.from_attrs(attrs)
    assert found.service == "web"
    assert found.name == "harness-x-web-1"
    assert found.restart_count == 2
    assert found.health == "unhealthy"
    assert found.health_output == "database connection refused"
    assert found.health_exit_code == 1
    assert found.started_at == pytest.approx(1795219833.553971)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-21T00:03:02.123456789Z", 1795219382.123456),
        ("2026-11-21T00:03:02Z", 1795219382.0),
        ("2026-11-21T01:03:02.5+01:00", 1795219382.5),
        ("0001-01-01T00:00:00Z", None),
        ("", None),
    ],
)
def test_docker_times(text: str, expected: float | None) -> None:
    assert parse_docker_time(text) == (pytest.approx(expected) if expected else None)
