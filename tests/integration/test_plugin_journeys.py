"""`pytest journeys/` end to end with pytester: plugin autoload off, pytest-playwright and the
harness's plugin loaded with -p, journeys run in real Chromium against a real local site."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from harness.browser.discovery import CHROMIUM_FLAGS, find_browser
from tests.support.pytester import FAILING, PASSING, only_run, run, write
from tests.support.pytester import project as project  # the fixture, by name
from tests.support.secrets import SECRET, TOKEN, leaks_under

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.browser


def test_only_journey_files_are_collected(project: pytest.Pytester) -> None:
    write(project, "journeys/open.journey.yml", PASSING)
    write(project, "journeys/cart/add.journey.yaml", FAILING)
    write(project, "journeys/shared/login.steps.yml", "params: []\nsteps:\n  - goto: /\n")
    write(project, "journeys/docker-compose.yml", "services: {web: {image: x}}\n")
    write(project, "journeys/ci.yml", "name: not a journey\nsteps: []\n")
    result = run(project, "journeys/", "--collect-only", "-q")
    assert result.ret == 0
    assert sorted(line for line in result.outlines if "::" in line) == [
        "journeys/cart/add.journey.yaml::Guest adds the mug to the cart",
        "journeys/open.journey.yml::Guest opens the mug",
    ]


def test_a_bad_journey_is_a_collection_error_with_every_problem(
    project: pytest.Pytester,
) -> None:
    write(
        project,
        "journeys/bad.journey.yml",
        "name: Bad\nsteps:\n  - click: {rol: button, name: Pay}\n  - goto: /${nope}\n",
    )
    result = run(project, "journeys/")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    output = result.stdout.str()
    assert "ERROR collecting journeys/bad.journey.yml" in output
    assert re.search(r"journeys/bad\.journey\.yml:3:\d+: .*'rol'. Did you mean 'role'\?", output)
    assert re.search(r"journeys/bad\.journey\.yml:4:\d+: .*unknown variable 'nope'", output)
    assert "Traceback" not in output
    assert "harness/core" not in output


def test_journeys_run_and_a_failure_shows_where_what_and_the_evidence(
    project: pytest.Pytester, site: str
) -> None:
    write(project, "journeys/open.journey.yml", PASSING)
    write(project, "journeys/add.journey.yml", FAILING)
    result = run(
        project, "journeys/", "--base-url", site, "--browser", "chromium", "--junitxml=out.xml"
    )
    result.assert_outcomes(passed=1, failed=1)
    output = result.stdout.str()
    assert (
        "Journey 'Guest adds the mug to the cart' failed: step 2 (expect) at "
        "journeys/add.journey.yml:6" in output
    )
    assert "locator:    {testid: cart-count}" in output
    assert 'expected:   text "1"' in output
    assert "actual:     0" in output
    run_dir = only_run(project)
    folder = f"{run_dir}/journeys/add/attempt-1"
    assert f"screenshot: {folder}/failure.png" in output
    assert f"trace:      {folder}/trace.zip" in output
    assert (project.path / folder / "trace.zip").is_file()
    assert not (project.path / run_dir / "journeys" / "open").exists()
    assert "Traceback" not in output

    cases = {c.get("name"): c for c in ET.parse(project.path / "out.xml").iter("testcase")}
    failed = dict(
        (p.get("name"), p.get("value"))
        for p in cases["Guest adds the mug to the cart"].iter("property")
    )
    assert failed["harness_status"] == "failed"
    assert failed["covers"] == "cart"
    assert failed["artifact.trace"] == f"{folder}/trace.zip"


def test_the_environment_gives_the_base_url_and_tags_select(
    project: pytest.Pytester, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project, "journeys/open.journey.yml", PASSING)
    write(project, "journeys/add.journey.yml", FAILING)
    write(project, "environments/local.yml", "urls:\n  web: ${env.SITE_URL}\n")
    monkeypatch.setenv("SITE_URL", site)
    result = run(project, "journeys/", "--harness-env", "local", "-m", "smoke")
    result.assert_outcomes(passed=1, deselected=1)

    missing = run(project, "journeys/", "--harness-env", "locale")
    assert missing.ret == pytest.ExitCode.USAGE_ERROR
    assert "no environment 'locale'" in missing.stderr.str()
    assert "Did you mean 'local'?" in missing.stderr.str()

    write(project, "environments/bad.yml", "urls:\n  web: http://x\nseeds: []\n")
    bad = run(project, "journeys/", "--harness-env", "bad")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    assert re.search(r"environments/bad\.yml:3:1: .*'seeds'", bad.stderr.str())


def test_tracing_and_screenshot_on_keep_evidence_of_passing_journeys(
    project: pytest.Pytester, site: str
) -> None:
    write(project, "journeys/open.journey.yml", PASSING)
    result = run(
        project,
        "journeys/",
        "--base-url",
        site,
        "--tracing",
        "on",
        "--screenshot",
        "on",
    )
    result.assert_outcomes(passed=1)
    folder = project.path / only_run(project) / "journeys/open/attempt-1"
    assert sorted(p.name for p in folder.iterdir()) == ["final.png", "trace.zip"]


def test_headed_reaches_the_launch_with_the_harness_browser_and_flags(
    project: pytest.Pytester, site: str
) -> None:
    # No screen here: record the options the launch gets, then launch headless.
    project.makeconftest(
        """
        import json
        import pytest

        @pytest.fixture(scope="session")
        def launch_browser(browser_type_launch_args, browser_type):
            with open("launch.json", "w") as out:
                json.dump(browser_type_launch_args, out)
            def launch(**kwargs):
                return browser_type.launch(**{**browser_type_launch_args, "headless": True})
            return launch
        """
    )
    write(project, "journeys/open.journey.yml", PASSING)
    result = run(project, "journeys/", "--base-url", site, "--headed")
    result.assert_outcomes(passed=1)
    launched = json.loads((project.path / "launch.json").read_text())
    assert launched["headless"] is False
    assert set(CHROMIUM_FLAGS) <= set(launched["args"])
    assert launched.get("executable_path") == find_browser().path


def test_flaky_and_quarantined_journeys_pass_and_say_so(
    project: pytest.Pytester, site: str
) -> None:
    write(
        project,
        "journeys/flaky.journey.yml",
        "name: Flaky\nretries: 1\nsteps:\n"
        "  - request: {url: '/api/flaky/${run.id}', expect: {status: 200}}\n",
    )
    write(
        project,
        "journeys/quarantined.journey.yml",
        "name: Quarantined\nstep_timeout: 500ms\nquarantine: {reason: sandbox down}\nsteps:\n"
        "  - goto: /index.html\n  - expect: {role: heading, name: Nope}\n",
    )
    result = run(project, "journeys/", "--base-url", site, "-rA")
    assert result.ret == 0
    output = result.stdout.str()
    assert re.search(r"1 flaky, 1 quarantined", output)
    assert "Journey 'Flaky' failed (attempt 1 of 2): step 1 (request)" in output
    assert "Journey 'Quarantined' failed: step 2 (expect)" in output


def test_a_secret_never_reaches_pytest_output_junit_or_artifacts(
    project: pytest.Pytester, site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_PASSWORD", SECRET)
    write(
        project,
        "journeys/secret.journey.yml",
        """
name: Secret
step_timeout: 1s
steps:
  - goto: /form.html
  - fill: {label: Password, value: "${secrets.SHOP_PASSWORD}"}
  - fill: {label: Email, value: "${secrets.SHOP_PASSWORD}"}
  - request: {method: POST, url: /api/echo, json: {pw: "${secrets.SHOP_PASSWORD}"}}
  - expect: {label: Email, value: nope}
""",
    )
    result = run(
        project, "journeys/", "--base-url", site, "--tracing", "on", "--junitxml=out.xml", "-rA"
    )
    result.assert_outcomes(failed=1)
    output = result.stdout.str() + result.stderr.str()
    assert "actual:     ***" in output
    assert TOKEN not in output
    assert TOKEN not in (project.path / "out.xml").read_text()
    assert leaks_under(project.path / ".harness") == []


AUTHORING = """
name: The SQL editor finds fantasy books
step_timeout: 10s
steps:
  - goto: /editor.html
  - click: {css: .CodeMirror}
  - type: {text: "select * from books where genre = 'Fantasy'"}
  - click: {role: button, name: Run SQL, force: true}
  - expect: {testid: result, contains: genre = "Fantasy"}
  - evaluate: {script: "document.querySelector('.CodeMirror').CodeMirror.getValue()", save: sql}
  - expect: {testid: editor-text, text: "${sql}"}
  - goto: /library.html
  - expect: {role: heading, level: 2, name: Books}
  - expect: {css: "tbody tr", count: {min: 1, max: 5}}
  - expect: {role: table, row: Dune, column: Price, text: "€9.50"}
  - request:
      url: /api/books
      headers: {Accept: application/json}
      expect: {status: 200, headers: {content-type: application/json}, at: {"#": 3}}
"""

API_DIFFERS = """
name: The books API lost its genres
steps:
  - request:
      url: /api/books
      expect: {status: 200, json: [{title: The Hobbit, genre: Fantasy}]}
"""


def test_the_authoring_steps_run_as_pytest_items(project: pytest.Pytester, site: str) -> None:
    write(project, "journeys/editor.journey.yml", AUTHORING)
    write(project, "journeys/api.journey.yml", API_DIFFERS)
    result = run(project, "journeys/", "--base-url", site, "--browser", "chromium")
    result.assert_outcomes(passed=1, failed=1)
    output = result.stdout.str()
    assert "the response differs from the step's expect:" in output
    assert "item 0: key 'genre' missing" in output
    assert "failure.png" not in output  # the journey only called an API: no blank picture


VISUAL = """
name: The page looks and reads right
steps:
  - goto: /visual.html
  - expect_screenshot: {name: card, element: {testid: card}}
  - expect_aria: {role: navigation, snapshot: '- link "Home"'}
  - expect_accessible: {testid: card}
"""


def test_the_visual_checks_run_as_pytest_items_and_update_snapshots_writes(
    project: pytest.Pytester, site: str
) -> None:
    write(project, "journeys/visual.journey.yml", VISUAL)
    baseline = project.path / "journeys" / "__screenshots__" / "visual" / "card.png"
    missing = run(project, "journeys/", "--base-url", site, "--browser", "chromium")
    missing.assert_outcomes(failed=1)
    assert "no screenshot baseline journeys/__screenshots__/visual/card.png" in missing.stdout.str()
    assert not baseline.exists()

    written = run(project, "journeys/", "--base-url", site, "--update-snapshots")
    written.assert_outcomes(passed=1)
    assert "wrote the screenshot baseline journeys/__screenshots__/visual/card.png" in (
        written.stdout.str()
    )
    assert baseline.is_file()
    run(project, "journeys/", "--base-url", site).assert_outcomes(passed=1)
