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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from harness.core.features import UnitTest
from harness.core.response_mocks import ResponseMock, matches_test_id
from harness.core.traffic import ITEMS, Endpoint, Shape, fold_path, path_text

DriftKind = Literal["envelope", "missing", "renamed", "type", "status"]
DRIFT_KINDS: tuple[str, ...] = ("envelope", "missing", "renamed", "type", "status")

#: A mock matched by shape must have at least this share of its keys in the real response,
#: and at least MIN_KEYS of them: one shared ``id`` says nothing.
MIN_SHARE = 0.6
MIN_KEYS = 2
#: How deep an envelope is looked for (``data.user`` is 2).
MAX_ENVELOPE = 4
#: How alike two key names must be to call one a rename of the other.
RENAME_CUTOFF = 0.75

_PARAMETER = re.compile(r":\w+\??|\{[^}]*\}|<[^>]*>|\*|\[[^\]]*\]")
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
#: Words of test files and names that say nothing about which endpoint a mock stands for.
_NOISE = frozenset(
    {
        "test", "tests", "spec", "specs", "mock", "mocks", "mocked", "fixture", "fixtures",
        "response", "responses", "json", "api", "js", "ts", "jsx", "tsx", "py", "it",
        "describe", "should", "get", "the", "an", "of", "and", "with", "returns",
    }
)  # fmt: skip


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


@dataclass(frozen=True)
class Placement:
    """Where in a real response a mock's keys sit, and what share of them is there."""

    endpoint: Endpoint
    place: tuple[str, ...]
    share: float
    found: int


# --- the mock's shape --------------------------------------------------------------------


def mock_shape(mock: ResponseMock) -> Shape | None:
    """The mocked body's shape, when it has keys to compare (an object, or a list of them)."""
    if not isinstance(mock.body, (dict, list, tuple)):
        return None
    return Shape.of(mock.body)


def key_paths(shape: Shape) -> list[tuple[str, ...]]:
    return [path for path, _ in shape.places()]


def top_keys(shape: Shape, limit: int = 4) -> str:
    """``{id, name}``; ``[{id, name}]`` for a list; ``…`` past ``limit`` keys."""
    inner = shape.items if shape.keys == {} and shape.items is not None else shape
    keys = list(inner.keys) if inner is not None else []
    shown = ", ".join(keys[:limit]) + (", …" if len(keys) > limit else "")
    text = "{" + shown + "}"
    return f"[{text}]" if inner is not shape else text


# --- matching ---------------------------------------------------------------------------


def _found(mock: Shape, real: Shape) -> int:
    return sum(1 for path in key_paths(mock) if real.at(path) is not None)


def _object_places(real: Shape) -> Iterator[tuple[str, ...]]:
    """The root and every object or list reachable through keys, shallow first."""
    yield ()
    for path, shape in real.places():
        if ITEMS not in path and len(path) <= MAX_ENVELOPE and shape.types & {"object", "array"}:
            yield path


def placement(mock: Shape, endpoint: Endpoint, status: int | None) -> Placement | None:
    """The place of ``endpoint``'s response holding most of the mock's keys (shallowest on a
    tie); None when the endpoint's body was never read."""
    real = endpoint.shape(status)
    if real is None:
        return None
    total = len(key_paths(mock)) or 1
    best: Placement | None = None
    for place in _object_places(real):
        at = real.at(place)
        found = _found(mock, at) if at is not None else 0
        if best is None or found > best.found:
            best = Placement(endpoint, place, found / total, found)
    return best


def words(text: str) -> set[str]:
    """Lower-case words, singular, without noise: ``getUserOrders`` -> {user, order}."""
    found = {w.lower() for w in _WORDS.findall(text)}
    return {w.removesuffix("s") for w in found if w not in _NOISE and len(w) > 1}


def affinity(mock: ResponseMock, endpoint: Endpoint) -> int:
    """How many words of the endpoint's path the mock's file and tests share."""
    mine = words(mock.file.rsplit("/", 1)[-1]) | {w for t in mock.tests for w in words(t)}
    return len(mine & words(endpoint.path.replace("{id}", "")))


def match_by_shape(
    mock: ResponseMock, shape: Shape, endpoints: Sequence[Endpoint]
) -> tuple[Placement, ...]:
    """The best endpoint by shape, with every other method of its URL that holds the mock's
    keys as well: a mock that names no method stands for all of them."""
    if mock.method is not None:
        endpoints = [e for e in endpoints if e.method == mock.method.upper()]
    placed = [p for e in endpoints if (p := placement(shape, e, mock.status)) is not None]
    good = [p for p in placed if p.share >= MIN_SHARE and p.found >= MIN_KEYS]
    if not good:
        return ()
    best = max(good, key=lambda p: (p.share, affinity(mock, p.endpoint), -len(p.place)))
    return tuple(p for p in good if p.endpoint.path == best.endpoint.path and p.share == best.share)


def _segments(url: str) -> list[str]:
    path = url.split("?", 1)[0].split("#", 1)[0]
    if "://" in path:
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    elif path.startswith("*"):  # msw's "*/api/users": any origin
        path = path.lstrip("*")
    path = "/" + path.lstrip("/")
    return [_PARAMETER.sub("{id}", s) if _PARAMETER.search(s) else s for s in path.split("/")]


def url_matches(mock_url: str, endpoint: Endpoint) -> bool:
    """Whether the mock's URL (a path or full URL; ``:id``, ``{id}``, ``*`` segments are
    parameters) names the endpoint's folded path."""
    mine = fold_path("/".join(_segments(mock_url))).split("/")
    real = endpoint.path.split("/")
    if mine and mine[-1] == "" and len(mine) > 2:  # a trailing slash
        mine = mine[:-1]
    return len(mine) == len(real) and all(
        m == r or "{id}" in (m, r) or "{" in m for m, r in zip(mine, real, strict=True)
    )


def match_by_url(mock: ResponseMock, endpoints: Sequence[Endpoint]) -> tuple[Endpoint, ...]:
    """The endpoints the mock's URL names, of its method; without one, GET when called, else
    every method of the URL."""
    assert mock.url is not None
    same = [e for e in endpoints if url_matches(mock.url, e)]
    if mock.method is not None:
        return tuple(e for e in same if e.method == mock.method.upper())
    gets = [e for e in same if e.method == "GET"]
    return tuple(gets or same)


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
        placed = [p for e in endpoints if (p := _at_url(shape, e, mock.status)) is not None]
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


def _at_url(shape: Shape, endpoint: Endpoint, status: int | None) -> Placement | None:
    """The URL names the endpoint: the mock is compared at its root unless its keys clearly
    sit deeper (an envelope)."""
    best = placement(shape, endpoint, status)
    if best is None:
        return None
    root = placement_at_root(shape, endpoint, status)
    return best if best.found > root.found and best.share >= MIN_SHARE else root


def placement_at_root(shape: Shape, endpoint: Endpoint, status: int | None) -> Placement:
    real = endpoint.shape(status)
    found = _found(shape, real) if real is not None else 0
    return Placement(endpoint, (), found / (len(key_paths(shape)) or 1), found)


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
