"""Failure texts as contracts: each journey of tests/data/failures fails in real Chromium against
the runner's site, and what a person reads (the whole block: message, ``use`` chain, locator, what
it matched, expected against actual, evidence) must equal its ``.expected`` file."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from harness.browser.evidence import ArtifactPolicy
from harness.browser.failures import describe_result
from harness.browser.runner import run_journey
from harness.browser.settings import RunSettings
from harness.core.journey.loader import load_journey

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parent.parent / "data" / "failures"
CASES = sorted(p.name.removesuffix(".journey.yml") for p in DATA.glob("*.journey.yml"))


def failure_of(case: str, chromium: object, site: str, root: Path) -> str:
    shutil.copytree(DATA, root, dirs_exist_ok=True)
    (root / "harness.yml").write_text("journeys: .\n")
    journey = load_journey(root / f"{case}.journey.yml", root=root)
    settings = RunSettings(run_id="r1", urls={"web": site}, policy=ArtifactPolicy(), env={})
    result = run_journey(chromium, journey, settings, root / "out")  # type: ignore[arg-type]
    assert result.status == "failed", describe_result(result, root)
    text = describe_result(result, root).replace(site, "{site}").replace(str(root) + "/", "")
    return text + "\n"


@pytest.mark.parametrize("case", CASES)
def test_a_failure_reads_exactly_as_its_expected_file(
    case: str, chromium: object, site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert failure_of(case, chromium, site, tmp_path) == (DATA / f"{case}.expected").read_text()


def test_a_request_is_in_the_trace_and_an_api_only_journey_has_no_blank_screenshot(
    chromium: object, site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    failure_of("request_status", chromium, site, tmp_path)
    attempt = tmp_path / "out" / "attempt-1"
    assert not list(attempt.glob("*.png"))
    with zipfile.ZipFile(attempt / "trace.zip") as trace:
        events = trace.read("trace.trace").decode()
    assert f"request GET {site}/api/library/books.json" in events
    assert "response 404 (text/html" in events
    assert "status: expected 200, got 404" in events
