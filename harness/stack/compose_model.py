"""What ``compose config`` says about a stack, and the override file the harness adds to it.

The override (the same for Compose v1 and v2) labels every service, network and volume with the
run and its owner, publishes the ports that ``${compose.SERVICE.PORT}`` names on a random port
of 127.0.0.1, and gives built images a stable name so that runs do not pile up image tags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from harness.stack.labels import slug


@dataclass(frozen=True)
class ComposeModel:
    """The services, networks and volumes of a stack as Compose resolved them."""

    services: tuple[str, ...]
    networks: tuple[str, ...]
    volumes: tuple[str, ...]
    built: tuple[str, ...]
    unnamed_builds: tuple[str, ...]
    completed_dependencies: frozenset[str]
    build_contexts: tuple[str, ...]

    @classmethod
    def from_config(cls, data: Mapping[str, Any]) -> ComposeModel:
        """From the YAML that ``compose config`` prints (v1 and v2 shapes both)."""
        services: Mapping[str, Any] = data.get("services") or {}
        built = [name for name, spec in services.items() if spec.get("build")]
        return cls(
            services=tuple(services),
            networks=_owned({"default": {}, **(data.get("networks") or {})}),
            volumes=_owned(data.get("volumes")),
            built=tuple(built),
            unnamed_builds=tuple(n for n in built if not services[n].get("image")),
            completed_dependencies=frozenset(_completed_dependencies(services)),
            build_contexts=tuple(_context(services[n]["build"]) for n in built),
        )


def _owned(section: Mapping[str, Any] | None) -> tuple[str, ...]:
    """Networks or volumes the stack creates itself (not external ones)."""
    return tuple(name for name, spec in (section or {}).items() if not (spec or {}).get("external"))


def _completed_dependencies(services: Mapping[str, Any]) -> Iterable[str]:
    # A service others wait on with service_completed_successfully is one-shot by Compose's
    # own declaration, so it need not be listed again under compose.one_shot.
    for spec in services.values():
        depends = spec.get("depends_on") or {}
        if isinstance(depends, Mapping):
            for name, condition in depends.items():
                if (condition or {}).get("condition") == "service_completed_successfully":
                    yield name


def _context(build: Any) -> str:
    return str(build.get("context", ".")) if isinstance(build, Mapping) else str(build)


def override_document(
    model: ComposeModel,
    labels: Mapping[str, str],
    ports: Iterable[tuple[str, int]],
    image_prefix: str,
) -> dict[str, Any]:
    """The override's content; ``ports`` are (service, container port) pairs to publish."""
    services: dict[str, dict[str, Any]] = {
        name: {"labels": dict(labels)} for name in model.services
    }
    for service, port in sorted(set(ports)):
        if service in services:
            services[service].setdefault("ports", []).append(f"127.0.0.1::{port}")
    for service in model.unnamed_builds:
        services[service]["image"] = f"{image_prefix}-{slug(service, 40)}"
    document: dict[str, Any] = {
        "services": services,
        "networks": {name: {"labels": dict(labels)} for name in model.networks},
    }
    if model.volumes:
        document["volumes"] = {name: {"labels": dict(labels)} for name in model.volumes}
    return document


def override_text(document: Mapping[str, Any], run_id: str) -> str:
    head = f"# Written by the harness for run {run_id}: labels, loopback ports, image names.\n"
    return head + yaml.safe_dump(dict(document), sort_keys=False)
