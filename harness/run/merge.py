"""``harness merge``: the report folders of the shards of one suite made into one run. Journeys
are unioned (one journey in two shards is an error), unit suites counted once, the cross-check
and the one gate decided once over everything, so the exit code is the one a single run of the
whole suite gives. Evidence is copied into the merged folder under the same relative paths."""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from harness.contract import EXIT_BAD_INPUT, EXIT_ENVIRONMENT
from harness.core.gate import early_gate
from harness.core.paths import display_path
from harness.core.project import ProjectConfig
from harness.core.traffic import TRAFFIC_FILE, Traffic
from harness.errors import UsageError
from harness.history.recorder import record_run, store_url
from harness.report import console
from harness.report.model import FinishedRun, Journey, MergedPart, RunInfo, Service, Timings
from harness.report.read import (
    journey_of,
    read_report_document,
    service_of,
    started_at,
    unit_suite_of,
)
from harness.report.write import write_reports
from harness.run.identity import git_commit
from harness.run.outcome import judge_run
from harness.run.report_dir import MARKER, claim_report_dir
from harness.stack.boot import new_run_id
from harness.unit.runner import UnitRun, kept_unit_run

#: Files of a run folder that the merged run writes anew instead of copying.
_REWRITTEN = {"report.json", "junit.xml", "report.html", TRAFFIC_FILE, "services", MARKER}


@dataclass(frozen=True)
class Part:
    """One shard's folder and its report.json."""

    folder: Path
    document: dict[str, Any]

    @property
    def run(self) -> dict[str, Any]:
        run: dict[str, Any] = self.document["run"]
        return run

    @property
    def shard(self) -> dict[str, Any] | None:
        shard: dict[str, Any] | None = self.run.get("shard")
        return shard

    @property
    def label(self) -> str:
        shard = self.shard
        return f"shard {shard['index']}/{shard['total']}" if shard else display_path(self.folder)

    @property
    def journeys(self) -> list[Journey]:
        return [journey_of(j) for j in self.document["journeys"]]


def read_parts(folders: Sequence[Path]) -> list[Part]:
    """Each folder's report.json, checked; the parts in shard order."""
    if not folders:
        raise UsageError("harness merge needs the report folders of the shards: DIR...")
    seen: set[Path] = set()
    parts = []
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such folder")
        if folder.resolve() in seen:
            raise UsageError(f"{folder}: named twice")
        seen.add(folder.resolve())
        parts.append(Part(folder, read_report_document(folder / "report.json")))
    return sorted(parts, key=lambda p: (p.shard or {}).get("index", 0))


def _one(parts: Sequence[Part], what: str, value: Any, hint: str) -> None:
    """Every part has the same ``value(part)``, or the merge is refused naming them."""
    values = {json.dumps(value(p), sort_keys=True) for p in parts}
    if len(values) > 1:
        shown = "\n".join(f"    {p.label} ({display_path(p.folder)}): {value(p)}" for p in parts)
        raise UsageError(
            f"these folders are not shards of one run: their {what} differ\n{shown}\n    {hint}"
        )


def check_one_run(parts: Sequence[Part]) -> None:
    """Same configuration, commit, environment and gate; every shard of 1..N exactly once."""
    for part in parts:
        gate = part.document["gate"]
        if part.shard is None and gate["exit_code"] == EXIT_BAD_INPUT:
            reason = (gate["reasons"] or ["bad input"])[0]
            raise UsageError(
                f"{display_path(part.folder)}: that run stopped on bad input: {reason}"
            )
        if part.shard is None:
            raise UsageError(
                f"{display_path(part.folder)}: not a shard (its run had no --shard I/N); "
                "harness merge takes the folders of `harness run --shard I/N` for I = 1..N"
            )
    same = "run every shard of one commit with the same harness.yml, environment and options"
    _one(parts, "commits", lambda p: p.run.get("commit"), same)
    _one(parts, "configurations", lambda p: p.run.get("config"), same)
    _one(parts, "environments", lambda p: p.run["environment"], same)
    _one(parts, "gate settings (fail_on)", lambda p: p.document["gate"]["fail_on"], same)
    _one(parts, "shard counts (N)", lambda p: p.shard and p.shard["total"], same)
    _one(
        parts,
        "splits (the journeys were dealt out differently)",
        lambda p: p.shard and p.shard["split"],
        "the shards balanced on different duration histories: give them one history.url",
    )
    total = int(parts[0].shard["total"]) if parts[0].shard else 0
    indexes = [int(p.shard["index"]) for p in parts if p.shard]
    twice = sorted({i for i in indexes if indexes.count(i) > 1})
    if twice:
        raise UsageError(f"shard {twice[0]}/{total} is given twice")
    missing = [i for i in range(1, total + 1) if i not in indexes]
    if missing:
        names = ", ".join(f"{i}/{total}" for i in missing)
        raise UsageError(f"shard {names} missing: merge the folders of all {total} shards")


def union_journeys(parts: Sequence[Part]) -> list[Journey]:
    """Every journey of every part; one journey in two parts is an error."""
    where: dict[str, Part] = {}
    journeys = []
    for part in parts:
        for journey in part.journeys:
            if journey.id in where:
                raise UsageError(
                    f"journey {journey.id} is in {where[journey.id].label} and in {part.label}: "
                    "the same journey twice would count twice"
                )
            where[journey.id] = part
            journeys.append(journey)
    return journeys


def _unit_runs(parts: Sequence[Part]) -> tuple[UnitRun, ...]:
    """Each suite once: a suite that several shards ran is the same suite (the first shard's)."""
    runs: dict[str, UnitRun] = {}
    for part in parts:
        for data in part.document["unit"]:
            suite = unit_suite_of(data)
            if suite.name in runs:
                continue
            kept = kept_unit_run(suite.name, part.folder / "unit", suite.duration_s)
            if kept is None:
                raise UsageError(
                    f"{display_path(part.folder)}: report.json names unit suite {suite.name} "
                    "but unit/ does not hold its JUnit"
                )
            runs[suite.name] = kept
    return tuple(runs.values())


def _traffic(parts: Sequence[Part]) -> Traffic:
    found = []
    for part in parts:
        path = part.folder / TRAFFIC_FILE
        if path.is_file():
            try:
                found.append(Traffic.from_json(json.loads(path.read_text(encoding="utf-8"))))
            except (ValueError, KeyError) as exc:
                raise UsageError(f"{display_path(path)}: not a traffic file: {exc}") from exc
    return Traffic.combined(found)


def copy_evidence(parts: Sequence[Part], target: Path) -> tuple[Service, ...]:
    """Every part's files (journeys, logs, unit results) under the same paths in ``target``;
    each part's service logs under ``services/shard-I/``, the services named with their shard."""
    services = []
    for part in parts:
        for item in part.folder.iterdir():
            if item.name in _REWRITTEN:
                continue
            if item.is_dir():
                shutil.copytree(item, target / item.name, dirs_exist_ok=True)
            elif not (target / item.name).exists():
                shutil.copy2(item, target / item.name)
        tag = f"shard-{part.shard['index']}" if part.shard else part.folder.name
        for data in part.run["services"]:
            service = service_of(data)
            log = None
            if service.log and (part.folder / service.log).is_file():
                log = f"services/{tag}/{Path(service.log).name}"
                (target / log).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(part.folder / service.log, target / log)
            services.append(Service(f"{service.name} ({part.label})", service.boot_s, log))
    return tuple(services)


def _run_info(parts: Sequence[Part], run_id: str, services: tuple[Service, ...]) -> RunInfo:
    """The shards ran at once: from the first start to the last end, each phase its longest."""
    starts = [started_at(p.document) for p in parts]
    ends = [s + timedelta(seconds=p.run["duration_s"]) for s, p in zip(starts, parts, strict=True)]
    phases = {
        name: max(float(p.run["timings_s"][name]) for p in parts)
        for name in ("boot", "unit", "journeys", "teardown")
    }
    first = parts[0].run
    return RunInfo(
        id=run_id,
        environment=first["environment"],
        started_at=min(starts),
        duration_s=(max(ends) - min(starts)).total_seconds(),
        timings=Timings(**phases),
        services=services,
        config=first.get("config"),
        commit=first.get("commit"),
        merged_from=tuple(
            MergedPart(display_path(p.folder), p.run["id"], p.label if p.shard else None)
            for p in parts
        ),
    )


def _stopped(parts: Sequence[Part]) -> tuple[int, str] | None:
    """A shard that stopped early (bad input, exit 2; no environment, exit 4) stops the whole."""
    for code in (EXIT_BAD_INPUT, EXIT_ENVIRONMENT):
        for part in parts:
            gate = part.document["gate"]
            if gate["exit_code"] == code:
                reasons = gate["reasons"] or ["(no reason recorded)"]
                return code, f"{part.label}: {reasons[0]}"
    return None


def merge_runs(
    folders: Sequence[Path], project: ProjectConfig, report_dir: Path | None = None
) -> tuple[FinishedRun, Path]:
    """The merged run and the folder its reports were written to."""
    parts = read_parts(folders)
    check_one_run(parts)
    here = git_commit(project.root)
    theirs = parts[0].run.get("commit")
    if here and theirs and here != theirs:
        raise UsageError(
            f"the shards ran commit {theirs}, this checkout is {here}: merge in a checkout of "
            "the commit they ran (the cross-check reads its unit-test sources)"
        )
    journeys = union_journeys(parts)
    run_id = new_run_id()
    given = report_dir or project.root / project.artifacts / f"merged-{run_id}"
    target = given.resolve()
    for part in parts:
        folder = part.folder.resolve()
        if target == folder or target in folder.parents or folder in target.parents:
            raise UsageError(
                f"--report-dir {given}: it holds, or lies in, the folder of {part.label}; "
                "give a folder of its own"
            )
    target = claim_report_dir(given, run_id)
    services = copy_evidence(parts, target)
    started = time.monotonic()
    run = _run_info(parts, run_id, services)
    fail_on = tuple(parts[0].document["gate"]["fail_on"])
    stopped = _stopped(parts)
    if stopped is not None:
        gate = early_gate(stopped[0], stopped[1], fail_on)
        finished = FinishedRun(run, gate, tuple(sorted(journeys, key=lambda j: j.id)))
    else:
        ran = any(j.status != "skipped" for j in journeys)
        finished = judge_run(
            run, journeys, _unit_runs(parts), project, _traffic(parts), fail_on=fail_on, ran=ran
        )
    timings = replace(finished.run.timings, crosscheck=time.monotonic() - started)
    finished = replace(finished, run=replace(finished.run, timings=timings))
    finished = remember_merged(finished, parts, project)
    write_reports(finished, target)
    return finished, target


def remember_merged(
    finished: FinishedRun, parts: Sequence[Part], project: ProjectConfig
) -> FinishedRun:
    """The merged run in the history store, in place of its shards' own runs (when they wrote
    to the same store), so each journey counts once; a store that cannot be written is a note."""
    shard_runs = [str(part.run["id"]) for part in parts]
    warning = record_run(finished, store_url(project), root=project.root, replaces=shard_runs)
    if warning is None:
        return finished
    return replace(finished, gate=replace(finished.gate, notes=(*finished.gate.notes, warning)))


def print_summary(finished: FinishedRun, folder: Path) -> None:
    text = console.end_of_run_output(
        finished,
        colour=console.wants_colour(sys.stdout),
        github_actions=console.in_github_actions(),
        report_dir=display_path(folder),
    )
    sys.stdout.write("\n" + text)
    sys.stdout.flush()
