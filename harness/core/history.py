"""What the harness remembers of past runs, and the metrics over a window of them: per journey
its flaky rate and durations, per service its start-up, per feature its verdicts over time.

Pure: the history store (:mod:`harness.history`) turns database rows into these records, and
``harness run`` adds the run in progress before the metrics feed the report and the gate."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from harness.contract import DEFAULT_HISTORY_WINDOW

#: Runs the metrics look back over unless ``history.window`` says otherwise.
DEFAULT_WINDOW = DEFAULT_HISTORY_WINDOW
#: Journey statuses that count as a run of the journey (skipped, quarantined and error say
#: nothing about whether it works).
COUNTED = ("passed", "failed", "flaky")


@dataclass(frozen=True)
class JourneyRecord:
    """One journey in one remembered run."""

    id: str
    name: str
    status: str
    attempts: int
    duration_s: float


@dataclass(frozen=True)
class ServiceRecord:
    """One service's start-up in one remembered run (None: not measured)."""

    name: str
    boot_s: float | None


@dataclass(frozen=True)
class FeatureRecord:
    """One feature's verdict in one remembered run."""

    id: str
    verdict: str
    mock_ratio: float | None = None


@dataclass(frozen=True)
class SuiteRecord:
    """One unit-test suite in one remembered run."""

    name: str
    kind: str
    tests: int
    passed: int
    failed: int
    skipped: int
    duration_s: float | None = None


@dataclass(frozen=True)
class RunRecord:
    """One remembered run: when, where, on which commit, how it ended, and what it ran."""

    id: str
    environment: str
    started_at: float  # epoch seconds
    duration_s: float
    exit_code: int
    commit: str | None = None
    branch: str | None = None
    ci: str | None = None
    timings: tuple[tuple[str, float], ...] = ()
    boot_held_by: str | None = None
    #: ``I/N`` for a run of ``--shard I/N`` (part of a suite; its merged run stands for it).
    shard: str | None = None
    journeys: tuple[JourneyRecord, ...] = ()
    services: tuple[ServiceRecord, ...] = ()
    suites: tuple[SuiteRecord, ...] = ()
    features: tuple[FeatureRecord, ...] = ()


@dataclass(frozen=True)
class JourneyPoint:
    """A journey in one run of the window, for the trend charts."""

    run_id: str
    status: str
    duration_s: float


@dataclass(frozen=True)
class JourneyHistory:
    """One journey over the window: ``flaky_rate`` = flaky / runs."""

    id: str
    name: str
    runs: int
    passed: int
    failed: int
    flaky: int
    flaky_rate: float
    median_duration_s: float | None
    p90_duration_s: float | None
    last_broken: str | None  # the id of the last run where it failed or was flaky
    recent: tuple[JourneyPoint, ...] = ()


@dataclass(frozen=True)
class ServiceHistory:
    """One service's start-up over the window (oldest first in ``recent``)."""

    name: str
    runs: int
    median_boot_s: float | None
    recent: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class FeatureHistory:
    """One feature's verdicts over the window, oldest first."""

    id: str
    verdicts: tuple[str, ...]
    last_verdict: str


@dataclass(frozen=True)
class RunHistory:
    """The metrics over the last ``runs`` runs of ``environment`` (at most ``window``)."""

    environment: str
    window: int
    runs: int
    journeys: tuple[JourneyHistory, ...] = ()
    services: tuple[ServiceHistory, ...] = ()
    features: tuple[FeatureHistory, ...] = ()
    run_ids: tuple[str, ...] = ()

    def journey(self, journey_id: str) -> JourneyHistory | None:
        return next((j for j in self.journeys if j.id == journey_id), None)


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile (p90: ``share`` 0.9): a duration some run really took."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def summarize(runs: Iterable[RunRecord], window: int = DEFAULT_WINDOW) -> RunHistory:
    """The metrics over the newest ``window`` of ``runs`` (one environment, any order)."""
    newest = sorted(runs, key=lambda r: (r.started_at, r.id))[-window:] if window > 0 else []
    environment = newest[-1].environment if newest else ""
    return RunHistory(
        environment=environment,
        window=window,
        runs=len(newest),
        journeys=_journeys(newest),
        services=_services(newest),
        features=_features(newest),
        run_ids=tuple(r.id for r in newest),
    )


def _journeys(runs: Sequence[RunRecord]) -> tuple[JourneyHistory, ...]:
    points: dict[str, list[JourneyPoint]] = {}
    names: dict[str, str] = {}
    for run in runs:
        for journey in run.journeys:
            if journey.status in COUNTED:
                point = JourneyPoint(run.id, journey.status, journey.duration_s)
                points.setdefault(journey.id, []).append(point)
                names[journey.id] = journey.name
    return tuple(_journey(jid, names[jid], found) for jid, found in sorted(points.items()))


def _journey(journey_id: str, name: str, points: Sequence[JourneyPoint]) -> JourneyHistory:
    count = {status: sum(1 for p in points if p.status == status) for status in COUNTED}
    durations = [p.duration_s for p in points]
    broken = [p.run_id for p in points if p.status != "passed"]
    return JourneyHistory(
        id=journey_id,
        name=name,
        runs=len(points),
        passed=count["passed"],
        failed=count["failed"],
        flaky=count["flaky"],
        flaky_rate=count["flaky"] / len(points),
        median_duration_s=median(durations),
        p90_duration_s=percentile(durations, 0.9),
        last_broken=broken[-1] if broken else None,
        recent=tuple(points),
    )


def _services(runs: Sequence[RunRecord]) -> tuple[ServiceHistory, ...]:
    series: dict[str, list[float | None]] = {}
    for index, run in enumerate(runs):
        for service in run.services:
            values = series.setdefault(service.name, [None] * index)
            values += [None] * (index - len(values)) + [service.boot_s]
    result = []
    for name, values in sorted(series.items()):
        values += [None] * (len(runs) - len(values))
        measured = [v for v in values if v is not None]
        result.append(ServiceHistory(name, len(measured), median(measured), tuple(values)))
    return tuple(result)


def _features(runs: Sequence[RunRecord]) -> tuple[FeatureHistory, ...]:
    verdicts: dict[str, list[str]] = {}
    for run in runs:
        for feature in run.features:
            verdicts.setdefault(feature.id, []).append(feature.verdict)
    return tuple(
        FeatureHistory(fid, tuple(found), found[-1]) for fid, found in sorted(verdicts.items())
    )


def slowest_flakiest_broken(history: RunHistory) -> tuple[JourneyHistory, ...]:
    """The order ``harness history`` lists journeys in: the most recently broken first, then
    the flakiest, then the slowest; steady fast journeys last."""
    position = {run_id: index for index, run_id in enumerate(history.run_ids)}

    def key(journey: JourneyHistory) -> tuple[int, float, float, str]:
        broken = position.get(journey.last_broken, -1) if journey.last_broken else -1
        return (-broken, -journey.flaky_rate, -(journey.median_duration_s or 0.0), journey.id)

    return tuple(sorted(history.journeys, key=key))
