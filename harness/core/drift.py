"""Mock drift: each API response a unit test mocks, against what the real endpoint answered in
the run's journeys. A mock is matched to a real endpoint by its URL when it names one, else by
shape among the endpoints its feature's journeys called; then each difference is classified:

- ``envelope``: the mock's object sits nested in the real one (at ``data.user``),
- ``missing``: a key of the mock that the real response lacks,
- ``renamed``: missing, and the real response has a close match (``total`` -> ``total_cents``),
- ``type``: number against string, object against list, a value against null,
- ``status``: the mock answers with a status the real endpoint never did.

Keys that the real response has and the mock lacks are never drift: mocks are partial by
nature. A mock with no real response to compare with is said to be so, never guessed at.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from harness.core.drift_match import (
    Placement,
    at_url,
    match_by_shape,
    match_by_url,
    mock_shape,
    top_keys,
)
from harness.core.features import UnitTest
from harness.core.response_mock import ResponseMock, matches_test_id
from harness.core.traffic import ITEMS, Endpoint, Shape, path_text

DriftKind = Literal["envelope", "missing", "renamed", "type", "status"]
DRIFT_KINDS: tuple[str, ...] = ("envelope", "missing", "renamed", "type", "status")

#: How alike two key names must be to call one a rename of the other.
RENAME_CUTOFF = 0.75


@dataclass(frozen=True)
class Drift:
    """One way a mock contradicts the real response it stands for."""

    mock: ResponseMock
    tests: tuple[str, ...]
    endpoint: str
    kind: DriftKind
    path: str
    message: str

    @property
    def test(self) -> str:
        """The first test of the feature that uses the mock (report.json's ``mock.test``)."""
        return self.tests[0] if self.tests else ""


@dataclass(frozen=True)
class Unmatched:
    """A mock with no real response to compare with: not drift, but said, never guessed."""

    mock: ResponseMock
    tests: tuple[str, ...]
    endpoint: str | None
    message: str

    @property
    def test(self) -> str:
        return self.tests[0] if self.tests else ""


@dataclass(frozen=True)
class MockCheck:
    """What one mock was compared with and what differs (empty: it agrees)."""

    mock: ResponseMock
    endpoints: tuple[str, ...]
    drift: tuple[Drift, ...] = ()
    unmatched: Unmatched | None = None


# --- comparing ----------------------------------------------------------------------------


def _where(mock: ResponseMock) -> str:
    return f"{mock.file}:{mock.line}"


def _type_words(types: Iterable[str]) -> str:
    named = {"object": "an object", "array": "a list", "number": "a number", "null": "null"}
    return " or ".join(named.get(t, f"a {t}") for t in sorted(types))


def _close_key(key: str, candidates: Sequence[str]) -> str | None:
    """A real key that looks like a rename of ``key``: ``total`` -> ``total_cents``,
    ``userName`` -> ``user_name``, ``adress`` -> ``address``."""

    def plain(text: str) -> str:
        return re.sub(r"[_\-\s]", "", text).lower()

    for candidate in candidates:
        if plain(candidate) == plain(key):
            return candidate
    grown = [c for c in candidates if re.match(rf"(.+[_\-])?{re.escape(key)}([_\-].+)?$", c)]
    if grown:
        return min(grown, key=len)
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=RENAME_CUTOFF)
    return close[0] if close else None


class Comparison:
    """Walks a mock's shape against the real one at a placement, collecting drift."""

    def __init__(self, mock: ResponseMock, tests: tuple[str, ...], endpoint: Endpoint) -> None:
        self.mock = mock
        self.tests = tests
        self.endpoint = endpoint
        self.found: list[Drift] = []

    def add(self, kind: DriftKind, path: str, says: str) -> None:
        sentence = f"{_where(self.mock)} mocks {self.endpoint.name} {says}"
        self.found.append(Drift(self.mock, self.tests, self.endpoint.name, kind, path, sentence))

    def walk(self, mock: Shape, real: Shape, path: tuple[str, ...], place: tuple[str, ...]) -> None:
        """Children of ``mock`` against ``real`` at the same place; ``place`` is the envelope."""
        self._types(mock, real, path, place)
        if not mock.types & real.types and "unknown" not in mock.types:
            return  # a type drift says it already; what lies below cannot be compared
        for key, child in mock.keys.items():
            there = real.keys.get(key)
            if there is None:
                self._absent(key, child, real, (*path, key), place)
            else:
                self.walk(child, there, (*path, key), place)
        if mock.items is not None and real.items is not None:  # a real list never full: unknown
            self.walk(mock.items, real.items, (*path, ITEMS), place)

    def _types(
        self, mock: Shape, real: Shape, path: tuple[str, ...], place: tuple[str, ...]
    ) -> None:
        if "unknown" in mock.types or mock.types <= real.types:
            return
        where = path_text((*place, *path)) or "the body"
        self.add(
            "type",
            path_text((*place, *path)),
            f"with {path_text(path) or 'the body'} as {_type_words(mock.types)}; "
            f"the real response has {_type_words(real.types)} at {where}",
        )

    def _absent(
        self, key: str, mock: Shape, real: Shape, path: tuple[str, ...], place: tuple[str, ...]
    ) -> None:
        mocked_siblings = set(real.keys) & set(self._mock_siblings(path))
        candidates = [k for k in real.keys if k not in mocked_siblings]
        renamed = _close_key(key, candidates)
        if renamed is not None:
            new = path_text((*place, *path[:-1], renamed))
            self.add(
                "renamed",
                path_text((*place, *path)),
                f"with {path_text(path)}; the real response calls it {new}",
            )
            return
        self.add(
            "missing",
            path_text((*place, *path)),
            f"with {path_text(path)}; the real response has no {path_text((*place, *path))}",
        )

    def _mock_siblings(self, path: tuple[str, ...]) -> list[str]:
        parent = mock_shape(self.mock)
        at = parent.at(path[:-1]) if parent is not None else None
        return list(at.keys) if at is not None else []


def compare(mock: ResponseMock, tests: tuple[str, ...], placed: Placement) -> tuple[Drift, ...]:
    """Every drift of ``mock`` against the endpoint's response at ``placed``."""
    shape = mock_shape(mock)
    endpoint = placed.endpoint
    real = endpoint.shape(mock.status)
    if shape is None or real is None:
        return ()
    comparison = Comparison(mock, tests, endpoint)
    if mock.status is not None and mock.status not in endpoint.statuses:
        answered = ", ".join(str(s) for s in endpoint.statuses)
        comparison.add("status", "", f"answering {mock.status}; the real one answered {answered}")
    if placed.place:
        comparison.add(
            "envelope",
            path_text(placed.place),
            f"as {top_keys(shape)}; the real response wraps it in {path_text(placed.place)}",
        )
    at = real.at(placed.place)
    if at is not None:
        comparison.walk(shape, at, (), placed.place)
    return tuple(comparison.found)


def check_mock(
    mock: ResponseMock,
    tests: tuple[str, ...],
    called: Sequence[Endpoint],
    every: Sequence[Endpoint],
    scope: str = "the journeys",
) -> MockCheck:
    """Match ``mock`` (by URL among ``every`` endpoint of the run, else by shape among those
    ``called`` by its feature's journeys) and compare it with each endpoint it matched."""
    shape = mock_shape(mock)
    if shape is None:
        return MockCheck(mock, ())
    if mock.url is not None:
        endpoints = match_by_url(mock, every)
        if not endpoints:
            named = f"{(mock.method or 'any method').upper()} {mock.url}"
            return _unmatched(mock, tests, named, f"no journey called {named}")
        placed = [p for e in endpoints if (p := at_url(shape, e, mock.status)) is not None]
        if not placed:
            names = ", ".join(e.name for e in endpoints)
            return _unmatched(mock, tests, names, f"{names} never answered with a JSON body")
    else:
        placed = list(match_by_shape(mock, shape, called))
        if not placed:
            return _unmatched(
                mock,
                tests,
                None,
                f"no endpoint that {scope} called holds most of its keys {top_keys(shape)}",
            )
    placed.sort(key=lambda p: p.endpoint.method != "GET")
    drift = _once(d for p in placed for d in compare(mock, tests, p))
    return MockCheck(mock, tuple(p.endpoint.name for p in placed), drift)


def _once(found: Iterable[Drift]) -> tuple[Drift, ...]:
    """One drift per kind and place: a mock compared with GET and POST of one URL that differs
    from both the same way is said once (for GET, the likeliest meaning of a mock with no
    method)."""
    seen: dict[tuple[str, str], Drift] = {}
    for drift in found:
        seen.setdefault((drift.kind, drift.path), drift)
    return tuple(seen.values())


def _unmatched(
    mock: ResponseMock, tests: tuple[str, ...], endpoint: str | None, why: str
) -> MockCheck:
    message = f"{_where(mock)}: no real response to compare with: {why}"
    return MockCheck(mock, (), unmatched=Unmatched(mock, tests, endpoint, message))


# --- features -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeatureDrift:
    """A feature's mocks against its journeys' traffic: the drift, and what could not be
    compared."""

    feature: str
    drift: tuple[Drift, ...] = ()
    unmatched: tuple[Unmatched, ...] = ()


def feature_drift(
    feature: str,
    unit_tests: Sequence[UnitTest],
    journeys: Iterable[str],
    mocks: Iterable[ResponseMock],
    every: Sequence[Endpoint],
) -> FeatureDrift:
    """The drift of the mocks that the feature's unit tests use, against the endpoints its
    ``journeys`` called (and, for a mock that names its URL, ``every`` endpoint of the run)."""
    wanted = set(journeys)
    called = [e for e in every if wanted.intersection(e.journeys)]
    drift: list[Drift] = []
    unmatched: list[Unmatched] = []
    for mock in mocks:
        tests = tuple(t for t in mock.tests if any(matches_test_id(t, u) for u in unit_tests))
        if not tests:
            continue
        checked = check_mock(mock, tests, called, every, f"the journeys of {feature}")
        drift += checked.drift
        if checked.unmatched is not None:
            unmatched.append(checked.unmatched)
    return FeatureDrift(feature, tuple(drift), tuple(unmatched))
