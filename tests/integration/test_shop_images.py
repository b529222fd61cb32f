"""The stand-ins for the staging stack's public images behave as the stack needs, and
``scripts/images.py env`` names them in a Compose ``.env`` without touching the user's lines."""

from __future__ import annotations

import importlib.util
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
LABEL = {"org.harness.test": "shop-images"}


def load_images_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("images_script", ROOT / "scripts" / "images.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def stand_ins(docker_client: Any, base_image: str) -> dict[str, str]:
    """Folder name -> tag of each stand-in (built by the base_image fixture's build)."""
    images = load_images_script()
    return {
        folder: images.image_tag(ROOT / "images" / folder)
        for folder in ("postgres", "redis", "python")
    }


@pytest.fixture
def run_container(docker_client: Any) -> Iterator[Any]:
    started: list[Any] = []

    def run(image: str, **kwargs: Any) -> Any:
        name = f"shop-images-{uuid.uuid4().hex[:8]}"
        container = docker_client.containers.run(
            image, detach=True, name=name, labels=LABEL, **kwargs
        )
        started.append(container)
        return container

    yield run
    for container in started:
        container.remove(force=True, v=True)


def wait_for(container: Any, command: list[str], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        code, output = container.exec_run(command)
        if code == 0:
            return str(output.decode())
        if time.monotonic() > deadline:
            logs = container.logs().decode()[-2000:]
            raise AssertionError(f"{command} never succeeded: {output.decode()}\n{logs}")
        time.sleep(0.5)


@pytest.mark.docker
def test_postgres_stand_in_honours_user_password_and_database(
    stand_ins: dict[str, str], run_container: Any
) -> None:
    env = {"POSTGRES_USER": "alice", "POSTGRES_PASSWORD": "s3cret-pw", "POSTGRES_DB": "orders"}
    container = run_container(stand_ins["postgres"], environment=env)
    assert "accepting connections" in wait_for(
        container, ["pg_isready", "-U", "alice", "-d", "orders"]
    )
    psql = [
        "psql",
        "-h",
        "127.0.0.1",
        "-U",
        "alice",
        "-d",
        "orders",
        "-tAc",
        "SELECT current_database()",
    ]
    code, output = container.exec_run(psql, environment={"PGPASSWORD": "s3cret-pw"})
    assert (code, output.decode().strip()) == (0, "orders")
    code, output = container.exec_run(psql, environment={"PGPASSWORD": "wrong"})
    assert code != 0
    assert "password authentication failed" in output.decode()


@pytest.mark.docker
def test_postgres_stand_in_refuses_to_start_without_a_password(
    stand_ins: dict[str, str], run_container: Any
) -> None:
    container = run_container(stand_ins["postgres"], environment={"POSTGRES_USER": "alice"})
    assert container.wait(timeout=60)["StatusCode"] != 0
    assert "POSTGRES_PASSWORD is not set" in container.logs().decode()


@pytest.mark.docker
def test_redis_stand_in_answers_ping(stand_ins: dict[str, str], run_container: Any) -> None:
    container = run_container(stand_ins["redis"])
    assert wait_for(container, ["redis-cli", "ping"]).strip() == "PONG"


@pytest.mark.docker
def test_python_stand_in_is_set_up_for_pip(stand_ins: dict[str, str], docker_client: Any) -> None:
    script = (
        "import pip, ssl, sys; print(sys.version_info[:2] >= (3, 10)); "
        "print(open('/etc/pip.conf').read().split('=')[1].strip())"
    )
    output = docker_client.containers.run(
        stand_ins["python"], ["python", "-c", script], remove=True, labels=LABEL
    ).decode()
    assert output.split() == ["True", "/etc/ssl/certs/ca-certificates.crt"]


def test_env_file_keeps_the_users_own_lines(tmp_path: Path) -> None:
    images = load_images_script()
    env_file = tmp_path / ".env"
    env_file.write_text("SHOP_DEFECT=wrapped-api\nPOSTGRES_IMAGE=old:1\n")
    images.write_env_file(env_file, {"POSTGRES_IMAGE": "harness-local/postgres:15"})
    lines = env_file.read_text().splitlines()
    assert lines[0] == "SHOP_DEFECT=wrapped-api"
    assert "POSTGRES_IMAGE=harness-local/postgres:15" in lines
    assert "POSTGRES_IMAGE=old:1" not in lines
    images.write_env_file(env_file, {})
    assert env_file.read_text() == "SHOP_DEFECT=wrapped-api\n"


def test_env_file_is_removed_when_nothing_is_left(tmp_path: Path) -> None:
    images = load_images_script()
    env_file = tmp_path / ".env"
    images.write_env_file(env_file, {"REDIS_IMAGE": "harness-local/redis:7"})
    assert "REDIS_IMAGE=harness-local/redis:7" in env_file.read_text()
    images.write_env_file(env_file, {})
    assert not env_file.exists()
