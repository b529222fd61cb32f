"""Read JUnit XML from any test runner (pytest, Jest, Vitest, Go, Maven Surefire) into frozen
results, parsing untrusted files safely: no entities, no DTD, a size cap, errors that name the file.
"""

from __future__ import annotations

import math
import os
import stat
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import defusedxml
import defusedxml.ElementTree as SafeET

from harness.errors import JUnitError

Outcome = Literal["passed", "failed", "error", "skipped"]

#: Larger than any honest report (a 20 000-test Surefire run writes a few MB).
MAX_BYTES = 64 * 1024 * 1024
#: Failure text kept per test case: enough for a stack trace, not a whole log.
MAX_DETAILS = 8000

_OUTCOME_TAGS: tuple[tuple[str, Outcome], ...] = (
    ("error", "error"),
    ("failure", "failed"),
    ("skipped", "skipped"),
)
# Maven Surefire with rerunFailingTestsCount: a test that failed, then passed on a rerun, has
# flaky* children and no failure; one that failed every time has failure/error plus rerun*.
_FLAKY_TAGS = ("flakyFailure", "flakyError")
_RERUN_TAGS = ("rerunFailure", "rerunError")


@dataclass(frozen=True)
class JUnitCase:
    """One test case as a runner reported it."""

    suite: str
    classname: str
    name: str
    file: str | None
    line: int | None
    time: float
    outcome: Outcome
    message: str
    details: str
    properties: tuple[tuple[str, str], ...]
    flaky: bool = False
    reruns: int = 0

    @property
    def dotted_name(self) -> str:
        """``classname.name``, the form most tools show (and ``features`` patterns match)."""
        return f"{self.classname}.{self.name}" if self.classname else self.name

    def property_values(self, *names: str) -> tuple[str, ...]:
        """The values of the test's properties with any of these names, in file order."""
        return tuple(value for key, value in self.properties if key in names)


@dataclass(frozen=True)
class JUnitSuite:
    """A ``<testsuite>``: a file, module, package or class, depending on the runner."""

    name: str
    cases: tuple[JUnitCase, ...]
    properties: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class JUnitReport:
    """One JUnit XML file."""

    source: str
    suites: tuple[JUnitSuite, ...]

    @property
    def cases(self) -> tuple[JUnitCase, ...]:
        return tuple(case for suite in self.suites for case in suite.cases)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for case in self.cases if case.outcome == outcome)


def read_junit(
    path: str | os.PathLike[str], *, display: str | None = None, max_bytes: int = MAX_BYTES
) -> JUnitReport:
    """Parse the JUnit file at ``path`` (``display`` names it in errors and in the report);
    anything but an honest JUnit file is a JUnitError."""
    source = display or str(path)
    data = _read_capped(Path(path), source, max_bytes)
    return parse_junit(data, source=source)


def parse_junit(data: bytes | str, *, source: str = "<junit>") -> JUnitReport:
    """Parse JUnit XML text; ``source`` names it in errors."""
    root = _parse_xml(data, source)
    if root.tag not in ("testsuites", "testsuite"):
        raise JUnitError(
            f"{source}: the root element is <{root.tag}>, not <testsuites> or <testsuite>: "
            "this is not a JUnit XML report"
        )
    return JUnitReport(source=source, suites=tuple(_suites(root)))


def _read_capped(path: Path, source: str, max_bytes: int) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise JUnitError(f"{source}: not a regular file, so not a JUnit report")
        if info.st_size > max_bytes:
            raise JUnitError(_too_large(source, info.st_size, max_bytes))
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may grow while we read it
    except FileNotFoundError as exc:
        raise JUnitError(f"{source}: no such JUnit file") from exc
    except OSError as exc:
        raise JUnitError(f"{source}: cannot read the JUnit file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise JUnitError(_too_large(source, len(data), max_bytes))
    return data


def _too_large(source: str, size: int, max_bytes: int) -> str:
    return (
        f"{source}: the JUnit file is {size:,} bytes, more than the {max_bytes:,} bytes the "
        "harness reads; refusing it rather than risk running out of memory"
    )


def _parse_xml(data: bytes | str, source: str) -> ET.Element:
    try:
        root: ET.Element = SafeET.fromstring(data, forbid_dtd=True)
    except defusedxml.DTDForbidden as exc:
        raise JUnitError(
            f"{source}: the file declares a DTD (<!DOCTYPE>); JUnit reports never need one and "
            "it can hide an entity-expansion attack, so the file is refused"
        ) from exc
    except defusedxml.DefusedXmlException as exc:
        raise JUnitError(f"{source}: refused unsafe XML ({exc})") from exc
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":", 1)[0]
        raise JUnitError(f"{source}:{line}:{column + 1}: malformed XML: {reason}") from exc
    except (LookupError, ValueError) as exc:  # an unknown or lying encoding declaration
        raise JUnitError(f"{source}: cannot decode the XML: {exc}") from exc
    for element in root.iter():  # a namespaced report is read like any other
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.rpartition("}")[2]
    return root


def _suites(root: ET.Element) -> Iterator[JUnitSuite]:
    # Iterative, so a deeply nested hostile file cannot exhaust the stack.
    pending = [root]
    while pending:
        element = pending.pop()
        pending.extend(reversed([child for child in element if child.tag == "testsuite"]))
        if element.tag == "testsuite":
            yield _suite(element)


def _suite(element: ET.Element) -> JUnitSuite:
    name = element.get("name", "")
    cases = tuple(_case(child, name) for child in element if child.tag == "testcase")
    return JUnitSuite(name=name, cases=cases, properties=_properties(element))


def _case(element: ET.Element, suite: str) -> JUnitCase:
    outcome, result = _outcome(element)
    message, details = _message(result)
    return JUnitCase(
        suite=suite,
        classname=element.get("classname", ""),
        name=element.get("name", ""),
        file=element.get("file") or None,
        line=_int_or_none(element.get("line")),
        time=_seconds(element.get("time")),
        outcome=outcome,
        message=message,
        details=details,
        properties=_properties(element),
        flaky=outcome == "passed" and _has_child(element, _FLAKY_TAGS),
        reruns=sum(1 for child in element if child.tag in _FLAKY_TAGS + _RERUN_TAGS),
    )


def _outcome(element: ET.Element) -> tuple[Outcome, ET.Element | None]:
    for tag, outcome in _OUTCOME_TAGS:
        found = element.find(tag)
        if found is not None:
            return outcome, found
    return "passed", None


def _message(result: ET.Element | None) -> tuple[str, str]:
    if result is None:
        return "", ""
    text = (result.text or "").strip()
    stack = result.find("stackTrace")  # Surefire's rerun elements nest it
    if not text and stack is not None:
        text = (stack.text or "").strip()
    message = result.get("message") or (text.splitlines()[0] if text else "")
    return message.strip(), text[:MAX_DETAILS]


def _properties(element: ET.Element) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    for group in element.findall("properties"):
        for prop in group.findall("property"):
            value = prop.get("value")
            found.append((prop.get("name", ""), value if value is not None else prop.text or ""))
    return tuple(found)


def _has_child(element: ET.Element, tags: tuple[str, ...]) -> bool:
    return any(child.tag in tags for child in element)


def _seconds(text: str | None) -> float:
    # Old Surefire versions wrote locale-formatted times such as "1,234.5".
    try:
        seconds = float((text or "0").replace(",", ""))
    except ValueError:
        return 0.0
    return seconds if math.isfinite(seconds) and seconds >= 0 else 0.0


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None
