"""junit.xml: valid against the JUnit XSD that CI systems read, one case per journey, the failing
step in the message, covers and artifacts as properties, nothing XML forbids."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.core.gate import early_gate
from harness.report.junit_report import classname_of, write_junit_report
from harness.report.model import Failure, FinishedRun
from tests.support.report_fakes import SECRET, finished_run, hostile_run, run_info

XSD = Path(__file__).resolve().parent.parent / "data" / "xsd" / "junit.xsd"


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD))


def _suites(path: Path) -> dict[str, ET.Element]:
    root = ET.parse(path).getroot()
    return {dict(_properties(suite))["status"]: suite for suite in root}


def _properties(suite: ET.Element) -> list[tuple[str, str]]:
    return [(p.get("name", ""), p.get("value", "")) for p in suite.iter("property")]


@pytest.mark.parametrize(
    "run",
    [finished_run(), hostile_run(), FinishedRun(run=run_info(), gate=early_gate(4, "no db"))],
    ids=["every-status", "hostile-text", "no-journey-ran"],
)
def test_junit_is_valid_against_the_xsd(
    run: FinishedRun, schema: xmlschema.XMLSchema, tmp_path: Path
) -> None:
    path = write_junit_report(run, tmp_path)
    schema.validate(str(path))


def test_the_xsd_does_reject_a_malformed_report(schema: xmlschema.XMLSchema) -> None:
    assert not schema.is_valid("<testsuites><testsuite name='x'/></testsuites>")  # no tests=
    assert not schema.is_valid(
        "<testsuite name='x' tests='1'><testcase name='t'><system-out/><failure/></testcase>"
        "</testsuite>"
    )


def test_one_suite_and_one_case_per_journey_with_totals(tmp_path: Path) -> None:
    root = ET.parse(write_junit_report(finished_run(), tmp_path)).getroot()
    assert root.tag == "testsuites"
    assert len(root) == 5
    assert [len(suite.findall("testcase")) for suite in root] == [1] * 5
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "1", "0")


def test_a_failed_journey_names_its_failing_step(tmp_path: Path) -> None:
    failed = _suites(write_junit_report(finished_run(), tmp_path))["failed"]
    case = failed.find("testcase")
    assert case is not None
    assert case.get("name") == "Guest buys a mug"
    assert case.get("classname") == "journeys.shop.buy-a-mug"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == (
        "step 4 (click Add to cart) at journeys/shop/buy-a-mug.journey.yml:14: "
        "Timeout 10000ms exceeded. Card *** was refused"
    )
    assert "feature checkout is green-but-broken" in (failure.text or "")
    assert failed.get("failures") == "1"
    assert failed.get("timestamp") == "2026-03-14T09:30:20"


def test_covers_and_artifacts_are_properties(tmp_path: Path) -> None:
    failed = _suites(write_junit_report(finished_run(), tmp_path))["failed"]
    props = _properties(failed)
    assert ("covers", "cart") in props
    assert ("covers", "checkout") in props
    assert ("green_but_broken", "checkout") in props
    assert ("attempts", "2") in props
    assert ("artifact.screenshot", "journeys/buy-a-mug/attempt-2/failure.png") in props
    assert ("artifact.trace", "journeys/buy-a-mug/attempt-2/trace.zip") in props
    out = failed.findtext("testcase/system-out") or ""
    assert "[[ATTACHMENT|journeys/buy-a-mug/attempt-2/failure.png]]" in out
    assert "attempt 1: failed" in out


def test_flaky_passes_quarantined_and_skipped_are_skipped(tmp_path: Path) -> None:
    suites = _suites(write_junit_report(finished_run(), tmp_path))
    assert suites["flaky"].find("testcase/failure") is None
    assert suites["flaky"].find("testcase/skipped") is None
    assert "attempt 2: passed" in (suites["flaky"].findtext("testcase/system-out") or "")
    quarantined = suites["quarantined"].find("testcase/skipped")
    assert quarantined is not None
    assert quarantined.get("message", "").startswith(
        "quarantined (SHOP-12: wishlist is being rebuilt); failed at step 1"
    )
    skipped = suites["skipped"].find("testcase/skipped")
    assert skipped is not None
    assert skipped.get("message") == "runs only in staging"
    assert suites["passed"].find("testcase/*[1]").tag == "system-out"  # type: ignore[union-attr]


def test_an_error_is_an_error_element(tmp_path: Path) -> None:
    run = finished_run()
    journey = run.journeys[0]
    crashed = tuple(
        replace(a, failure=replace(a.failure, kind="error")) if a.failure else a
        for a in journey.attempts
    )
    run = replace(
        run, journeys=(replace(journey, attempts=crashed, status="error"), *run.journeys[1:])
    )
    root = ET.parse(write_junit_report(run, tmp_path)).getroot()
    assert root.get("errors") == "1"
    assert root.get("failures") == "0"
    assert root.find("testsuite/testcase/error") is not None


def test_terminal_codes_and_control_characters_cannot_break_the_xml(
    schema: xmlschema.XMLSchema, tmp_path: Path
) -> None:
    message = "\x1b[31mexpected\x1b[0m \x00nul \x08bs \ud800 and ]]> & <tag>"
    run = finished_run(message=message)
    path = write_junit_report(run, tmp_path)
    schema.validate(str(path))
    failure = ET.parse(path).getroot().find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message", "").endswith("expected \\x00nul \\x08bs \\xd800 and ]]> & <tag>")


def test_secrets_are_masked(tmp_path: Path) -> None:
    text = write_junit_report(finished_run(), tmp_path).read_text()
    assert SECRET not in text


@pytest.mark.parametrize(
    ("file", "classname"),
    [
        ("journeys/shop/checkout.journey.yml", "journeys.shop.checkout"),
        ("checkout.journey.yaml", "checkout"),
        ("journeys\\win\\a.journey.yml", "journeys.win.a"),
        ("other.yml", "other.yml"),
    ],
)
def test_classname_follows_the_journey_file(file: str, classname: str) -> None:
    assert classname_of(file) == classname


def test_failure_without_a_step_name_still_says_where(tmp_path: Path) -> None:
    run = finished_run()
    journey = run.journeys[0]
    bare = tuple(replace(a, failure=Failure(4, 14, "gone")) for a in journey.attempts)
    run = replace(run, journeys=(replace(journey, attempts=bare),))
    failure = ET.parse(write_junit_report(run, tmp_path)).getroot().find(".//failure")
    assert failure is not None
    assert failure.get("message") == "step 4 at journeys/shop/buy-a-mug.journey.yml:14: gone"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(max_size=40), message=st.text(max_size=200))
def test_any_text_from_the_app_gives_a_valid_file(
    schema: xmlschema.XMLSchema, tmp_path_factory: pytest.TempPathFactory, name: str, message: str
) -> None:
    run = finished_run(name=name or "x", message=message or "x")
    path = write_junit_report(run, tmp_path_factory.mktemp("junit"))
    schema.validate(str(path))
