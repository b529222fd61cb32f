"""Traffic capture in real Chromium against a real server: the page's fetch and XHR JSON
responses and a ``request:`` step's are recorded as endpoints with folded ids and body shapes;
other resources are not; no secret value reaches the captured traffic."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.browser.results import JourneyResult
from harness.core.traffic import Traffic
from tests.integration.drift_server import drifted_app
from tests.support.runner import JourneyRunner, assert_passed

pytestmark = pytest.mark.browser

TOKEN = "tok" + secrets.token_hex(12)

JOURNEY = """
name: Drifted app
steps:
  - goto: /
  - expect: {css: "#status", text: "ready User 1,User 2"}
  - goto: /next
  - request: {method: POST, url: /api/cart, json: {sku: M1}, expect: {status: 201}}
  - request: {url: "/api/echo?token=${secrets.API_TOKEN}", expect: {status: 200}}
"""


@pytest.fixture(scope="module")
def app() -> Iterator[str]:
    with drifted_app() as url:
        yield url


@pytest.fixture(scope="module")
def result(chromium: object, app: str, tmp_path_factory: pytest.TempPathFactory) -> JourneyResult:
    runner = JourneyRunner(chromium, app, tmp_path_factory.mktemp("capture"))  # type: ignore[arg-type]
    found = runner.run(JOURNEY, env={"API_TOKEN": TOKEN})
    assert_passed(found)
    return found


def traffic_of(result: JourneyResult) -> Traffic:
    return Traffic.from_exchanges(x for a in result.attempts for x in a.traffic)


def test_fetch_and_xhr_and_request_steps_are_captured_with_ids_folded(
    result: JourneyResult,
) -> None:
    traffic = traffic_of(result)
    names = [e.name for e in traffic.endpoints]
    assert names == [
        "GET /api/cart",
        "POST /api/cart",
        "GET /api/echo",
        "GET /api/orders/{id}",
        "GET /api/profile",
        "GET /api/settings",
        "GET /api/users/{id}",
    ]
    users = traffic.endpoints[-1]
    assert [r.count for r in users.responses] == [2]
    assert len(users.urls) == 2
    shape = users.shape()
    assert shape is not None
    assert shape.at(("data", "user", "id")) is not None
    assert sorted(shape.at(("data", "user")).keys) == ["email", "id", "name"]  # type: ignore[union-attr]
    exchanges = {x.endpoint: x for a in result.attempts for x in a.traffic}
    assert exchanges["GET /api/settings"].source == "page"  # by XMLHttpRequest
    assert exchanges["POST /api/cart"].source == "request"
    assert exchanges["POST /api/cart"].status == 201


def test_bodies_are_read_after_the_page_navigated_away(result: JourneyResult) -> None:
    assert all(x.shape is not None for a in result.attempts for x in a.traffic), [
        (x.endpoint, x.note) for a in result.attempts for x in a.traffic
    ]


def test_only_values_types_are_kept(result: JourneyResult) -> None:
    text = json.dumps(traffic_of(result).to_json())
    assert "User 1" not in text
    assert "u@example.test" not in text
    assert '"types": ["number"]' in text


def test_no_secret_value_is_in_the_captured_traffic(result: JourneyResult, tmp_path: Path) -> None:
    exchanges = [x for a in result.attempts for x in a.traffic]
    echo = next(x for x in exchanges if x.endpoint == "GET /api/echo")
    assert echo.url.endswith("token=***")
    assert echo.shape is not None
    assert list(echo.shape.at(("seen",)).keys) == ["***"]
    assert TOKEN not in repr(exchanges)
    assert TOKEN not in json.dumps(traffic_of(result).to_json())
