"""The ``covers`` marker end to end with pytester: plugin autoload off, the harness's plugin
loaded with ``-p``, the JUnit file read back by the harness's own reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.core.features import UnitTest, link_features
from harness.core.junit import read_junit

pytest_plugins = ["pytester"]

TESTS = """
import pytest

pytestmark = pytest.mark.covers("shop")


@pytest.mark.covers("cart", "checkout")
def test_pay():
    pass


@pytest.mark.covers("cart")
@pytest.mark.covers("cart", "search")
def test_twice():
    pass


@pytest.mark.covers("search")
class TestSearch:
    @pytest.mark.parametrize("q", ["mug", "cup"])
    def test_query(self, q):
        assert q != "cup"
"""


@pytest.fixture
def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")

    def run_with(*args: str, isolated: bool = False) -> pytest.RunResult:
        runner = pytester.runpytest_subprocess if isolated else pytester.runpytest
        return runner("-p", "harness.pytest_plugin", "--strict-markers", *args)

    return run_with


def test_marker_features_become_junit_properties(
    pytester: pytest.Pytester,
    run,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    pytester.makepyfile(test_shop=TESTS)
    junit = tmp_path / "junit.xml"
    # in a process of its own, so that warnings as errors cover only the app's run: the plugin
    # must not warn (record_property would, under the default junit_family xunit2)
    result = run(f"--junitxml={junit}", "-W", "error", isolated=True)
    result.assert_outcomes(passed=3, failed=1)
    cases = {case.name: case for case in read_junit(junit).cases}
    assert cases["test_pay"].property_values("feature") == ("cart", "checkout", "shop")
    assert cases["test_twice"].property_values("feature") == ("cart", "search", "shop")
    assert cases["test_query[cup]"].property_values("feature") == ("search", "shop")
    assert cases["test_query[cup]"].outcome == "failed"
    tests = [UnitTest.from_case("shop", case) for case in cases.values()]
    linked = {f.feature: len(f.unit_tests) for f in link_features(tests)}
    assert linked == {"cart": 2, "checkout": 1, "search": 3, "shop": 4}


def test_the_marker_is_registered(pytester: pytest.Pytester, run) -> None:  # type: ignore[no-untyped-def]
    result = run("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.covers(*features): the feature ids this test*"])


def test_without_junitxml_nothing_is_added(pytester: pytest.Pytester, run) -> None:  # type: ignore[no-untyped-def]
    pytester.makepyfile(
        test_props="""
        import pytest

        @pytest.mark.covers("cart")
        def test_x(request):
            assert request.node.user_properties == []
        """
    )
    run().assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("covers()", "@pytest.mark.covers takes feature ids as plain arguments*got covers()"),
        ("covers(feature='cart')", "*got covers(feature='cart')"),
        ("covers(3)", "*needs non-empty strings as feature ids; got 3"),
        ("covers(' ')", "*needs non-empty strings as feature ids; got ' '"),
    ],
)
def test_a_bad_marker_is_a_usage_error(
    pytester: pytest.Pytester,
    run,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    marker: str,
    message: str,
) -> None:
    pytester.makepyfile(
        test_bad=f"""
        import pytest

        @pytest.mark.{marker}
        def test_x():
            pass
        """
    )
    result = run(f"--junitxml={tmp_path / 'j.xml'}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: test_bad.py::test_x: {message}"])
