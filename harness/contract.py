"""The product contract in one place: exit codes, journey statuses, verdict names, ``fail_on``
words and the file names users write. Everything else imports these; nothing here imports the
harness, so the core, the adapters and the CLI all agree by construction (see DESIGN.md)."""

from __future__ import annotations

from typing import Literal, get_args

# --- Exit codes (DESIGN.md, "CLI") ---------------------------------------------------------
EXIT_PASSED = 0
EXIT_JOURNEY_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_GREEN_BUT_BROKEN = 3
EXIT_ENVIRONMENT = 4
EXIT_NO_JOURNEY = 5
EXIT_POLICY = 6

#: What each exit code means, in the words reports and help texts show.
EXIT_MEANINGS: dict[int, str] = {
    EXIT_PASSED: "the gate passed",
    EXIT_JOURNEY_FAILED: "a journey failed",
    EXIT_BAD_INPUT: "bad input: a journey, an environment, harness.yml or the command line",
    EXIT_GREEN_BUT_BROKEN: "tests green, app broken",
    EXIT_ENVIRONMENT: "the environment could not be started or seeded, or died under the journeys",
    EXIT_NO_JOURNEY: "no journey was selected",
    EXIT_POLICY: "a policy limit in gate was not met; every journey passed",
}

#: A run stopped by a signal exits 128 + its number (SIGINT 130, SIGTERM 143), as shells expect.
EXIT_SIGNAL_BASE = 128


def exit_meaning(code: int) -> str:
    """What ``code`` means, also for a run stopped by a signal."""
    if code > EXIT_SIGNAL_BASE:
        return f"interrupted by signal {code - EXIT_SIGNAL_BASE}"
    return EXIT_MEANINGS.get(code, "unknown exit code")


# --- Journeys ------------------------------------------------------------------------------
#: A journey's status in report.json. ``error``: the harness or the environment failed under
#: it, so it says nothing about the features it covers (their verdict is inconclusive).
JourneyStatus = Literal["passed", "failed", "flaky", "skipped", "quarantined", "error"]
JOURNEY_STATUSES: tuple[str, ...] = get_args(JourneyStatus)
#: One attempt of a journey.
AttemptStatus = Literal["passed", "failed", "skipped"]

# --- Verdicts, loudest first: the order in which reports list features ----------------------
Verdict = Literal[
    "green-but-broken",
    "broken",
    "flaky",
    "inconclusive",
    "red-but-working",
    "no-journey",
    "journey-only",
    "verified",
]
VERDICTS: tuple[str, ...] = get_args(Verdict)

#: What each verdict means, in the words the table and the docs use.
VERDICT_MEANINGS: dict[str, str] = {
    "verified": "unit tests pass and every journey passes",
    "green-but-broken": "unit tests pass but a journey fails: the tests do not see the defect",
    "red-but-working": "journeys pass but unit tests fail: stale or over-mocked tests",
    "broken": "a journey fails, and no passing unit test claims otherwise",
    "journey-only": "journeys pass; no unit test is linked",
    "no-journey": "unit tests are linked but no journey covers the feature",
    "flaky": "a journey passed only on a retry",
    "inconclusive": "the environment failed, so the journeys could not say",
}

# --- The gate (harness.yml ``gate.fail_on``) -----------------------------------------------
#: ``drift``: a unit test's mock that the run's real responses contradict (exit 6 alone).
FailOn = Literal["failed", "green_but_broken", "flaky", "drift"]
FAIL_ON_WORDS: tuple[str, ...] = get_args(FailOn)
DEFAULT_FAIL_ON: tuple[str, ...] = ("failed", "green_but_broken")

# --- Files a user writes --------------------------------------------------------------------
PROJECT_FILE = "harness.yml"
JOURNEY_SUFFIXES = (".journey.yml", ".journey.yaml")
STEPS_SUFFIXES = (".steps.yml", ".steps.yaml")

#: What every report, log, trace and message shows in place of a secret's value.
SECRET_MASK = "***"

#: ``--trace`` (and ``trace:`` in harness.yml): when an attempt records a Playwright trace and
#: whether it is kept. ``on-first-retry`` records only the second attempt of a journey.
TraceMode = Literal["on", "off", "retain-on-failure", "on-first-retry"]
TRACE_MODES: tuple[str, ...] = get_args(TraceMode)
DEFAULT_TRACE: TraceMode = "retain-on-failure"

#: Runs the history's metrics look back over unless harness.yml's ``history.window`` says otherwise.
DEFAULT_HISTORY_WINDOW = 30
