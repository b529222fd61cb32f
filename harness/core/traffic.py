"""The real contract a run saw: each JSON response its journeys received (the page's fetch/XHR
and the ``request:`` steps) as method, URL, status, content type and the body's shape, grouped
by endpoint with path parameters folded (``/api/users/1`` -> ``GET /api/users/{id}``).

Only shapes are kept (which keys, which JSON types), never values: the comparison with the unit
tests' mocks needs no more, and a shape cannot leak a customer's data. Pure data: the browser
fills it in (``harness.browser.capture``), ``traffic.json`` and HAR files are read back here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

TRAFFIC_FILE = "traffic.json"
TRAFFIC_SCHEMA = "harness-traffic/1"

#: A body larger than this is recorded without its shape: the capture must stay cheap.
MAX_BODY_BYTES = 1_000_000
#: How deep a shape goes, and how many items of one list it reads.
MAX_DEPTH = 24
MAX_ITEMS = 50

#: JSON types as a shape names them; ``unknown`` is a mock's value that is not a literal.
JsonType = Literal["object", "array", "string", "number", "boolean", "null", "unknown"]
ITEMS = "[]"

_NUMERIC = re.compile(r"\d+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_HEX = re.compile(r"(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,}")
PARAMETER = "{id}"


def json_type(value: object) -> JsonType:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return "unknown"


@dataclass(frozen=True)
class Shape:
    """The types a JSON value had at one place, its keys (objects) and its items (lists).

    Shapes of several responses merge: a key seen in one of them is there, and a place that
    was a string once and null once has both types.
    """

    types: frozenset[str]
    keys: Mapping[str, Shape] = field(default_factory=dict)
    items: Shape | None = None

    @classmethod
    def of(cls, value: object, name: Callable[[str], str] = str, depth: int = 0) -> Shape:
        """The shape of a parsed JSON value; ``name`` rewrites keys (to mask secrets)."""
        kind = json_type(value)
        if depth >= MAX_DEPTH:
            return cls(frozenset({kind}))
        if isinstance(value, dict):
            keys = {name(str(k)): cls.of(v, name, depth + 1) for k, v in value.items()}
            return cls(frozenset({kind}), keys)
        if isinstance(value, (list, tuple)):
            items = [cls.of(item, name, depth + 1) for item in value[:MAX_ITEMS]]
            return cls(frozenset({kind}), items=merge_all(items))
        return cls(frozenset({kind}))

    def merge(self, other: Shape) -> Shape:
        keys = dict(self.keys)
        for key, shape in other.keys.items():
            keys[key] = keys[key].merge(shape) if key in keys else shape
        items = self.items
        if other.items is not None:
            items = other.items if items is None else items.merge(other.items)
        return Shape(self.types | other.types, keys, items)

    def at(self, path: Iterable[str]) -> Shape | None:
        """The shape at ``path`` (keys, and ``[]`` for a list's items), if it was ever there."""
        shape: Shape | None = self
        for part in path:
            if shape is None:
                return None
            shape = shape.items if part == ITEMS else shape.keys.get(part)
        return shape

    def places(self, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Shape]]:
        """Every place below this one (not itself), parents before children."""
        for key, shape in self.keys.items():
            yield (*prefix, key), shape
            yield from shape.places((*prefix, key))
        if self.items is not None:
            yield (*prefix, ITEMS), self.items
            yield from self.items.places((*prefix, ITEMS))

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"types": sorted(self.types)}
        if self.keys:
            found["keys"] = {key: shape.to_json() for key, shape in self.keys.items()}
        if self.items is not None:
            found["items"] = self.items.to_json()
        return found

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Shape:
        keys = {str(k): cls.from_json(v) for k, v in dict(data.get("keys") or {}).items()}
        items = data.get("items")
        return cls(
            frozenset(str(t) for t in data.get("types") or ()),
            keys,
            cls.from_json(items) if isinstance(items, Mapping) else None,
        )


def merge_all(shapes: Iterable[Shape]) -> Shape | None:
    merged: Shape | None = None
    for shape in shapes:
        merged = shape if merged is None else merged.merge(shape)
    return merged


def path_text(path: Iterable[str]) -> str:
    """``("data", "user")`` -> ``data.user``; ``("lines", "[]", "sku")`` -> ``lines[].sku``."""
    text = ""
    for part in path:
        text += part if part == ITEMS or not text else f".{part}"
    return text


def fold_segment(segment: str) -> str:
    """A path segment that is an id (a number, a UUID, a long hex string) becomes ``{id}``."""
    if _NUMERIC.fullmatch(segment) or _UUID.fullmatch(segment) or _HEX.fullmatch(segment):
        return PARAMETER
    return segment


def fold_path(url: str) -> str:
    """The URL's path with its ids folded, without scheme, host, query or fragment."""
    path = urlsplit(url).path if "://" in url or url.startswith("/") else "/" + url
    path = path or "/"
    return "/".join(fold_segment(segment) for segment in path.split("/"))


def endpoint_name(method: str, url: str) -> str:
    """``GET /api/users/{id}``: the endpoint a request went to."""
    return f"{method.upper()} {fold_path(url)}"


def is_json_type(content_type: str) -> bool:
    """``application/json``, ``application/problem+json``, ``...; charset=utf-8`` and the like."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json") or media == "text/json"


@dataclass(frozen=True)
class Exchange:
    """One response a journey received. ``shape`` is None when the body was not read (too
    large, not JSON); ``note`` says why. ``source``: the page (fetch/XHR), a ``request:`` step,
    or a HAR file."""

    method: str
    url: str
    status: int
    content_type: str
    shape: Shape | None
    source: Literal["page", "request", "har"] = "page"
    journey: str = ""
    attempt: int = 0
    note: str = ""

    @property
    def endpoint(self) -> str:
        return endpoint_name(self.method, self.url)


@dataclass(frozen=True)
class EndpointResponse:
    """What one endpoint answered with one status, over every time it did."""

    status: int
    content_type: str
    count: int
    shape: Shape | None

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "content_type": self.content_type,
            "count": self.count,
            "shape": None if self.shape is None else self.shape.to_json(),
        }


@dataclass(frozen=True)
class Endpoint:
    """One method and folded path, what it answered (per status) and which journeys called it."""

    method: str
    path: str
    responses: tuple[EndpointResponse, ...]
    journeys: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def statuses(self) -> tuple[int, ...]:
        return tuple(r.status for r in self.responses)

    def shape(self, status: int | None = None) -> Shape | None:
        """The body's shape with ``status``, or over every 2xx answer when not given (or never
        answered): what a mock of a successful call is compared with."""
        chosen = [r for r in self.responses if r.status == status]
        if not chosen:
            chosen = [r for r in self.responses if 200 <= r.status < 300]
        return merge_all(r.shape for r in chosen if r.shape is not None)

    def to_json(self) -> dict[str, Any]:
        return {
            "endpoint": self.name,
            "method": self.method,
            "path": self.path,
            "journeys": list(self.journeys),
            "urls": list(self.urls),
            "responses": [r.to_json() for r in self.responses],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Endpoint:
        responses = tuple(
            EndpointResponse(
                status=int(r["status"]),
                content_type=str(r.get("content_type") or ""),
                count=int(r.get("count") or 1),
                shape=Shape.from_json(r["shape"]) if r.get("shape") else None,
            )
            for r in data.get("responses") or ()
        )
        return cls(
            method=str(data["method"]),
            path=str(data["path"]),
            responses=responses,
            journeys=tuple(str(j) for j in data.get("journeys") or ()),
            urls=tuple(str(u) for u in data.get("urls") or ()),
        )


#: How many example URLs an endpoint keeps (they are masked, and only help a reader).
MAX_URLS = 3


@dataclass(frozen=True)
class Traffic:
    """Every endpoint a run's journeys called, sorted by path then method."""

    endpoints: tuple[Endpoint, ...] = ()

    @classmethod
    def from_exchanges(cls, exchanges: Iterable[Exchange]) -> Traffic:
        grouped: dict[tuple[str, str], list[Exchange]] = {}
        for exchange in exchanges:
            key = (exchange.method.upper(), fold_path(exchange.url))
            grouped.setdefault(key, []).append(exchange)
        endpoints = [_endpoint(method, path, found) for (method, path), found in grouped.items()]
        return cls(tuple(sorted(endpoints, key=lambda e: (e.path, e.method))))

    @classmethod
    def combined(cls, parts: Iterable[Traffic]) -> Traffic:
        """The traffic of several runs as one (the shards of one suite): per endpoint, the
        answers of each status counted and their shapes merged, the journeys of all."""
        grouped: dict[tuple[str, str], list[Endpoint]] = {}
        for part in parts:
            for endpoint in part.endpoints:
                grouped.setdefault((endpoint.method, endpoint.path), []).append(endpoint)
        endpoints = [_joined(method, path, found) for (method, path), found in grouped.items()]
        return cls(tuple(sorted(endpoints, key=lambda e: (e.path, e.method))))

    def called_by(self, journeys: Iterable[str]) -> tuple[Endpoint, ...]:
        """The endpoints any of ``journeys`` called."""
        wanted = set(journeys)
        return tuple(e for e in self.endpoints if wanted.intersection(e.journeys))

    def to_json(self) -> dict[str, Any]:
        return {"schema": TRAFFIC_SCHEMA, "endpoints": [e.to_json() for e in self.endpoints]}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Traffic:
        if data.get("schema") != TRAFFIC_SCHEMA:
            raise ValueError(f"not a traffic file (schema {data.get('schema')!r})")
        return cls(tuple(Endpoint.from_json(e) for e in data.get("endpoints") or ()))


def _endpoint(method: str, path: str, exchanges: list[Exchange]) -> Endpoint:
    by_status: dict[int, list[Exchange]] = {}
    for exchange in exchanges:
        by_status.setdefault(exchange.status, []).append(exchange)
    responses = tuple(
        EndpointResponse(
            status=status,
            content_type=found[0].content_type,
            count=len(found),
            shape=merge_all(e.shape for e in found if e.shape is not None),
        )
        for status, found in sorted(by_status.items())
    )
    journeys = tuple(dict.fromkeys(e.journey for e in exchanges if e.journey))
    urls = tuple(dict.fromkeys(e.url for e in exchanges))[:MAX_URLS]
    return Endpoint(method, path, responses, journeys, urls)


def _joined(method: str, path: str, endpoints: list[Endpoint]) -> Endpoint:
    by_status: dict[int, list[EndpointResponse]] = {}
    for endpoint in endpoints:
        for response in endpoint.responses:
            by_status.setdefault(response.status, []).append(response)
    responses = tuple(
        EndpointResponse(
            status=status,
            content_type=found[0].content_type,
            count=sum(r.count for r in found),
            shape=merge_all(r.shape for r in found if r.shape is not None),
        )
        for status, found in sorted(by_status.items())
    )
    journeys = tuple(dict.fromkeys(j for e in endpoints for j in e.journeys))
    urls = tuple(dict.fromkeys(u for e in endpoints for u in e.urls))[:MAX_URLS]
    return Endpoint(method, path, responses, journeys, urls)
