"""Find the harness's stacks on this Docker engine, sweep the stale ones, remove on request.

A stack is the harness's when its resources carry ``org.harness.run``; it is stale when it was
not kept and the process that owns it is gone (killed with SIGKILL, a crashed CI runner).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import docker

from harness.stack.docker_state import Removed, docker_errors, remove_by_label, remove_run_images
from harness.stack.labels import (
    ENV_FILE,
    ENVIRONMENT,
    FINGERPRINT,
    KEEP,
    OWNER,
    PROJECT,
    RUN,
    STARTED,
    Owner,
    is_stale,
)


@dataclass(frozen=True)
class StackInfo:
    """One harness stack as its labels describe it."""

    project: str
    run_id: str
    environment: str
    environment_file: str
    started: str
    owner: str
    owner_alive: bool
    kept: bool
    fingerprint: str
    containers: int
    running: int
    stale: bool

    @classmethod
    def from_labels(
        cls, project: str, labels: Mapping[str, str], containers: int, running: int
    ) -> StackInfo:
        owner = Owner.from_label(labels.get(OWNER, ""))
        return cls(
            project=project,
            run_id=labels.get(RUN, ""),
            environment=labels.get(ENVIRONMENT, ""),
            environment_file=labels.get(ENV_FILE, ""),
            started=labels.get(STARTED, ""),
            owner=labels.get(OWNER, ""),
            owner_alive=owner is not None and owner.alive(),
            kept=labels.get(KEEP) == "true",
            fingerprint=labels.get(FINGERPRINT, ""),
            containers=containers,
            running=running,
            stale=is_stale(labels),
        )


def harness_stacks(client: docker.DockerClient) -> list[StackInfo]:
    """Every harness stack with at least one container, network or volume left."""
    found: dict[str, tuple[Mapping[str, str], int, int]] = {}
    with docker_errors("listing the harness's stacks"):
        for container in client.containers.list(
            all=True, filters={"label": RUN}, ignore_removed=True
        ):
            project = container.labels.get(PROJECT, "")
            _, count, running = found.get(project, (container.labels, 0, 0))
            up = 1 if container.status == "running" else 0
            found[project] = (container.labels, count + 1, running + up)
        for other in _network_and_volume_labels(client):
            found.setdefault(other.get(PROJECT, ""), (other, 0, 0))
    return sorted(
        (StackInfo.from_labels(project, *entry) for project, entry in found.items() if project),
        key=lambda info: (info.started, info.project),
    )


def _network_and_volume_labels(client: docker.DockerClient) -> Iterable[Mapping[str, str]]:
    for network in client.networks.list(filters={"label": RUN}):
        yield network.attrs.get("Labels") or {}
    for volume in client.volumes.list(filters={"label": RUN}):
        yield volume.attrs.get("Labels") or {}


def remove_stack(
    client: docker.DockerClient, project: str, stop_timeout_s: int = 5, run_id: str = ""
) -> Removed:
    """Stop (gracefully) and remove every resource of one Compose project, and the images its
    run built when ``run_id`` is known."""
    removed = remove_by_label(client, f"{PROJECT}={project}", stop_timeout_s)
    return removed + remove_run_images(client, run_id) if run_id else removed


def sweep_stale(client: docker.DockerClient, say: Callable[[str], None]) -> list[StackInfo]:
    """Remove the stacks whose owner process is gone and that were not kept."""
    swept = []
    for stack in harness_stacks(client):
        if stack.stale:
            say(f"removing stale stack {stack.project} (run {stack.run_id}; its owner is gone)")
            remove_stack(client, stack.project, stop_timeout_s=0, run_id=stack.run_id)
            swept.append(stack)
    return swept
