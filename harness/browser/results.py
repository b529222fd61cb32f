"""What running a journey produced: plain frozen dataclasses for `harness run`, reports and pytest.

Every text in them has already been through the run's ``Redactor``: no secret value is here.
This module imports nothing from Playwright, so report writers may read these objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from harness.core.traffic import Exchange

#: What the runner itself reports; ``error`` (could not run) is decided by `harness run`.
RunnerStatus = Literal["passed", "failed", "flaky", "skipped", "quarantined"]
#: An attempt the runner made either passed or failed (skipping happens before attempts).
AttemptOutcome = Literal["passed", "failed"]
ArtifactKind = Literal[
    "trace",
    "screenshot",
    "video",
    "console",
    "requests",
    "accessibility",
    "snapshot-expected",
    "snapshot-actual",
    "snapshot-diff",
    "snapshot-written",
]
#: The images of one ``expect_screenshot``: its baseline and what the page showed.
SNAPSHOT_KINDS: tuple[ArtifactKind, ...] = (
    "snapshot-expected",
    "snapshot-actual",
    "snapshot-diff",
    "snapshot-written",
)


@dataclass(frozen=True)
class Artifact:
    """One file an attempt left behind; ``label`` names what it belongs to (the baseline name
    of an ``expect_screenshot``'s images; ``snapshot-written`` is the baseline written)."""

    kind: ArtifactKind
    path: Path
    label: str = ""


@dataclass(frozen=True)
class StepFailure:
    """Why an attempt failed: where (step index, file:line), doing what, expected against actual.

    ``index`` is the 1-based number of the step in its list (``setup``, ``steps``, ``teardown``
    or a shared steps file); ``file`` and ``line`` are where the user wrote it; ``trail`` names
    the ``use`` steps it was reached through, outermost first; ``matched`` what the step's
    locator matched when it failed (``no element; without has_text "x": 2 elements: ...``).
    """

    phase: str
    index: int
    kind: str
    file: str
    line: int
    message: str
    name: str | None = None
    locator: str | None = None
    expected: str | None = None
    actual: str | None = None
    trail: tuple[str, ...] = ()
    matched: str | None = None

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    def headline(self) -> str:
        """``step 4 (click: Pay) at file:line``; ``teardown step 1 ...`` outside the steps."""
        label = f"{self.kind}: {self.name}" if self.name else self.kind
        phase = "" if self.phase == "steps" else f"{self.phase} "
        return f"{phase}step {self.index} ({label}) at {self.location}"


@dataclass(frozen=True)
class AttemptResult:
    """One attempt of one journey in a fresh browser context; ``started_at`` and ``ended_at``
    are wall-clock (UTC) times, to cut service logs to the attempt; ``timings`` the seconds
    spent in each of its phases (``context``, ``trace_start``, ``steps``, ``trace_stop``, ...)."""

    number: int
    attempt_id: str
    status: AttemptOutcome
    duration_s: float
    folder: Path
    failure: StepFailure | None = None
    teardown_failure: StepFailure | None = None
    artifacts: tuple[Artifact, ...] = ()
    console: tuple[str, ...] = ()
    failed_requests: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    started_at: datetime | None = None
    ended_at: datetime | None = None
    traffic: tuple[Exchange, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)

    def artifact(self, kind: ArtifactKind) -> Path | None:
        """The first artifact of ``kind``, if kept."""
        return next((a.path for a in self.artifacts if a.kind == kind), None)


@dataclass(frozen=True)
class JourneyResult:
    """Every attempt of one journey, and the status they add up to."""

    name: str
    file: str
    status: RunnerStatus
    attempts: tuple[AttemptResult, ...] = ()
    covers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    reason: str | None = None
    quarantine: str | None = None
    duration_s: float = 0.0
    warnings: tuple[str, ...] = ()

    @property
    def failure(self) -> StepFailure | None:
        """The failure of the last failed attempt (the evidence a report shows)."""
        failed = [a for a in self.attempts if a.failure is not None]
        return failed[-1].failure if failed else None

    @property
    def failed_attempt(self) -> AttemptResult | None:
        failed = [a for a in self.attempts if a.status == "failed"]
        return failed[-1] if failed else None

    @property
    def passed(self) -> bool:
        """True unless the journey should fail a gate (quarantined and skipped never do)."""
        return self.status != "failed"
