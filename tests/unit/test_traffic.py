"""The captured traffic as data: path folding, shapes and their merging, endpoints grouped by
method and folded path, and traffic.json read back as written."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path

import pytest

from harness.core.har import HarError, read_har
from harness.core.traffic import (
    Exchange,
    Shape,
    Traffic,
    endpoint_name,
    fold_path,
    is_json_type,
    path_text,
)


@pytest.mark.parametrize(
    ("url", "folded"),
    [
        ("/api/users/1", "/api/users/{id}"),
        ("http://127.0.0.1:8000/api/users/42?expand=1#x", "/api/users/{id}"),
        ("/api/orders/3f2a9c1e-0b4d-4e6f-8a7b-1c2d3e4f5a6b/lines", "/api/orders/{id}/lines"),
        ("/api/blobs/9f86d081884c7d65", "/api/blobs/{id}"),
        ("/api/cart/M1", "/api/cart/M1"),  # a SKU is a name, not an id
        ("/api/feeds/deadbeefcafe", "/api/feeds/deadbeefcafe"),  # hex without a digit: a word
        ("/api/cart", "/api/cart"),
        ("/", "/"),
    ],
)
def test_path_parameters_are_folded(url: str, folded: str) -> None:
    assert fold_path(url) == folded


def test_one_endpoint_for_every_id() -> None:
    assert endpoint_name("get", "/api/users/1") == endpoint_name("GET", "/api/users/2")
    assert endpoint_name("get", "/api/users/1") == "GET /api/users/{id}"


@pytest.mark.parametrize(
    ("content_type", "is_json"),
    [
        ("application/json", True),
        ("application/json; charset=utf-8", True),
        ("application/problem+json", True),
        ("text/html; charset=utf-8", False),
        ("", False),
    ],
)
def test_json_content_types(content_type: str, is_json: bool) -> None:
    assert is_json_type(content_type) is is_json


def test_a_shape_keeps_types_per_path_and_no_values() -> None:
    shape = Shape.of({"data": {"user": {"id": 1, "name": "Ada", "tags": ["a"], "boss": None}}})
    user = shape.at(("data", "user"))
    assert user is not None
    assert {key: sorted(s.types) for key, s in user.keys.items()} == {
        "id": ["number"],
        "name": ["string"],
        "tags": ["array"],
        "boss": ["null"],
    }
    assert shape.at(("data", "user", "tags", "[]")) == Shape(frozenset({"string"}))
    assert "Ada" not in json.dumps(shape.to_json())


def test_shapes_merge_keys_and_types() -> None:
    merged = Shape.of({"total": "$1", "lines": []}).merge(
        Shape.of({"total": None, "lines": [{"sku": "M1"}], "count": 1})
    )
    assert sorted(merged.keys) == ["count", "lines", "total"]
    assert merged.keys["total"].types == {"string", "null"}
    assert merged.at(("lines", "[]", "sku")) is not None


def test_keys_are_renamed_by_the_given_function() -> None:
    shape = Shape.of({"tok-secret": {"tok-secret": 1}}, lambda k: k.replace("tok-secret", "***"))
    assert list(shape.keys) == ["***"]
    assert list(shape.keys["***"].keys) == ["***"]


def test_paths_read_as_written() -> None:
    assert path_text(("data", "user")) == "data.user"
    assert path_text(("lines", "[]", "sku")) == "lines[].sku"
    assert path_text(()) == ""


def exchange(method: str, url: str, status: int, body: object, journey: str = "j") -> Exchange:
    return Exchange(method, url, status, "application/json", Shape.of(body), journey=journey)


def test_traffic_groups_exchanges_by_endpoint_and_status() -> None:
    traffic = Traffic.from_exchanges(
        [
            exchange("GET", "/api/users/1", 200, {"id": 1}, "a"),
            exchange("GET", "/api/users/2", 200, {"id": 2, "name": "B"}, "b"),
            exchange("GET", "/api/users/3", 404, {"error": "no"}, "b"),
            exchange("POST", "/api/users", 201, {"id": 3}, "a"),
        ]
    )
    assert [e.name for e in traffic.endpoints] == ["POST /api/users", "GET /api/users/{id}"]
    users = traffic.endpoints[1]
    assert users.statuses == (200, 404)
    assert users.journeys == ("a", "b")
    assert sorted(users.shape().keys) == ["id", "name"]  # type: ignore[union-attr]
    assert list(users.shape(404).keys) == ["error"]  # type: ignore[union-attr]
    assert [e.name for e in traffic.called_by(["a"])] == ["POST /api/users", "GET /api/users/{id}"]
    assert [e.name for e in traffic.called_by(["c"])] == []


def test_traffic_json_reads_back_as_written() -> None:
    traffic = Traffic.from_exchanges(
        [exchange("GET", "/api/cart", 200, {"data": {"lines": [{"sku": "M1"}], "n": None}})]
    )
    text = json.dumps(traffic.to_json())
    assert Traffic.from_json(json.loads(text)) == traffic


def test_a_file_that_is_not_traffic_is_refused() -> None:
    with pytest.raises(ValueError, match="not a traffic file"):
        Traffic.from_json({"schema": "harness-report/1"})


def har_entry(url: str, status: int, content: dict[str, object]) -> dict[str, object]:
    return {
        "request": {"method": "get", "url": url, "headers": []},
        "response": {"status": status, "headers": [], "content": content},
    }


def test_a_har_file_gives_the_shapes_of_its_json_responses(tmp_path: Path) -> None:
    (tmp_path / "bodies").mkdir()
    (tmp_path / "bodies" / "cart.json").write_text('{"lines": [], "count": 0}')
    encoded = base64.b64encode(b'{"id": 1, "name": "Ada"}').decode()
    entries = [
        har_entry("http://a.test/api/users/1", 200,
                  {"mimeType": "application/json", "text": encoded, "encoding": "base64"}),
        har_entry("http://a.test/api/cart", 200,
                  {"mimeType": "application/json; charset=utf-8", "_file": "bodies/cart.json"}),
        har_entry("http://a.test/", 200, {"mimeType": "text/html", "text": "<p>hi</p>"}),
        har_entry("http://a.test/api/slow", 0, {}),  # never answered
        har_entry("http://a.test/api/secret", 200,
                  {"mimeType": "application/json", "_file": "../outside.json"}),
    ]  # fmt: skip
    (tmp_path.parent / "outside.json").write_text('{"leak": 1}')
    har = tmp_path / "app.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    found = {x.endpoint: x for x in read_har(har)}
    assert list(found) == ["GET /api/users/{id}", "GET /api/cart", "GET /", "GET /api/secret"]
    assert sorted(found["GET /api/users/{id}"].shape.keys) == ["id", "name"]  # type: ignore[union-attr]
    assert sorted(found["GET /api/cart"].shape.keys) == ["count", "lines"]  # type: ignore[union-attr]
    assert found["GET /"].shape is None
    assert found["GET /api/secret"].shape is None  # a body file outside the HAR's folder
    assert {x.source for x in found.values()} == {"har"}


@pytest.mark.parametrize(
    ("text", "says"),
    [("not json", "not a readable JSON file"), ('{"log": {}}', "no log.entries list")],
)
def test_a_file_that_is_not_a_har_is_refused(tmp_path: Path, text: str, says: str) -> None:
    bad = tmp_path / "bad.har"
    bad.write_text(text)
    with pytest.raises(HarError, match=says):
        read_har(bad)


def test_playwrights_zip_form_is_read_with_the_bodies_it_holds(tmp_path: Path) -> None:
    json_in = {"mimeType": "application/json"}
    entries = [
        har_entry("http://a.test/api/cart", 200, {**json_in, "_file": "c.json"}),
        har_entry("http://a.test/api/gone", 200, {**json_in, "_file": "x.json"}),
    ]
    har = tmp_path / "app.zip"
    with zipfile.ZipFile(har, "w") as archive:
        archive.writestr("har.har", json.dumps({"log": {"version": "1.2", "entries": entries}}))
        archive.writestr("c.json", '{"lines": [], "count": 0}')
    found = {x.endpoint: x for x in read_har(har)}
    assert sorted(found["GET /api/cart"].shape.keys) == ["count", "lines"]  # type: ignore[union-attr]
    assert found["GET /api/gone"].shape is None  # a body file the archive does not hold


def test_a_zip_without_a_har_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("notes.txt", "no HAR here")
    with pytest.raises(HarError, match=r"a zip holding one \.har file is a HAR; found 0"):
        read_har(bad)
