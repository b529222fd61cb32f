"""Fixtures shared by every test: real Docker, real Chromium, a real local HTTP server.

With CI=true a test that needs Docker or a browser and cannot get one fails; elsewhere it
skips with the reason shown (``-ra`` prints it)."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

# The helpers in tests/support are imported by test modules and loaded as fixture plugins too:
# registered first, they get pytest's assertion rewriting either way (no "already imported").
pytest.register_assert_rewrite("tests.support")

ROOT = Path(__file__).resolve().parent.parent


def unavailable(reason: str) -> None:
    """Fail in CI (a skipped real test verifies nothing), skip elsewhere."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def docker_client():  # type: ignore[no-untyped-def]
    """A Docker SDK client connected to a real engine."""
    import docker
    import docker.errors

    try:
        client = docker.from_env()
        client.ping()
    except docker.errors.DockerException as exc:
        unavailable(f"no Docker engine answers ({exc}); run ./run setup")
    yield client
    client.close()


@pytest.fixture(scope="session")
def base_image(docker_client) -> str:  # type: ignore[no-untyped-def]
    """The locally built Debian base image (python3 inside), built now if missing."""
    tag = "harness-local/debian:bookworm"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "images.py"), "build"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        unavailable(f"the base images could not be built:\n{result.stderr[-2000:]}")
    return tag


@pytest.fixture(scope="session")
def browser_executable():  # type: ignore[no-untyped-def]
    """The Chromium the harness finds on this machine."""
    from harness.browser.discovery import find_browser
    from harness.errors import BrowserNotFoundError

    try:
        return find_browser()
    except BrowserNotFoundError as exc:
        unavailable(str(exc))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def static_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on 127.0.0.1 serving a fresh folder: yields (base URL, folder)."""
    root = tmp_path / "site"
    root.mkdir()

    def handler(*args: object, **kwargs: object) -> _QuietHandler:
        return _QuietHandler(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI=true a skipped test is a failure: it would be a green check verifying nothing."""
    if os.environ.get("CI", "").lower() == "true" and _skipped and exitstatus == 0:
        names = "\n  ".join(_skipped)
        print(f"\nCI=true: {len(_skipped)} test(s) skipped, which CI does not allow:\n  {names}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
