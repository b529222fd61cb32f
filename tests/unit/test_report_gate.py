"""The gate decision: every exit code the run decides, and what wins over what."""

from __future__ import annotations

import pytest

from harness.report.gate import (
    EXIT_MEANINGS,
    conclude_run,
    decide_gate,
    early_gate,
    normalize_fail_on,
)
from harness.report.model import Attempt, Failure, Feature, Journey, UnitTest
from tests.unit.test_report_fakes import features, journeys, run_info, unit_suites


def _journey(id: str, *statuses: str, quarantine: str | None = None) -> Journey:
    attempts = [
        Attempt(i + 1, s, 1.0, Failure(2, 8, "no") if s == "failed" else None)  # type: ignore[arg-type]
        for i, s in enumerate(statuses)
    ]
    return Journey.from_attempts(
        id=id,
        name=id.title(),
        file=f"{id}.journey.yml",
        attempts=attempts,
        quarantine_reason=quarantine,
    )


def _gbb(journey_id: str) -> Feature:
    return Feature.from_tests(
        id="checkout",
        verdict="green-but-broken",
        journeys=[journey_id],
        tests=[UnitTest("t", "passed", 2)],
    )


def test_all_passed_is_exit_0() -> None:
    gate = decide_gate([_journey("a", "passed")], [])
    assert (gate.passed, gate.exit_code, gate.reasons) == (True, 0, ())


def test_a_failed_journey_is_exit_1_and_names_where() -> None:
    gate = decide_gate([_journey("a", "passed"), _journey("b", "failed", "failed")], [])
    assert (gate.passed, gate.exit_code) == (False, 1)
    assert gate.reasons == ("journey failed: B (b.journey.yml:8, step 2)",)


def test_green_but_broken_is_exit_3_and_wins_over_1() -> None:
    gate = decide_gate([_journey("a", "failed"), _journey("b", "failed")], [_gbb("a")])
    assert gate.exit_code == 3
    assert gate.reasons[0].startswith("feature checkout is green-but-broken")
    assert "(A)" in gate.reasons[0]
    assert len(gate.reasons) == 3


def test_no_journey_is_exit_5() -> None:
    assert decide_gate([], [_gbb("a")]).exit_code == 5
    all_skipped = decide_gate([_journey("a", "skipped"), _journey("b")], [])
    assert all_skipped.exit_code == 5
    assert "2 selected journey(s) were skipped" in all_skipped.reasons[0]


def test_flaky_passes_by_default_with_a_note_and_fails_when_asked() -> None:
    ran = [_journey("a", "failed", "passed")]
    relaxed = decide_gate(ran, [])
    assert (relaxed.exit_code, relaxed.reasons) == (0, ())
    assert relaxed.notes == ("journey flaky: A passed only on attempt 2",)
    strict = decide_gate(ran, [], ["failed", "green_but_broken", "flaky"])
    assert strict.exit_code == 1
    assert strict.reasons == ("journey flaky: A passed only on attempt 2",)
    assert strict.fail_on == ("failed", "green_but_broken", "flaky")


def test_quarantined_failures_never_fail_the_gate() -> None:
    gate = decide_gate([_journey("a", "passed"), _journey("q", "failed", quarantine="SHOP-9")], [])
    assert gate.exit_code == 0
    assert gate.notes == (
        "journey quarantined (SHOP-9) and failed: Q (q.journey.yml:8, step 2); "
        "it does not fail the gate",
    )


def test_fail_on_without_green_but_broken_reports_a_failed_journey_as_1() -> None:
    gate = decide_gate([_journey("a", "failed")], [_gbb("a")], ["failed"])
    assert gate.exit_code == 1
    assert gate.notes[0].startswith("feature checkout is green-but-broken")


def test_fail_on_empty_lets_everything_pass_but_notes_it() -> None:
    gate = decide_gate([_journey("a", "failed")], [_gbb("a")], [])
    assert gate.exit_code == 0
    assert len(gate.notes) == 2


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


def test_the_fake_run_exits_3_with_every_reason() -> None:
    gate = decide_gate(journeys(), features())
    assert gate.exit_code == 3
    assert [r.split(":")[0] for r in gate.reasons] == [
        "feature checkout is green-but-broken",
        "journey failed",
    ]
    assert any("quarantined" in note for note in gate.notes)
    assert any("flaky" in note for note in gate.notes)


def test_every_exit_code_has_a_meaning() -> None:
    assert sorted(EXIT_MEANINGS) == [0, 1, 2, 3, 4, 5]


def test_conclude_run_decides_the_gate_from_the_run_itself() -> None:
    run = conclude_run(
        run_info(), journeys(), unit_suites(), features(), fail_on=["failed"], secrets=["s3"]
    )
    assert run.gate.exit_code == 1
    assert run.gate.fail_on == ("failed",)
    assert run.secrets == ("s3",)
    assert len(run.journeys) == 5
