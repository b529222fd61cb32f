"""junit.xml: the journeys in the JUnit XML format that Jenkins, GitLab and other CI systems read.

Each journey is its own ``testsuite`` (one journey per file) holding one ``testcase``: the
format allows ``properties`` only on a suite, so that is where a journey's covers, status and
artifacts go. Quarantined journeys are ``skipped`` (they never fail the gate); flaky ones pass.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timezone
from pathlib import Path

from harness.core.paths import without_journey_suffix
from harness.report.masking import masked_run
from harness.report.model import Artifacts, Attempt, Feature, FinishedRun, Journey
from harness.report.text import headline, xml_safe

FILE_NAME = "junit.xml"


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def classname_of(file: str) -> str:
    """``journeys/shop/checkout.journey.yml`` -> ``journeys.shop.checkout`` (CI groups by it)."""
    stem = without_journey_suffix(file)
    return stem.replace("\\", "/").strip("/").replace("/", ".")


def _where(journey: Journey) -> str:
    failure = journey.failure
    if failure is None:
        return journey.file
    step = f"step {failure.step}" + (f" ({failure.step_name})" if failure.step_name else "")
    return f"{step} at {journey.failing_file}:{failure.line}"


def _summary(journey: Journey) -> str:
    failure = journey.failure
    message = headline(failure.message) if failure else ""
    return f"{_where(journey)}: {message}" if message else _where(journey)


def _attempt_line(attempt: Attempt) -> str:
    line = f"attempt {attempt.number}: {attempt.status} in {attempt.duration_s:.2f}s"
    if attempt.failure is not None:
        line += f" at step {attempt.failure.step}: {headline(attempt.failure.message)}"
    return line


def _artifact_lines(artifacts: Artifacts) -> list[str]:
    # GitLab shows a [[ATTACHMENT|path]] line of system-out as the test's screenshot.
    lines = [f"artifact: {path}" for path in artifacts.paths()]
    if artifacts.screenshot:
        lines.append(f"[[ATTACHMENT|{artifacts.screenshot}]]")
    return lines


def _broken_lines(journey: Journey, features: tuple[Feature, ...]) -> list[str]:
    return [
        f"feature {f.id} is green-but-broken: {f.unit_tests.passed} unit test(s) pass"
        for f in features
        if f.verdict == "green-but-broken" and journey.id in f.journeys
    ]


def _property(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, "property", name=name, value=xml_safe(value))


def _properties(suite: ET.Element, journey: Journey, features: tuple[Feature, ...]) -> None:
    props = ET.SubElement(suite, "properties")
    _property(props, "journey.id", journey.id)
    _property(props, "journey.file", journey.file)
    _property(props, "status", journey.status)
    _property(props, "attempts", str(len(journey.attempts)))
    for feature_id in journey.covers:
        _property(props, "covers", feature_id)
    for tag in journey.tags:
        _property(props, "tag", tag)
    for feature in features:
        if feature.verdict == "green-but-broken" and journey.id in feature.journeys:
            _property(props, "green_but_broken", feature.id)
    artifacts = journey.artifacts
    named = {
        "screenshot": artifacts.screenshot,
        "trace": artifacts.trace,
        "console_log": artifacts.console_log,
        "failed_requests": artifacts.failed_requests,
    }
    for name, path in named.items():
        if path:
            _property(props, f"artifact.{name}", path)
    for path in artifacts.others:
        _property(props, "artifact", path)


def _outcome(case: ET.Element, journey: Journey, features: tuple[Feature, ...]) -> None:
    failure = journey.failure
    if journey.status in ("failed", "error") and failure is not None:
        details = [failure.message, "", *_broken_lines(journey, features)]
        tag = "error" if failure.kind == "error" else "failure"
        element = ET.SubElement(case, tag, message=xml_safe(_summary(journey)), type=tag)
        element.text = xml_safe("\n".join(details).strip())
    elif journey.status == "quarantined":
        outcome = f"failed at {_summary(journey)}" if failure else "passed"
        reason = journey.reason or "no reason given"
        ET.SubElement(case, "skipped", message=xml_safe(f"quarantined ({reason}); {outcome}"))
    elif journey.status == "skipped":
        ET.SubElement(case, "skipped", message=xml_safe(journey.reason or "skipped"))


def _system_out(case: ET.Element, journey: Journey, features: tuple[Feature, ...]) -> None:
    lines = [f"journey {journey.name} ({journey.file}): {journey.status}"]
    lines += [_attempt_line(a) for a in journey.attempts]
    lines += _broken_lines(journey, features) + _artifact_lines(journey.artifacts)
    ET.SubElement(case, "system-out").text = xml_safe("\n".join(lines))


def _counts(journey: Journey) -> dict[str, str]:
    error = journey.status == "error"
    return {
        "tests": "1",
        "failures": str(int(journey.status == "failed")),
        "errors": str(int(error)),
        "skipped": str(int(journey.status in ("skipped", "quarantined"))),
    }


def _timestamp(journey: Journey) -> dict[str, str]:
    window = journey.window
    if window is None:
        return {}
    start = window.start.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0)
    return {"timestamp": start.isoformat()}


def _suite(index: int, journey: Journey, features: tuple[Feature, ...]) -> ET.Element:
    suite = ET.Element("testsuite", name=xml_safe(journey.file), id=str(index))
    suite.attrib.update(_counts(journey))
    suite.attrib.update(time=_seconds(journey.duration_s), **_timestamp(journey))
    _properties(suite, journey, features)
    case = ET.SubElement(
        suite,
        "testcase",
        name=xml_safe(journey.name),
        classname=xml_safe(classname_of(journey.file)),
        time=_seconds(journey.duration_s),
    )
    _outcome(case, journey, features)
    _system_out(case, journey, features)
    return suite


def junit_tree(finished: FinishedRun) -> ET.Element:
    """The ``testsuites`` element of a run, secrets masked."""
    finished = masked_run(finished)
    suites = [_suite(i, j, finished.features) for i, j in enumerate(finished.journeys)]
    root = ET.Element("testsuites", name=xml_safe(f"harness {finished.run.environment}"))
    for key in ("tests", "failures", "errors"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    root.set("time", _seconds(finished.run.timings.journeys))
    root.extend(suites)
    return root


def write_junit_report(finished: FinishedRun, directory: Path) -> Path:
    """Write ``junit.xml`` into ``directory`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / FILE_NAME
    tree = ET.ElementTree(junit_tree(finished))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return path
