"""The mock-drift part of a run: the journeys' captured traffic kept as ``traffic.json``, the
mocks of the linked unit tests found in their source, and each feature's drift put beside its
verdict. ``harness drift`` recomputes the same from a finished run or a HAR file."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from harness.core.drift import Drift, FeatureDrift, Unmatched, check_mock, feature_drift
from harness.core.features import FeatureLinks, UnitTest, link_features
from harness.core.har import HarError, read_har
from harness.core.junit import read_junit
from harness.core.project import ProjectConfig
from harness.core.response_mocks import ResponseMock, find_response_mocks
from harness.core.traffic import TRAFFIC_FILE, Exchange, Traffic
from harness.errors import UsageError
from harness.report import model
from harness.unit.runner import UnitRun, read_globs, unit_tests_of

#: Suffixes of the test files whose mocks are read (JSON fixtures are found through them).
TEST_SUFFIXES = (".py", ".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")


def test_files(tests: Iterable[UnitTest], root: Path) -> tuple[Path, ...]:
    """The source files of these unit tests that exist under ``root``, each once."""
    found: dict[Path, None] = {}
    for test in tests:
        case = test.case
        names = [i.partition("::")[0] for i in test.ids if "::" in i]
        names += [n for n in (case.file, case.classname) if n and "/" in n]
        for name in names:
            path = root / name
            if name.endswith(TEST_SUFFIXES) and path.is_file():
                found[path] = None
    return tuple(found)


def drift_of(
    links: Sequence[FeatureLinks], traffic: Traffic, root: Path
) -> dict[str, FeatureDrift]:
    """Each linked feature's drift: the mocks its unit tests use against its journeys' traffic."""
    tests = [linked.test for feature in links for linked in feature.unit_tests]
    mocks = find_response_mocks(root, test_files(tests, root)) if traffic.endpoints else ()
    return {
        feature.feature: feature_drift(
            feature.feature,
            [linked.test for linked in feature.unit_tests],
            feature.journeys,
            mocks,
            traffic.endpoints,
        )
        for feature in links
    }


def _place(mock: ResponseMock, tests: tuple[str, ...]) -> model.MockPlace:
    return model.MockPlace(mock.file, mock.line, tests)


def report_drift(drift: Drift) -> model.MockDrift:
    return model.MockDrift(
        _place(drift.mock, drift.tests), drift.endpoint, drift.kind, drift.path, drift.message
    )


def report_unchecked(unmatched: Unmatched) -> model.UncheckedMock:
    return model.UncheckedMock(
        _place(unmatched.mock, unmatched.tests), unmatched.endpoint, unmatched.message
    )


def with_drift(
    features: Iterable[model.Feature], drift: Mapping[str, FeatureDrift]
) -> tuple[model.Feature, ...]:
    """The features with their drift and their unchecked mocks filled in."""
    return tuple(
        replace(
            feature,
            drift=tuple(report_drift(d) for d in drift[feature.id].drift),
            unchecked_mocks=tuple(report_unchecked(u) for u in drift[feature.id].unmatched),
        )
        if feature.id in drift
        else feature
        for feature in features
    )


def drift_sentences(drift: Mapping[str, FeatureDrift]) -> tuple[tuple[str, str], ...]:
    """(feature, sentence) for each drift: what the gate lists or warns about."""
    return tuple((name, d.message) for name, found in drift.items() for d in found.drift)


def write_traffic(exchanges: Iterable[Exchange], folder: Path) -> Traffic:
    """``traffic.json`` in the run's folder, from every attempt's captured exchanges (masked
    by each attempt already; the run masks every file it keeps once more)."""
    traffic = Traffic.from_exchanges(exchanges)
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(traffic.to_json(), indent=1, ensure_ascii=False) + "\n"
    (folder / TRAFFIC_FILE).write_bytes(text.encode("utf-8", errors="backslashreplace"))
    return traffic


# --- harness drift: from a finished run, or from a HAR file --------------------------------

#: Folders never searched for test files when a HAR has no run to name them.
_SKIPPED = {"node_modules", ".venv", "venv", ".git", "__pycache__", ".harness", "dist", "build"}
_TEST_NAME = re.compile(r"(^test_.*\.py$|_test\.py$|\.(test|spec)\.[cm]?[jt]sx?$)")


@dataclass(frozen=True)
class DriftReport:
    """What ``harness drift`` shows: per feature (or one group for a HAR), verdict and drift."""

    source: str
    features: tuple[tuple[str, str, FeatureDrift], ...]

    @property
    def drift(self) -> tuple[Drift, ...]:
        return tuple(d for _, _, found in self.features for d in found.drift)

    @property
    def unmatched(self) -> tuple[Unmatched, ...]:
        return tuple(u for _, _, found in self.features for u in found.unmatched)


def latest_run(project: ProjectConfig) -> Path:
    """The newest run folder under the project's artifacts that kept its traffic."""
    folder = project.root / project.artifacts
    runs = sorted(
        (p for p in folder.glob(f"*/{TRAFFIC_FILE}") if p.is_file()),
        key=lambda p: p.stat().st_mtime,
    )
    if not runs:
        raise UsageError(
            f"no run with {TRAFFIC_FILE} under {folder}: run `harness run` first, "
            "or name a run folder or a HAR file"
        )
    return runs[-1].parent


def drift_of_run(run_dir: Path, project: ProjectConfig) -> DriftReport:
    """The run's traffic and links (journeys from report.json, unit tests from its JUnit)
    against the test sources as they are now."""
    traffic = _read_traffic(run_dir / TRAFFIC_FILE)
    report = _read_json(run_dir / "report.json")
    journeys = {
        str(j["id"]): tuple(str(c) for c in j.get("covers") or ())
        for j in report.get("journeys") or ()
    }
    unit = unit_tests_of(_unit_runs(run_dir, project), project.root)
    links = link_features(unit, project.features, journeys)
    verdicts = {str(f["id"]): str(f["verdict"]) for f in report.get("features") or ()}
    found = drift_of(links, traffic, project.root)
    return DriftReport(
        str(run_dir),
        tuple((f.feature, verdicts.get(f.feature, ""), found[f.feature]) for f in links),
    )


def drift_of_har(har: Path, project: ProjectConfig) -> DriftReport:
    """Every mock of the project's test files against every JSON response of the HAR."""
    try:
        exchanges = read_har(har)
    except HarError as exc:
        raise UsageError(str(exc)) from exc
    if not any(x.shape is not None for x in exchanges):
        raise UsageError(
            f"{har}: no JSON response body to compare the mocks with (of {len(exchanges)} "
            "responses); export the HAR with its content (in Playwright, record_har_content "
            "'embed' or 'attach', not 'omit')"
        )
    traffic = Traffic.from_exchanges(exchanges)
    mocks = find_response_mocks(project.root, project_test_files(project))
    drift: list[Drift] = []
    unmatched: list[Unmatched] = []
    for mock in mocks:
        checked = check_mock(mock, mock.tests, traffic.endpoints, traffic.endpoints, "the HAR")
        drift += checked.drift
        unmatched += [checked.unmatched] if checked.unmatched else []
    found = FeatureDrift(har.name, tuple(drift), tuple(unmatched))
    return DriftReport(str(har), ((har.name, "", found),))


def project_test_files(project: ProjectConfig) -> tuple[Path, ...]:
    """Test files under the project root by their names (``test_*.py``, ``*.test.ts``, ...)."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(project.root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED and not d.startswith("."))
        found += [Path(folder) / f for f in sorted(files) if _TEST_NAME.search(f)]
    return tuple(found)


def _unit_runs(run_dir: Path, project: ProjectConfig) -> list[UnitRun]:
    """The run's own JUnit of each command source; existing files for ``junit:`` sources."""
    runs = []
    for source in project.unit_tests:
        if source.command:
            kept = run_dir / "unit" / f"{source.name}.xml"
            if kept.is_file():
                runs.append(UnitRun(source.name, (read_junit(kept),)))
        else:
            runs.append(UnitRun(source.name, read_globs(source.junit, project.root, source.name)))
    return runs


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"{path}: no such file; is this a run folder?") from exc
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot be read as JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise UsageError(f"{path}: not a JSON object")
    return data


def _read_traffic(path: Path) -> Traffic:
    try:
        return Traffic.from_json(_read_json(path))
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"{path}: {exc}") from exc
