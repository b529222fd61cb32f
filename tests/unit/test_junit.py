"""The JUnit reader: every dialect the harness claims to read, and every hostile file refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.core.junit import MAX_BYTES, JUnitCase, JUnitReport, parse_junit, read_junit
from harness.errors import InputError, JUnitError

DATA = Path(__file__).resolve().parent.parent / "data" / "junit"


def by_name(path: Path) -> dict[str, JUnitCase]:
    return {case.name: case for case in read_junit(path).cases}


def test_pytest_outcomes_properties_and_classes() -> None:
    cases = by_name(DATA / "pytest.xml")
    assert cases["test_add"].outcome == "passed"
    assert cases["test_add"].classname == "tests.test_cart"
    assert cases["test_total"].outcome == "failed"
    assert cases["test_total"].message == "assert (2 + 2) == 5"
    assert cases["test_total"].property_values("feature") == ("cart", "checkout")
    assert cases["test_uses_database"].outcome == "error"
    assert "database is down" in cases["test_uses_database"].message
    assert cases["test_remove"].outcome == "skipped"
    assert cases["test_discount"].outcome == "skipped"  # xfail
    assert cases["test_pay[a::b/c.d]"].classname == "tests.test_cart.TestCheckout"


def test_vitest_names_files_and_annotations() -> None:
    report = read_junit(DATA / "vitest.xml")
    cases = {case.name: case for case in report.cases}
    adds = cases["cart > adds an item"]
    assert adds.classname == "vitest/cart.test.js"
    assert adds.outcome == "failed"
    assert adds.message.startswith("expected 2 to be 3")
    assert adds.property_values("feature") == ("cart",)
    assert cases["cart > removes an item"].outcome == "skipped"
    assert report.count("passed") == 1


def test_jest_junit_file_attribute_and_properties() -> None:
    cases = by_name(DATA / "jest.xml")
    adds = cases["Cart adds an item"]
    assert adds.file == "jest/cart.test.js"
    assert adds.outcome == "failed"
    assert adds.message.startswith("Error: expect(received).toBe(expected)")
    assert "Received: 2" in adds.details
    assert cases["Cart counts every sku"].property_values("feature") == ("cart",)


@pytest.mark.parametrize("sample", ["go-junit-report.xml", "gotestsum.xml"])
def test_go_subtests_and_failures(sample: str) -> None:
    cases = by_name(DATA / sample)
    assert cases["TestAddItem"].outcome == "passed"
    assert cases["TestAddItem"].classname == "example.com/shop/cart"
    assert cases["TestTotal/with_discount"].outcome == "failed"
    assert "discount applied twice" in cases["TestTotal/with_discount"].details
    assert cases["TestRemoveItem"].outcome == "skipped"


def test_go_junit_report_build_failure_is_an_error() -> None:
    cases = by_name(DATA / "go-junit-report.xml")
    assert cases["[build failed]"].outcome == "error"
    assert cases["[build failed]"].message == "Build error"


def test_surefire_flaky_and_rerun_elements() -> None:
    report = read_junit(DATA / "surefire.xml")
    cases = {case.name: case for case in report.cases}
    assert len(report.suites) == 1
    assert report.suites[0].name == "com.example.shop.CartServiceTest"
    assert ("java.version", "17.0.11") in report.suites[0].properties
    flaky = cases["appliesDiscount"]
    assert (flaky.outcome, flaky.flaky, flaky.reruns) == ("passed", True, 1)
    always = cases["chargesCard"]
    assert (always.outcome, always.flaky, always.reruns) == ("failed", False, 2)
    assert cases["loadsInventory"].outcome == "error"
    assert cases["removesItem"].message == "@Disabled: pending CART-112"
    assert cases["addsItem"].time == pytest.approx(0.021)


def test_nested_suites_and_text_properties() -> None:
    xml = """<testsuites><testsuite name="outer"><testsuite name="inner">
        <testcase classname="a" name="b" time="1,234.5"><properties>
        <property name="covers">cart</property></properties></testcase>
        </testsuite></testsuite></testsuites>"""
    report = parse_junit(xml)
    assert [suite.name for suite in report.suites] == ["outer", "inner"]
    (case,) = report.cases
    assert case.suite == "inner"
    assert case.property_values("covers") == ("cart",)
    assert case.time == 1234.5
    assert case.dotted_name == "a.b"


def test_a_bare_testsuite_root_is_accepted() -> None:
    report = parse_junit('<testsuite name="s"><testcase name="t"/></testsuite>')
    assert [case.dotted_name for case in report.cases] == ["t"]


def test_namespaces_odd_times_and_encodings() -> None:
    (case,) = parse_junit(
        '<testsuites xmlns="urn:x"><testsuite><testcase name="t" time="nan"/></testsuite>'
        "</testsuites>"
    ).cases
    assert (case.name, case.time) == ("t", 0.0)
    assert parse_junit('<testsuite name="é"/>'.encode("utf-16")).suites[0].name == "é"


def test_an_unknown_encoding_is_a_junit_error() -> None:
    with pytest.raises(JUnitError, match=r"x\.xml: cannot decode the XML: unknown encoding"):
        parse_junit(b'<?xml version="1.0" encoding="klingon"?><testsuites/>', source="x.xml")


# --- Hostile and broken files: a clear JUnitError naming the file, never a hang ---------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<testsuites><testsuite name="&lol9;"/></testsuites>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<testsuite name="&secret;"/>"""


def write(tmp_path: Path, text: str | bytes, name: str = "report.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@pytest.mark.timeout(20)
@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
def test_entities_and_dtds_are_refused(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(JUnitError) as caught:
        read_junit(path)
    assert str(caught.value).startswith(f"{path}: the file declares a DTD")
    assert "passwd" not in str(caught.value)
    assert "lol" not in str(caught.value)


def test_malformed_xml_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "<testsuites>\n  <testsuite name='x'>\n</testsuites>")
    with pytest.raises(JUnitError, match=r"report\.xml:3:3: malformed XML: mismatched tag$"):
        read_junit(path)


def test_an_empty_file_is_malformed(tmp_path: Path) -> None:
    with pytest.raises(JUnitError, match=r"report\.xml:1:1: malformed XML: no element found"):
        read_junit(write(tmp_path, b""))


def test_a_non_junit_root_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "<html><body>502 Bad Gateway</body></html>")
    with pytest.raises(JUnitError, match=r"the root element is <html>, not <testsuites>"):
        read_junit(path)


@pytest.mark.timeout(20)
def test_a_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:  # sparse: huge to stat, nothing on disk
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(JUnitError, match=r"huge\.xml: the JUnit file is 67,108,865 bytes"):
        read_junit(path)


def test_the_cap_holds_for_a_real_read(tmp_path: Path) -> None:
    path = write(tmp_path, b"<testsuites>" + b" " * 5000 + b"</testsuites>")
    with pytest.raises(JUnitError, match="more than the 1,000 bytes"):
        read_junit(path, max_bytes=1000)


@pytest.mark.timeout(20)
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_an_endless_device_is_refused() -> None:
    with pytest.raises(JUnitError, match="/dev/zero: not a regular file"):
        read_junit("/dev/zero")


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(JUnitError, match=r"nope\.xml: no such JUnit file"):
        read_junit(tmp_path / "nope.xml")


@pytest.mark.timeout(20)
def test_deep_nesting_does_not_exhaust_the_stack(tmp_path: Path) -> None:
    depth = 50_000
    text = "<testsuites>" + "<testsuite>" * depth + "</testsuite>" * depth + "</testsuites>"
    report = read_junit(write(tmp_path, text))
    assert len(report.suites) == depth


def test_junit_errors_are_input_errors_with_exit_code_2(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_junit(tmp_path / "missing.xml")
    assert caught.value.exit_code == 2


# --- Any input at all: a report or a JUnitError, nothing else ----------------------------------

SAMPLES = [p.read_bytes() for p in sorted(DATA.glob("*.xml"))]


def parse_or_message(data: bytes, source: str) -> JUnitReport | str:
    """The report, or the JUnitError's message; anything else escapes and fails the test."""
    try:
        return parse_junit(data, source=source)
    except JUnitError as exc:
        return str(exc)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_report_or_a_junit_error(data: bytes) -> None:
    result = parse_or_message(data, "fuzz.xml")
    assert isinstance(result, JUnitReport) or result.startswith("fuzz.xml")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SAMPLES), st.integers(min_value=0), st.binary(min_size=1, max_size=20))
def test_mutated_real_reports_give_a_report_or_a_junit_error(
    sample: bytes, at: int, noise: bytes
) -> None:
    cut = at % len(sample)
    result = parse_or_message(sample[:cut] + noise + sample[cut + len(noise) :], "m.xml")
    if isinstance(result, str):
        assert result.startswith("m.xml")
    else:
        assert all(
            case.outcome in ("passed", "failed", "error", "skipped") for case in result.cases
        )
