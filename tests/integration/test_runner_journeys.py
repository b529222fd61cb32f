"""Whole journeys in real Chromium: locators, attempts and retries, setup and teardown, shared
steps, browser options, evidence, environments and quarantine."""

from __future__ import annotations

import json

import pytest

from harness.browser.evidence import ArtifactPolicy
from harness.errors import BrowserError
from tests.support.runner import (
    JourneyRunner,
    assert_passed,
    failure_text,
)

pytestmark = pytest.mark.browser


def test_locators_reach_into_frames_and_wait_for_late_content(journeys: JourneyRunner) -> None:
    result = journeys.run(
        """
        name: Frames and late content
        steps:
          - goto: /frames.html
          - fill: {label: Card number, value: "4242424242424242", frame: {title: Card details}}
          - click: {role: button, name: Pay, frame: "#card"}
          - expect: {testid: paid, text: paid with 4242, frame: "#card"}
          - goto: /late.html
          - expect: {testid: order-id, text: A-1042}
          - expect: {role: progressbar, hidden: true}
        """
    )
    assert_passed(result)


def test_a_locator_matching_two_elements_fails_and_lists_them(journeys: JourneyRunner) -> None:
    result = journeys.run(
        """
        name: Ambiguous
        step_timeout: 1s
        steps:
          - goto: /widgets.html
          - click: {role: button, name: Buy}
        """
    )
    failure = result.failure
    assert failure is not None
    assert failure.expected == "exactly one element"
    assert failure.actual == "2 elements"
    text = failure_text(result)
    assert "the locator matched 2 elements; a step's locator must match exactly one" in text
    assert (
        '2) <button class="buy" type="button">Buy</button> aka get_by_role("region", name="Right")'
        in text
    )
    assert "locator:    {role: button, name: Buy}" in text


def test_an_element_that_never_becomes_actionable_is_named(journeys: JourneyRunner) -> None:
    result = journeys.run(
        """
        name: Disabled
        step_timeout: 1s
        steps:
          - goto: /form.html
          - click: {role: button, name: Later}
        """
    )
    failure = result.failure
    assert failure is not None
    assert (
        failure.message
        == "found the element but could not click it within 1s (the element is not enabled)"
    )
    assert failure.actual is not None
    assert "disabled" in failure.actual


def test_vars_are_evaluated_once_per_attempt_with_run_and_attempt_ids(
    journeys: JourneyRunner,
) -> None:
    result = journeys.run(
        """
        name: Ids
        retries: 1
        vars:
          email: "guest+${attempt.id}@example.test"
          shout: "${email}!"
        steps:
          - goto: /form.html
          - fill: {label: Email, value: "${shout}"}
          - expect: {label: Email, value: {regex: "^guest\\\\+run1-[0-9a-f]{8}@example\\\\.test!$"}}
          - fill: {label: Email, value: "${run.id}"}
          - expect: {label: Email, value: never}
        step_timeout: 500ms
        """
    )
    assert result.status == "failed"
    first, second = result.attempts
    assert first.failure is not None
    assert first.failure.index == 5
    assert first.attempt_id != second.attempt_id
    assert first.failure.actual == "run1"


def test_a_pass_after_a_failure_is_flaky_and_every_attempt_is_kept(
    journeys: JourneyRunner,
) -> None:
    result = journeys.run(
        """
        name: Flaky
        retries: 2
        steps:
          - request: {url: "/api/flaky/${run.id}-flaky", expect: {status: 200}}
        """
    )
    assert result.status == "flaky"
    assert [a.status for a in result.attempts] == ["failed", "passed"]
    failed = result.attempts[0]
    assert failed.artifact("trace") == journeys.root / "out" / "attempt-1" / "trace.zip"
    assert failed.artifact("screenshot") is None  # only an API was called: no blank picture
    assert result.attempts[1].artifacts == ()


def test_teardown_always_runs_and_the_first_failure_is_reported(journeys: JourneyRunner) -> None:
    result = journeys.run(
        """
        name: Teardown
        step_timeout: 1s
        setup:
          - goto: /index.html
        steps:
          - expect: {role: heading, name: Goodbye}
        teardown:
          - click: {role: button, name: Missing}
          - screenshot: teardown ran
        """
    )
    attempt = result.attempts[0]
    assert attempt.failure is not None
    assert attempt.failure.phase == "steps"
    assert attempt.teardown_failure is not None
    assert attempt.teardown_failure.headline().startswith("teardown step 1 (click)")
    assert (attempt.folder / "teardown-ran.png").is_file()
    assert "teardown also failed: teardown step 1 (click)" in failure_text(result)


def test_a_failing_teardown_fails_a_passing_attempt(journeys: JourneyRunner) -> None:
    result = journeys.run(
        """
        name: Bad teardown
        steps:
          - goto: /index.html
        teardown:
          - request: {url: /api/me, expect: {status: 200}}
        """
    )
    assert result.status == "failed"
    assert result.failure is not None
    assert result.failure.phase == "teardown"


def test_shared_steps_get_their_params_and_save_for_the_caller(journeys: JourneyRunner) -> None:
    journeys.write(
        """
        params: [user, name: greeting]
        steps:
          - request: {method: POST, url: /api/login, json: {user: "${user}"}}
          - request: {url: /api/me, save: {who: user}}
        """.replace("name: greeting", "{name: greeting, default: hi}"),
        "shared/login.steps.yml",
    )
    result = journeys.run(
        """
        name: Uses shared steps
        step_timeout: 1s
        vars: {person: ada}
        steps:
          - use: shared/login.steps.yml
            with: {user: "${person}"}
          - goto: /env.html
          - expect: {testid: user, text: "${who}"}
          - use: shared/login.steps.yml
            with: {user: bob}
          - goto: /env.html
          - expect: {testid: user, text: ada}
        """
    )
    failure = result.failure
    assert failure is not None
    assert failure.index == 6
    assert failure.actual == "bob"
    journeys.write(
        """
        params: [user]
        steps:
          - goto: /index.html
          - click: {role: link, name: "${user}"}
        """,
        "shared/login.steps.yml",
    )
    nested = journeys.run(
        """
        name: Fails inside shared steps
        step_timeout: 1s
        steps:
          - use: shared/login.steps.yml
            with: {user: Nobody}
        """
    )
    inner = nested.failure
    assert inner is not None
    assert inner.location.endswith("shared/login.steps.yml:4")
    assert inner.locator == '{role: link, name: "${user}"}'
    assert "via step 1 (use shared/login.steps.yml) at" in failure_text(nested)


def test_browser_options_shape_the_context(journeys: JourneyRunner, site: str) -> None:
    state = journeys.root / "state.json"
    host = site.split("//")[1].split(":")[0]
    cookie = {"name": "session", "value": "grace", "domain": host, "path": "/"}
    state.write_text(json.dumps({"cookies": [cookie], "origins": []}))
    result = journeys.run(
        """
        name: Browser options
        browser:
          viewport: {width: 640, height: 480}
          locale: de-DE
          timezone: Asia/Tokyo
          color_scheme: dark
          storage_state: state.json
        steps:
          - goto: /env.html
          - expect: {testid: viewport, text: 640x480}
          - expect: {testid: language, text: de-DE}
          - expect: {testid: timezone, text: Asia/Tokyo}
          - expect: {testid: scheme, text: dark}
          - expect: {testid: user, text: grace}
        """
    )
    assert_passed(result)


def test_a_device_sets_the_viewport(journeys: JourneyRunner) -> None:
    device = {"viewport": {"width": 390, "height": 664}, "is_mobile": True, "has_touch": True}
    result = journeys.run(
        """
        name: Phone
        browser: {device: Small phone}
        steps:
          - goto: /env.html
          - expect: {testid: viewport, text: 390x664}
        """,
        devices={"Small phone": device},
    )
    assert_passed(result)


def test_console_messages_and_failed_requests_are_kept(journeys: JourneyRunner) -> None:
    result = journeys.run(
        """
        name: Noisy
        steps:
          - goto: /widgets.html
          - click: {role: button, name: Make noise}
          - wait: {response: /missing.json}
        """
    )
    assert_passed(result)
    attempt = result.attempts[0]
    assert any("noisy button pressed" in line for line in attempt.console)
    assert any(line.endswith("/missing.json: HTTP 404") for line in attempt.failed_requests)
    console = attempt.artifact("console")
    assert console is not None
    assert "[error] noisy button pressed" in console.read_text()


def test_tracing_and_screenshots_on_keep_them_for_passing_attempts(
    journeys: JourneyRunner,
) -> None:
    policy = ArtifactPolicy(trace="on", screenshot="always")
    result = journeys.run("name: Kept\nsteps:\n  - goto: /index.html\n", policy=policy)
    assert_passed(result)
    kinds = sorted(a.kind for a in result.attempts[0].artifacts)
    assert kinds == ["screenshot", "trace"]
    assert result.attempts[0].artifact("screenshot") == result.attempts[0].folder / "final.png"


def test_video_is_kept_or_its_missing_recorder_is_explained(journeys: JourneyRunner) -> None:
    policy = ArtifactPolicy(video="always")
    try:
        result = journeys.run("name: Filmed\nsteps:\n  - goto: /index.html\n", policy=policy)
    except BrowserError as exc:  # Playwright's ffmpeg cannot be downloaded everywhere
        assert "Recording video needs Playwright's ffmpeg" in str(exc)  # noqa: PT017
        return
    video = result.attempts[0].artifact("video")
    assert video is not None
    assert video.stat().st_size > 0
    assert not (result.attempts[0].folder / ".video").exists()


def test_the_journeys_own_timeout_bounds_the_attempt(journeys: JourneyRunner) -> None:
    result = journeys.run(
        """
        name: Slow
        timeout: 3s
        steps:
          - goto: /late.html
          - wait: {for: {testid: never-there}}
        """
    )
    failure = result.failure
    assert failure is not None
    assert failure.index == 2
    assert failure.message.startswith("the journey's timeout ran out during this step")


def test_a_journey_for_other_environments_is_skipped(journeys: JourneyRunner) -> None:
    text = "name: Staging only\nenvironments: [staging]\nsteps:\n  - goto: /index.html\n"
    skipped = journeys.run(text, environment="local")
    assert skipped.status == "skipped"
    assert skipped.reason == "runs only in staging, not local"
    assert skipped.attempts == ()
    assert_passed(journeys.run(text, environment="staging"))


def test_a_quarantined_journey_runs_but_does_not_fail(journeys: JourneyRunner) -> None:
    text = """
        name: Quarantined
        step_timeout: 500ms
        quarantine: {reason: "payment sandbox is down", until: UNTIL}
        steps:
          - goto: /index.html
          - expect: {role: heading, name: Not here}
    """
    result = journeys.run(text.replace("UNTIL", "2999-01-01"))
    assert result.status == "quarantined"
    assert result.passed
    assert result.reason == "payment sandbox is down"
    assert result.attempts[0].status == "failed"
    expired = journeys.run(text.replace("UNTIL", "2001-01-01"))
    assert expired.status == "failed"


def test_dialogs_no_step_answers_are_dismissed_without_a_dialog_step(
    journeys: JourneyRunner,
) -> None:
    """The page's dialogs are listened to only by a journey with a ``dialog`` step; without
    one, a confirm() is still cancelled and an alert() does not hold the page."""
    result = journeys.run(
        """
        name: No dialog step
        step_timeout: 5s
        steps:
          - goto: /widgets.html
          - click: {role: button, name: Confirm}
          - expect: {testid: dialog-result, text: cancelled}
          - click: {role: button, name: Alert}
          - expect: {testid: dialog-result, text: alerted}
        """
    )
    assert_passed(result)


def test_dialog_and_response_waits_inside_shared_steps_are_heard(journeys: JourneyRunner) -> None:
    """The dialogs and responses are listened to when only the shared steps a journey uses
    answer a dialog or wait for a response."""
    journeys.write(
        """
        steps:
          - dialog: accept
          - click: {role: button, name: Confirm}
          - expect: {testid: dialog-result, text: confirmed}
          - goto: /late.html
          - wait: {response: /api/orders/}
        """,
        "shared/answer.steps.yml",
    )
    result = journeys.run(
        """
        name: Shared dialog and wait
        step_timeout: 5s
        steps:
          - goto: /widgets.html
          - use: shared/answer.steps.yml
        """
    )
    assert_passed(result)
