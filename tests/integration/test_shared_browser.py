"""Worker threads share one Chromium: the first driver launches it, the others connect over CDP
with their own Playwright (no Playwright object crosses a thread), and it closes only after the
last of them has finished."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.browser.driver import BrowserChoice, JourneyDriver
from harness.browser.evidence import ArtifactPolicy
from harness.browser.results import JourneyResult
from harness.browser.settings import RunSettings
from harness.browser.shared import SharedChromium
from harness.core.journey.loader import load_journey
from tests.support.runner import assert_passed, site_fixture

pytestmark = pytest.mark.browser

JOURNEY = """\
name: Greets {n}
steps:
  - goto: /widgets.html
  - expect: {{role: heading, name: Widgets}}
"""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    yield from site_fixture()


def test_two_workers_run_their_journeys_in_one_chromium(
    browser_executable: object, site: str, tmp_path: Path
) -> None:
    (tmp_path / "harness.yml").write_text("journeys: .\n")
    choice = BrowserChoice("chromium", headless=True, executable=browser_executable)  # type: ignore[arg-type]
    shared = SharedChromium()
    shared.expect(1)
    settings = RunSettings(
        run_id="run1", environment=None, urls={"web": site}, policy=ArtifactPolicy(trace="on")
    )
    results: dict[int, JourneyResult] = {}
    connected: dict[int, bool] = {}
    journey_done: dict[int, float] = {}
    driver_closed: dict[int, float] = {}

    def work(n: int) -> None:
        path = tmp_path / f"j{n}.journey.yml"
        path.write_text(JOURNEY.format(n=n))
        with JourneyDriver(choice, shared) as driver:
            connected[n] = driver.uses_shared_browser
            results[n] = driver.run(load_journey(path, root=tmp_path), settings, tmp_path / str(n))
            journey_done[n] = time.monotonic()
        driver_closed[n] = time.monotonic()

    first = threading.Thread(target=work, args=(1,))
    first.start()
    second = threading.Thread(target=work, args=(2,))
    second.start()
    first.join(120)
    second.join(120)
    assert sorted(connected.values()) == [False, True]  # whichever came first launched it
    launcher, other = (1, 2) if connected[2] else (2, 1)
    for result in results.values():
        assert_passed(result)
    # the launcher closed the browser only after the connected worker's journey was done
    assert driver_closed[launcher] >= journey_done[other]
    assert list((tmp_path / str(other)).rglob("trace.zip")), "tracing works over CDP too"
