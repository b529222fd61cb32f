"""A finished run as the report writers see it: frozen values that `harness run` fills in from
the journey runner, the stack and the cross-check, independent of those parts' own types."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal, get_args

from harness.contract import (
    JOURNEY_STATUSES,
    VERDICTS,
    AttemptStatus,
    JourneyStatus,
    Verdict,
)
from harness.core.gate import Gate
from harness.core.history import JourneyHistory, RunHistory
from harness.core.verdict import Coverage

UnitStatus = Literal["passed", "failed", "skipped"]
FailureKind = Literal["failure", "error"]


def _check_choice(what: str, value: str, valid: Iterable[str]) -> None:
    choices = tuple(valid)
    if value not in choices:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(choices)}")


def _check_aware(what: str, moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError(f"{what} must carry a time zone, got {moment.isoformat()}")


@dataclass(frozen=True)
class TimeWindow:
    """When something ran, in wall-clock time: used to cut service logs to one journey."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        _check_aware("a window's start", self.start)
        _check_aware("a window's end", self.end)
        if self.end < self.start:
            raise ValueError(f"a window ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def spanning(cls, windows: Iterable[TimeWindow]) -> TimeWindow | None:
        """The smallest window holding all of ``windows``; None when there are none."""
        given = list(windows)
        if not given:
            return None
        return cls(min(w.start for w in given), max(w.end for w in given))


@dataclass(frozen=True)
class SnapshotImages:
    """One ``expect_screenshot`` baseline an attempt touched: on a mismatch its ``expected``
    (the baseline), ``actual`` and ``diff`` images in the run's folder (``actual`` alone when
    there was no baseline); ``written`` is the baseline file ``--update-snapshots`` wrote."""

    name: str
    expected: str | None = None
    actual: str | None = None
    diff: str | None = None
    written: str | None = None


@dataclass(frozen=True)
class Artifacts:
    """Files one attempt left behind, as paths relative to the run's folder; ``snapshots``
    group the images of each screenshot comparison (they are in ``others`` too)."""

    screenshot: str | None = None
    trace: str | None = None
    console_log: str | None = None
    failed_requests: str | None = None
    others: tuple[str, ...] = ()
    snapshots: tuple[SnapshotImages, ...] = ()

    def paths(self) -> tuple[str, ...]:
        """Every path, the named ones first."""
        named = (self.screenshot, self.trace, self.console_log, self.failed_requests)
        return tuple(path for path in named if path) + self.others


@dataclass(frozen=True)
class Failure:
    """Where and why an attempt failed: the step (1-based, as the runner numbers them)."""

    step: int
    line: int
    message: str
    step_name: str = ""
    file: str | None = None
    kind: FailureKind = "failure"

    def __post_init__(self) -> None:
        _check_choice("failure kind", self.kind, get_args(FailureKind))


@dataclass(frozen=True)
class Attempt:
    """One try at a journey; a journey with retries has several. ``timings``: seconds per phase
    of the attempt (browser context, tracing, steps, evidence), as the runner measured them."""

    number: int
    status: AttemptStatus
    duration_s: float
    failure: Failure | None = None
    artifacts: Artifacts = field(default_factory=Artifacts)
    window: TimeWindow | None = None
    timings: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_choice("attempt status", self.status, get_args(AttemptStatus))
        if (self.status == "failed") != (self.failure is not None):
            raise ValueError(f"attempt {self.number}: a failure goes with status 'failed' only")


def _journey_status(attempts: tuple[Attempt, ...], quarantined: bool) -> JourneyStatus:
    if quarantined:
        return "quarantined"
    if attempts and attempts[-1].failure and attempts[-1].failure.kind == "error":
        return "error"  # the harness could not run it: it says nothing about the app
    if not attempts or all(a.status == "skipped" for a in attempts):
        return "skipped"
    if attempts[-1].status != "passed":
        return "failed"
    return "flaky" if any(a.status == "failed" for a in attempts) else "passed"


@dataclass(frozen=True)
class Journey:
    """One journey's outcome over all its attempts."""

    id: str
    name: str
    file: str
    status: JourneyStatus
    attempts: tuple[Attempt, ...]
    duration_s: float
    covers: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    reason: str | None = None
    history: JourneyHistory | None = None

    def __post_init__(self) -> None:
        _check_choice("journey status", self.status, JOURNEY_STATUSES)

    @classmethod
    def from_attempts(
        cls,
        *,
        id: str,
        name: str,
        file: str,
        attempts: Iterable[Attempt],
        covers: Iterable[str] = (),
        tags: Iterable[str] = (),
        quarantine_reason: str | None = None,
        skip_reason: str | None = None,
    ) -> Journey:
        """Derive the status from the attempts: a pass after a failure is flaky."""
        tried = tuple(attempts)
        status = _journey_status(tried, quarantine_reason is not None)
        return cls(
            id=id,
            name=name,
            file=file,
            status=status,
            attempts=tried,
            duration_s=sum(a.duration_s for a in tried),
            covers=tuple(covers),
            tags=tuple(tags),
            reason=quarantine_reason if quarantine_reason is not None else skip_reason,
        )

    @property
    def deciding_attempt(self) -> Attempt | None:
        """The attempt a reader wants to see: the last failed one, else the last one."""
        failed = [a for a in self.attempts if a.status == "failed"]
        if failed:
            return failed[-1]
        return self.attempts[-1] if self.attempts else None

    @property
    def failure(self) -> Failure | None:
        attempt = self.deciding_attempt
        return attempt.failure if attempt else None

    @property
    def artifacts(self) -> Artifacts:
        attempt = self.deciding_attempt
        return attempt.artifacts if attempt else Artifacts()

    @property
    def window(self) -> TimeWindow | None:
        return TimeWindow.spanning(a.window for a in self.attempts if a.window)

    @property
    def failing_file(self) -> str:
        """The file of the failing step (a shared steps file), else the journey's own."""
        failure = self.failure
        return failure.file if failure and failure.file else self.file


@dataclass(frozen=True)
class UnitSuite:
    """One unit-test suite's totals (errors count as failed)."""

    name: str
    tests: int
    passed: int
    failed: int
    skipped: int
    duration_s: float | None = None
    kind: str = "unit"

    def __post_init__(self) -> None:
        if self.passed + self.failed + self.skipped != self.tests:
            raise ValueError(
                f"unit suite {self.name!r}: passed + failed + skipped != tests ({self.tests})"
            )


@dataclass(frozen=True)
class UnitTest:
    """One unit test linked to a feature, with how many mocks it uses (None: unknown)."""

    name: str
    status: UnitStatus
    mocks: int | None = None
    file: str | None = None
    suite: str | None = None

    def __post_init__(self) -> None:
        _check_choice("unit test status", self.status, get_args(UnitStatus))


@dataclass(frozen=True)
class UnitTestCounts:
    """How many unit tests claim a feature, and how they ended."""

    linked: int
    passed: int
    failed: int

    @classmethod
    def from_tests(cls, tests: Iterable[UnitTest]) -> UnitTestCounts:
        given = tuple(tests)
        passed = sum(1 for t in given if t.status == "passed")
        failed = sum(1 for t in given if t.status == "failed")
        return cls(linked=len(given), passed=passed, failed=failed)


def mock_ratio_of(tests: Iterable[UnitTest]) -> float | None:
    """Share of the tests with a known mock count that mock at least one thing."""
    known = [t.mocks for t in tests if t.mocks is not None]
    if not known:
        return None
    return sum(1 for count in known if count > 0) / len(known)


DriftKind = Literal["envelope", "missing", "renamed", "type", "status"]


@dataclass(frozen=True)
class MockPlace:
    """Where a mock is written, and the feature's unit tests that use it (the first one first)."""

    file: str
    line: int
    tests: tuple[str, ...] = ()

    @property
    def test(self) -> str:
        return self.tests[0] if self.tests else ""


@dataclass(frozen=True)
class MockDrift:
    """A mock whose shape the run's real responses contradict; ``message`` is one sentence."""

    mock: MockPlace
    endpoint: str
    kind: DriftKind
    path: str
    message: str

    def __post_init__(self) -> None:
        _check_choice("drift kind", self.kind, get_args(DriftKind))


@dataclass(frozen=True)
class UncheckedMock:
    """A mock with no real response of the run to compare with: not drift, but shown."""

    mock: MockPlace
    endpoint: str | None
    message: str


@dataclass(frozen=True)
class Feature:
    """One feature's verdict and what it rests on; ``drift``: its unit tests' mocks that the
    real responses contradict."""

    id: str
    verdict: Verdict
    journeys: tuple[str, ...]
    unit_tests: UnitTestCounts
    tests: tuple[UnitTest, ...] = ()
    mock_ratio: float | None = None
    evidence: tuple[str, ...] = ()
    drift: tuple[MockDrift, ...] = ()
    unchecked_mocks: tuple[UncheckedMock, ...] = ()

    def __post_init__(self) -> None:
        _check_choice("verdict", self.verdict, VERDICTS)

    @classmethod
    def from_tests(
        cls,
        *,
        id: str,
        verdict: Verdict,
        journeys: Iterable[str],
        tests: Iterable[UnitTest],
        evidence: Iterable[str] = (),
        mock_ratio: float | None = None,
    ) -> Feature:
        """Counts from the named tests; the mock ratio too unless the cross-check gives one."""
        named = tuple(tests)
        ratio = mock_ratio if mock_ratio is not None else mock_ratio_of(named)
        counts = UnitTestCounts.from_tests(named)
        return cls(id, verdict, tuple(journeys), counts, named, ratio, tuple(evidence))


@dataclass(frozen=True)
class Service:
    """One service of the environment: how long it took from its start to ready (Docker's own
    timestamps for a container), its captured log, and whether it was the last one ready."""

    name: str
    boot_s: float | None = None
    log: str | None = None
    held_boot: bool = False


@dataclass(frozen=True)
class Timings:
    """Seconds spent in each phase of the run. The unit tests run alongside the boot and the
    journeys: ``overlap`` is how long they did, the time saved against one after the other."""

    boot: float = 0.0
    unit: float = 0.0
    journeys: float = 0.0
    crosscheck: float = 0.0
    teardown: float = 0.0
    overlap: float = 0.0


@dataclass(frozen=True)
class EnvironmentFailure:
    """A service or process of the environment that died while the journeys ran: the run's
    verdict cannot stand on journeys run against it (exit 4, features inconclusive)."""

    service: str
    kind: str  # "service" (Compose) or "process"
    at: datetime
    reason: str
    exit_code: int | None = None
    log_tail: tuple[str, ...] = ()
    log: str | None = None
    not_run: tuple[str, ...] = ()  # ids of the journeys that were stopped before they started

    def __post_init__(self) -> None:
        _check_aware("the time of a death", self.at)

    def describe(self) -> str:
        """``service 'web' exited with code 137 at 12:01:02.345Z``"""
        when = self.at.astimezone(timezone.utc).isoformat(timespec="milliseconds")
        return f"{self.kind} '{self.service}' {self.reason} at {when.replace('+00:00', 'Z')}"


@dataclass(frozen=True)
class ShardInfo:
    """``--shard I/N``: which part this run was, and a digest of how every part was dealt
    (shards that split differently, on different duration histories, must not be merged)."""

    index: int
    total: int
    split: str


@dataclass(frozen=True)
class MergedPart:
    """One run folder that ``harness merge`` took in."""

    folder: str
    run_id: str
    shard: str | None = None


@dataclass(frozen=True)
class RunInfo:
    """The run as a whole. ``config`` is a digest of the configuration it ran (harness.yml, the
    environment file, the gate, the selected journeys) and ``commit`` the git commit, so that
    ``harness merge`` can refuse parts of different runs."""

    id: str
    environment: str
    started_at: datetime
    duration_s: float
    timings: Timings = field(default_factory=Timings)
    services: tuple[Service, ...] = ()
    environment_failure: EnvironmentFailure | None = None
    config: str | None = None
    commit: str | None = None
    shard: ShardInfo | None = None
    merged_from: tuple[MergedPart, ...] = ()
    history: RunHistory | None = None
    history_warning: str | None = None

    def __post_init__(self) -> None:
        _check_aware("started_at", self.started_at)


@dataclass(frozen=True)
class PolicyCheck:
    """One policy limit of ``gate`` against the run's figure (None: nothing to measure), the
    journey or feature that figure belongs to, and a reason per journey or feature over it."""

    name: str
    limit: float
    value: float | None
    subject: str | None
    reasons: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class FinishedRun:
    """Everything the reports show. ``secrets`` are values every writer masks as ``***``."""

    run: RunInfo
    gate: Gate
    journeys: tuple[Journey, ...] = ()
    unit: tuple[UnitSuite, ...] = ()
    features: tuple[Feature, ...] = ()
    secrets: tuple[str, ...] = field(default=(), repr=False, compare=False)
    #: The policy limits of ``gate`` against this run's figures (the gate has their reasons).
    policy: tuple[PolicyCheck, ...] = ()

    @property
    def coverage(self) -> Coverage:
        return Coverage.of((bool(f.journeys), f.unit_tests.linked > 0) for f in self.features)

    def features_loudest_first(self) -> tuple[Feature, ...]:
        """Features ordered by verdict (green-but-broken first), then by id."""
        return tuple(sorted(self.features, key=lambda f: (VERDICTS.index(f.verdict), f.id)))


def utc_now() -> datetime:
    """The current time, aware, in UTC: what ``started_at`` and windows expect."""
    return datetime.now(timezone.utc)
