"""Collects ``*.journey.yml`` files as pytest items and runs them in a real browser.

The items get pytest-playwright's session ``browser`` (so ``--browser``, ``--headed``,
``--browser-channel``, ``--slowmo`` and a conftest's ``browser_type_launch_args`` apply) and
honour ``--tracing``, ``--screenshot``, ``--video``, ``--device`` and ``--base-url``; the
evidence goes to the session's run folder (:mod:`harness.plugin.environment`), not to
pytest-playwright's ``--output``, which it empties at every start. Each item is a
``pytest.Function`` subclass only so that pytest resolves those fixtures for it; its
``runtest`` runs the journey with every retry inside one item.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from harness.browser.discovery import BROWSER_PATH_ENV, BrowserExecutable, find_browser
from harness.browser.evidence import ArtifactPolicy, Keep
from harness.browser.remote import connect_remote
from harness.browser.results import JourneyResult
from harness.core.paths import journey_folder, relative_path
from harness.core.remote_browser import ENDPOINT_ENV, RemoteEndpoint
from harness.errors import HarnessError
from harness.plugin.environment import SESSION_KEY, SessionEnvironment

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

    from harness.browser.settings import RunSettings
    from harness.core.journey.model import Journey

#: The result of a journey item, for hooks and reporters of other plugins.
RESULT_KEY = pytest.StashKey[JourneyResult]()
_RUN_KEY = pytest.StashKey["JourneyRun"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness", "harness journeys")
    group.addoption(
        "--harness-browser-endpoint",
        metavar="URL",
        default=None,
        help="run the journeys in a remote browser: ws(s):// a Playwright server, http(s):// "
        f"a Chromium over CDP (default: ${ENDPOINT_ENV}); no local browser is launched",
    )
    group.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="write the expect_screenshot baselines that are missing or differ, instead of "
        "failing on them",
    )


def browser_endpoint(config: pytest.Config) -> RemoteEndpoint | None:
    """``--harness-browser-endpoint``, else ``HARNESS_BROWSER_ENDPOINT``; None for neither."""
    given = config.getoption("--harness-browser-endpoint", None)
    if given:
        return RemoteEndpoint.from_url(str(given), "--harness-browser-endpoint")
    if os.environ.get(ENDPOINT_ENV):
        return RemoteEndpoint.from_url(os.environ[ENDPOINT_ENV], ENDPOINT_ENV)
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_RUN_KEY] = JourneyRun(config)
    if _playwright_plugin_loaded(config.pluginmanager):
        config.pluginmanager.register(_HarnessBrowserLaunch(), "harness-browser-launch")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> JourneyFile | None:
    from harness.core.journey.loader import is_journey_file

    if is_journey_file(file_path.name):
        return JourneyFile.from_parent(parent, path=file_path)
    return None


def pytest_report_teststatus(
    report: pytest.CollectReport | pytest.TestReport, config: pytest.Config
) -> tuple[str, str, str] | None:
    if not isinstance(report, pytest.TestReport) or report.when != "call":
        return None
    status = dict(report.user_properties).get("harness_status")
    if status not in ("flaky", "quarantined"):
        return None
    return str(status), status[0], str(status).upper()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The evidence of flaky and quarantined journeys, which passed but failed an attempt."""
    reports = [r for c in ("flaky", "quarantined") for r in terminalreporter.stats.get(c, [])]
    sections = [
        content
        for report in reports
        for title, content in getattr(report, "sections", [])
        if "harness flaky" in title or "harness quarantined" in title
    ]
    if sections:
        terminalreporter.write_sep("=", "flaky and quarantined journeys")
        for content in sections:
            terminalreporter.write_line(content)
    written = terminalreporter.config.stash[_RUN_KEY].written_baselines
    if written:
        terminalreporter.write_sep("=", "screenshot baselines written (--update-snapshots)")
        for path in sorted(set(written)):
            terminalreporter.write_line(f"wrote the screenshot baseline {path}")


def _playwright_plugin_loaded(plugins: pytest.PytestPluginManager) -> bool:
    # Registered as "playwright" by its entry point, under its module name with -p.
    module = sys.modules.get("pytest_playwright.pytest_playwright")
    return module is not None and plugins.is_registered(module)


class _HarnessBrowserLaunch:
    """Registered last so that its ``browser_type_launch_args`` wraps pytest-playwright's."""

    @pytest.fixture(scope="session")
    @classmethod
    def browser_type_launch_args(
        cls,
        browser_type_launch_args: dict[str, Any],
        browser_name: str | None,
        playwright: Playwright,
        pytestconfig: pytest.Config,
    ) -> dict[str, Any]:
        """Chromium as ``find_browser()`` finds it, always with the harness's flags."""
        if (browser_name or "chromium") != "chromium" or "channel" in browser_type_launch_args:
            return browser_type_launch_args
        if browser_endpoint(pytestconfig) is not None:  # nothing is launched here
            return browser_type_launch_args
        try:
            found = _harness_chromium(playwright).launch_options(headless=True)
        except HarnessError as exc:
            pytest.fail(str(exc), pytrace=False)
        args = [*found["args"], *browser_type_launch_args.get("args", [])]  # type: ignore[misc]
        options = {**found, **browser_type_launch_args, "args": args}
        options.setdefault("headless", True)
        return options

    @pytest.fixture(scope="session")
    @classmethod
    def launch_browser(
        cls,
        launch_browser: Callable[..., Browser],
        playwright: Playwright,
        browser_name: str | None,
        pytestconfig: pytest.Config,
    ) -> Callable[..., Browser]:
        """With an endpoint, the session's browser is the remote one, connected as
        ``harness run`` connects (a version mismatch names both versions)."""
        try:
            endpoint = browser_endpoint(pytestconfig)
        except HarnessError as exc:
            pytest.fail(str(exc), pytrace=False)
        if endpoint is None:
            return launch_browser

        def connect(**_: object) -> Browser:
            try:
                return connect_remote(playwright, endpoint, browser_name or "chromium")
            except HarnessError as exc:
                pytest.fail(str(exc), pytrace=False)

        return connect


def _harness_chromium(playwright: Playwright) -> BrowserExecutable:
    """``find_browser()``'s choice, asking the running Playwright (a second one in the same
    thread would fail) whether its own Chromium is installed."""
    if os.environ.get(BROWSER_PATH_ENV):
        return find_browser(prefer_bundled=False)
    if Path(playwright.chromium.executable_path).is_file():
        return BrowserExecutable(None, "Playwright")
    return find_browser(prefer_bundled=False)


def _keep(option: str) -> Keep:
    return "always" if option == "on" else "on-failure"


class JourneyRun:
    """What every journey item of one pytest session shares: the environment (its run id,
    folder and urls), the artifact policy; the screenshot baselines its items wrote."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self._settings: RunSettings | None = None
        self.written_baselines: list[str] = []

    @property
    def environment(self) -> SessionEnvironment:
        return self.config.stash[SESSION_KEY]

    def policy(self) -> ArtifactPolicy:
        option = self.config.getoption
        video = option("--video", default="off")
        return ArtifactPolicy(
            trace="on" if option("--tracing", default="off") == "on" else "retain-on-failure",
            screenshot=_keep(option("--screenshot", default="off")),
            video="never" if video == "off" else _keep(video),
        )

    def settings(self, playwright: Playwright) -> RunSettings:
        if self._settings is None:
            self._settings = self._build_settings(playwright)
        return self._settings

    def _build_settings(self, playwright: Playwright) -> RunSettings:
        from harness.browser.settings import RunSettings

        device = self.config.getoption("--device", default=None)
        return RunSettings(
            run_id=self.environment.run_id,
            environment=self.environment.name,
            urls=self.environment.urls,
            policy=self.policy(),
            context_options=dict(playwright.devices[device]) if device else {},
            devices=playwright.devices,
            capture=False,  # as pytest items, journeys keep no traffic.json: no drift check here
            update_snapshots=bool(self.config.getoption("--update-snapshots", default=False)),
        )


def _journey_fixtures(
    browser: Browser, playwright: Playwright, harness_environment: SessionEnvironment
) -> None:
    """Never called: its signature tells pytest which fixtures a journey item needs."""


class JourneyFile(pytest.File):
    """One journey file: a collection error with every problem of the file, or one item."""

    def collect(self) -> list[JourneyItem]:
        from harness.core.journey.loader import load_journey

        journey = load_journey(self.path)
        item = JourneyItem.from_parent(
            self, name=journey.name, callobj=_journey_fixtures, journey=journey
        )
        return [item]

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, HarnessError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))


class JourneyFailedError(Exception):
    """Raised by a journey item whose every attempt failed; the message is already redacted."""


class JourneyItem(pytest.Function):
    """One journey, run with its retries in fresh browser contexts of the session's browser."""

    def __init__(self, *, journey: Journey, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.journey = journey
        for tag in journey.tags:
            self._mark(tag)

    def _mark(self, tag: str) -> None:
        """A journey's tags are markers too, so ``-m smoke`` selects journeys tagged smoke."""
        if not tag.isidentifier():
            self.extra_keyword_matches.add(tag)
            return
        self.config.addinivalue_line("markers", f"{tag}: journeys tagged {tag}")
        self.add_marker(tag)

    def runtest(self) -> None:
        from harness.browser.failures import describe_result
        from harness.browser.runner import run_journey

        run = self.config.stash[_RUN_KEY]
        result = run_journey(
            self.funcargs["browser"],  # type: ignore[arg-type]
            self.journey,
            run.settings(self.funcargs["playwright"]),  # type: ignore[arg-type]
            self._evidence_folder(run.environment.run_dir),
        )
        self.stash[RESULT_KEY] = result
        self._record(result)
        where = self.config.invocation_params.dir
        run.written_baselines += [
            relative_path(artifact.path, where)
            for attempt in result.attempts
            for artifact in attempt.artifacts
            if artifact.kind == "snapshot-written"
        ]
        described = describe_result(result, self.config.invocation_params.dir)
        if result.warnings:
            self.add_report_section("call", "harness warnings", "\n".join(result.warnings))
        if result.status == "skipped":
            pytest.skip(result.reason or "skipped")
        if result.status == "failed":
            raise JourneyFailedError(described)
        if result.failed_attempt is not None:  # flaky, or quarantined: the evidence still shows
            self.add_report_section("call", f"harness {result.status}", described)

    def _evidence_folder(self, run_dir: Path) -> Path:
        """``journeys/cart/add.journey.yml`` keeps its evidence in ``<run>/journeys/cart/add/``,
        as under ``harness run``; each session has its own run folder."""
        return journey_folder(run_dir, relative_path(self.path, self.config.rootpath))

    def _record(self, result: JourneyResult) -> None:
        """JUnit properties that the cross-check reads: status, features, attempts, evidence."""
        where = self.config.invocation_params.dir
        self.user_properties.append(("harness_status", result.status))
        self.user_properties.append(("journey.file", result.file))
        self.user_properties.append(("attempts", str(len(result.attempts))))
        if result.covers:
            self.user_properties.append(("covers", ",".join(result.covers)))
        attempt = result.failed_attempt
        for artifact in attempt.artifacts if attempt else ():
            self.user_properties.append(
                (f"artifact.{artifact.kind}", relative_path(artifact.path, where))
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException]) -> str:  # type: ignore[override]
        if isinstance(excinfo.value, JourneyFailedError):
            return str(excinfo.value)
        text = str(excinfo.value) if isinstance(excinfo.value, HarnessError) else None
        return self._masked(text or str(super().repr_failure(excinfo)))

    def _masked(self, text: str) -> str:
        """Even an unexpected error's text never shows a secret of the journey."""
        from harness.core.masking import Redactor
        from harness.core.templating import Context

        values = Context(env=dict(os.environ)).secret_values(self.journey.secret_names)
        return Redactor.from_secrets(values).mask(text)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.journey.location.line - 1, f"journey: {self.journey.name}"
