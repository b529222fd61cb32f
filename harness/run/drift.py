"""The mock-drift part of a run: the journeys' captured traffic kept as ``traffic.json``, the
mocks of the linked unit tests found in their source, and each feature's drift put beside its
verdict. ``harness drift`` recomputes the same from a finished run or a HAR file."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from harness.core.drift import Drift, FeatureDrift, Unmatched, feature_drift
from harness.core.features import FeatureLinks, UnitTest
from harness.core.response_mocks import ResponseMock, find_response_mocks
from harness.core.traffic import TRAFFIC_FILE, Exchange, Traffic
from harness.report import model

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
