"""expect_screenshot, expect_aria and expect_accessible in real Chromium against a real page
(tests/data/runner/site/visual.html, which its query string breaks on purpose)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from harness.browser.results import JourneyResult, StepFailure
from tests.support.runner import JourneyRunner, assert_passed, failure_text

pytestmark = pytest.mark.browser

CARD = """
name: The card looks right
step_timeout: 10s
steps:
  - goto: /visual.html{query}
  - expect_screenshot: {{name: card, element: {{testid: card}}}}
"""
PAGE = """
name: The page looks right
step_timeout: 10s
steps:
  - goto: /visual.html{query}
  - expect_screenshot: {{name: page, mask: [{{testid: clock}}]}}
"""


def card(query: str = "") -> str:
    return CARD.format(query=query)


def page(query: str = "") -> str:
    return PAGE.format(query=query)


def baseline(journeys: JourneyRunner, name: str) -> Path:
    return journeys.root / "__screenshots__" / "test" / f"{name}.png"


def failed_step(result: JourneyResult) -> StepFailure:
    """The failure of a journey that must have failed."""
    assert result.status == "failed", result.status
    failure = result.attempts[-1].failure
    assert failure is not None
    return failure


def kept(result: JourneyResult, kind: str) -> Path:
    attempt = result.attempts[-1]
    found = attempt.artifact(kind)  # type: ignore[arg-type]
    assert found is not None, [a.kind for a in attempt.artifacts]
    return found


def test_a_baseline_is_written_with_update_snapshots_then_matched(
    journeys: JourneyRunner,
) -> None:
    written = journeys.run(card(), update_snapshots=True)
    assert_passed(written)
    png = baseline(journeys, "card")
    assert png.is_file()
    with Image.open(png) as image:  # the element alone, not the page: 240px wide plus padding
        assert 240 < image.width < 300, image.size
    wrote = "wrote the screenshot baseline __screenshots__/test/card.png"
    assert any(wrote in warning for warning in written.warnings)
    first = png.read_bytes()

    assert_passed(journeys.run(card()))
    again = journeys.run(card(), update_snapshots=True)  # a match is left as it is
    assert_passed(again)
    assert png.read_bytes() == first
    assert not any("wrote" in w for w in again.warnings)


def test_a_missing_baseline_fails_and_says_how_to_write_it(journeys: JourneyRunner) -> None:
    result = journeys.run(card())
    assert result.status == "failed"
    text = failure_text(result)
    assert "no screenshot baseline __screenshots__/test/card.png" in text
    assert "harness run --update-snapshots" in text
    assert kept(result, "snapshot-actual").name == "card-actual.png"
    assert not baseline(journeys, "card").exists()


def test_a_colour_change_fails_with_expected_actual_and_diff_images(
    journeys: JourneyRunner,
) -> None:
    assert_passed(journeys.run(card(), update_snapshots=True))
    result = journeys.run(card("?color=red"))
    failure = failed_step(result)
    assert "the screenshot differs from its baseline" in failure.message
    assert failure.actual is not None
    assert "pixels differ" in failure.actual
    expected, actual = kept(result, "snapshot-expected"), kept(result, "snapshot-actual")
    assert expected.read_bytes() == baseline(journeys, "card").read_bytes()
    with Image.open(kept(result, "snapshot-diff")) as diff, Image.open(actual) as shot:
        assert diff.size == shot.size
        pixels = diff.convert("RGB").tobytes()
    red = sum(1 for i in range(0, len(pixels), 3) if pixels[i : i + 3] == b"\xff\x00\x00")
    assert red > 1000  # the card's background, marked


def test_an_added_element_fails_on_the_size_of_the_element(journeys: JourneyRunner) -> None:
    assert_passed(journeys.run(card(), update_snapshots=True))
    result = journeys.run(card("?extra=1"))
    failure = failed_step(result)
    assert failure.actual is not None
    assert failure.actual.startswith("the size differs: expected "), failure.actual
    kept(result, "snapshot-diff")


def test_a_masked_clock_matches_and_an_unmasked_one_does_not(journeys: JourneyRunner) -> None:
    assert_passed(journeys.run(page(), update_snapshots=True))
    assert_passed(journeys.run(page()))  # the clock moved on; its box is painted over
    unmasked = page().replace(", mask: [{testid: clock}]", "").replace("10s", "3s")
    result = journeys.run(unmasked, update_snapshots=True)
    assert result.status == "failed"
    assert "never stood still" in failure_text(result)  # no baseline is taken from a moving page


def test_a_small_change_passes_within_max_diff_pixels(journeys: JourneyRunner) -> None:
    assert_passed(journeys.run(card(), update_snapshots=True))
    journey = card("?faint=1")  # the button: some hundreds of pixels
    assert journeys.run(journey).status == "failed"
    tolerant = journey.replace("{testid: card}}", "{testid: card}, max_diff_pixels: 5000}")
    assert_passed(journeys.run(tolerant))


NAV = """
name: The navigation reads right
step_timeout: 3s
steps:
  - goto: /visual.html{query}
  - expect_aria:
      role: navigation
      snapshot: |
        - link "Home"
        - link "Library"
  - expect_aria: {{snapshot: "- heading \\"Visual checks\\" [level=1]"}}
"""


def test_an_aria_snapshot_matches_and_a_change_shows_both_trees(journeys: JourneyRunner) -> None:
    assert_passed(journeys.run(NAV.format(query="")))
    result = journeys.run(NAV.format(query="?nav=1"))
    failure = failed_step(result)
    assert failure.kind == "expect_aria"
    assert failure.expected == '- link "Home"\n- link "Library"\n'
    assert failure.actual is not None
    assert 'link "Books"' in failure.actual
    assert failure.message.startswith("the accessibility tree does not match the snapshot")


ACCESSIBLE = """
name: The card is accessible
step_timeout: 5s
steps:
  - goto: /visual.html{query}
  - expect_accessible: {check}
"""


def accessible(query: str = "", check: str = "{}") -> str:
    return ACCESSIBLE.format(query=query, check=check)


def test_an_accessible_page_passes(journeys: JourneyRunner) -> None:
    assert_passed(journeys.run(accessible()))


def test_a_missing_image_alt_is_found_by_its_rule_id(journeys: JourneyRunner) -> None:
    result = journeys.run(accessible("?noalt=1"))
    failure = failed_step(result)
    assert "image-alt (critical)" in failure.message
    assert failure.actual is not None
    assert "img" in failure.actual
    details = kept(result, "accessibility").read_text()
    assert '"id": "image-alt"' in details


def test_a_low_contrast_button_is_found_by_its_rule_id(journeys: JourneyRunner) -> None:
    result = journeys.run(accessible("?faint=1", "{testid: card}"))
    failure = failed_step(result)
    assert "color-contrast (serious)" in failure.message
    assert failure.actual is not None
    assert 'class="pay faint"' in failure.actual


def test_ignore_and_impact_choose_what_fails(journeys: JourneyRunner) -> None:
    broken = "?faint=1&noalt=1"
    assert_passed(journeys.run(accessible(broken, "{ignore: [image-alt, color-contrast]}")))
    failure = failed_step(journeys.run(accessible(broken, "{impact: critical}")))
    assert "image-alt" in failure.message
    assert "color-contrast" not in failure.message
    assert_passed(journeys.run(accessible(broken, "{rules: [region, landmark-one-main]}")))


def test_an_unknown_axe_rule_fails_with_the_closest_one(journeys: JourneyRunner) -> None:
    result = journeys.run(accessible("", "{ignore: [image-alts]}"))
    assert result.status == "failed"
    assert "axe-core has no rule 'image-alts'; did you mean 'image-alt'?" in failure_text(result)


def test_a_secret_in_a_failing_elements_html_is_masked_in_the_message_and_the_results(
    journeys: JourneyRunner,
) -> None:
    secret = "s3cret/tok+en ünï"
    result = journeys.run(
        """
        name: The inaccessible image carries a token
        step_timeout: 5s
        steps:
          - goto: /visual.html?noalt=1
          - evaluate: "document.querySelector('img').setAttribute('data-t', '${secrets.TOKEN}')"
          - expect_accessible: {rules: [image-alt]}
        """,
        env={"TOKEN": secret},
    )
    failure = failed_step(result)
    assert 'data-t="***"' in (failure.actual or ""), failure.actual
    details = kept(result, "accessibility").read_text()
    assert "***" in details
    for text in (failure.message, failure.actual or "", details):
        assert "s3cret" not in text
