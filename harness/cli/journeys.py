"""``harness validate`` (every user file checked before anything runs) and ``harness list``
(the journeys, their tags and the features they cover)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import click

from harness.contract import PROJECT_FILE
from harness.core import environment
from harness.core import project as project_config
from harness.core.journey.loader import (
    JourneyLoader,
    find_files,
    is_journey_file,
    is_steps_file,
)
from harness.core.journey.model import Journey
from harness.core.paths import display_path
from harness.errors import Problem, SourceError, UsageError

#: From this many files on, validate uses every core.
PARALLEL_FROM = 200


@dataclass
class _Project:
    """What validate needs from harness.yml, when the project module is there."""

    root: Path | None = None
    journeys: Path | None = None
    environments: Path | None = None
    file: Path | None = None
    problems: list[Problem] = field(default_factory=list)


def _load_project(config: str | None) -> _Project:
    loaded, problems = project_config.load_project_or_defaults(config)
    shown = [replace(p, file=display_path(Path(p.file))) for p in problems]
    root = loaded.root
    return _Project(root, root / loaded.journeys, root / loaded.environments, loaded.file, shown)


@dataclass
class _Targets:
    journeys: list[Path] = field(default_factory=list)
    steps: list[Path] = field(default_factory=list)
    environments: list[Path] = field(default_factory=list)
    projects: list[Path] = field(default_factory=list)


def _targets(paths: tuple[str, ...], project: _Project) -> _Targets:
    if not paths:
        defaults = [p for p in (project.journeys,) if p is not None and p.is_dir()]
        targets = _targets_in([str(p) for p in defaults] or ["."], project)
        targets.environments += _environment_files(project.environments)
        targets.projects += [project.file] if project.file else []
        return targets
    return _targets_in(list(paths), project)


def _targets_in(paths: list[str], project: _Project) -> _Targets:
    targets = _Targets()
    for written in paths:
        path = Path(written)
        if not path.exists():
            raise UsageError(f"{written}: no such file or folder")
        if path.is_dir():
            found = find_files([path])
            targets.journeys += found.journeys
            targets.steps += found.steps
            targets.environments += _environments_under(path, project)
            targets.projects += [path / PROJECT_FILE] if (path / PROJECT_FILE).is_file() else []
        else:
            _classify(path, project, targets)
    return targets


def _classify(path: Path, project: _Project, targets: _Targets) -> None:
    if is_journey_file(path):
        targets.journeys.append(path)
    elif is_steps_file(path):
        targets.steps.append(path)
    elif path.name == PROJECT_FILE:
        targets.projects.append(path)
    elif path.suffix in (".yml", ".yaml") and _is_environments_folder(path.parent, project):
        targets.environments.append(path)
    else:
        raise UsageError(
            f"{path}: not a journey (*.journey.yml), shared steps (*.steps.yml), "
            "environment file (in the environments folder) or harness.yml"
        )


def _is_environments_folder(folder: Path, project: _Project) -> bool:
    if project.environments is not None:
        return folder.resolve() == project.environments.resolve()
    return folder.name == "environments"


def _environments_under(folder: Path, project: _Project) -> list[Path]:
    environments = project.environments
    if environments is None or not environments.is_dir():
        return []
    if folder.resolve() in (environments.resolve(), *environments.resolve().parents):
        return _environment_files(environments)
    return []


def _environment_files(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and not p.is_dir())


def _problems_of(load: Callable[..., object], *args: Any) -> list[Problem]:
    try:
        load(*args)
    except SourceError as exc:
        return list(exc.problems)
    return []


def _check_environments(files: Iterable[Path], project: _Project) -> list[Problem]:
    root = project.root or Path.cwd()
    return [
        problem
        for file in files
        for problem in _problems_of(environment.load_environment, file, root, display_path(file))
    ]


def _check_projects(files: Iterable[Path], project: _Project) -> list[Problem]:
    problems = list(project.problems)
    for file in files:
        if project.file is None or file.resolve() != project.file.resolve():
            problems += _problems_of(project_config.load_project_file, file, display_path(file))
    return problems


@dataclass
class _Outcome:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    journeys: list[Journey] = field(default_factory=list)


def _check_journeys(targets: _Targets, loader: JourneyLoader) -> _Outcome:
    outcome = _Outcome()
    for path in targets.steps:
        try:
            outcome.warnings += loader.shared_steps(path).warnings
        except SourceError as exc:
            outcome.problems += exc.problems
    for path in targets.journeys:
        try:
            journey = loader.journey(path)
        except SourceError as exc:
            outcome.problems += exc.problems
        else:
            outcome.journeys.append(journey)
            outcome.warnings += journey.warnings
    return outcome


def _check_chunk(root: Path | None, targets: _Targets) -> _Outcome:
    outcome = _check_journeys(targets, JourneyLoader(root))
    return _Outcome(outcome.problems, outcome.warnings)  # journeys stay in the worker


def _check_many(targets: _Targets, root: Path | None) -> _Outcome:
    """Problems and warnings of every journey and steps file; on more than one core, large
    sets are checked in forked workers (1,000 journeys must validate in under 2 s)."""
    workers = min(os.cpu_count() or 1, 4)
    count = len(targets.journeys) + len(targets.steps)
    if count < PARALLEL_FROM or workers < 2:
        return _check_chunk(root, targets)
    # Imported here: a dozen journeys need no process pool (harness validate under 0.5 s).
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in mp.get_all_start_methods():
        return _check_chunk(root, targets)
    chunks = [
        _Targets(journeys=targets.journeys[i :: workers * 4], steps=targets.steps[i :: workers * 4])
        for i in range(workers * 4)
    ]
    merged = _Outcome()
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        for outcome in pool.map(_check_chunk, [root] * len(chunks), chunks):
            merged.problems += outcome.problems
            merged.warnings += outcome.warnings
    return merged


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.file, p.line, p.column, p.message))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--config", help="The harness.yml to use (default: found from here upwards).")
def validate_command(paths: tuple[str, ...], config: str | None) -> None:
    """Check journeys, shared steps, environments and harness.yml before anything runs.

    Without PATHS: the project's journeys folder, environments and harness.yml. Exit 0 when
    everything is valid, 2 with every error (file:line:column) otherwise.
    """
    project = _load_project(config)
    targets = _targets(paths, project)
    outcome = _check_many(targets, project.root)
    problems = _sorted(
        [
            *outcome.problems,
            *_check_environments(targets.environments, project),
            *_check_projects(targets.projects, project),
        ]
    )
    for warning in _sorted(outcome.warnings):
        click.echo(str(warning), err=True)
    checked = [
        _count(len(targets.journeys), "journey"),
        _count(len(targets.steps), "shared steps file"),
        _count(len(targets.environments), "environment"),
    ] + ([PROJECT_FILE] if targets.projects else [])
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        files = len({p.file for p in problems})
        click.echo(f"{_count(len(problems), 'error')} in {_count(files, 'file')}", err=True)
        _exit(2)
    click.echo(f"ok: {', '.join(checked)}")


@click.command("list")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--tag", "tags", multiple=True, help="Only journeys with this tag (repeatable).")
@click.option("--config", help="The harness.yml to use (default: found from here upwards).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--features", is_flag=True, help="Show what links to each feature instead.")
@click.pass_context
def list_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    tags: tuple[str, ...],
    config: str | None,
    as_json: bool,
    features: bool = False,
) -> None:
    """List the journeys with their tags and the features they cover."""
    project = _load_project(config)
    targets = _targets(paths, project)
    outcome = _check_journeys(_Targets(journeys=targets.journeys), JourneyLoader(project.root))
    if outcome.problems:
        for problem in _sorted(outcome.problems):
            click.echo(str(problem), err=True)
        _exit(2)
    if features:  # the same as `harness features`
        from harness.cli.crosscheck import feature_links_text

        click.echo(feature_links_text(config))
        return
    chosen = [j for j in outcome.journeys if not tags or set(tags) & set(j.tags)]
    if as_json:
        click.echo(json.dumps([_summary(j) for j in chosen], indent=2))
        return
    for journey in chosen:
        click.echo(_line(journey))
    click.echo(_count(len(chosen), "journey"), err=True)


def _summary(journey: Journey) -> dict[str, Any]:
    quarantine = journey.quarantine
    return {
        "name": journey.name,
        "file": journey.file,
        "tags": list(journey.tags),
        "covers": list(journey.covers),
        "environments": list(journey.environments),
        "steps": len(journey.steps),
        "quarantine": None
        if quarantine is None
        else {
            "reason": quarantine.reason,
            "until": str(quarantine.until) if quarantine.until else None,
        },
    }


def _line(journey: Journey) -> str:
    parts = [f"{journey.file}: {journey.name}"]
    if journey.tags:
        parts.append(f"tags: {', '.join(journey.tags)}")
    if journey.covers:
        parts.append(f"covers: {', '.join(journey.covers)}")
    if journey.environments:
        parts.append(f"environments: {', '.join(journey.environments)}")
    if journey.quarantine is not None:
        until = f" until {journey.quarantine.until}" if journey.quarantine.until else ""
        parts.append(f"quarantined{until}: {journey.quarantine.reason}")
    return "  ".join(parts)


def _exit(code: int) -> None:
    # sys.exit, not click's Exit: ``cli.main(standalone_mode=False)`` returns an Exit's code.
    sys.exit(code)


def register(group: click.Group) -> None:
    group.add_command(validate_command)
    group.add_command(list_command)
