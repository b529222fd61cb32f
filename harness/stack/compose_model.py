"""What ``compose config`` says about a stack, and the override file the harness adds to it.

The override (the same for Compose v1 and v2) labels every service, network and volume with the
run and its owner, publishes the ports that ``${compose.SERVICE.PORT}`` names on a random port
of 127.0.0.1, and gives every built image a name of this run's own (``harness-<environment>-
<hash>-<service>:<run id>``), even where the compose file names it (``image: shop-web:staging``):
two runs at once must never start each other's code through a shared tag. A service that runs
the image another one builds follows the rename. The run's images are removed at its teardown.
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
    images: Mapping[str, str]
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
            images={name: str(spec.get("image") or "") for name, spec in services.items()},
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
    image_tag: str = "latest",
) -> dict[str, Any]:
    """The override's content; ``ports`` are (service, container port) pairs to publish;
    ``image_tag`` (the run id) tags every image the run builds."""
    services: dict[str, dict[str, Any]] = {
        name: {"labels": dict(labels)} for name in model.services
    }
    for service, port in sorted(set(ports)):
        if service in services:
            services[service].setdefault("ports", []).append(f"127.0.0.1::{port}")
    for service, image in run_images(model, image_prefix, image_tag).items():
        services[service]["image"] = image
    document: dict[str, Any] = {
        "services": services,
        "networks": {name: {"labels": dict(labels)} for name in model.networks},
    }
    if model.volumes:
        document["volumes"] = {name: {"labels": dict(labels)} for name in model.volumes}
    return document


def run_images(model: ComposeModel, image_prefix: str, image_tag: str) -> dict[str, str]:
    """The image each service runs under this run's own name: the built ones, and those that
    run an image a built service declares."""
    named = {s: f"{image_prefix}-{slug(s, 40)}:{slug(image_tag, 64)}" for s in model.built}
    declared = {model.images[s]: named[s] for s in model.built if model.images.get(s)}
    followers = {
        s: declared[image]
        for s, image in model.images.items()
        if s not in named and image in declared
    }
    return {**named, **followers}


def override_text(document: Mapping[str, Any], run_id: str) -> str:
    head = f"# Written by the harness for run {run_id}: labels, loopback ports, image names.\n"
    return head + yaml.safe_dump(dict(document), sort_keys=False)
