"""What a Compose boot decides before it creates anything: are the services it names real,
what are built images called, and is there a kept stack it may reuse instead."""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable, Mapping

import docker

from harness.core.environment import Environment
from harness.errors import InputError
from harness.stack.compose_model import ComposeModel
from harness.stack.docker_state import containers_of
from harness.stack.labels import PORTS, slug
from harness.stack.sweep import StackInfo, harness_stacks


def check_services(environment: Environment, model: ComposeModel) -> None:
    """InputError (exit 2) for every service the environment names that Compose does not know."""
    assert environment.compose is not None
    named = [(s, "compose.one_shot") for s in sorted(environment.compose.one_shot)]
    named += [(s, f"${{compose.{s}.{p}}}") for s, p in sorted(environment.compose_ports())]
    named += [(step.service, "seed exec") for step in environment.seed if step.service]
    lines = [
        f"{environment.file}: {where} names service '{name}', which the compose files do not "
        f"define{_did_you_mean(name, model.services)}"
        for name, where in named
        if name not in model.services
    ]
    if lines:
        services = ", ".join(sorted(model.services)) or "none"
        raise InputError("\n".join(lines) + f"\n    Services: {services}")


def _did_you_mean(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(choices), n=1)
    return f". Did you mean '{close[0]}'?" if close else ""


def image_prefix(environment: Environment) -> str:
    """``harness-<environment>-<hash of its file's path>``: one image name per service, reused
    by every run of that environment file instead of one new tag per run."""
    digest = hashlib.sha256(str(environment.file).encode()).hexdigest()[:8]
    return f"harness-{slug(environment.name, 24)}-{digest}"


def reusable_stack(client: docker.DockerClient, fingerprint: str) -> StackInfo | None:
    """The newest kept, running stack booted with this configuration fingerprint."""
    for found in reversed(harness_stacks(client)):
        if found.kept and found.fingerprint == fingerprint and found.running > 0:
            return found
    return None


def stored_ports(client: docker.DockerClient, project: str) -> Mapping[str, str]:
    """The ``${port.NAME}`` values a kept stack was booted with (they may be in its config)."""
    for container in containers_of(client, project):
        text = container.labels.get(PORTS)
        if text:
            stored: dict[str, str] = json.loads(text)
            return stored
    return {}
