"""Mock drift as pure logic: matching a mock to a real endpoint (by URL, by shape, by the
feature's journeys), every drift kind with its path and sentence, and a set of mocks that
must never raise an alarm."""

from __future__ import annotations

from harness.core.drift import check_mock, feature_drift
from harness.core.drift_match import url_matches, words
from harness.core.features import UnitTest
from harness.core.junit import JUnitCase
from harness.core.response_mocks import UNKNOWN, ResponseMock
from harness.core.traffic import Endpoint, Exchange, Shape, Traffic

TEST = "tests/test_user.py::test_shows_the_name"


def traffic(*calls: tuple[str, str, int, object], journey: str = "j") -> tuple[Endpoint, ...]:
    return Traffic.from_exchanges(
        Exchange(m, u, s, "application/json", Shape.of(b), journey=journey) for m, u, s, b in calls
    ).endpoints


def mock(body: object, **given: object) -> ResponseMock:
    fields: dict[str, object] = {"file": "tests/test_user.py", "line": 9, "tests": (TEST,)}
    fields.update(given)
    return ResponseMock(body=body, **fields)  # type: ignore[arg-type]


def kinds(found: ResponseMock, endpoints: tuple[Endpoint, ...]) -> list[tuple[str, str]]:
    checked = check_mock(found, found.tests, endpoints, endpoints)
    return [(d.kind, d.path) for d in checked.drift]


USER = {"id": 1, "name": "Test"}
WRAPPED = traffic(("GET", "/api/users/7", 200, {"data": {"user": {"id": 7, "name": "Ada"}}}))


# --- every kind ----------------------------------------------------------------------------


def test_envelope_names_the_path_and_says_it_in_one_sentence() -> None:
    found = mock(USER, file="tests/user.test.js")
    checked = check_mock(found, found.tests, WRAPPED, WRAPPED)
    assert [(d.kind, d.path, d.endpoint) for d in checked.drift] == [
        ("envelope", "data.user", "GET /api/users/{id}")
    ]
    assert checked.drift[0].message == (
        "tests/user.test.js:9 mocks GET /api/users/{id} as {id, name}; "
        "the real response wraps it in data.user"
    )


def test_envelope_of_a_mock_that_names_its_url() -> None:
    assert kinds(mock(USER, url="/api/users/:id", method="GET"), WRAPPED) == [
        ("envelope", "data.user")
    ]


def test_missing_key() -> None:
    real = traffic(("GET", "/api/profile", 200, {"name": "Ada", "plan": "pro", "since": 2020}))
    found = mock({"name": "Ada", "plan": "pro", "avatar_url": "/a.png"}, url="/api/profile")
    checked = check_mock(found, found.tests, real, real)
    assert [(d.kind, d.path) for d in checked.drift] == [("missing", "avatar_url")]
    assert checked.drift[0].message.endswith("the real response has no avatar_url")


def test_renamed_key_names_the_close_match() -> None:
    real = traffic(("GET", "/api/cart", 200, {"lines": [], "count": 1, "total_cents": 1200}))
    found = mock({"lines": [], "count": 1, "total": 12}, url="http://shop.test/api/cart")
    checked = check_mock(found, found.tests, real, real)
    assert [(d.kind, d.path) for d in checked.drift] == [("renamed", "total")]
    assert checked.drift[0].message.endswith("the real response calls it total_cents")


def test_renamed_finds_case_and_spelling_changes() -> None:
    real = traffic(("GET", "/api/me", 200, {"user_name": "a", "address": "b"}))
    found = mock({"userName": "a", "adress": "b"}, url="/api/me")
    assert kinds(found, real) == [("renamed", "userName"), ("renamed", "adress")]


def test_type_number_against_string() -> None:
    real = traffic(("GET", "/api/orders/7", 200, {"id": "A-7", "status": "paid"}))
    found = mock({"id": 7, "status": "paid"}, url="/api/orders/7")
    checked = check_mock(found, found.tests, real, real)
    assert [(d.kind, d.path) for d in checked.drift] == [("type", "id")]
    assert "id as a number; the real response has a string at id" in checked.drift[0].message


def test_type_object_against_list_and_null() -> None:
    real = traffic(("GET", "/api/team", 200, {"members": [{"id": 1}], "lead": None}))
    found = mock({"members": {"id": 1}, "lead": {"id": 2}}, url="/api/team")
    assert kinds(found, real) == [("type", "members"), ("type", "lead")]


def test_type_of_the_whole_body() -> None:
    real = traffic(("GET", "/api/users", 200, [{"id": 1, "name": "a"}]))
    assert kinds(mock(USER, url="/api/users"), real) == [("type", "")]


def test_type_inside_list_items() -> None:
    real = traffic(("GET", "/api/cart", 200, {"lines": [{"sku": "M1", "qty": "2"}]}))
    found = mock({"lines": [{"sku": "M1", "qty": 2}]}, url="/api/cart")
    assert kinds(found, real) == [("type", "lines[].qty")]


def test_status_the_real_endpoint_never_answered() -> None:
    real = traffic(("POST", "/api/cart", 201, {"count": 1}))
    found = mock({"count": 1}, url="/api/cart", method="POST", status=200)
    checked = check_mock(found, found.tests, real, real)
    assert [(d.kind, d.path) for d in checked.drift] == [("status", "")]
    assert checked.drift[0].message.endswith("answering 200; the real one answered 201")


def test_the_shop_fixture_against_the_wrapped_cart() -> None:
    cart = {"lines": [{"sku": "M1", "quantity": 2}], "count": 2, "total": "$24.00"}
    real = traffic(("GET", "/api/cart", 200, {"data": cart}), ("POST", "/api/cart", 201, cart))
    found = mock(cart, file="tests/fixtures/cart_response.json", line=1, library="fixture")
    assert kinds(found, real) == [("envelope", "data")]


# --- matching -----------------------------------------------------------------------------


def test_by_shape_the_response_holding_most_keys_wins() -> None:
    real = traffic(
        ("GET", "/api/users/7", 200, {"id": 7, "name": "Ada", "email": "a@b"}),
        ("GET", "/api/orders/7", 200, {"id": 7, "status": "paid", "buyer": {"id": 1, "name": "x"}}),
    )
    found = mock({"id": 1, "name": "Test", "email": "t@t"})
    checked = check_mock(found, found.tests, real, real)
    assert checked.endpoints == ("GET /api/users/{id}",)
    assert checked.drift == ()


def test_by_shape_a_tie_goes_to_the_endpoint_the_test_is_named_after() -> None:
    real = traffic(
        ("GET", "/api/orders/7", 200, {"id": 7, "buyer": {"id": 1, "name": "x"}}),
        ("GET", "/api/users/7", 200, {"data": {"id": 7, "name": "Ada"}}),
    )
    found = mock(USER, file="tests/user.test.js")
    checked = check_mock(found, found.tests, real, real)
    assert checked.endpoints == ("GET /api/users/{id}",)
    assert [(d.kind, d.path) for d in checked.drift] == [("envelope", "data")]


def test_words_of_names() -> None:
    assert words("getUserOrders") == {"user", "order"}
    assert words("tests/cart_response.json") == {"cart"}


def test_url_patterns() -> None:
    (users,) = traffic(("GET", "/api/users/1", 200, USER))
    for url in (
        "/api/users/:id",
        "/api/users/{id}",
        "/api/users/1",
        "*/api/users/:userId",
        "http://api.test/api/users/*",
        "https://x/api/users/2?full=1",
        "/api/users/1/",
    ):
        assert url_matches(url, users), url
    for url in ("/api/users", "/api/teams/1", "/api/users/1/posts"):
        assert not url_matches(url, users), url


def test_a_mock_whose_url_no_journey_called_is_unmatched_not_drift() -> None:
    found = mock(USER, url="/api/admin/users/:id", method="GET")
    checked = check_mock(found, found.tests, WRAPPED, WRAPPED)
    assert checked.drift == ()
    assert checked.unmatched is not None
    assert checked.unmatched.message == (
        "tests/test_user.py:9: no real response to compare with: "
        "no journey called GET /api/admin/users/:id"
    )


def test_a_mock_like_no_real_response_is_unmatched_not_drift() -> None:
    found = mock({"sku": "M1", "warehouse": "north", "stock": 3})
    checked = check_mock(found, found.tests, WRAPPED, WRAPPED, "the journeys of stock")
    assert checked.drift == ()
    assert checked.unmatched is not None
    assert "no endpoint that the journeys of stock called holds most of its keys" in (
        checked.unmatched.message
    )


def test_one_shared_key_is_not_a_match() -> None:
    real = traffic(("GET", "/api/users/7", 200, {"id": 7, "name": "Ada"}))
    checked = check_mock(mock({"id": 3, "sku": "M1"}), (TEST,), real, real)
    assert checked.drift == ()
    assert checked.unmatched is not None


# --- no false alarm -----------------------------------------------------------------------


def test_a_partial_mock_with_fewer_keys_than_the_real_response_is_fine() -> None:
    real = traffic(("GET", "/api/users/7", 200, {"id": 7, "name": "Ada", "email": "a", "x": 1}))
    assert kinds(mock(USER), real) == []
    assert kinds(mock(USER, url="/api/users/:id"), real) == []


def test_extra_real_keys_nested_are_fine() -> None:
    real = traffic(("GET", "/api/cart", 200, {"lines": [{"sku": "M1", "extra": 1}], "n": 1}))
    assert kinds(mock({"lines": [{"sku": "M1"}]}, url="/api/cart"), real) == []


def test_values_that_differ_are_not_drift() -> None:
    real = traffic(("GET", "/api/users/7", 200, {"id": 7, "name": "Ada"}))
    assert kinds(mock({"id": 1, "name": "Someone else"}, url="/api/users/1"), real) == []


def test_a_key_sometimes_null_accepts_a_mocked_value() -> None:
    real = traffic(
        ("GET", "/api/users/7", 200, {"id": 7, "boss": None}),
        ("GET", "/api/users/8", 200, {"id": 8, "boss": {"id": 7}}),
    )
    assert kinds(mock({"id": 1, "boss": {"id": 2}}, url="/api/users/:id"), real) == []


def test_an_empty_real_list_cannot_contradict_the_mocks_items() -> None:
    real = traffic(("GET", "/api/cart", 200, {"lines": [], "count": 0}))
    assert kinds(mock({"lines": [{"sku": "M1"}], "count": 1}, url="/api/cart"), real) == []


def test_by_shape_an_empty_real_list_neither_holds_nor_refutes_the_mocks_items() -> None:
    # Its items' keys are not counted against the match: the mock still finds the cart.
    real = traffic(("GET", "/api/cart", 200, {"lines": [], "count": 0, "total_cents": 0}))
    mocked = mock({"lines": [{"sku": "M1", "quantity": 2}], "count": 2, "total": 5})
    assert kinds(mocked, real) == [("renamed", "total")]


def test_parts_that_are_not_literals_are_not_compared() -> None:
    real = traffic(("GET", "/api/users/7", 200, {"id": 7, "name": "Ada"}))
    assert kinds(mock({"id": UNKNOWN, "name": UNKNOWN}, url="/api/users/1"), real) == []


def test_a_mock_that_is_not_an_api_body_is_never_reported() -> None:
    for body in ("2026-01-01T00:00:00", 0.5, None, UNKNOWN):
        checked = check_mock(mock(body), (TEST,), WRAPPED, WRAPPED)
        assert checked.drift == ()
        assert checked.unmatched is None


def case(name: str, file: str = "tests/test_user.py") -> UnitTest:
    junit = JUnitCase("s", "tests.test_user", name, file, 1, 0.1, "passed", "", "", ())
    return UnitTest.from_case("unit", junit)


def test_a_feature_sees_only_its_tests_mocks_and_its_journeys_endpoints() -> None:
    endpoints = traffic(
        ("GET", "/api/users/7", 200, {"data": {"user": {"id": 7, "name": "Ada"}}}),
        journey="journeys/user.journey.yml",
    ) + traffic(("GET", "/api/teams/1", 200, {"id": 1, "name": "A"}), journey="other")
    theirs = mock({"id": 1, "name": "x"}, tests=("tests/test_team.py::test_team",))
    mine = mock(USER)
    found = feature_drift(
        "profile", [case("test_shows_the_name")], ["journeys/user.journey.yml"], [mine, theirs],
        endpoints,
    )  # fmt: skip
    assert [(d.kind, d.path, d.test) for d in found.drift] == [("envelope", "data.user", TEST)]
    assert found.unmatched == ()


def test_a_feature_whose_journey_failed_elsewhere_has_no_drift() -> None:
    endpoints = traffic(("GET", "/api/users/7", 200, {"id": 7, "name": "Ada"}), journey="j")
    found = feature_drift("profile", [case("test_shows_the_name")], ["j"], [mock(USER)], endpoints)
    assert found.drift == ()
    assert found.unmatched == ()
