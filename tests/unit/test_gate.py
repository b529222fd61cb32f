"""The one gate: every exit code it decides, what wins over what, and that `harness run`,
`harness crosscheck` and `harness merge` decide the same code from the same results."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from harness.contract import EXIT_MEANINGS
from harness.core.features import FeatureLinks, Link, LinkedTest, UnitTest
from harness.core.gate import decide_gate, early_gate, normalize_fail_on
from harness.core.journey_results import JourneyFailure, JudgedJourney, journeys_from_junit
from harness.core.junit import JUnitCase, read_junit
from harness.core.verdict import judge
from harness.report.json_report import write_json_report
from harness.report.junit_report import write_junit_report
from harness.report.model import Attempt, Failure, FinishedRun, Journey, ShardInfo
from harness.run.crosscheck import judged_journey
from harness.run.merge import read_parts, union_journeys
from tests.support.report_fakes import run_info


def _unit(name: str, outcome: str = "passed") -> LinkedTest:
    case = JUnitCase("s", "tests.test_cart", name, None, None, 0.0, outcome, "", "", ())  # type: ignore[arg-type]
    return LinkedTest(UnitTest.from_case("shop", case), (Link("cart", "property", "feature"),))


def _journey(id: str, status: str, *, reason: str | None = None) -> JudgedJourney:
    failure = None
    if status in ("failed", "quarantined"):
        failure = JourneyFailure("no", step=2, line=8)
    if status == "error":
        failure = JourneyFailure("the browser closed")
    attempts = 2 if status == "flaky" else 1
    return JudgedJourney(
        id,
        id.title(),
        status,
        ("cart",),
        failure,
        attempts,
        f"{id}.journey.yml",
        reason,  # type: ignore[arg-type]
    )


def _gate(*statuses: str, unit: tuple[str, ...] = ("passed",), fail_on: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    journeys = [_journey(f"j{i}", s) for i, s in enumerate(statuses)]
    tests = tuple(_unit(f"t{i}", o) for i, o in enumerate(unit))
    links = [FeatureLinks("cart", tuple(j.id for j in journeys), tests)]
    verdicts = judge(links, journeys)
    if fail_on:
        return decide_gate(journeys, verdicts, fail_on)
    return decide_gate(journeys, verdicts)


@pytest.mark.parametrize(
    ("statuses", "unit", "fail_on", "expected"),
    [
        (["passed"], ["passed"], (), 0),
        (["failed"], ["passed"], (), 3),
        (["failed"], [], (), 1),
        (["failed", "passed"], ["passed"], ("failed",), 1),
        (["flaky"], ["passed"], (), 0),
        (["flaky"], ["passed"], ("failed", "green_but_broken", "flaky"), 1),
        (["quarantined"], ["passed"], (), 0),  # it ran; it does not fail the gate
        (["quarantined", "passed"], ["passed"], (), 0),
        (["error", "passed"], ["passed"], (), 4),
        (["error", "failed"], ["passed"], (), 1),  # the feature is inconclusive, not 3
        (["skipped", "skipped"], ["passed"], (), 5),
        ([], ["passed"], (), 5),
    ],
)
def test_exit_codes(
    statuses: list[str], unit: list[str], fail_on: tuple[str, ...], expected: int
) -> None:
    assert _gate(*statuses, unit=tuple(unit), fail_on=fail_on).exit_code == expected


def test_all_passed_is_exit_0_with_no_reason() -> None:
    gate = _gate("passed")
    assert (gate.passed, gate.exit_code, gate.reasons) == (True, 0, ())


def test_a_failed_journey_names_where() -> None:
    gate = _gate("passed", "failed", unit=())
    assert (gate.passed, gate.exit_code) == (False, 1)
    assert gate.reasons == ("journey failed: J1 (j1.journey.yml:8, step 2)",)


def test_green_but_broken_names_only_the_journeys_that_failed() -> None:
    gate = _gate("failed", "passed", "failed")
    assert gate.exit_code == 3
    assert gate.reasons[0] == (
        "feature cart is green-but-broken: its 1 unit test(s) pass but its journeys fail (J0, J2)"
    )
    assert len(gate.reasons) == 3


def test_flaky_is_a_note_unless_asked_for() -> None:
    relaxed = _gate("flaky")
    assert (relaxed.exit_code, relaxed.reasons) == (0, ())
    assert relaxed.notes == ("journey flaky: J0 passed only on attempt 2",)
    strict = _gate("flaky", fail_on=("failed", "green_but_broken", "flaky"))
    assert strict.reasons == ("journey flaky: J0 passed only on attempt 2",)
    assert strict.fail_on == ("failed", "green_but_broken", "flaky")


def test_quarantined_failures_never_fail_the_gate() -> None:
    journeys = [_journey("a", "passed"), _journey("q", "quarantined", reason="SHOP-9")]
    gate = decide_gate(journeys, [])
    assert gate.exit_code == 0
    assert gate.notes == (
        "journey quarantined (SHOP-9) and failed: Q (q.journey.yml:8, step 2); "
        "it does not fail the gate",
    )


def test_without_green_but_broken_in_fail_on_a_failed_journey_is_1_with_a_note() -> None:
    gate = _gate("failed", fail_on=("failed",))
    assert gate.exit_code == 1
    assert gate.notes[0].startswith("feature cart is green-but-broken")


def test_a_journey_that_could_not_run_is_exit_4_and_says_why() -> None:
    gate = _gate("error", "passed")
    assert gate.exit_code == 4
    assert gate.reasons == (
        "journey could not run: J0 (the browser closed); its features are inconclusive",
    )


def test_an_environment_that_died_is_exit_4_whatever_else_happened() -> None:
    journeys = [_journey("a", "failed")]
    gate = decide_gate(journeys, [], environment_failure="service web exited with code 137")
    assert (gate.exit_code, gate.reasons) == (4, ("service web exited with code 137",))


def test_a_policy_limit_is_exit_6_and_loses_to_1() -> None:
    limit = "journey a: flaky rate 0.5 over the limit 0.1"
    assert decide_gate([_journey("a", "passed")], [], policy=[limit]).exit_code == 6
    failed = decide_gate([_journey("a", "failed")], [], policy=[limit])
    assert failed.exit_code == 1
    assert limit in failed.reasons


def test_fail_on_accepts_both_spellings_and_refuses_unknown_names() -> None:
    assert normalize_fail_on(["green-but-broken", "green_but_broken"]) == ("green_but_broken",)
    with pytest.raises(ValueError, match="unknown \\['broken'\\]"):
        normalize_fail_on(["broken"])


def test_early_stops_carry_exit_2_or_4_only() -> None:
    gate = early_gate(4, "service db is unhealthy")
    assert (gate.passed, gate.exit_code, gate.reasons) == (False, 4, ("service db is unhealthy",))
    assert early_gate(2, "bad journey").exit_code == 2
    with pytest.raises(ValueError, match="only exit codes 2 and 4"):
        early_gate(1, "x")


def test_every_exit_code_has_a_meaning() -> None:
    assert sorted(EXIT_MEANINGS) == [0, 1, 2, 3, 4, 5, 6]


# --- the same results through `harness run`, `harness crosscheck` and `harness merge` ------


def _report_journey(id: str, *statuses: str) -> Journey:
    """A journey as `harness run` records it; ``error``: the harness could not run it."""
    attempts = []
    for number, status in enumerate(statuses, start=1):
        failure = None
        if status == "failed":
            failure = Failure(2, 8, "expected 1, got 0")
        if status == "error":
            failure = Failure(0, 0, "the harness could not run it: Browser closed", kind="error")
        shown = "failed" if status == "error" else status
        attempts.append(Attempt(number, shown, 1.0, failure))  # type: ignore[arg-type]
    return Journey.from_attempts(
        id=f"journeys/{id}.journey.yml",
        name=id.title(),
        file=f"journeys/{id}.journey.yml",
        attempts=attempts,
        covers=["cart"],
    )


def _merged(recorded: tuple[Journey, ...], folder: Path) -> list[JudgedJourney]:
    """The journeys dealt into two shards' report.json, read back and unioned as `harness merge`
    does."""
    folders = []
    for index in (1, 2):
        part = recorded[index - 1 :: 2]
        run = replace(run_info(), shard=ShardInfo(index, 2, "split"))
        gate = decide_gate([judged_journey(j) for j in part], ())
        folders.append(folder / f"shard-{index}")
        folders[-1].mkdir()
        write_json_report(FinishedRun(run, gate, part), folders[-1])
    return [judged_journey(j) for j in union_journeys(read_parts(folders))]


@pytest.mark.parametrize(
    ("journeys", "expected"),
    [
        ([("a", ["passed"]), ("b", ["passed"])], 0),
        ([("a", ["passed"]), ("b", ["failed", "failed"])], 3),
        ([("a", ["failed", "passed"])], 0),
        ([("a", ["error"]), ("b", ["passed"])], 4),
        ([("a", ["skipped"])], 5),
    ],
)
def test_run_crosscheck_and_merge_decide_the_same_exit_code(
    tmp_path: Path, journeys: list[tuple[str, list[str]]], expected: int
) -> None:
    recorded = tuple(_report_journey(id, *statuses) for id, statuses in journeys)
    links_of = lambda judged: [  # noqa: E731
        FeatureLinks("cart", tuple(j.id for j in judged), (_unit("t"),))
    ]
    by_run = [judged_journey(j) for j in recorded]
    run_gate = decide_gate(by_run, judge(links_of(by_run), by_run))
    finished = FinishedRun(run_info(), run_gate, recorded)
    by_crosscheck = journeys_from_junit(read_junit(write_junit_report(finished, tmp_path)))
    crosscheck_gate = decide_gate(by_crosscheck, judge(links_of(by_crosscheck), by_crosscheck))
    by_merge = _merged(recorded, tmp_path)
    merge_gate = decide_gate(by_merge, judge(links_of(by_merge), by_merge))
    assert run_gate.exit_code == crosscheck_gate.exit_code == merge_gate.exit_code == expected
    statuses = [j.status for j in by_run]
    assert statuses == [j.status for j in by_crosscheck]
    assert sorted(statuses) == sorted(j.status for j in by_merge)
