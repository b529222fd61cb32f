"""``pytest --harness-env NAME``: the environment booted once per session by the same code as
``harness run`` (:func:`harness.stack.boot.boot`: Compose, processes, readiness, seeds) and torn
down at the session's end whatever happened, Ctrl-C and SIGTERM included.

Each session is a run with its own folder, ``<artifacts>/<run-id>/`` of the project's
harness.yml (default ``.harness/runs``): the journeys' evidence and the services' logs go
there, so the paths a failure prints still exist after the next session.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.errors import HarnessError, UsageError

if TYPE_CHECKING:
    from harness.core.environment import Environment
    from harness.core.project import ProjectConfig
    from harness.stack.boot import RunningStack

SESSION_KEY = pytest.StashKey["SessionEnvironment"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness", "harness journeys")
    group.addoption(
        "--harness-env",
        metavar="NAME",
        default=None,
        help="boot environments/NAME.yml once for the session (as harness run does) and run "
        "the journeys against its urls; it is torn down at the end",
    )


def pytest_configure(config: pytest.Config) -> None:
    session = SessionEnvironment(config)
    config.stash[SESSION_KEY] = session
    if session.name is not None:
        try:  # a bad --harness-env or environment file is a usage error, said once
            session.load()
        except HarnessError as exc:
            raise pytest.UsageError(str(exc)) from exc


@pytest.fixture(scope="session")
def harness_environment(pytestconfig: pytest.Config) -> Iterator[SessionEnvironment]:
    """The session's environment, up (``.urls``, ``.stack``) until the session ends."""
    session = pytestconfig.stash[SESSION_KEY]
    try:
        session.load()
    except HarnessError as exc:
        pytest.fail(str(exc), pytrace=False)
    with session.up():
        yield session


class SessionEnvironment:
    """One pytest session's run: its id and folder, the environment and, once up, its urls."""

    def __init__(self, config: pytest.Config) -> None:
        from harness.stack.boot import new_run_id

        self.config = config
        self.name: str | None = config.getoption("--harness-env")
        self.run_id = new_run_id()
        self.project: ProjectConfig | None = None
        self.environment: Environment | None = None
        self.stack: RunningStack | None = None
        self.urls: dict[str, str] = {}

    def load(self) -> None:
        """Read harness.yml and the environment file (once); SourceError or UsageError."""
        if self.project is not None:
            return
        from harness.core.environment import find_environment, load_environment
        from harness.core.paths import display_path
        from harness.core.project import load_project

        project = load_project(cwd=self.config.rootpath)
        if self.name is not None:
            folder = project.root / project.environments
            try:
                path = find_environment(folder, self.name)
            except UsageError as exc:
                raise UsageError(f"--harness-env: {exc}") from exc
            self.environment = load_environment(path, project.root, display=display_path(path))
        self.project = project

    @property
    def run_dir(self) -> Path:
        """``<artifacts>/<run-id>`` of the project: where this session keeps what it writes."""
        assert self.project is not None, "load() first"
        return self.project.root / self.project.artifacts / self.run_id

    @contextmanager
    def up(self) -> Iterator[None]:
        """The environment booted for the block (nothing to boot without --harness-env)."""
        if self.environment is None:
            self.urls = self._with_base_url({})
            yield
            return
        from harness.stack.boot import boot

        self._say(f"booting '{self.environment.name}' for this session (run {self.run_id})")
        try:
            with boot(self.environment, self.run_dir, run_id=self.run_id, say=self._say) as stack:
                self.stack = stack
                self.urls = self._with_base_url(dict(stack.urls))
                yield
        except HarnessError as exc:
            if self.stack is None:  # the boot failed: every journey errors with its reason
                pytest.fail(f"environment '{self.name}' could not start: {exc}", pytrace=False)
            raise

    def _with_base_url(self, urls: dict[str, str]) -> dict[str, str]:
        """``--base-url`` (or the ini ``base_url``) wins over the environment's ``urls.web``."""
        base_url = self.config.getoption("--base-url", default=None) or _ini_base_url(self.config)
        return {**urls, "web": base_url} if base_url else urls

    def _say(self, message: str) -> None:
        """A line on the terminal now, not in the captured output of whichever test is first."""
        plugins = self.config.pluginmanager
        reporter, capture = (
            plugins.get_plugin("terminalreporter"),
            plugins.get_plugin("capturemanager"),
        )
        if reporter is None:
            print(f"harness: {message}", file=sys.stderr, flush=True)
            return
        with capture.global_and_fixture_disabled() if capture else nullcontext():
            reporter.write_line(f"harness: {message}")


def _ini_base_url(config: pytest.Config) -> str | None:
    try:
        return str(config.getini("base_url") or "") or None
    except ValueError:  # neither pytest-base-url nor pytest-playwright declared the ini key
        return None
