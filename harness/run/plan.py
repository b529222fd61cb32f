"""Everything a run needs, read and checked before anything boots: harness.yml, the environment
and the journeys (every problem of every file at once), then the journeys the run selects."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from harness.core.environment import Environment, environment_files, find_environment
from harness.core.environment import load_environment as read_environment
from harness.core.gate import normalize_fail_on
from harness.core.journey.loader import JourneyLoader, find_files
from harness.core.journey.model import Journey
from harness.core.paths import display_path, relative_path
from harness.core.project import ProjectConfig, load_project_or_defaults
from harness.core.remote_browser import EndpointChoice, choose_endpoint
from harness.errors import Problem, SourceError, UsageError
from harness.history.recorder import last_broken, store_url
from harness.report.model import ShardInfo
from harness.run.balance import recorded_seconds
from harness.run.identity import config_fingerprint, git_commit, split_fingerprint
from harness.run.options import RunOptions
from harness.run.report_dir import claim_report_dir
from harness.run.selection import has_any_tag

#: The environment ``harness smoke`` prefers when the project has one by that name.
SMOKE_ENVIRONMENT = "local"
SMOKE_TAG = "smoke"


@dataclass(frozen=True)
class PlannedJourney:
    """A loaded journey and its id: its file's path from the project root."""

    id: str
    journey: Journey

    @property
    def serial(self) -> str | None:
        return self.journey.serial


@dataclass(frozen=True)
class RunPlan:
    """A run ready to start: ``journeys`` will run, ``skipped`` do not run in this environment."""

    project: ProjectConfig
    environment: Environment
    journeys: tuple[PlannedJourney, ...]
    skipped: tuple[PlannedJourney, ...]
    fail_on: tuple[str, ...]
    secrets: tuple[str, ...]
    deselected: int = 0
    endpoint: EndpointChoice | None = None
    config: str | None = None
    commit: str | None = None
    shard: ShardInfo | None = None
    notes: tuple[str, ...] = ()


def find_project(options: RunOptions) -> tuple[ProjectConfig, list[Problem]]:
    """harness.yml (``--config``, else found upwards), or its defaults and its problems."""
    return load_project_or_defaults(options.config)


def run_folder(options: RunOptions, project: ProjectConfig, run_id: str) -> Path:
    """``--report-dir`` (claimed: see ``report_dir``), else ``<artifacts>/<run-id>`` under the
    project root; UsageError when the given folder is not the harness's to write."""
    if options.report_dir is not None:
        return claim_report_dir(options.report_dir, run_id)
    return project.root / project.artifacts / run_id


def plan_run(options: RunOptions, project: ProjectConfig, problems: list[Problem]) -> RunPlan:
    """Check everything, then select; SourceError lists every problem of every file."""
    found = list(problems)
    environment = _environment(project, options, found)
    journeys = _journeys(project, options, found)
    if found:
        raise SourceError(sorted(set(found), key=lambda p: (p.file, p.line, p.column, p.message)))
    assert environment is not None
    chosen = [j for j in journeys if _wanted(j, options)]
    notes: tuple[str, ...] = ()
    if options.last_failed:
        chosen, notes = _last_failed(chosen, project, environment.name)
    fail_on = project.fail_on + (("flaky",) if options.fail_on_flaky else ())
    config = config_fingerprint(
        project.file, environment.file, fail_on, [(j.id, project.root / j.id) for j in chosen]
    )
    chosen, shard = _shard(chosen, options, project, environment.name)
    endpoint = choose_endpoint(
        options.browser_endpoint,
        environment.browser,
        project.browser,
        environment_file=display_path(environment.file),
    )
    return RunPlan(
        project=project,
        environment=environment,
        journeys=tuple(j for j in chosen if j.journey.runs_in(environment.name)),
        skipped=tuple(j for j in chosen if not j.journey.runs_in(environment.name)),
        fail_on=normalize_fail_on(fail_on),
        secrets=_secret_values(environment, journeys, endpoint),
        deselected=len(journeys) - len(chosen),
        endpoint=endpoint,
        config=config,
        commit=git_commit(project.root),
        shard=shard,
        notes=notes,
    )


def _shard(
    chosen: list[PlannedJourney], options: RunOptions, project: ProjectConfig, environment: str
) -> tuple[list[PlannedJourney], ShardInfo | None]:
    """``--shard I/N``: this part of ``chosen``, balanced on recorded durations when there are
    any; serial groups stay in one part."""
    if options.shard is None:
        return chosen, None
    parts = options.shard.split(
        chosen,
        key=lambda j: j.id,
        group=lambda j: j.serial,
        seconds=recorded_seconds(project, environment),
    )
    split = split_fingerprint([[j.id for j in part] for part in parts])
    info = ShardInfo(options.shard.index, options.shard.total, split)
    return parts[options.shard.index - 1], info


def _last_failed(
    chosen: list[PlannedJourney], project: ProjectConfig, environment: str
) -> tuple[list[PlannedJourney], tuple[str, ...]]:
    """``--last-failed``: the journeys that failed or were flaky in the environment's last run;
    all of them (as pytest's --lf does) when there is no such run or nothing broke in it."""
    broken, reason = last_broken(store_url(project), environment)
    if broken is None:
        return chosen, (f"--last-failed: {reason}: running every selected journey",)
    again = [j for j in chosen if j.id in broken]
    if not again:
        return chosen, (
            "--last-failed: none of the selected journeys failed or was flaky in the last run "
            f"of {environment}: running every selected journey",
        )
    return again, (f"--last-failed: {len(again)} journey(s) that failed or were flaky last time",)


def environment_name(project: ProjectConfig, options: RunOptions) -> str | None:
    """``--env``; for ``harness smoke`` without it, ``local`` when there is one."""
    if options.env or not options.smoke:
        return options.env
    files = environment_files(project.root / project.environments)
    return SMOKE_ENVIRONMENT if SMOKE_ENVIRONMENT in files else None


def _environment(
    project: ProjectConfig, options: RunOptions, problems: list[Problem]
) -> Environment | None:
    folder = project.root / project.environments
    try:
        path = find_environment(
            folder, environment_name(project, options), project.default_environment
        )
    except UsageError:
        if problems:  # harness.yml could not be read: its own problems first, not their effect
            raise SourceError(list(problems)) from None
        raise
    try:
        return read_environment(path, project.root, display=display_path(path))
    except SourceError as exc:
        problems += exc.problems
        return None


def _journey_files(project: ProjectConfig, options: RunOptions) -> tuple[Path, ...]:
    for written in options.paths:
        if not Path(written).exists():
            raise UsageError(f"{written}: no such file or folder")
    paths = options.paths or (str(project.root / project.journeys),)
    files = find_files(paths).journeys
    if options.paths and not files:
        raise UsageError(
            f"no journey file (*.journey.yml, *.journey.yaml) in {', '.join(options.paths)}"
        )
    return files


def _journeys(
    project: ProjectConfig, options: RunOptions, problems: list[Problem]
) -> list[PlannedJourney]:
    loader = JourneyLoader(project.root)
    planned = []
    for file in _journey_files(project, options):
        try:
            journey = loader.journey(file)
        except SourceError as exc:
            problems += exc.problems
            continue
        planned.append(PlannedJourney(journey_id(file, project.root), journey))
    return planned


def journey_id(file: Path, root: Path) -> str:
    """The journey's file from the project root (``journeys/cart/add.journey.yml``)."""
    shown = relative_path(file, root)
    return shown if shown != file.as_posix() else display_path(file)


def _wanted(planned: PlannedJourney, options: RunOptions) -> bool:
    journey = planned.journey
    tags = options.tags + (("smoke",) if options.smoke and not options.tags else ())
    if not has_any_tag(journey.tags, tags):
        return False
    keywords = options.keywords
    return keywords is None or keywords.matches(journey.name, planned.id, journey.file)


def _secret_values(
    environment: Environment, journeys: list[PlannedJourney], endpoint: EndpointChoice | None
) -> tuple[str, ...]:
    names = set(environment.secret_names())
    names |= endpoint.secret_names() if endpoint is not None else set()
    for planned in journeys:
        names |= planned.journey.secret_names
    return tuple(sorted({os.environ[n] for n in names if os.environ.get(n)}))
