"""The harness's one error hierarchy; every failure a user can meet is one of these.

Exceptions from Docker, subprocess, Playwright and file parsing are translated at the boundary
into these, with ``raise ... from exc``. Each class carries the exit code of the contract::

    HarnessError                      any failure the harness explains itself
    ├── InputError            (2)     bad input: a journey, environment, harness.yml, JUnit, CLI
    │   ├── SourceError               problems located in a file (file:line:column each)
    │   ├── TemplateError             a ${...} name has no value when the file is used
    │   └── UsageError                a bad command line
    ├── EnvironmentError_     (4)     the environment could not be started or seeded
    │   ├── DockerUnavailableError    no Docker engine answers
    │   ├── ComposeError              the compose CLI failed or is missing
    │   ├── ServiceNotReadyError      a service is unhealthy, exited or crash-loops
    │   ├── ProcessStartError         a local process died or never became ready
    │   ├── SeedError                 a seed step failed
    │   └── ImageBuildError           a base image could not be built
    ├── BrowserError          (4)     no browser could be launched
    │   └── BrowserNotFoundError      no Chromium or Chrome was found
    ├── UnitTestError         (2)     a unit-test command could not run or wrote no JUnit
    │   └── JUnitError                a JUnit file is malformed, hostile or missing
    ├── NoJourneyError        (5)     no journey was selected (or a journey report holds none)
    └── HistoryError                  the history store cannot be read or written: a warning
                                      in a run (its verdict stands); an error for `harness history`

    Interrupted (KeyboardInterrupt)   SIGINT, SIGTERM or SIGHUP: tear down, then exit 128+signal
"""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.contract import (
    EXIT_BAD_INPUT,
    EXIT_ENVIRONMENT,
    EXIT_JOURNEY_FAILED,
    EXIT_NO_JOURNEY,
)


@dataclass(frozen=True)
class Problem:
    """One located mistake in a user's file."""

    file: str
    line: int
    column: int
    message: str
    hints: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        head = f"{self.file}:{self.line}:{self.column}: {self.message}"
        return "\n".join([head, *(f"    {hint}" for hint in self.hints)])


class HarnessError(Exception):
    """Base of every error the harness explains to its user."""

    exit_code = EXIT_JOURNEY_FAILED


class InputError(HarnessError):
    """Bad input from the user: exit code 2."""

    exit_code = EXIT_BAD_INPUT


class SourceError(InputError):
    """One or more problems located in files; all of them are reported at once."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateError(InputError):
    """A ``${...}`` reference has no value at run time (an unset environment variable or url)."""


class UsageError(InputError):
    """A bad command line."""


class EnvironmentError_(HarnessError):
    """The environment could not be started or seeded: exit code 4."""

    exit_code = EXIT_ENVIRONMENT


class DockerUnavailableError(EnvironmentError_):
    """No Docker engine answers."""


class ComposeError(EnvironmentError_):
    """The compose CLI is missing or a lifecycle command failed."""


class ServiceNotReadyError(EnvironmentError_):
    """A service did not become ready: unhealthy, exited, or restarting in a loop."""


class ProcessStartError(EnvironmentError_):
    """A local process exited early or never became ready."""


class SeedError(EnvironmentError_):
    """A seed step exited non-zero."""


class ImageBuildError(EnvironmentError_):
    """A base image could not be pulled or built."""


class BrowserError(HarnessError):
    """No browser could be launched: exit code 4, nothing could run."""

    exit_code = EXIT_ENVIRONMENT


class BrowserNotFoundError(BrowserError):
    """Neither Playwright's bundled browser nor a system Chromium or Chrome was found."""


class UnitTestError(InputError):
    """A unit-test command could not start, or exited non-zero without writing JUnit."""


class JUnitError(UnitTestError):
    """A JUnit file is malformed, hostile, too large or missing."""


class NoJourneyError(HarnessError):
    """No journey was selected, or a journey report holds none: exit code 5."""

    exit_code = EXIT_NO_JOURNEY


class HistoryError(HarnessError):
    """The history store could not be opened, read or written (its URL's password masked)."""


class Interrupted(KeyboardInterrupt):
    """A signal asked the harness to stop; raised after the stack is torn down as well."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.exit_code = 128 + signum
        super().__init__(f"interrupted by signal {signum}")
