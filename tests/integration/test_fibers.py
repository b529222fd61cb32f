"""The workers of a run are fibers of one thread sharing one Playwright and one Chromium: they
really run at the same time, each in its own context, and one worker's error reaches the run
once the others are done. Real Chromium, a real local server."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.browser.driver import BrowserChoice, JourneyDriver
from harness.browser.evidence import ArtifactPolicy
from harness.browser.failures import describe_result
from harness.browser.settings import RunSettings
from harness.core.journey.loader import load_journey

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def driver(browser_executable: object) -> Iterator[JourneyDriver]:
    with JourneyDriver(BrowserChoice.from_options("chromium", None, headed=False)) as opened:
        opened.open(2)
        yield opened


@pytest.fixture
def site(static_server: tuple[str, object]) -> str:
    base, root = static_server
    (root / "index.html").write_text(  # type: ignore[operator]
        "<!doctype html><title>Home</title><input aria-label=Name>"
    )
    return base + "/index.html"


def test_local_workers_share_one_browser_and_run_at_the_same_time(
    driver: JourneyDriver, site: str
) -> None:
    assert driver.browser(0) is driver.browser(1)
    spans: dict[int, tuple[float, float]] = {}
    names: dict[int, str] = {}

    def worker(number: int) -> None:
        context = driver.browser(number).new_context()
        page = context.new_page()
        page.goto(site)
        started = time.monotonic()
        page.get_by_label("Name").fill(f"worker {number}")
        page.wait_for_timeout(300)
        names[number] = page.get_by_label("Name").input_value()
        spans[number] = (started, time.monotonic())
        context.close()

    driver.together([lambda: worker(0), lambda: worker(1)])
    assert names == {0: "worker 0", 1: "worker 1"}  # each its own context and page
    (start_0, end_0), (start_1, end_1) = spans[0], spans[1]
    assert start_0 < end_1, "worker 1 was done before worker 0 began"
    assert start_1 < end_0, "worker 0 was done before worker 1 began"


def test_a_workers_error_is_raised_after_the_others_finished(
    driver: JourneyDriver, site: str
) -> None:
    finished: list[str] = []

    def failing() -> None:
        raise ValueError("worker 0 broke")

    def working() -> None:
        page = driver.browser(1).new_page()
        page.goto(site)
        page.wait_for_timeout(200)
        finished.append(page.title())
        page.close()

    with pytest.raises(ValueError, match="worker 0 broke"):
        driver.together([failing, working])
    assert finished == ["Home"]


def test_a_pause_lets_the_other_workers_run(driver: JourneyDriver, site: str) -> None:
    order: list[str] = []

    def waiting() -> None:
        while "loaded" not in order:  # as a worker waits for a busy serial group
            order.append("paused")
            driver.pause(0.02)
        order.append("went on")

    def loading() -> None:
        page = driver.browser(1).new_page()
        page.goto(site)
        order.append("loaded")
        page.close()

    driver.together([waiting, loading])
    assert order[0] == "paused"
    assert order[-2:] == ["loaded", "went on"]


def test_a_journey_that_names_a_playwright_device_gets_its_viewport(
    driver: JourneyDriver, static_server: tuple[str, Path], tmp_path: Path
) -> None:
    """The driver reads Playwright's device list only for the journeys that name a device."""
    base, root = static_server
    (root / "size.html").write_text(
        "<!doctype html><meta name=viewport content=width=device-width><p data-testid=size></p>"
        "<script>document.querySelector('p')"
        ".textContent = innerWidth + 'x' + innerHeight</script>"
    )
    (tmp_path / "harness.yml").write_text("journeys: .\n")
    phone, desktop = tmp_path / "phone.journey.yml", tmp_path / "desktop.journey.yml"
    steps = "steps:\n  - goto: /size.html\n  - expect: {testid: size, text: %s}\n"
    phone.write_text("name: Phone\nbrowser: {device: iPhone 13}\n" + steps % "390x664")
    desktop.write_text("name: Desktop\n" + steps % "1280x720")
    settings = RunSettings(run_id="r1", urls={"web": base}, policy=ArtifactPolicy(trace="off"))
    statuses = {}

    def worker() -> None:
        for path in (desktop, phone):
            result = driver.run(load_journey(path, tmp_path), settings, tmp_path / path.stem)
            statuses[path.stem] = (result.status, describe_result(result))

    driver.together([worker])
    assert statuses["phone.journey"][0] == "passed", statuses["phone.journey"][1]
    assert statuses["desktop.journey"][0] == "passed", statuses["desktop.journey"][1]


def test_remote_workers_each_connect_on_their_own_and_run_at_the_same_time(
    browser_executable: object, site: str
) -> None:
    """A browser service spreads its connections over its browsers: one connection each. (In a
    thread of its own, as a run's browser is: this thread's Playwright is the fixture's.)"""
    from harness.core.remote_browser import RemoteEndpoint
    from tests.integration.remote_support import client_minor, playwright_core, playwright_server

    package = playwright_core(*client_minor())
    spans: list[tuple[float, float]] = []
    shared: list[bool] = []
    errors: list[BaseException] = []

    def worker(driver: JourneyDriver, number: int) -> None:
        page = driver.browser(number).new_page()
        page.goto(site)
        started = time.monotonic()
        page.wait_for_timeout(300)
        spans.append((started, time.monotonic()))
        page.close()

    def run(url: str) -> None:
        remote = RemoteEndpoint.from_url(url, "--browser-endpoint")
        try:
            with JourneyDriver(BrowserChoice.from_options("chromium", None, False, remote)) as d:
                d.open(2)
                shared.append(d.browser(0) is d.browser(1))
                d.together([lambda: worker(d, 0), lambda: worker(d, 1)])
        except BaseException as exc:
            errors.append(exc)

    with playwright_server(package, str(getattr(browser_executable, "path", ""))) as url:
        thread = threading.Thread(target=run, args=(url,))
        thread.start()
        thread.join(60)
    assert errors == []
    assert shared == [False]
    (start_0, end_0), (start_1, end_1) = spans
    assert start_0 < end_1, "one worker was done before the other began"
    assert start_1 < end_0, "one worker was done before the other began"


def test_the_run_goes_on_importing_itself_once_the_journeys_thread_has_playwright(
    browser_executable: object, tmp_path: Path
) -> None:
    """``start_early`` returns once the journeys' thread has imported Playwright, so the run's
    own imports do not slow that import down (a real process: this one has Playwright already)."""
    probe = (
        "import sys\n"
        "from harness.run.options import RunOptions\n"
        "from harness.run.workers import start_early\n"
        "workers = start_early(RunOptions.from_command_line(browser='chromium', headed=False))\n"
        "print('playwright.sync_api' in sys.modules, flush=True)\n"
        "workers.wait_launched()\n"
        "workers.stop()\n"
        "print(workers.close(timeout_s=30))\n"
    )
    path = str(getattr(browser_executable, "path", ""))
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "HARNESS_BROWSER_PATH": path},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"], result.stdout + result.stderr
