"""The end-of-run summary and the progress lines: order, plain text off a terminal, colour on
one, GitHub Actions annotations for failed journeys."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest

from harness.report.console import (
    attempt_retrying,
    booting,
    end_of_run_output,
    github_annotations,
    in_github_actions,
    journey_finished,
    render_summary,
    service_ready,
    service_waiting,
    unit_suite_finished,
    wants_colour,
)
from harness.report.model import Failure, FinishedRun
from tests.support.report_fakes import SECRET, finished_run, gate_of, run_info, unit_suites

ESC = "\x1b["


def test_the_summary_reads_gate_then_features_then_failed_journeys_then_timings() -> None:
    text = render_summary(finished_run())
    first = text.splitlines()[0]
    assert first == "Gate FAILED: exit 3 (tests green, app broken)"
    order = [
        text.index("feature checkout is green-but-broken"),
        text.index("Features not verified:"),
        text.index("Failed journeys:"),
        text.index("Timings:"),
    ]
    assert order == sorted(order)


def test_features_not_verified_are_listed_green_but_broken_first() -> None:
    text = render_summary(finished_run())
    section = text.split("Features not verified:\n")[1].split("\n\n")[0].splitlines()
    verdicts = [line.split()[0] for line in section]
    assert verdicts == [
        "green-but-broken",
        "broken",
        "flaky",
        "inconclusive",
        "red-but-working",
        "no-journey",
        "journey-only",
    ]
    assert "verified " not in text.split("Failed journeys:")[0].split("not verified:")[1]
    assert section[0] == (
        "  green-but-broken checkout: journeys Guest buys a mug; unit tests 3/3 passed, 67% mock"
    )


def test_failed_journeys_show_file_line_step_message_and_artifacts() -> None:
    text = render_summary(finished_run())
    section = text.split("Failed journeys:\n")[1].split("\n\n")[0].splitlines()
    assert section[0] == (
        "  FAILED Guest buys a mug  journeys/shop/buy-a-mug.journey.yml:14"
        " step 4 (click Add to cart)"
    )
    assert section[1] == "      Timeout 10000ms exceeded. Card *** was refused"
    assert "      screenshot: journeys/buy-a-mug/attempt-2/failure.png" in section
    assert (
        "      trace: journeys/buy-a-mug/attempt-2/trace.zip "
        "(playwright show-trace journeys/buy-a-mug/attempt-2/trace.zip)"
    ) in section
    # Only failed journeys: the quarantined failure is a note of the gate, not listed here.
    assert "Keep a wishlist" not in "\n".join(section)


def test_timings_list_each_phase_and_each_service_boot() -> None:
    last = render_summary(finished_run()).splitlines()[-1]
    assert last == (
        "Timings: boot 12.0s (db 2.5s, web 9.1s) · unit 4.2s · journeys 55.0s · "
        "cross-check 0.1s · teardown 3.0s · total 75.5s"
    )


def test_timings_say_what_the_unit_tests_running_alongside_saved() -> None:
    run = finished_run()
    run = replace(run, run=replace(run.run, timings=replace(run.run.timings, overlap=4.2)))
    last = render_summary(run).splitlines()[-1]
    assert last.endswith("total 75.5s (unit tests alongside boot and journeys: 4.2s saved)")


def test_a_clean_run_says_passed_and_lists_no_problems() -> None:
    run = finished_run()
    passed = tuple(j for j in run.journeys if j.status == "passed")
    verified = tuple(f for f in run.features if f.verdict == "verified")
    clean = replace(run, journeys=passed, features=verified, gate=gate_of(passed, verified))
    text = render_summary(clean)
    assert text.startswith("Gate PASSED: exit 0 (the gate passed)\n")
    assert "Features not verified" not in text
    assert "Failed journeys" not in text
    assert "Journeys: 1 passed" in text


def test_plain_text_has_no_escape_codes_and_colour_has_them() -> None:
    run = finished_run(message="\x1b[31mred from the app\x1b[0m")
    plain = render_summary(run, colour=False)
    assert ESC not in plain
    assert "red from the app" in plain
    coloured = render_summary(run, colour=True)
    assert f"{ESC}31mFAILED{ESC}0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_secrets_are_masked_in_the_summary_and_annotations() -> None:
    output = end_of_run_output(finished_run(), github_actions=True)
    assert SECRET not in output
    assert "***" in output


def test_one_error_annotation_per_failed_journey_and_a_warning_per_flaky_one() -> None:
    lines = github_annotations(finished_run())
    assert len(lines) == 2
    error, warning = lines
    assert error.startswith(
        "::error file=journeys/shop/buy-a-mug.journey.yml,line=14,"
        "title=Journey failed%3A Guest buys a mug::"
        "step 4 (click Add to cart): Timeout 10000ms exceeded. Card *** was refused"
        "%0Aartifacts: journeys/buy-a-mug/attempt-2/failure.png, "
    )
    assert "\n" not in error
    assert warning.startswith("::warning file=journeys/search.journey.yml,line=7,")


def test_annotation_values_are_escaped() -> None:
    run = finished_run(message="50% done\nthen: failed, badly")
    journey = run.journeys[0]
    named = replace(journey, name="Pay: card, then 3DS")
    error = github_annotations(replace(run, journeys=(named,)))[0]
    assert "title=Journey failed%3A Pay%3A card%2C then 3DS::" in error
    assert "step 4 (click Add to cart): 50%25 done%0Athen: failed, badly%0Aartifacts" in error


def test_annotations_only_in_github_actions() -> None:
    run = finished_run()
    assert "::error" not in end_of_run_output(run, github_actions=False)
    assert end_of_run_output(run, github_actions=True).count("::error ") == 1
    assert in_github_actions({"GITHUB_ACTIONS": "true"})
    assert not in_github_actions({})


def test_a_failure_in_shared_steps_points_at_the_steps_file() -> None:
    run = finished_run()
    journey = run.journeys[0]
    moved = tuple(
        replace(a, failure=Failure(2, 6, "no", file="journeys/shared/pay.steps.yml"))
        for a in journey.attempts
    )
    run = replace(run, journeys=(replace(journey, attempts=moved),))
    assert github_annotations(run)[0].startswith(
        "::error file=journeys/shared/pay.steps.yml,line=6,"
    )
    assert "journeys/shared/pay.steps.yml:6 step 2" in render_summary(run)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "env", "expected"),
    [
        (io.StringIO(), {}, False),
        (_Tty(), {}, True),
        (_Tty(), {"NO_COLOR": "1"}, False),
        (_Tty(), {"TERM": "dumb"}, False),
        (io.StringIO(), {"FORCE_COLOR": "1"}, True),
        (io.StringIO(), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_colour_only_on_a_terminal(
    stream: io.StringIO, env: dict[str, str], expected: bool
) -> None:
    assert wants_colour(stream, env) is expected


def test_progress_lines() -> None:
    assert booting("staging", ["db", "web"]) == "booting staging: db, web"
    assert booting("prod-smoke") == "booting prod-smoke"
    assert service_waiting("web", "db (healthy)", 4.25) == "web: waiting on db (healthy) (4.2s)"
    assert service_ready("db", 2.0) == "db: ready in 2.0s"
    assert unit_suite_finished(unit_suites()[0]) == (
        "unit tests shop: 8 passed, 1 failed, 1 skipped in 4.2s"
    )
    assert (
        unit_suite_finished(unit_suites()[1]) == "unit tests web-ui: 3 passed, 0 failed, 0 skipped"
    )
    assert attempt_retrying("Search", 2, 3) == "retrying Search (attempt 2 of 3)"
    assert journey_finished("Buy", "passed", 3.04) == "PASSED      Buy (3.0s)"
    assert (
        journey_finished("Buy", "failed", 10.0, attempts=2, where="buy.journey.yml:14")
        == "FAILED      Buy (10.0s, 2 attempts, buy.journey.yml:14)"
    )
    assert journey_finished("Buy", "flaky", 1.0, colour=True).startswith(f"{ESC}33mFLAKY")


def test_a_run_stopped_early_prints_its_reason() -> None:
    from harness.core.gate import early_gate

    run = FinishedRun(run=run_info(), gate=early_gate(4, "service db: unhealthy after 180s"))
    text = render_summary(run)
    assert text.startswith(
        "Gate FAILED: exit 4 (the environment could not be started or seeded, or died under "
        "the journeys)\n"
        "  - service db: unhealthy after 180s\n"
    )
    assert "Journeys: none" in text


def test_with_the_report_folder_paths_start_there_and_the_report_is_named() -> None:
    text = render_summary(finished_run(), report_dir=".harness/runs/r1")
    assert "      screenshot: .harness/runs/r1/journeys/buy-a-mug/attempt-2/failure.png" in text
    assert "(playwright show-trace .harness/runs/r1/journeys/buy-a-mug/attempt-2/trace.zip)" in text
    assert text.splitlines()[-1] == "Report: .harness/runs/r1/report.html"
    annotations = end_of_run_output(finished_run(), github_actions=True, report_dir="out")
    assert "%0Aartifacts: out/journeys/buy-a-mug/attempt-2/failure.png, " in annotations


def test_undecodable_text_is_printable() -> None:
    output = end_of_run_output(finished_run(message="bad \udc80 byte"), github_actions=True)
    output.encode("utf-8")
    assert "bad ? byte" in output


def test_the_summary_prints_the_whole_failure_not_its_first_line() -> None:
    message = (
        "the response differs from the step's expect:\n"
        "  status: expected 200, got 404\n"
        "  item 0: key 'genre' missing\n"
        "actual: 12 rows\n"
        '        where genre = "Fantasy"'
    )
    text = render_summary(finished_run(message=message))
    section = text.split("Failed journeys:\n")[1].split("\n\n")[0].splitlines()
    assert section[1:6] == [
        "      the response differs from the step's expect:",
        "        status: expected 200, got 404",
        "        item 0: key 'genre' missing",
        "      actual: 12 rows",
        '              where genre = "Fantasy"',
    ]
