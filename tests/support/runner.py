"""Helpers of the runner's tests: write a journey file, run it in real Chromium, read the result."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.browser.evidence import ArtifactPolicy
from harness.browser.failures import describe_result
from harness.browser.results import JourneyResult
from harness.browser.runner import run_journey
from harness.browser.settings import RunSettings
from harness.core.journey.loader import load_journey
from tests.support.server import running_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def site_fixture() -> Iterator[str]:
    with running_site() as url:
        yield url


def chromium_fixture(browser_executable: object) -> Iterator[Browser]:
    from harness.browser.discovery import BrowserExecutable
    from harness.browser.launch import running_chromium

    assert isinstance(browser_executable, BrowserExecutable)
    with running_chromium(browser_executable) as browser:
        yield browser


class JourneyRunner:
    """Writes journeys into a project folder and runs them against the test site."""

    def __init__(self, browser: Browser, site: str, root: Path) -> None:
        self.browser = browser
        self.site = site
        self.root = root
        (root / "harness.yml").write_text("journeys: .\n")

    def write(self, text: str, name: str = "test.journey.yml") -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path

    def run(
        self,
        text: str,
        *,
        env: Mapping[str, str] | None = None,
        environment: str | None = None,
        policy: ArtifactPolicy | None = None,
        devices: Mapping[str, Mapping[str, object]] | None = None,
        update_snapshots: bool = False,
        name: str = "test.journey.yml",
    ) -> JourneyResult:
        journey = load_journey(self.write(text, name), root=self.root)
        settings = RunSettings(
            run_id="run1",
            environment=environment,
            urls={"web": self.site},
            policy=policy or ArtifactPolicy(),
            env=dict(env or {}),
            devices=devices or {},
            update_snapshots=update_snapshots,
        )
        return run_journey(self.browser, journey, settings, self.root / "out")


def failure_text(result: JourneyResult) -> str:
    return describe_result(result)


def assert_passed(result: JourneyResult) -> None:
    if result.status != "passed":
        pytest.fail(describe_result(result), pytrace=False)
