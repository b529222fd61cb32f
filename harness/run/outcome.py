"""What a run has gathered, and how it ends: the cross-check and the gate from it, the reports
written into the run's folder, the summary printed, the exit code returned. Every way a run ends
goes through :func:`finish`, so every run that found its project leaves its reports."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from harness.contract import DEFAULT_FAIL_ON, EXIT_ENVIRONMENT
from harness.core.drift import FeatureDrift
from harness.core.features import link_features
from harness.core.gate import Gate, decide_gate, early_gate
from harness.core.history import DEFAULT_WINDOW, RunHistory
from harness.core.masked_files import mask_folder
from harness.core.masking import Redactor
from harness.core.mocks import MockCounter
from harness.core.paths import display_path
from harness.core.project import GatePolicy, ProjectConfig
from harness.core.traffic import Exchange, Traffic
from harness.core.verdict import FeatureVerdict, judge
from harness.history.recorder import (
    history_with,
    read_previous,
    record_run,
    store_url,
    with_history,
)
from harness.report import console
from harness.report.model import (
    EnvironmentFailure,
    FinishedRun,
    Journey,
    RunInfo,
    Service,
    ShardInfo,
    Timings,
    UnitSuite,
    utc_now,
)
from harness.report.policy import policy_checks
from harness.report.write import write_reports
from harness.run import convert
from harness.run.crosscheck import judged_journey, report_features, report_unit_suites
from harness.run.drift import drift_of, drift_sentences, with_drift, write_traffic
from harness.run.plan import RunPlan
from harness.run.progress import Progress
from harness.unit.runner import UnitRun, unit_tests_of


@dataclass
class Outcome:
    """What the run has gathered so far; whatever stops it, the reports are made from this."""

    run_id: str
    folder: Path
    started_at: datetime = field(default_factory=utc_now)
    clock: float = field(default_factory=time.monotonic)
    environment: str = ""
    fail_on: tuple[str, ...] = DEFAULT_FAIL_ON
    secrets: tuple[str, ...] = ()
    journeys: list[Journey] = field(default_factory=list)
    unit_runs: tuple[UnitRun, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    services: tuple[Service, ...] = ()
    notes: list[str] = field(default_factory=list)
    traffic: list[Exchange] = field(default_factory=list)
    environment_failure: EnvironmentFailure | None = None
    config: str | None = None
    commit: str | None = None
    shard: ShardInfo | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    root: Path | None = None
    history_url: str | None = None
    window: int = DEFAULT_WINDOW
    limits: GatePolicy = field(default_factory=GatePolicy)
    kinds: dict[str, str] = field(default_factory=dict)
    history: RunHistory | None = None
    history_warning: str | None = None

    def run_info(self) -> RunInfo:
        known = {k: v for k, v in self.timings.items() if k in Timings.__dataclass_fields__}
        return RunInfo(
            id=self.run_id,
            environment=self.environment,
            started_at=self.started_at,
            duration_s=time.monotonic() - self.clock,
            timings=Timings(**known),
            services=self.services,
            environment_failure=self.environment_failure,
            config=self.config,
            commit=self.commit,
            shard=self.shard,
            history=self.history,
            history_warning=self.history_warning,
        )

    def unit_suites(self) -> tuple[UnitSuite, ...]:
        return report_unit_suites(self.unit_runs, self.kinds)

    def stopped_early(self, code: int, reason: str) -> FinishedRun:
        """The run of a bad input (2) or an environment that did not start (4)."""
        gate = early_gate(code, reason, self.fail_on)
        gate = replace(gate, notes=gate.notes + tuple(self.notes))
        journeys = tuple(self.journeys)
        return FinishedRun(self.run_info(), gate, journeys, self.unit_suites(), (), self.secrets)


def remember_into(outcome: Outcome, project: ProjectConfig) -> None:
    """Where the run is remembered, how far back its metrics look, and its policy limits."""
    outcome.root = project.root
    outcome.history_url = store_url(project)
    outcome.window = project.history.window
    outcome.limits = project.policy
    outcome.kinds = {source.name: source.kind for source in project.unit_tests}


def services_of(
    folder: Path, timings: dict[str, float], held_by: str | None = None
) -> tuple[Service, ...]:
    logs = folder / "services"
    names = set(timings) | ({p.stem for p in logs.glob("*.log")} if logs.is_dir() else set())
    return tuple(
        Service(
            name=name,
            boot_s=timings.get(name),
            log=f"services/{name}.log" if (logs / f"{name}.log").is_file() else None,
            held_boot=name == held_by,
        )
        for name in sorted(names)
    )


def conclude(outcome: Outcome, plan: RunPlan) -> FinishedRun:
    """The cross-check and the gate, from the journeys that ran and the unit tests."""
    ran = bool(plan.journeys)  # nothing ran: there is nothing to cross-check either
    traffic = write_traffic(outcome.traffic, outcome.folder) if ran else Traffic()
    return judge_run(
        outcome.run_info(),
        outcome.journeys,
        outcome.unit_runs,
        plan.project,
        traffic,
        fail_on=outcome.fail_on,
        notes=outcome.notes,
        secrets=outcome.secrets,
        ran=ran,
        remembered=lambda so_far: _remembered(outcome, so_far),
    )


def judge_run(
    run: RunInfo,
    journeys: Iterable[Journey],
    unit_runs: Sequence[UnitRun],
    project: ProjectConfig,
    traffic: Traffic,
    *,
    fail_on: tuple[str, ...],
    notes: Iterable[str] = (),
    secrets: tuple[str, ...] = (),
    ran: bool = True,
    remembered: Callable[[FinishedRun], tuple[Journey, ...]] | None = None,
) -> FinishedRun:
    """The verdicts, the drift, the policy limits of ``gate`` and the one gate over finished
    journeys and unit tests: what ``harness run`` ends with, and ``harness merge`` over the
    journeys of every shard. ``remembered`` gives each journey its history (before the
    policy limits are checked)."""
    root = project.root
    ordered = tuple(sorted(journeys, key=lambda j: j.id))
    death = run.environment_failure
    if death is not None:
        ordered = tuple(_against(j, death) for j in ordered)
    judged = [judged_journey(j) for j in ordered]
    verdicts: tuple[FeatureVerdict, ...] = ()
    drift: dict[str, FeatureDrift] = {}
    if ran:
        links = link_features(
            unit_tests_of(unit_runs, root), project.features, {j.id: j.covers for j in ordered}
        )
        verdicts = judge(
            links, judged, MockCounter(root).count, environment_failed=death is not None
        )
        drift = drift_of(links, traffic, root)
    features = with_drift(report_features(verdicts), drift)
    suites = report_unit_suites(unit_runs, {u.name: u.kind for u in project.unit_tests})
    if remembered is not None:  # each journey with its metrics over the history window
        ordered = remembered(FinishedRun(run, Gate(True, 0), ordered, suites, features))
    checks = policy_checks(project.policy, ordered, features, suites)
    unmet = [reason for check in checks for reason in check.reasons]
    gate = decide_gate(judged, verdicts, fail_on, drift=drift_sentences(drift), policy=unmet)
    gate = replace(gate, notes=gate.notes + tuple(notes))
    if death is not None:
        gate = _dead_gate(gate, death, ordered)
    return FinishedRun(run, gate, ordered, suites, features, secrets, checks)


def _remembered(outcome: Outcome, so_far: FinishedRun) -> tuple[Journey, ...]:
    """The journeys with their metrics over the history window that ends with this run; the
    run's history kept in ``outcome``. An unreadable store leaves them without (a note says)."""
    if outcome.history_url is None:
        return so_far.journeys
    previous, warning = read_previous(outcome.history_url, outcome.environment, outcome.window)
    if warning is not None:
        outcome.history_warning = warning
        outcome.notes.append(warning)
        if outcome.limits.max_flaky_rate is not None:
            outcome.notes.append("gate.max_flaky_rate was not checked: it needs the history")
        return so_far.journeys
    outcome.history = history_with(previous, so_far, outcome.window)
    return with_history(so_far.journeys, outcome.history)


def remember(finished: FinishedRun, outcome: Outcome, progress: Progress) -> FinishedRun:
    """Add the run to the history store; a store that cannot be written is a note and a
    warning, and the gate stands as it is."""
    if outcome.history_url is None or not finished.run.environment:
        return finished
    warning = record_run(finished, outcome.history_url, root=outcome.root)
    if warning is None:
        return finished
    progress.say(f"warning: {warning}")
    gate = replace(finished.gate, notes=(*finished.gate.notes, warning))
    return replace(finished, gate=gate)


def _against(journey: Journey, death: EnvironmentFailure) -> Journey:
    return convert.against_dead_stack(journey, death) or journey


def _dead_gate(gate: Gate, death: EnvironmentFailure, journeys: tuple[Journey, ...]) -> Gate:
    """Exit 4 whatever the journeys said: they ran against a stack that died under them. What
    they found stays in the notes."""
    errors = [j for j in journeys if j.failure is not None and j.failure.kind == "error"]
    hit = sum(1 for j in errors if j.id not in death.not_run)
    reason = (
        f"the environment died during the journeys: {death.describe()}; "
        f"{len(death.not_run)} journey(s) not run, {hit} run against the dead stack; "
        "every feature is inconclusive"
    )
    return Gate(False, EXIT_ENVIRONMENT, (reason,), (*gate.reasons, *gate.notes), gate.fail_on)


def mask_logs(folder: Path, secrets: tuple[str, ...]) -> None:
    """Every file the run wrote or kept (service and seed logs, unit-test JUnit and output,
    traces and other zips entry by entry, the reports) without the journeys' secrets in any
    spelling: the app may log what a journey sent it, a unit test may print it, and the stack
    knows only its own."""
    mask_folder(folder, Redactor.from_secrets(secrets))


def finish(finished: FinishedRun, outcome: Outcome, progress: Progress) -> int:
    """Remember the run, write the reports, print the summary, return the gate's exit code."""
    finished = remember(finished, outcome, progress)
    mask_logs(outcome.folder, outcome.secrets)
    write_reports(finished, outcome.folder)
    mask_logs(outcome.folder, outcome.secrets)  # the writers mask too: this proves it by bytes
    shown = display_path(outcome.folder)
    text = console.end_of_run_output(
        finished,
        colour=console.wants_colour(sys.stdout),
        github_actions=console.in_github_actions(),
        report_dir=shown,
    )
    sys.stderr.flush()
    sys.stdout.write("\n" + text)
    sys.stdout.flush()
    return finished.gate.exit_code
