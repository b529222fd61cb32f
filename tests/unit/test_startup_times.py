"""A service's start-up from Docker's own timestamps (`docker inspect` as the SDK returns it):
to the end of the first passing health probe after the start, to a one-shot's exit, or to the
moment it was seen ready when it has no health check."""

from __future__ import annotations

from typing import Any

from harness.stack.readiness import ContainerState, parse_docker_time

STARTED = "2026-11-30T10:00:00.250000000Z"


def _attrs(status: str = "running", health: dict[str, Any] | None = None, **state: Any) -> Any:
    return {
        "Name": "/shop-postgres-1",
        "Config": {"Labels": {"com.docker.compose.service": "postgres"}},
        "State": {
            "Status": status,
            "StartedAt": STARTED,
            **({"Health": health} if health else {}),
            **state,
        },
    }


def _probe(end: str, code: int) -> dict[str, Any]:
    return {"Start": end, "End": end, "ExitCode": code, "Output": ""}


def test_health_checked_start_up_ends_at_the_first_passing_probe() -> None:
    log = [
        _probe("2026-11-30T10:00:01.300000000Z", 1),
        _probe("2026-11-30T10:00:04.750000000+00:00", 0),
        _probe("2026-11-30T10:00:05.750000000Z", 0),
    ]
    state = ContainerState.from_attrs(_attrs(health={"Status": "healthy", "Log": log}))
    assert state.startup_s(seen_ready_at=9999999999.0) == 4.5


def test_a_probe_from_before_a_restart_does_not_count() -> None:
    log = [_probe("2026-11-30T09:59:59.000000000Z", 0), _probe("2026-11-30T10:00:02.250Z", 0)]
    state = ContainerState.from_attrs(_attrs(health={"Status": "healthy", "Log": log}))
    assert state.startup_s(seen_ready_at=0.0) == 2.0


def test_healthy_without_a_passing_probe_in_the_log_is_not_measured() -> None:
    state = ContainerState.from_attrs(_attrs(health={"Status": "starting", "Log": []}))
    assert state.startup_s(seen_ready_at=0.0) is None


def test_a_one_shot_ends_at_its_exit_and_others_when_seen_ready() -> None:
    done = ContainerState.from_attrs(
        _attrs("exited", FinishedAt="2026-11-30T10:00:03.250000000Z", ExitCode=0)
    )
    assert done.startup_s(seen_ready_at=0.0) == 3.0
    plain = ContainerState.from_attrs(_attrs())
    started = parse_docker_time(STARTED)
    assert started is not None
    assert plain.startup_s(seen_ready_at=started + 2.5) == 2.5


def test_a_container_that_never_started_has_no_start_up() -> None:
    state = ContainerState.from_attrs(
        {"State": {"Status": "created", "StartedAt": "0001-01-01T00:00:00Z"}}
    )
    assert state.startup_s(seen_ready_at=5.0) is None
