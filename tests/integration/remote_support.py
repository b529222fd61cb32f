"""Real remote browsers for the tests: a Playwright server (npm ``playwright-core``'s
``launchServer`` over the machine's Chromium) and a Chromium with ``--remote-debugging-port``.

``playwright-core`` is installed once per minor version into ``tests/.cache/`` (git-ignored),
pinned to the Python client's minor version; a server of the previous minor version gives a
real version mismatch. Without npm the tests skip, and fail under CI=true.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

from tests.conftest import ROOT, unavailable

CACHE = ROOT / "tests" / ".cache" / "npm"
SERVER_SCRIPT = ROOT / "tests" / "data" / "remote" / "playwright-server.js"


def client_minor() -> tuple[int, int]:
    major, minor = version("playwright").split(".")[:2]
    return int(major), int(minor)


def playwright_core(major: int, minor: int) -> Path:
    """A folder whose node_modules hold playwright-core ~MAJOR.MINOR.0, installed on first use."""
    folder = CACHE / f"playwright-core-{major}.{minor}"
    if (folder / "node_modules" / "playwright-core" / "package.json").is_file():
        return folder
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm is not installed: the Playwright server tests need it (./run setup)")
    CACHE.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=CACHE, prefix=".install-"))
    wanted = f"{major}.{minor}.0"
    result = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", f"playwright-core@~{wanted}"],
        cwd=staging,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"},
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        unavailable(f"npm could not install playwright-core ~{wanted}: {result.stderr[-1500:]}")
    try:
        staging.rename(folder)  # another test may have won the race: theirs is as good
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _stop(process: subprocess.Popen[str]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def playwright_server(package: Path, chromium: str) -> Iterator[str]:
    """``launchServer`` on 127.0.0.1 with a free port; yields its ws:// endpoint."""
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed: the Playwright server tests need it")
    process = subprocess.Popen(
        [node, str(SERVER_SCRIPT), str(package), chromium],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("ws://"):
            error = process.stderr.read() if process.stderr else ""
            raise AssertionError(f"the Playwright server did not start: {line}\n{error[-2000:]}")
        yield line
    finally:
        _stop(process)


@contextmanager
def cdp_chromium(chromium: str, folder: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A headless Chromium with remote debugging on a free port of 127.0.0.1; yields its
    http:// endpoint and the process."""
    profile = folder / "cdp-profile"
    process = subprocess.Popen(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            assert process.poll() is None, "Chromium exited before it listened"
            assert time.monotonic() < deadline, "Chromium did not open its debugging port"
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        yield f"http://127.0.0.1:{port}", process
    finally:
        _stop(process)
