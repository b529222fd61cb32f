"""All the state of a Compose stack, read and removed through the Docker SDK by its labels.

The compose CLI only drives the lifecycle; what runs, its health, ports, logs and restart
counts come from here, so Compose v1 and v2 look the same to the rest of the harness.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors
from docker.models.containers import Container

from harness.errors import DockerUnavailableError
from harness.stack.labels import PROJECT, PROJECT_PREFIX, slug
from harness.stack.readiness import ContainerState

REMOVE_ROUNDS = 5


def connect() -> docker.DockerClient:
    """A client for the engine that DOCKER_HOST (or the default socket) names."""
    try:
        client = docker.from_env()
        client.ping()
    except docker.errors.DockerException as exc:
        raise DockerUnavailableError(
            f"no Docker engine answers: {exc}\n    Start the Docker daemon, or set DOCKER_HOST."
        ) from exc
    return client


@contextmanager
def docker_errors(what: str) -> Iterator[None]:
    """Turn an SDK error inside the block into DockerUnavailableError naming ``what``."""
    try:
        yield
    except docker.errors.DockerException as exc:
        raise DockerUnavailableError(f"{what}: {exc}") from exc


Filters = dict[str, "str | list[str] | bool"]


def project_filter(project: str) -> Filters:
    return {"label": f"{PROJECT}={project}"}


def containers_of(client: docker.DockerClient, project: str) -> list[Container]:
    """Every container of the project, running or not."""
    with docker_errors(f"listing the containers of {project}"):
        found: list[Container] = client.containers.list(
            all=True, filters=project_filter(project), ignore_removed=True
        )
    return found


def states_of(client: docker.DockerClient, project: str) -> list[ContainerState]:
    """The current state of each container of the project; vanished ones are skipped."""
    return [ContainerState.from_attrs(c.attrs) for c in containers_of(client, project)]


def log_name(container: Container, count_in_service: int) -> str:
    state = ContainerState.from_attrs(container.attrs)
    return state.service if count_in_service == 1 else f"{state.service}-{state.number}"


def save_logs(client: docker.DockerClient, project: str, folder: Path) -> list[Path]:
    """Write ``<service>.log`` (with timestamps) for every container of the project."""
    folder.mkdir(parents=True, exist_ok=True)
    containers = containers_of(client, project)
    per_service: dict[str, int] = {}
    for container in containers:
        service = ContainerState.from_attrs(container.attrs).service
        per_service[service] = per_service.get(service, 0) + 1
    written = []
    for container in containers:
        service = ContainerState.from_attrs(container.attrs).service
        path = folder / f"{log_name(container, per_service[service])}.log"
        path.write_bytes(_logs(container))
        written.append(path)
    return written


def _logs(container: Container) -> bytes:
    try:
        data: bytes = container.logs(stdout=True, stderr=True, timestamps=True)
    except docker.errors.DockerException as exc:
        return f"(the log could not be read: {exc})\n".encode()
    return data


def last_log_lines(client: docker.DockerClient, name: str, lines: int = 20) -> list[str]:
    """The last lines a container wrote, without timestamps; [] when it is gone."""
    try:
        data = client.containers.get(name).logs(stdout=True, stderr=True, tail=lines)
    except docker.errors.DockerException:
        return []
    return data.decode("utf-8", "replace").rstrip().splitlines()


@dataclass(frozen=True)
class Removed:
    """What the SDK removal found still there after ``compose down``."""

    containers: int = 0
    networks: int = 0
    volumes: int = 0
    images: int = 0

    def __add__(self, other: Removed) -> Removed:
        return Removed(
            self.containers + other.containers,
            self.networks + other.networks,
            self.volumes + other.volumes,
            self.images + other.images,
        )

    def __bool__(self) -> bool:
        return bool(self.containers or self.networks or self.volumes or self.images)


def remove_by_label(client: docker.DockerClient, label: str, stop_timeout_s: int = 0) -> Removed:
    """Remove every container, network and volume carrying ``label`` (``key=value``).

    Repeats until a round finds nothing, because a container whose creation was in flight when
    the compose CLI was stopped can appear after the first look.
    """
    total = Removed()
    for _ in range(REMOVE_ROUNDS):
        removed = _remove_round(client, {"label": label}, stop_timeout_s)
        total += removed
        if not removed:
            break
    return total


def remove_run_images(client: docker.DockerClient, run_id: str) -> Removed:
    """Remove the images one run built (``harness-...:<run id>``, see ``compose_model``). Their
    layers stay as the build cache of the next run; only the run's own names go."""
    tag = slug(run_id, 64)
    removed = 0
    with docker_errors("removing the images of a run"):
        for image in client.images.list(filters={"reference": f"{PROJECT_PREFIX}*:{tag}"}):
            for name in image.tags:
                if name.startswith(PROJECT_PREFIX) and name.endswith(f":{tag}"):
                    _ignore_gone(client.images.remove, image=name, noprune=True)
                    removed += 1
    return Removed(images=removed)


def _remove_round(client: docker.DockerClient, filters: Filters, stop_timeout_s: int) -> Removed:
    with docker_errors("removing a stack"):
        containers = client.containers.list(all=True, filters=filters, ignore_removed=True)
        for container in containers:
            _ignore_gone(container.stop, timeout=stop_timeout_s)
            _ignore_gone(container.remove, force=True, v=True)
        networks = client.networks.list(filters=filters)
        for network in networks:
            _ignore_gone(network.remove)
        volumes = client.volumes.list(filters=filters)
        for volume in volumes:
            _ignore_gone(volume.remove, force=True)
    return Removed(len(containers), len(networks), len(volumes))


def _ignore_gone(action: object, **kwargs: object) -> None:
    try:
        action(**kwargs)  # type: ignore[operator]
    except docker.errors.NotFound:
        return  # removed meanwhile: that is what we wanted
    except docker.errors.APIError as exc:
        if exc.status_code != 409:  # 409: removal already in progress
            raise
