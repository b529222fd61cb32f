"""``harness run --update-snapshots`` as a user runs it: the baseline is written beside the
journey and said so; a change of the app then fails the run with expected, actual and diff
images, listed in report.json and shown side by side in report.html (opened in Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.support.run import harness, project

pytestmark = pytest.mark.browser

__all__ = ["project"]

LOOKS = """name: The greeting looks right
step_timeout: 10s
steps:
  - goto: /
  - expect_screenshot: {name: greeting, element: {testid: greeting}}
"""


def test_update_snapshots_then_a_change_shows_the_three_images_in_the_report(
    project: Path, chromium: Browser
) -> None:
    (project / "visual").mkdir()
    (project / "visual" / "looks.journey.yml").write_text(LOOKS)
    baseline = project / "visual" / "__screenshots__" / "looks" / "greeting.png"

    written = harness(project, "visual", "--no-unit", "--update-snapshots")
    assert written.code == 0, written.stdout + written.stderr
    assert (
        "wrote the screenshot baseline visual/__screenshots__/looks/greeting.png" in written.stderr
    )
    assert baseline.is_file()
    [shot] = written.journeys()["The greeting looks right"]["artifacts"]["snapshots"]
    assert shot["written"] == "visual/__screenshots__/looks/greeting.png"

    assert harness(project, "visual", "--no-unit").code == 0  # matched, nothing written
    changed = harness(project, "visual", "--no-unit", APP_DEFECT="greeting")
    assert changed.code == 1, changed.stdout + changed.stderr
    assert "the screenshot differs from its baseline" in changed.stdout
    assert changed.folder is not None
    [shot] = changed.journeys()["The greeting looks right"]["artifacts"]["snapshots"]
    assert shot["written"] is None
    for role in ("expected", "actual", "diff"):
        assert (changed.folder / shot[role]).is_file(), shot
    assert (changed.folder / shot["expected"]).read_bytes() == baseline.read_bytes()

    page = chromium.new_page()
    try:
        page.goto((changed.folder / "report.html").as_uri())
        for role in ("expected", "actual", "diff"):
            image = page.get_by_role("img", name=f"{role} image of greeting")
            assert image.is_visible()
            assert image.evaluate("img => img.naturalWidth") > 10
    finally:
        page.close()
