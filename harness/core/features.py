"""Link unit tests and journeys to the features they cover: ``features`` patterns from
harness.yml, a ``feature``/``covers`` JUnit property (which the ``covers`` pytest marker writes),
and each journey's own ``covers``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # harness.yml's features need no XML parser (harness validate starts fast)
    from harness.core.junit import JUnitCase

#: JUnit property names that name a feature; the ``covers`` pytest marker writes ``feature``.
FEATURE_PROPERTIES = ("feature", "covers")

_DOTTED = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


@dataclass(frozen=True)
class FeatureConfig:
    """One entry of harness.yml's ``features``: the patterns that link unit tests to it."""

    id: str
    unit: tuple[str, ...]


@dataclass(frozen=True)
class UnitTest:
    """A unit test case from one configured unit-test source (``unit_tests[].name``)."""

    source: str
    case: JUnitCase
    ids: tuple[str, ...]

    @classmethod
    def from_case(cls, source: str, case: JUnitCase, root: Path | None = None) -> UnitTest:
        return cls(source=source, case=case, ids=unit_test_ids(case, root))

    @property
    def label(self) -> str:
        """The most readable id: the likeliest node id (``file::name``), else classname.name."""
        return self.ids[1] if len(self.ids) > 1 else self.case.dotted_name


@dataclass(frozen=True)
class Link:
    """Why a test is linked to a feature: which pattern, or which JUnit property."""

    feature: str
    way: Literal["pattern", "property"]
    detail: str

    def describe(self) -> str:
        if self.way == "pattern":
            return f"features.{self.feature}.unit pattern {self.detail!r}"
        return f"JUnit property {self.detail}={self.feature}"


@dataclass(frozen=True)
class LinkedTest:
    """A unit test with every link that ties it to one feature."""

    test: UnitTest
    links: tuple[Link, ...]


@dataclass(frozen=True)
class FeatureLinks:
    """Everything linked to one feature: journey ids and unit tests."""

    feature: str
    journeys: tuple[str, ...]
    unit_tests: tuple[LinkedTest, ...]


def unit_test_ids(case: JUnitCase, root: Path | None = None) -> tuple[str, ...]:
    """The names a ``features`` pattern is matched against: ``classname.name`` and the
    ``file::name`` node ids, rebuilt from a dotted pytest classname when the file is not given.

    pytest writes ``classname="tests.test_cart.TestCart"``, which does not say where the module
    ends; every split is a candidate, and with ``root`` only those naming an existing file stay.
    """
    ids = [case.dotted_name]
    if case.file:
        ids.extend(_ids_with_file(case))
    elif "/" in case.classname:  # Vitest: classname is the test file's path
        ids.append(f"{case.classname}::{case.name}")
    elif _DOTTED.fullmatch(case.classname):
        ids.extend(_pytest_node_ids(case.classname, case.name, root))
    return tuple(dict.fromkeys(ids))


def _ids_with_file(case: JUnitCase) -> list[str]:
    file = case.file or ""
    module = file.removesuffix(".py").replace("/", ".")
    if case.classname.startswith(module + "."):
        classes = case.classname[len(module) + 1 :].split(".")
        return ["::".join([file, *classes, case.name])]
    return [f"{file}::{case.name}"]


def _pytest_node_ids(classname: str, name: str, root: Path | None) -> list[str]:
    parts = classname.split(".")
    cuts = sorted(range(len(parts), 0, -1), key=lambda cut: cut != _likely_cut(parts))
    candidates = [("/".join(parts[:cut]) + ".py", "::".join([*parts[cut:], name])) for cut in cuts]
    if root is not None:
        existing = [c for c in candidates if (root / c[0]).is_file()]
        candidates = existing or candidates
    return [f"{file}::{rest}" for file, rest in candidates]


def _likely_cut(parts: list[str]) -> int:
    """Where the module most likely ends: before the first CapWords part (a test class)."""
    return next((i for i, part in enumerate(parts) if i and part[:1].isupper()), len(parts))


def links_of(test: UnitTest, features: Sequence[FeatureConfig]) -> tuple[Link, ...]:
    """Every link of one unit test: by pattern first (in harness.yml order), then property."""
    links = [
        Link(config.id, "pattern", pattern)
        for config in features
        for pattern in _matching_patterns(config, test.ids)
    ]
    for key, value in test.case.properties:
        if key in FEATURE_PROPERTIES:
            links.extend(Link(feature, "property", key) for feature in _split(value))
    return tuple(links)


def _matching_patterns(config: FeatureConfig, ids: tuple[str, ...]) -> list[str]:
    matched = [p for p in config.unit if any(fnmatchcase(i, p) for i in ids)]
    return matched[:1]  # one pattern is enough to show why


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def link_features(
    unit_tests: Iterable[UnitTest],
    features: Sequence[FeatureConfig] = (),
    journey_covers: Mapping[str, Sequence[str]] | None = None,
) -> tuple[FeatureLinks, ...]:
    """Group unit tests and journeys by feature, sorted by feature id.

    A feature exists when harness.yml declares it, a journey covers it, or a test links to it.
    """
    tests: dict[str, list[LinkedTest]] = {config.id: [] for config in features}
    for test in unit_tests:
        by_feature: dict[str, list[Link]] = {}
        for link in links_of(test, features):
            by_feature.setdefault(link.feature, []).append(link)
        for feature, links in by_feature.items():
            tests.setdefault(feature, []).append(LinkedTest(test, tuple(links)))
    journeys: dict[str, list[str]] = {}
    for journey, covers in (journey_covers or {}).items():
        for feature in dict.fromkeys(covers):
            journeys.setdefault(feature, []).append(journey)
    return tuple(
        FeatureLinks(feature, tuple(journeys.get(feature, ())), tuple(tests.get(feature, ())))
        for feature in sorted(set(tests) | set(journeys))
    )


def one_case_per_test(cases: Iterable[JUnitCase]) -> tuple[JUnitCase, ...]:
    """One case per test: pytest writes a second ``<testcase>`` for a test that also errors in
    teardown; the worse outcome stands for the test, with the properties of both."""
    merged: dict[tuple[str, str, str | None], JUnitCase] = {}
    for case in cases:
        key = (case.classname, case.name, case.file)
        kept = merged.get(key)
        if kept is None:
            merged[key] = case
            continue
        worse = case if _SEVERITY[case.outcome] > _SEVERITY[kept.outcome] else kept
        properties = tuple(dict.fromkeys(kept.properties + case.properties))
        merged[key] = replace(worse, properties=properties)
    return tuple(merged.values())


_SEVERITY = {"skipped": 0, "passed": 1, "failed": 2, "error": 3}
