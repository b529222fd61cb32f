"""Pure parts of the Compose runner: CLI versions and flags, config models, override, labels."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from harness.core.environment import load_environment
from harness.errors import ComposeError
from harness.stack.boot import reuse_wanted
from harness.stack.compose_cli import ComposeCli, candidates, detect_compose, parse_version
from harness.stack.compose_model import ComposeModel, override_document, override_text
from harness.stack.fingerprint import fingerprint
from harness.stack.labels import KEEP, OWNER, RUN, Owner, is_stale, project_name

DATA = Path(__file__).resolve().parent.parent / "data"
#: Compose v2's rule for project names (v1 is laxer: it strips what it does not accept).
PROJECT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("Docker Compose version 2.26.1-4\n", (2, 26, 1)),
        ("Docker Compose version v2.29.7\n", (2, 29, 7)),
        ("docker-compose version 1.29.2, build unknown\ndocker-py version: 5.0.3\n", (1, 29, 2)),
        ("2.3\n", (2, 3, 0)),
        ("Usage: docker [OPTIONS] COMMAND\n", None),
        ("", None),
    ],
)
def test_versions_are_read_from_version_output(
    output: str, expected: tuple[int, ...] | None
) -> None:
    assert parse_version(output) == expected


def test_candidates_follow_harness_compose() -> None:
    assert candidates("") == [("docker", "compose"), ("docker-compose",)]
    assert candidates("v2") == [("docker", "compose")]
    assert candidates("V1") == [("docker-compose",)]
    assert candidates("/opt/bin/docker-compose --verbose") == [
        ("/opt/bin/docker-compose", "--verbose")
    ]


def test_flags_come_from_the_version() -> None:
    v2 = ComposeCli(("docker", "compose"), (2, 26, 1))
    old_v1 = ComposeCli(("docker-compose",), (1, 25, 0))
    assert v2.generation == 2
    assert old_v1.generation == 1
    assert v2.global_flags() == ["--ansi", "never"]
    assert ComposeCli(("docker-compose",), (1, 29, 2)).global_flags() == ["--ansi", "never"]
    assert old_v1.global_flags() == ["--no-ansi"]
    argv = v2.argv("harness-x", [Path("/a/c.yml"), Path("/t/o.yml")], Path("/a"), "up", "-d")
    assert argv == [
        "docker",
        "compose",
        "--ansi",
        "never",
        "-p",
        "harness-x",
        "--project-directory",
        "/a",
        "-f",
        "/a/c.yml",
        "-f",
        "/t/o.yml",
        "up",
        "-d",
    ]
    assert v2.down_args(4.6) == ["down", "--volumes", "--remove-orphans", "--timeout", "5"]


def test_a_missing_forced_cli_says_what_was_tried(tmp_path: Path) -> None:
    not_compose = tmp_path / "fake-compose"
    not_compose.write_text("#!/bin/sh\necho 'Usage: something else'\nexit 0\n")
    not_compose.chmod(0o755)
    with pytest.raises(ComposeError) as caught:
        detect_compose({"HARNESS_COMPOSE": f"{tmp_path}/nowhere"})
    assert f"HARNESS_COMPOSE={tmp_path}/nowhere" in str(caught.value)
    assert "No such file or directory" in str(caught.value)
    with pytest.raises(ComposeError, match="exit 0: Usage: something else"):
        detect_compose({"HARNESS_COMPOSE": str(not_compose)})


V2_CONFIG = """
name: p
services:
  web:
    build: {context: /src/web, dockerfile: Dockerfile}
    depends_on:
      migrate: {condition: service_completed_successfully, required: true}
      db: {condition: service_healthy, required: true}
  migrate: {image: app}
  db: {image: postgres}
networks:
  default: {name: p_default}
  back: {name: p_back}
  shared: {name: shared, external: true}
volumes:
  data: {name: p_data}
  outside: {name: outside, external: true}
"""

V1_CONFIG = """
services:
  web:
    build: {context: /src/web}
    image: shop/web
    depends_on:
      migrate: {condition: service_completed_successfully}
  migrate: {image: app}
networks:
  default: {external: {name: corp}}
version: '3.8'
"""


def test_the_model_of_a_v2_config() -> None:
    model = ComposeModel.from_config(yaml.safe_load(V2_CONFIG))
    assert model.services == ("web", "migrate", "db")
    assert model.networks == ("default", "back")
    assert model.volumes == ("data",)
    assert model.built == ("web",)
    assert model.images == {"web": "", "migrate": "app", "db": "postgres"}
    assert model.completed_dependencies == {"migrate"}
    assert model.build_contexts == ("/src/web",)


def test_the_model_of_a_v1_config() -> None:
    model = ComposeModel.from_config(yaml.safe_load(V1_CONFIG))
    assert model.networks == ()  # the default network is external: never labelled
    assert model.images["web"] == "shop/web"
    assert model.completed_dependencies == {"migrate"}


def test_the_override_labels_everything_and_publishes_on_loopback() -> None:
    model = ComposeModel.from_config(yaml.safe_load(V2_CONFIG))
    labels = {RUN: "r1", KEEP: "false"}
    document = override_document(
        model, labels, [("web", 8000), ("web", 9000), ("db", 5432)], "harness-s-1", "r1"
    )
    assert document["services"]["web"] == {
        "labels": labels,
        "ports": ["127.0.0.1::8000", "127.0.0.1::9000"],
        "image": "harness-s-1-web:r1",
    }
    assert document["services"]["migrate"] == {"labels": labels}
    assert set(document["networks"]) == {"default", "back"}
    assert set(document["volumes"]) == {"data"}
    assert yaml.safe_load(override_text(document, "r1")) == document


def test_project_names_are_valid_for_both_compose_versions() -> None:
    for env, run in [("staging", "20261121-000302-a1b2c3"), ("Prod Smoke!", "X_Y"), ("", "")]:
        name = project_name(env, run)
        assert PROJECT_NAME.match(name), name
        assert name.startswith("harness-")
    assert project_name("a", "1") != project_name("a", "2")


def test_an_owner_is_alive_until_its_process_is_gone() -> None:
    me = Owner.current()
    assert me.alive()
    assert Owner.from_label(me.label()) == me
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: its pid now names no process (or another one, with another start)
    gone = Owner(me.host, child.pid, "1")
    assert not gone.alive()
    assert Owner("another-host", child.pid, "1").alive()  # cannot tell: never swept
    assert Owner(me.host, os.getpid(), "0").alive() is False  # the pid was reused


def test_only_unkept_stacks_of_dead_owners_are_stale() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = Owner(Owner.current().host, child.pid, "1").label()
    assert is_stale({RUN: "r", OWNER: dead, KEEP: "false"})
    assert not is_stale({RUN: "r", OWNER: dead, KEEP: "true"})
    assert not is_stale({RUN: "r", OWNER: Owner.current().label(), KEEP: "false"})
    assert not is_stale({OWNER: dead})


def test_reuse_is_off_in_ci_unless_asked() -> None:
    assert reuse_wanted(True, {"CI": "true"})
    assert not reuse_wanted(False, {"CI": "true", "HARNESS_REUSE": "true"})
    assert reuse_wanted(False, {"HARNESS_REUSE": "true"})
    assert not reuse_wanted(False, {})


def test_the_fingerprint_follows_files_variables_and_build_contexts(tmp_path: Path) -> None:
    (tmp_path / "stack.yml").write_text("services: {}\n")
    (tmp_path / "env.yml").write_text(
        "compose: {files: [stack.yml], env: {A: '${env.GREETING}'}}\n"
    )
    context = tmp_path / "ctx"
    context.mkdir()
    env = load_environment(tmp_path / "env.yml", tmp_path)
    first = fingerprint(env, 2, [context], {"GREETING": "hi"})
    assert fingerprint(env, 2, [context], {"GREETING": "hi", "OTHER": "x"}) == first
    assert fingerprint(env, 1, [context], {"GREETING": "hi"}) != first
    assert fingerprint(env, 2, [context], {"GREETING": "hello"}) != first
    (context / "app.py").write_text("print()\n")
    assert fingerprint(env, 2, [context], {"GREETING": "hi"}) != first
    second = fingerprint(env, 2, [context], {"GREETING": "hi"})
    (tmp_path / "stack.yml").write_text("services: {web: {image: x}}\n")
    assert fingerprint(env, 2, [context], {"GREETING": "hi"}) != second


def test_every_built_image_gets_a_name_of_its_run_even_where_the_file_names_it() -> None:
    config = {
        "services": {
            "web": {"build": "/src/web", "image": "shop-web:staging"},
            "worker": {"image": "shop-web:staging"},  # runs what web builds
            "db": {"image": "postgres:15"},
        }
    }
    model = ComposeModel.from_config(config)
    first = override_document(model, {}, [], "harness-s-1", "20261130-120000-aaaaaa")
    second = override_document(model, {}, [], "harness-s-1", "20261130-120000-bbbbbb")
    web = first["services"]["web"]["image"]
    assert web == "harness-s-1-web:20261130-120000-aaaaaa"
    assert first["services"]["worker"]["image"] == web
    assert "image" not in first["services"]["db"]
    assert second["services"]["web"]["image"] != web
