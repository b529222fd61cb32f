"""``harness crosscheck``: verdicts per feature from JUnit reports a CI job already has, running
nothing; and ``harness features``: what links to what."""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import click

from harness.contract import EXIT_MEANINGS, JOURNEY_SUFFIXES, VERDICT_MEANINGS, VERDICTS
from harness.core.features import FeatureLinks, UnitTest, link_features
from harness.core.gate import Gate, decide_gate
from harness.core.journey_results import JudgedJourney, journeys_from_junit
from harness.core.mocks import MockCounter
from harness.core.project import ProjectConfig, load_project
from harness.core.source import load_document
from harness.core.verdict import Coverage, FeatureVerdict, judge
from harness.errors import NoJourneyError, Problem, SourceError, UsageError
from harness.unit.runner import (
    collect_unit_results,
    read_globs,
    sources_from_paths,
    unit_tests_of,
)


@click.command("crosscheck")
@click.option(
    "--journeys",
    "journey_reports",
    multiple=True,
    required=True,
    metavar="JUNIT",
    help="The journeys' JUnit report (the harness's junit.xml); a glob, repeatable.",
)
@click.option(
    "--unit",
    "unit_reports",
    multiple=True,
    metavar="JUNIT",
    help="Unit-test JUnit reports; globs, repeatable. Default: harness.yml's junit sources.",
)
@click.argument("more_unit", nargs=-1, metavar="[JUNIT]...")
@click.option("--config", type=click.Path(dir_okay=False), help="The harness.yml to use.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write JSON.")
def crosscheck_command(
    journey_reports: tuple[str, ...],
    unit_reports: tuple[str, ...],
    more_unit: tuple[str, ...],
    config: str | None,
    json_path: str | None,
) -> None:
    """Verdicts per feature from existing JUnit reports, running nothing.

    The exit code is decided by the same gate as ``harness run``: 3 when a feature is
    green-but-broken, 1 when a journey failed, 4 when a journey could not run, 0 otherwise.
    """
    project = load_project(config)
    journeys = with_covers_from_files(_journeys(journey_reports, Path.cwd()), project.root)
    unit = _unit_tests(unit_reports + more_unit, project)
    links = link_features(unit, project.features, {j.id: j.covers for j in journeys})
    verdicts = judge(links, journeys, MockCounter(project.root).count)
    gate = decide_gate(journeys, verdicts, project.fail_on)
    click.echo(render(verdicts, Coverage.from_links(links), gate))
    if json_path:
        _write_json(Path(json_path), verdicts, Coverage.from_links(links), gate)
    # sys.exit, not click's Exit: ``cli.main(standalone_mode=False)`` returns an Exit's code
    # instead of raising it, so the code would be lost on the way out of ``harness.cli.main``.
    sys.exit(gate.exit_code)


def _journeys(patterns: Sequence[str], root: Path) -> tuple[JudgedJourney, ...]:
    reports = [r for pattern in patterns for r in read_globs([pattern], root, "--journeys")]
    journeys = tuple(j for report in reports for j in journeys_from_junit(report))
    if not journeys:
        raise NoJourneyError(
            f"no journey in {', '.join(r.source for r in reports)}: nothing to cross-check"
        )
    return journeys


def with_covers_from_files(
    journeys: Sequence[JudgedJourney], root: Path
) -> tuple[JudgedJourney, ...]:
    """A report that names a journey's file but not its ``covers`` (the pytest plugin's) is
    completed from the journey file itself."""
    return tuple(
        replace(j, covers=_covers_in(root / j.file)) if not j.covers and j.file else j
        for j in journeys
    )


def _covers_in(file: Path, display: str | None = None) -> tuple[str, ...]:
    if not file.is_file():
        return ()
    data = load_document(file, display).data
    listed = data.get("covers", []) if isinstance(data, dict) else []
    return tuple(str(f) for f in listed) if isinstance(listed, list) else ()


def _unit_tests(patterns: Sequence[str], project: ProjectConfig) -> tuple[UnitTest, ...]:
    if patterns:  # command-line paths start where the user is; harness.yml's at the root
        return unit_tests_of(sources_from_paths(patterns, Path.cwd()), project.root)
    readable = [s for s in project.unit_tests if s.junit]
    if not readable:
        raise UsageError(
            "no unit-test reports: give --unit JUNIT, or list junit globs under unit_tests in "
            "harness.yml (crosscheck runs no command)"
        )
    runs = sources_from_paths([g for s in readable for g in s.junit], project.root)
    return unit_tests_of(runs, project.root)


def render(verdicts: Sequence[FeatureVerdict], coverage: Coverage, gate: Gate) -> str:
    """The table of verdicts, the evidence of the loud ones, the coverage and the outcome."""
    ordered = sorted(verdicts, key=lambda v: (VERDICTS.index(v.verdict), v.feature))
    rows = [("feature", "verdict", "journeys", "unit tests", "mocked:real")]
    rows += [_row(v) for v in ordered]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    for verdict in ordered:
        if verdict.evidence and verdict.verdict not in ("verified", "journey-only"):
            meaning = VERDICT_MEANINGS[verdict.verdict]
            lines += ["", f"{verdict.feature}: {verdict.verdict} ({meaning})"]
            lines += [f"    {line}" for line in verdict.evidence]
    lines += ["", f"features: {coverage.features}; {coverage.describe()}"]
    lines.append(f"exit {gate.exit_code}: {EXIT_MEANINGS[gate.exit_code]}")
    lines += [f"    {reason}" for reason in gate.reasons]
    return "\n".join(lines)


def _row(verdict: FeatureVerdict) -> tuple[str, str, str, str, str]:
    statuses = [j.status for j in verdict.journeys]
    journeys = ", ".join(f"{statuses.count(s)} {s}" for s in dict.fromkeys(statuses)) or "-"
    unit = "-"
    if verdict.unit_tests:
        unit = f"{verdict.unit_passed} passed, {verdict.unit_failed} failed"
    ratio = "-"
    if verdict.ratio.mocked or verdict.ratio.real:
        ratio = str(verdict.ratio) + (" (over 3:1)" if verdict.ratio.flagged else "")
    loud = verdict.verdict.upper() if verdict.verdict == "green-but-broken" else verdict.verdict
    return (verdict.feature, loud, journeys, unit, ratio)


def _write_json(
    path: Path, verdicts: Sequence[FeatureVerdict], coverage: Coverage, gate: Gate
) -> None:
    data = {
        "exit_code": gate.exit_code,
        "gate": {"passed": gate.passed, "exit_code": gate.exit_code, "reasons": gate.reasons},
        "features": [v.as_report() for v in verdicts],
        "coverage": {
            "features": coverage.features,
            "with_journey": coverage.with_journey,
            "with_unit_tests": coverage.with_unit,
            "with_both": coverage.with_both,
        },
    }
    try:
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--json {path}: cannot write: {exc.strerror or exc}") from exc


# --- harness features ---------------------------------------------------------------------------


@click.command("features")
@click.option("--unit", "unit_reports", multiple=True, metavar="JUNIT", help="Unit-test JUnit.")
@click.argument("more_unit", nargs=-1, metavar="[JUNIT]...")
@click.option("--config", type=click.Path(dir_okay=False), help="The harness.yml to use.")
@click.option("--run-unit", is_flag=True, help="Run harness.yml's unit-test commands to see.")
def features_command(
    unit_reports: tuple[str, ...], more_unit: tuple[str, ...], config: str | None, run_unit: bool
) -> None:
    """What links to what: each feature's journeys and unit tests, and the gaps.

    Unit tests come from --unit reports, else from harness.yml's junit sources (and with
    --run-unit, from running its unit-test commands).
    """
    click.echo(feature_links_text(config, unit_reports + more_unit, run_unit=run_unit))


def feature_links_text(
    config: str | None, unit_reports: Sequence[str] = (), *, run_unit: bool = False
) -> str:
    """``harness features`` (and ``harness list --features``): what links to each feature."""
    project = load_project(config)
    covers = journey_covers(project)
    unit: tuple[UnitTest, ...] = ()
    if run_unit and not unit_reports:
        with tempfile.TemporaryDirectory(prefix="harness-unit-") as folder:
            unit = unit_tests_of(collect_unit_results(project, Path(folder)), project.root)
    elif unit_reports or any(s.junit for s in project.unit_tests):
        unit = _unit_tests(unit_reports, project)
    links = link_features(unit, project.features, covers)
    return render_links(links, Coverage.from_links(links))


def journey_covers(project: ProjectConfig) -> dict[str, tuple[str, ...]]:
    """Each journey file's ``covers``, by its path from the project root."""
    folder = project.root / project.journeys
    files = sorted(p for p in folder.rglob("*") if p.name.endswith(JOURNEY_SUFFIXES))
    covers: dict[str, tuple[str, ...]] = {}
    problems: list[Problem] = []
    for file in files:
        try:
            shown = str(file.relative_to(project.root))
            covers[shown] = _covers_in(file, shown)
        except SourceError as exc:
            problems += exc.problems
    if problems:
        raise SourceError(problems)
    return covers


def render_links(links: Sequence[FeatureLinks], coverage: Coverage) -> str:
    lines: list[str] = []
    for feature in links:
        lines.append(f"{feature.feature}")
        lines += [f"    journey    {journey}" for journey in feature.journeys]
        for linked in feature.unit_tests:
            why = "; ".join(link.describe() for link in linked.links)
            lines.append(f"    unit test  {linked.test.label} [{linked.test.source}] ({why})")
    gaps = [
        (
            "unit tests but no journey",
            [f.feature for f in links if f.unit_tests and not f.journeys],
        ),
        (
            "journeys but no unit tests",
            [f.feature for f in links if f.journeys and not f.unit_tests],
        ),
    ]
    lines.append("")
    lines += [f"{label}: {', '.join(ids) or 'none'}" for label, ids in gaps]
    lines.append(f"features: {coverage.features}; {coverage.describe()}")
    return "\n".join(lines)


def register(group: click.Group) -> None:
    group.add_command(crosscheck_command)
    group.add_command(features_command)
