"""`harness run` against remote browsers, as a user runs it: a real Playwright server (npm
playwright-core's launchServer) and a real Chromium with remote debugging, with no local browser
to be found (HARNESS_BROWSER_PATH points nowhere). Evidence is still collected; a server of
another minor version and an endpoint nobody listens on stop the run with exit 4; a token goes
to the endpoint (query and header) and nowhere else."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import unavailable
from tests.integration.remote_support import (
    SERVER_SCRIPT,
    cdp_chromium,
    client_minor,
    playwright_core,
    playwright_server,
)
from tests.support.run import PROJECT, Run, harness

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.browser

NO_BROWSER = {"HARNESS_BROWSER_PATH": "/nonexistent/chromium"}


def _chromium_path(browser_executable: object) -> str:
    """The Chromium binary the servers launch; with CI=true its absence fails, never skips."""
    path = getattr(browser_executable, "path", None)
    if not path:
        unavailable("the Playwright and CDP servers need a Chromium binary on this machine")
    return str(path)


@pytest.fixture
def chromium_binary(browser_executable: object) -> str:
    """The path the servers launch (the conftest's ``chromium`` is a launched browser)."""
    return _chromium_path(browser_executable)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__", ".harness"))
    return root


@pytest.fixture(scope="module")
def ws_endpoint(browser_executable: object) -> Iterator[str]:
    path = _chromium_path(browser_executable)
    with playwright_server(playwright_core(*client_minor()), path) as endpoint:
        yield endpoint


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_journeys_run_in_a_playwright_server_with_their_evidence(
    project: Path, ws_endpoint: str
) -> None:
    run = harness(
        project,
        "--no-unit",
        "--workers",
        "2",
        "--browser-endpoint",
        ws_endpoint,
        APP_DEFECT="greeting",
        **NO_BROWSER,
    )
    assert run.code == 1, run.stdout + run.stderr
    statuses = {name: j["status"] for name, j in run.journeys().items()}
    assert statuses.pop("Visitor is greeted") == "failed"
    # a busy machine can make a 3s step time out once: passing on the retry is still passing
    assert statuses.pop("Visitor counts to one") in ("passed", "flaky")
    assert statuses == {"Visitor counts to two": "passed"}
    failed = run.journeys()["Visitor is greeted"]["artifacts"]
    assert run.folder is not None
    assert (run.folder / failed["screenshot"]).stat().st_size > 0
    assert (run.folder / failed["trace"]).stat().st_size > 0
    assert "browser: remote, from --browser-endpoint" in run.stderr


def test_a_cdp_endpoint_from_the_environment_file_and_browser_urls(
    project: Path, chromium_binary: str, tmp_path: Path
) -> None:
    """The browser reaches the app as localhost (browser_urls), the harness probes 127.0.0.1;
    the remote Chromium is not ours to close and still runs afterwards."""
    (project / "environments" / "remote.yml").write_text(
        "processes:\n"
        "  - name: web\n"
        '    command: [python, -m, app.server, --port, "${port.web}"]\n'
        '    ready: {http: "http://127.0.0.1:${port.web}/healthz", timeout: 20s}\n'
        "urls:\n"
        "  web: http://127.0.0.1:${port.web}\n"
        "browser_urls:\n"
        "  web: http://localhost:${port.web}\n"
        "browser:\n"
        '  endpoint: "${env.CDP_ENDPOINT}"\n'
    )
    (project / "journeys" / "where.journey.yml").write_text(
        "name: The browser sees the app at localhost\n"
        "steps:\n"
        "  - goto: /\n"
        '  - expect_url: {regex: "^http://localhost:\\\\d+/$"}\n'
        "  - screenshot: home\n"
    )
    with cdp_chromium(chromium_binary, tmp_path) as (endpoint, process):
        run = harness(project, "--env", "remote", CDP_ENDPOINT=endpoint, **NO_BROWSER)
        assert process.poll() is None, "the harness closed a browser it did not start"
    assert run.code == 0, run.stdout + run.stderr
    assert {j["status"] for j in run.report["journeys"]} == {"passed"}
    assert run.folder is not None
    assert any(f.endswith("home.png") for f in _files(run.folder))


def test_a_server_of_another_minor_version_is_exit_4_naming_both_versions(
    project: Path, chromium_binary: str
) -> None:
    major, minor = client_minor()
    with playwright_server(playwright_core(major, minor - 1), chromium_binary) as endpoint:
        run = harness(project, "--no-unit", "--browser-endpoint", endpoint, **NO_BROWSER)
    assert run.code == 4, run.stdout + run.stderr
    assert f"runs Playwright {major}.{minor - 1}" in run.stderr
    from importlib.metadata import version

    assert f"this harness's client is Playwright {version('playwright')}" in run.stderr
    assert run.report["journeys"] == []
    assert run.report["gate"]["exit_code"] == 4


@contextmanager
def refusing_endpoint() -> Iterator[tuple[int, list[str]]]:
    """A server on 127.0.0.1 that answers every WebSocket upgrade 401 and keeps the request
    lines it was sent: what a browser service does with a wrong token."""
    heard: list[str] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                client, _ = server.accept()
            except OSError:
                continue
            with client:
                client.settimeout(5)
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = client.recv(4096)
                    if not chunk:
                        break
                    request += chunk
                heard.extend(request.decode(errors="replace").splitlines())
                client.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], heard
    finally:
        done.set()
        thread.join(timeout=5)
        server.close()


def _with_endpoint(project: Path, port: int) -> None:
    (project / "harness.yml").write_text(
        (project / "harness.yml").read_text()
        + "browser:\n"
        + f'  endpoint: "ws://127.0.0.1:{port}/playwright?token=${{secrets.BROWSER_TOKEN}}"\n'
        + '  headers: {Authorization: "Bearer ${secrets.BROWSER_TOKEN}"}\n'
    )


def _assert_token_nowhere(run: Run, token: str) -> None:
    assert token not in run.stdout + run.stderr
    assert run.folder is not None
    for name in _files(run.folder):
        assert token not in (run.folder / name).read_text(errors="replace"), name
    assert json.dumps(run.report).count("?***") >= 1


def test_an_unreachable_endpoint_is_exit_4_with_its_token_masked(project: Path) -> None:
    token = "s3cr3t-browser-token"
    _with_endpoint(project, _free_port())
    run = harness(project, "--no-unit", BROWSER_TOKEN=token, **NO_BROWSER)
    assert run.code == 4, run.stdout + run.stderr
    assert "cannot connect to the remote browser at ws://127.0.0.1:" in run.stderr
    assert "(harness.yml: browser.endpoint)" in run.stderr
    _assert_token_nowhere(run, token)


def test_the_token_goes_to_the_endpoint_in_its_header_and_nowhere_else(project: Path) -> None:
    token = "s3cr3t-browser-token"
    with refusing_endpoint() as (port, heard):
        _with_endpoint(project, port)
        run = harness(project, "--no-unit", BROWSER_TOKEN=token, **NO_BROWSER)
    assert run.code == 4, run.stdout + run.stderr
    assert f"GET /playwright?token={token} HTTP/1.1" in heard
    assert f"authorization: bearer {token}" in [line.lower() for line in heard]
    assert "401" in run.stderr
    _assert_token_nowhere(run, token)


def test_a_bad_endpoint_is_bad_input(project: Path) -> None:
    run = harness(project, "--no-unit", "--browser-endpoint", "tcp://127.0.0.1:1", **NO_BROWSER)
    assert run.code == 2
    assert "'tcp://127.0.0.1:1' is not a browser endpoint" in run.stdout + run.stderr


def test_an_endpoint_on_a_port_of_the_environment_connects_once_it_is_up(
    project: Path, chromium_binary: str
) -> None:
    """The environment boots the browser server itself (as Compose would run Playwright's
    image beside the app); its endpoint names the port chosen for it."""
    package = playwright_core(*client_minor())
    (project / "environments" / "with-browser.yml").write_text(
        "processes:\n"
        "  - name: web\n"
        '    command: [python, -m, app.server, --port, "${port.web}"]\n'
        '    ready: {http: "http://127.0.0.1:${port.web}/healthz", timeout: 20s}\n'
        "  - name: browser\n"
        f'    command: [node, "{SERVER_SCRIPT}", "{package}", "{chromium_binary}",'
        ' "${port.browser}"]\n'
        '    ready: {tcp: "127.0.0.1:${port.browser}", timeout: 30s}\n'
        "urls:\n"
        "  web: http://127.0.0.1:${port.web}\n"
        "browser:\n"
        '  endpoint: "ws://127.0.0.1:${port.browser}/playwright"\n'
    )
    run = harness(project, "--env", "with-browser", "--no-unit", **NO_BROWSER)
    assert run.code == 0, run.stdout + run.stderr
    assert len(run.report["journeys"]) == 3
    assert {j["status"] for j in run.report["journeys"]} == {"passed"}


def test_the_pytest_plugin_runs_journeys_in_a_remote_browser(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    ws_endpoint: str,
    chromium_binary: str,
    site: str,
    tmp_path: Path,
) -> None:
    from tests.support.pytester import FAILING, PASSING, only_run, run, write

    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("HARNESS_BROWSER_PATH", "/nonexistent/chromium")
    monkeypatch.chdir(pytester.path)
    write(pytester, "journeys/open.journey.yml", PASSING)
    write(pytester, "journeys/add.journey.yml", FAILING)
    result = run(
        pytester, "journeys/", "--base-url", site, "--harness-browser-endpoint", ws_endpoint
    )
    result.assert_outcomes(passed=1, failed=1)
    folder = pytester.path / only_run(pytester) / "journeys" / "add" / "attempt-1"
    assert (folder / "trace.zip").stat().st_size > 0
    with cdp_chromium(chromium_binary, tmp_path) as (endpoint, _):
        monkeypatch.setenv("HARNESS_BROWSER_ENDPOINT", endpoint)
        again = run(pytester, "journeys/open.journey.yml", "--base-url", site)
    again.assert_outcomes(passed=1)
    monkeypatch.setenv("HARNESS_BROWSER_ENDPOINT", f"ws://127.0.0.1:{_free_port()}/")
    unreachable = run(pytester, "journeys/open.journey.yml", "--base-url", site)
    assert "cannot connect to the remote browser at ws://127.0.0.1:" in unreachable.stdout.str()
    assert "Traceback" not in unreachable.stdout.str()
