"""Fixtures of the browser tests: a real site served on 127.0.0.1, a real Chromium, and a
runner that writes journeys into a project folder and runs them there (one of each per module)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.runner import JourneyRunner, chromium_fixture, site_fixture


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    yield from site_fixture()


@pytest.fixture(scope="module")
def chromium(browser_executable: object) -> Iterator[object]:
    yield from chromium_fixture(browser_executable)


@pytest.fixture
def journeys(chromium: object, site: str, tmp_path: Path) -> JourneyRunner:
    return JourneyRunner(chromium, site, tmp_path)  # type: ignore[arg-type]
