"""What a run prints: one-line progress messages while it runs, and the end-of-run summary
(gate first, then what is not verified, the failed journeys, the timings), plain text when not
on a terminal, with GitHub Actions annotations for each failed journey when run there."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Mapping
from typing import Protocol

from harness.contract import exit_meaning
from harness.report.html_report import FILE_NAME as HTML_FILE
from harness.report.masking import masked_run
from harness.report.model import (
    Artifacts,
    Failure,
    Feature,
    FinishedRun,
    Journey,
    RunInfo,
    UnitSuite,
)
from harness.report.text import one_line, printable, strip_ansi

_CODES = {"red": "31", "green": "32", "yellow": "33", "bold": "1", "dim": "2"}
_STATUS_COLOURS = {
    "passed": "green",
    "failed": "red",
    "error": "red",
    "flaky": "yellow",
    "skipped": "dim",
    "quarantined": "dim",
}


class _Stream(Protocol):
    def isatty(self) -> bool: ...


def wants_colour(stream: _Stream, environ: Mapping[str, str] | None = None) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (FORCE_COLOR forces it)."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    return env.get("TERM") != "dumb" and stream.isatty()


def in_github_actions(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get("GITHUB_ACTIONS", "").lower() == "true"


def paint(text: str, style: str, colour: bool) -> str:
    """``text`` in ``style`` (red, green, yellow, bold, dim) when ``colour`` is on."""
    return f"\x1b[{_CODES[style]}m{text}\x1b[0m" if colour else text


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}s"


# --- progress, one line each ------------------------------------------------------------------


def booting(environment: str, services: Iterable[str] = ()) -> str:
    names = ", ".join(services)
    return f"booting {environment}" + (f": {names}" if names else "")


def service_waiting(service: str, waiting_on: str, elapsed_s: float) -> str:
    return f"{service}: waiting on {waiting_on} ({_seconds(elapsed_s)})"


def service_ready(service: str, elapsed_s: float) -> str:
    return f"{service}: ready in {_seconds(elapsed_s)}"


def unit_suite_finished(suite: UnitSuite) -> str:
    counts = f"{suite.passed} passed, {suite.failed} failed, {suite.skipped} skipped"
    timing = f" in {_seconds(suite.duration_s)}" if suite.duration_s is not None else ""
    return f"unit tests {suite.name}: {counts}{timing}"


def attempt_retrying(name: str, attempt: int, of: int) -> str:
    return f"retrying {name} (attempt {attempt} of {of})"


def journey_finished(
    name: str,
    status: str,
    duration_s: float,
    *,
    attempts: int = 1,
    where: str | None = None,
    colour: bool = False,
) -> str:
    """``FAILED  Guest buys a mug (10.2s, journeys/buy.journey.yml:14)``."""
    details = [_seconds(duration_s)]
    if attempts > 1:
        details.append(f"{attempts} attempts")
    if where:
        details.append(where)
    label = paint(f"{status.upper():<11}", _STATUS_COLOURS.get(status, "bold"), colour)
    return f"{label} {name} ({', '.join(details)})"


# --- the summary ------------------------------------------------------------------------------


def _where(journey: Journey) -> str:
    failure = journey.failure
    return f"{journey.failing_file}:{failure.line}" if failure else journey.file


def _gate_lines(run: FinishedRun, colour: bool) -> list[str]:
    gate = run.gate
    meaning = exit_meaning(gate.exit_code)
    word = paint("PASSED", "green", colour) if gate.passed else paint("FAILED", "red", colour)
    lines = [paint(f"Gate {word}: exit {gate.exit_code} ({meaning})", "bold", colour)]
    lines += [f"  - {one_line(reason, 500)}" for reason in gate.reasons]
    lines += [f"  note: {one_line(note, 500)}" for note in gate.notes]
    return lines


def _death_lines(run: FinishedRun, root: str) -> list[str]:
    """Which service died, when, how, what it said last, and which journeys never ran."""
    death = run.run.environment_failure
    if death is None:
        return []
    lines = ["The environment died during the journeys:", f"  {death.describe()}"]
    if death.not_run:
        lines.append(f"  journeys not run: {', '.join(death.not_run)}")
    if death.log_tail:
        log = f" ({posixpath.join(root, death.log) if root else death.log})" if death.log else ""
        lines.append(f"  last log lines of {death.service}{log}:")
        lines += [f"    | {one_line(line, 300)}" for line in death.log_tail]
    return lines


def _feature_line(feature: Feature, names: Mapping[str, str], colour: bool) -> str:
    style = "red" if feature.verdict in ("green-but-broken", "broken") else "yellow"
    journeys = ", ".join(names.get(i, i) for i in feature.journeys)
    unit = feature.unit_tests
    line = (
        f"  {paint(f'{feature.verdict:<16}', style, colour)} {feature.id}: "
        f"{f'journeys {journeys}' if journeys else 'no journey'}; "
        f"unit tests {unit.passed}/{unit.linked} passed"
    )
    if feature.mock_ratio is not None:
        line += f", {feature.mock_ratio * 100:.0f}% mock"
    return line


def _drift_lines(feature: Feature) -> list[str]:
    """The feature's drifted mocks, one sentence each: the likeliest reason it broke."""
    lines = [f"      mock drift: {one_line(d.message, 500)}" for d in feature.drift]
    if feature.unchecked_mocks:
        count = len(feature.unchecked_mocks)
        lines.append(f"      {count} mock(s) had no real response to compare with")
    return lines


def _feature_lines(run: FinishedRun, colour: bool) -> list[str]:
    shown = [f for f in run.features_loudest_first() if f.verdict != "verified"]
    if not shown:
        return []
    names = {j.id: j.name for j in run.journeys}
    lines = ["Features not verified:"]
    for feature in shown:
        lines += [_feature_line(feature, names, colour), *_drift_lines(feature)]
    return lines


def _stale_mock_lines(run: FinishedRun) -> list[str]:
    """Drift on verified features: a stale mock, a warning while the journeys pass."""
    stale = [f for f in run.features_loudest_first() if f.verdict == "verified" and f.drift]
    if not stale:
        return []
    lines = ["Stale mocks (the journeys pass; the mocks no longer match the real responses):"]
    return lines + [f"  {f.id}: {one_line(d.message, 500)}" for f in stale for d in f.drift]


def _artifact_lines(artifacts: Artifacts, root: str) -> list[str]:
    def at(path: str) -> str:
        return posixpath.join(root, path) if root else path

    lines = []
    if artifacts.screenshot:
        lines.append(f"      screenshot: {at(artifacts.screenshot)}")
    if artifacts.trace:
        trace = at(artifacts.trace)
        lines.append(f"      trace: {trace} (playwright show-trace {trace})")
    if artifacts.console_log:
        lines.append(f"      console: {at(artifacts.console_log)}")
    if artifacts.failed_requests:
        lines.append(f"      failed requests: {at(artifacts.failed_requests)}")
    return lines + [f"      artifact: {at(path)}" for path in artifacts.others]


def _journey_lines(journey: Journey, colour: bool, root: str) -> list[str]:
    failure = journey.failure
    step = ""
    if failure is not None:
        step = f" step {failure.step}" + (f" ({failure.step_name})" if failure.step_name else "")
    head = (
        f"  {paint(journey.status.upper(), 'red', colour)} {journey.name}  {_where(journey)}{step}"
    )
    return [head, *_failure_block(failure), *_artifact_lines(journey.artifacts, root)]


def _failure_block(failure: Failure | None) -> list[str]:
    """The whole failure, as pytest prints one: the message, the ``use`` chain, locator, what
    it matched, expected against actual (each line, never only the first)."""
    if failure is None:
        return []
    return [f"      {line}" for line in strip_ansi(failure.message).strip().splitlines()]


def _failed_lines(run: FinishedRun, colour: bool, root: str) -> list[str]:
    failed = [j for j in run.journeys if j.status in ("failed", "error")]
    if not failed:
        return []
    lines = (line for j in failed for line in _journey_lines(j, colour, root))
    return ["Failed journeys:", *lines]


def _timing_line(run: RunInfo) -> str:
    t = run.timings
    boots = ", ".join(
        f"{s.name} {_seconds(s.boot_s)}" + (" held the boot up" if s.held_boot else "")
        for s in run.services
        if s.boot_s
    )
    boot = _seconds(t.boot) + (f" ({boots})" if boots else "")
    overlap = (
        f" (unit tests alongside boot and journeys: {_seconds(t.overlap)} saved)"
        if t.overlap >= 0.05
        else ""
    )
    return (
        f"Timings: boot {boot} · unit {_seconds(t.unit)} · journeys {_seconds(t.journeys)} · "
        f"cross-check {_seconds(t.crosscheck)} · teardown {_seconds(t.teardown)} · "
        f"total {_seconds(run.duration_s)}{overlap}"
    )


def _counts_line(run: FinishedRun) -> str:
    counts = {s: sum(1 for j in run.journeys if j.status == s) for s in _STATUS_COLOURS}
    shown = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    return f"Journeys: {shown or 'none'}"


def render_summary(
    finished: FinishedRun, *, colour: bool = False, report_dir: str | None = None
) -> str:
    """The end-of-run summary; sections are separated by a blank line.

    With ``report_dir`` (the run's folder as the user should see it) artifact paths start there
    and the last line names the HTML report."""
    finished = masked_run(finished)
    root = report_dir or ""
    last = [_counts_line(finished), _timing_line(finished.run)]
    if report_dir:
        last.append(f"Report: {posixpath.join(report_dir, HTML_FILE)}")
    sections = [
        _gate_lines(finished, colour),
        _death_lines(finished, root),
        _feature_lines(finished, colour),
        _stale_mock_lines(finished),
        _failed_lines(finished, colour, root),
        last,
    ]
    return printable("\n\n".join("\n".join(lines) for lines in sections if lines) + "\n")


# --- GitHub Actions ---------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(level: str, journey: Journey, title: str, message: str) -> str:
    props = [f"file={_escape_property(journey.failing_file)}"]
    if journey.failure is not None:
        props.append(f"line={journey.failure.line}")
    props.append(f"title={_escape_property(title)}")
    return printable(f"::{level} {','.join(props)}::{_escape_data(message)}")


#: Characters of a failure an annotation carries (GitHub shows the start of long ones).
ANNOTATION_LIMIT = 4000


def _failure_text(journey: Journey, root: str) -> str:
    failure = journey.failure
    if failure is None:
        return journey.status
    name = f" ({failure.step_name})" if failure.step_name else ""
    paths = [posixpath.join(root, path) for path in journey.artifacts.paths()]
    tail = "\nartifacts: " + ", ".join(paths) if paths else ""
    message = strip_ansi(failure.message).strip()  # whole: the diff, expected and actual
    if len(message) > ANNOTATION_LIMIT:
        message = message[: ANNOTATION_LIMIT - 1] + "…"
    return f"step {failure.step}{name}: {message}{tail}"


def github_annotations(finished: FinishedRun, report_dir: str | None = None) -> list[str]:
    """An ``::error`` per failed journey and a ``::warning`` per flaky one."""
    finished = masked_run(finished)
    root = report_dir or ""
    lines = [
        _annotation("error", j, f"Journey {j.status}: {j.name}", _failure_text(j, root))
        for j in finished.journeys
        if j.status in ("failed", "error")
    ]
    lines += [
        _annotation("warning", j, f"Journey flaky: {j.name}", _failure_text(j, root))
        for j in finished.journeys
        if j.status == "flaky"
    ]
    return lines


def end_of_run_output(
    finished: FinishedRun,
    *,
    colour: bool = False,
    github_actions: bool = False,
    report_dir: str | None = None,
) -> str:
    """The summary, followed by the annotations when running in GitHub Actions."""
    summary = render_summary(finished, colour=colour, report_dir=report_dir)
    if not github_actions:
        return summary
    annotations = github_annotations(finished, report_dir)
    return summary + "".join(line + "\n" for line in annotations)
