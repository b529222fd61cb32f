"""report.html opened from disk in a real Chromium: it renders with the gate first, the inline
screenshot has a real size, hostile text shows as text and runs nothing, nothing loads from the
network, and the links to the cut service logs open."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from harness.browser.discovery import BrowserExecutable
from harness.browser.launch import running_chromium
from harness.report.write import write_reports
from tests.support.report_fakes import IMG, SCRIPT, hostile_run, write_artifacts

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("run")
    run = hostile_run()
    write_artifacts(run, folder)
    return write_reports(run, folder).html


@pytest.fixture(scope="module")
def opened(browser_executable: BrowserExecutable, report: Path) -> Iterator[tuple[Page, list[str]]]:
    with running_chromium(browser_executable) as browser:
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        # A load the page's Content-Security-Policy refused would show here as an error.
        page.on("console", lambda msg: requested.append(f"console {msg.type}: {msg.text}"))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        yield page, requested


def test_it_renders_with_the_gate_first(opened: tuple[Page, list[str]]) -> None:
    page, _ = opened
    first = page.evaluate("document.querySelector('body > section').id")
    assert first == "gate"
    gate = page.locator("#gate")
    assert gate.is_visible()
    assert "Gate failed: exit code 3 (tests green, app broken)" in gate.inner_text()
    top = {s: page.locator(f"#{s}").bounding_box()["y"] for s in ("gate", "features", "journeys")}
    assert top["gate"] < top["features"] < top["journeys"]
    loud = page.locator(".feature.loud h3")
    assert loud.inner_text().strip() == "green-but-broken checkout"


def test_the_inline_screenshot_is_visible_with_a_real_size(
    opened: tuple[Page, list[str]],
) -> None:
    page, _ = opened
    shot = page.locator("img.screenshot").first
    assert shot.is_visible()
    size = shot.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]")
    assert size == [True, 40, 24]
    box = shot.bounding_box()
    assert box["width"] > 0
    assert box["height"] > 0


def test_hostile_text_shows_as_text_and_runs_nothing(opened: tuple[Page, list[str]]) -> None:
    page, _ = opened
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("script").count() == 0
    assert page.locator("img:not(.screenshot)").count() == 0
    title = page.locator("#journeys h3").first.inner_text()
    assert SCRIPT in title
    message = page.locator("pre.failure-message").first.inner_text()
    assert SCRIPT in message
    assert IMG in message
    assert f"stage {SCRIPT}" in page.title()


def test_nothing_loads_from_the_network(opened: tuple[Page, list[str]]) -> None:
    _, requested = opened
    assert requested, "the page itself is a request"
    assert [entry for entry in requested if not entry.startswith(("file:", "data:"))] == []


def test_the_cut_service_log_link_opens_the_log(
    opened: tuple[Page, list[str]], report: Path
) -> None:
    browser = opened[0].context.browser
    assert browser is not None
    page = browser.new_page()
    page.goto(report.as_uri())
    page.locator("a.service-log", has_text="logs/buy-a-mug/web.log").click()
    page.wait_for_url("**/logs/buy-a-mug/web.log")
    body = page.locator("body").inner_text()
    assert "web handled request 20" in body
    assert "web handled request 15" not in body
