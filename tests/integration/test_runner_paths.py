"""What validation cannot see (a ``${...}`` that renders to a path or URL) is refused when the
step runs, in real Chromium: nothing outside the project is uploaded, no file:// is opened."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.runner import JourneyRunner

pytestmark = pytest.mark.browser


def test_a_rendered_file_url_is_refused_by_goto_and_request(journeys: JourneyRunner) -> None:
    for step in ("goto: ${env.TARGET}", "request: {method: GET, url: '${env.TARGET}'}"):
        result = journeys.run(
            f"name: Reads a file\nsteps:\n  - {step}\n", env={"TARGET": "file:///etc/passwd"}
        )
        assert result.failure is not None, step
        assert result.failure.message == "file:// URLs are refused"
        assert result.failure.actual == "'file:///etc/passwd'"


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../../../../etc/hostname", "link"])
def test_a_rendered_upload_outside_the_project_is_refused(
    journeys: JourneyRunner, target: str
) -> None:
    (journeys.root / "link").symlink_to("/etc/hostname")
    result = journeys.run(
        """
        name: Uploads a file of the machine
        steps:
          - goto: /form.html
          - upload: {label: Avatar, files: ["${env.TARGET}"]}
        """,
        env={"TARGET": target},
    )
    assert result.failure is not None
    assert result.failure.message == "a file outside the project"
    assert Path(result.failure.actual or "").name == Path(target).name


def test_a_shared_steps_baseline_through_a_symlink_is_neither_read_nor_written(
    journeys: JourneyRunner, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A shared step's baseline lies beside the journey that uses it, so validation cannot place
    it: the step refuses a ``__screenshots__`` that leads outside, even with --update-snapshots."""
    outside = tmp_path_factory.mktemp("outside")
    (journeys.root / "__screenshots__").mkdir()
    (journeys.root / "__screenshots__" / "test").symlink_to(outside)
    journeys.write("steps:\n  - expect_screenshot: home\n", "shot.steps.yml")
    text = "name: Shot through a link\nsteps:\n  - goto: /form.html\n  - use: shot.steps.yml\n"
    for update in (False, True):
        result = journeys.run(text, update_snapshots=update)
        assert result.failure is not None
        assert result.failure.message.startswith(
            "the screenshot baseline __screenshots__/test/home.png leads outside the project, to "
        )
        assert list(outside.iterdir()) == []
