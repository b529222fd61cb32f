"""The foundation's real-world checks: the discovered Chromium loads a real page, and a
container from a locally built image answers on a published 127.0.0.1 port, then is gone."""

from __future__ import annotations

import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from harness.browser.discovery import CHROMIUM_FLAGS, BrowserExecutable
from harness.browser.launch import running_chromium


def test_discovered_chromium_loads_a_page_from_a_local_server(
    browser_executable: BrowserExecutable, static_server: tuple[str, Path]
) -> None:
    url, root = static_server
    (root / "index.html").write_text(
        "<title>Harness check</title><button onclick=\"this.textContent='clicked'\">Go</button>"
    )
    with running_chromium(browser_executable) as browser:
        page = browser.new_page()
        page.goto(url + "/index.html")
        page.get_by_role("button", name="Go").click()
        assert page.title() == "Harness check"
        assert page.get_by_role("button").text_content() == "clicked"


def test_launch_options_always_carry_the_offline_flags(
    browser_executable: BrowserExecutable,
) -> None:
    args = browser_executable.launch_options()["args"]
    assert isinstance(args, list)
    assert set(CHROMIUM_FLAGS) <= set(args)


def _wait_for_http(url: str, deadline_s: float) -> bytes:
    deadline = time.monotonic() + deadline_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body: bytes = response.read()
                return body
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_container_from_local_image_answers_on_published_loopback_port(
    docker_client, base_image: str
) -> None:  # type: ignore[no-untyped-def]
    label = {"org.harness.test": f"foundation-{uuid.uuid4().hex[:8]}"}
    container = docker_client.containers.run(
        base_image,
        ["sh", "-c", "echo served-from-container > index.html && exec python3 -m http.server 8000"],
        detach=True,
        labels=label,
        ports={"8000/tcp": ("127.0.0.1", None)},
        working_dir="/tmp",
    )
    try:
        container.reload()
        binding = container.attrs["NetworkSettings"]["Ports"]["8000/tcp"][0]
        assert binding["HostIp"] == "127.0.0.1"
        body = _wait_for_http(f"http://127.0.0.1:{binding['HostPort']}/index.html", 30)
        assert body.strip() == b"served-from-container"
    finally:
        container.remove(force=True, v=True)
    left = docker_client.containers.list(
        all=True, filters={"label": f"org.harness.test={label['org.harness.test']}"}
    )
    assert left == []


@pytest.mark.parametrize(
    "command", [["docker", "compose", "version"], ["docker-compose", "version"]]
)
def test_compose_cli_is_installed(command: list[str]) -> None:
    import shutil
    import subprocess

    from tests.conftest import unavailable

    if shutil.which(command[0]) is None:
        unavailable(f"{command[0]} is not installed; run ./run setup")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        unavailable(f"`{' '.join(command)}` failed: {result.stderr.strip()}")
    assert "version" in result.stdout.lower()
