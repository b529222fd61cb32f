"""Environment files: the contract's examples load into typed objects; every mistake is located."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from harness.core.environment import (
    ComposeConfig,
    Environment,
    ProcessConfig,
    ReadyCheck,
    SeedStep,
    environment_schema,
    find_environment,
    load_environment,
)
from harness.core.published_schema import published
from harness.errors import SourceError, UsageError

DATA = Path(__file__).resolve().parent.parent / "data"
ENVIRONMENTS = DATA / "environments"


def load(text: str, tmp_path: Path, name: str = "env.yml") -> Environment:
    (tmp_path / "stacks").mkdir(exist_ok=True)
    (tmp_path / "stacks" / "stack.yml").write_text("services: {}\n")
    path = tmp_path / name
    path.write_text(text)
    return load_environment(path, tmp_path, display=name)


def test_a_file_with_every_key_becomes_typed_objects() -> None:
    env = load_environment(ENVIRONMENTS / "good" / "staging.yml", DATA)
    stacks = (DATA / "stacks").resolve()
    assert env.name == "staging"
    assert env.kind == "compose+processes"
    assert env.compose == ComposeConfig(
        files=(stacks / "healthy.yml",),
        project_directory=stacks,
        build_timeout_s=600.0,
        start_timeout_s=90.0,
        wait_timeout_s=180.0,
        stable_for_s=0.5,
        stop_timeout_s=1.0,
        one_shot=frozenset({"migrate"}),
        env={"MESSAGE": "${env.GREETING}", "PORT_HINT": "${port.spare}", "DEBUG": "true"},
    )
    web, worker = env.processes
    assert web == ProcessConfig(
        name="web",
        command=("python", "-m", "shop", "--port", "${port.web}", "8000"),
        cwd=stacks / "app",
        env={"DATABASE_URL": "${env.DATABASE_URL}", "TOKEN": "${secrets.API_TOKEN}"},
        ready=ReadyCheck("http", "http://127.0.0.1:${port.web}/healthz", 30.0),
    )
    assert worker.ready == ReadyCheck("log", "^worker: listening", 5.0)
    assert worker.cwd == DATA.resolve()
    assert worker.stop_timeout_s == 2.0
    assert env.seed == (
        SeedStep("exec", ("python", "-m", "shop.seed"), "web"),
        SeedStep(
            "run",
            ("python", "scripts/seed_search_index.py", "${urls.web}"),
            None,
            "search index",
            120.0,
        ),
    )
    assert env.ready == ReadyCheck("tcp", "127.0.0.1:${port.web}", 10.0)


def test_what_the_stack_runner_asks_of_an_environment() -> None:
    env = load_environment(ENVIRONMENTS / "good" / "staging.yml", DATA)
    assert env.compose_ports() == {("web", 8000)}
    assert env.secret_names() == {"API_TOKEN"}
    assert env.seed[1].describe() == (
        "search index: run: python scripts/seed_search_index.py ${urls.web}"
    )


@pytest.mark.parametrize("name", ["everything", "nothing", "port_typo"])
def test_every_problem_of_a_bad_file_at_once(name: str) -> None:
    with pytest.raises(SourceError) as caught:
        load_environment(
            ENVIRONMENTS / "bad" / f"{name}.yml", DATA, display=f"environments/{name}.yml"
        )
    expected = (ENVIRONMENTS / "bad" / f"{name}.expected.txt").read_text()
    assert str(caught.value).replace(str(DATA), "ROOT") + "\n" == expected
    assert caught.value.exit_code == 2


def test_the_contract_examples_are_valid(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.staging.yml").write_text("services: {}\n")
    staging = """
description: Full stack in Docker, as close to production as CI gets
compose:
  files: [docker-compose.staging.yml]
  wait_timeout: 180s
urls:
  web: http://127.0.0.1:${compose.web.8000}
seed:
  - exec: {service: web, command: [python, -m, shop.seed]}
  - run: [python, scripts/seed_search_index.py]
"""
    local = """
processes:
  - name: web
    command: [python, -m, shop, --port, "${port.web}"]
    cwd: examples/shop
    env: {DATABASE_URL: "${env.DATABASE_URL}"}
    ready: {http: "http://127.0.0.1:${port.web}/healthz", timeout: 30s}
urls:
  web: http://127.0.0.1:${port.web}
"""
    assert load(staging, tmp_path, "staging.yml").kind == "compose"
    assert load(local, tmp_path, "local.yml").kind == "processes"
    assert load("urls:\n  web: https://shop.example.com\n", tmp_path).kind == "external"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "processes: [{name: a, command: [x, '${port.web}']}]\n"
            "urls: {web: 'http://x:${port.web}'}\nready: {log: x}\n",
            None,
        ),
        ("urls: {web: 'http://x:${port.web}'}\n", "names no port that a process or compose uses"),
        ("urls: {web: 'http://x/${compose.web.80}'}\n", "unknown namespace 'compose'"),
        (
            "compose: {files: [stacks/stack.yml], env: {A: '${compose.web.80}'}}\n",
            "unknown namespace 'compose'",
        ),
        (
            "processes: [{name: a, command: ['${urls.web}']}]\nurls: {web: x}\n",
            "unknown namespace 'urls'",
        ),
        ("urls: {web: '${attempt.id}'}\n", "unknown namespace 'attempt'"),
        ("urls: {web: x}\nready: {http: '${urls.web}/health', timeout: 1m}\n", None),
        ("urls: {web: x}\nready: {http: a, timeout: forever}\n", "must be a duration"),
        ("processes: [{name: 'a b', command: [x]}]\n", "'name' must be a name of letters"),
        (
            "processes: [{name: a, command: [x], ready: {log: '(unclosed'}}]\n",
            "a valid regular expression",
        ),
        ("urls: {web: x}\ncompose: {}\n", "missing key 'files'"),
        ("urls: {'w b': x}\n", "'w b' is not a url name"),
        (
            "compose: {files: [stacks/stack.yml], env: {'A-B': x}}\n",
            "is not an environment variable name",
        ),
    ],
)
def test_references_and_values_are_checked_where_they_are_used(
    text: str, message: str | None, tmp_path: Path
) -> None:
    if message is None:
        load(text, tmp_path)
        return
    with pytest.raises(SourceError) as caught:
        load(text, tmp_path)
    assert message in str(caught.value)
    assert str(caught.value).startswith("env.yml:")


def test_the_schema_is_valid_and_accepts_the_good_file() -> None:
    schema = environment_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    good = yaml.safe_load((ENVIRONMENTS / "good" / "staging.yml").read_text())
    jsonschema.Draft202012Validator(schema).validate(good)


def test_harness_schema_environment_prints_the_validators_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "harness", "schema", "environment"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == published(environment_schema())


def test_an_environment_is_found_by_name_with_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "staging.yml").write_text("urls: {web: x}\n")
    (tmp_path / "local.yaml").write_text("urls: {web: x}\n")
    assert find_environment(tmp_path, "local") == tmp_path / "local.yaml"
    assert find_environment(tmp_path, None, default="staging") == tmp_path / "staging.yml"
    with pytest.raises(UsageError, match=r"no environment 'stagin'.*Did you mean 'staging'"):
        find_environment(tmp_path, "stagin")
    with pytest.raises(UsageError, match=r"name an environment with --env NAME.*local, staging"):
        find_environment(tmp_path, None)
    (tmp_path / "local.yaml").unlink()
    assert find_environment(tmp_path, None) == tmp_path / "staging.yml"
