"""Which real endpoint a unit test's mock stands for: by its URL when it names one, else by
shape, the response (of the endpoints its feature's journeys called) that holds most of the
mock's keys, at its top or nested (``data.user``), with the test's own words breaking a tie.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from harness.core.response_mock import ResponseMock
from harness.core.traffic import ITEMS, Endpoint, Shape, fold_path

#: A mock matched by shape must have at least this share of its keys in the real response,
#: and at least MIN_KEYS of them: one shared ``id`` says nothing.
MIN_SHARE = 0.6
MIN_KEYS = 2
#: How deep an envelope is looked for (``data.user`` is 2).
MAX_ENVELOPE = 4

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


def comparable(mock: Shape, real: Shape) -> list[tuple[str, ...]]:
    """The mock's key paths that the real response can speak to: not those inside the items
    of a real list that was always empty, which neither holds nor contradicts them."""
    return [path for path in key_paths(mock) if not _in_empty_list(path, real)]


def _in_empty_list(path: tuple[str, ...], real: Shape) -> bool:
    for index, part in enumerate(path):
        if part == ITEMS:
            outer = real.at(path[:index])
            if outer is not None and "array" in outer.types and outer.items is None:
                return True
    return False


def _found(mock: Shape, real: Shape) -> tuple[int, int]:
    """How many of the mock's comparable key paths the real shape holds, and of how many."""
    paths = comparable(mock, real)
    return sum(1 for path in paths if real.at(path) is not None), len(paths)


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
    best: Placement | None = None
    for place in _object_places(real):
        at = real.at(place)
        found, total = _found(mock, at) if at is not None else (0, len(key_paths(mock)))
        if best is None or found > best.found:
            best = Placement(endpoint, place, found / (total or 1), found)
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


def at_url(shape: Shape, endpoint: Endpoint, status: int | None) -> Placement | None:
    """The URL names the endpoint: the mock is compared at its root unless its keys clearly
    sit deeper (an envelope)."""
    best = placement(shape, endpoint, status)
    if best is None:
        return None
    root = placement_at_root(shape, endpoint, status)
    return best if best.found > root.found and best.share >= MIN_SHARE else root


def placement_at_root(shape: Shape, endpoint: Endpoint, status: int | None) -> Placement:
    real = endpoint.shape(status)
    found, total = _found(shape, real) if real is not None else (0, len(key_paths(shape)))
    return Placement(endpoint, (), found / (total or 1), found)
