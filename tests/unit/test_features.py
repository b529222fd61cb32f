"""Linking unit tests to features: harness.yml patterns, JUnit properties, journey covers."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.core.features import (
    FeatureConfig,
    UnitTest,
    link_features,
    links_of,
    one_case_per_test,
    unit_test_ids,
)
from harness.core.junit import JUnitCase, read_junit

DATA = Path(__file__).resolve().parent.parent / "data" / "junit"


def case(
    classname: str,
    name: str,
    *,
    file: str | None = None,
    outcome: str = "passed",
    properties: tuple[tuple[str, str], ...] = (),
) -> JUnitCase:
    return JUnitCase("s", classname, name, file, None, 0.0, outcome, "", "", properties)  # type: ignore[arg-type]


def test_pytest_node_ids_are_rebuilt_from_a_dotted_classname() -> None:
    ids = unit_test_ids(case("tests.test_cart.TestCart", "test_add[a.b::c]"))
    assert ids == (
        "tests.test_cart.TestCart.test_add[a.b::c]",
        "tests/test_cart.py::TestCart::test_add[a.b::c]",  # the likeliest first
        "tests/test_cart/TestCart.py::test_add[a.b::c]",
        "tests.py::test_cart::TestCart::test_add[a.b::c]",
    )
    label = UnitTest.from_case("shop", case("tests.test_cart.TestCart", "test_add[a.b::c]")).label
    assert label == "tests/test_cart.py::TestCart::test_add[a.b::c]"
    assert UnitTest.from_case("go", case("", "TestMain")).label == "TestMain"


def test_with_a_root_only_existing_files_are_kept(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_cart.py").write_text("")
    ids = unit_test_ids(case("tests.test_cart.TestCart", "test_add"), tmp_path)
    assert ids == ("tests.test_cart.TestCart.test_add", "tests/test_cart.py::TestCart::test_add")


def test_a_file_attribute_gives_the_node_id_directly() -> None:
    xunit1 = case("tests.test_cart.TestCart", "test_add", file="tests/test_cart.py")
    assert "tests/test_cart.py::TestCart::test_add" in unit_test_ids(xunit1)
    jest = case("Cart adds an item", "Cart adds an item", file="jest/cart.test.js")
    assert unit_test_ids(jest)[1] == "jest/cart.test.js::Cart adds an item"


def test_vitest_and_go_names() -> None:
    vitest = case("src/cart.test.ts", "cart > adds")
    assert unit_test_ids(vitest) == (
        "src/cart.test.ts.cart > adds",
        "src/cart.test.ts::cart > adds",
    )
    go = case("example.com/shop/cart", "TestTotal/empty")
    assert unit_test_ids(go) == (
        "example.com/shop/cart.TestTotal/empty",
        "example.com/shop/cart::TestTotal/empty",
    )


@pytest.mark.parametrize(
    ("pattern", "classname", "name", "linked"),
    [
        ("tests/test_checkout.py::*", "tests.test_checkout", "test_pay", True),
        ("tests/test_checkout.py::*", "tests.test_cart", "test_pay", False),
        ("*CheckoutForm*", "src/CheckoutForm.test.tsx", "submits", True),
        ("*::TestCheckout::*", "tests.test_shop.TestCheckout", "test_pay", True),
        ("example.com/shop/checkout.*", "example.com/shop/checkout", "TestPay", True),
        ("com.example.shop.Checkout*", "com.example.shop.CheckoutTest", "pays", True),
        ("tests.test_checkout.*", "tests.test_checkout", "test_pay", True),
    ],
)
def test_patterns(pattern: str, classname: str, name: str, linked: bool) -> None:
    test = UnitTest.from_case("shop", case(classname, name))
    links = links_of(test, [FeatureConfig("checkout", (pattern,))])
    assert bool(links) is linked
    if linked:
        assert links[0].describe() == f"features.checkout.unit pattern {pattern!r}"


def test_properties_feature_and_covers_with_lists() -> None:
    test = UnitTest.from_case(
        "web", case("a", "b", properties=(("feature", "cart"), ("covers", "search, checkout")))
    )
    assert [(link.feature, link.way, link.detail) for link in links_of(test, [])] == [
        ("cart", "property", "feature"),
        ("search", "property", "covers"),
        ("checkout", "property", "covers"),
    ]


def test_marker_properties_from_a_real_pytest_report_link() -> None:
    report = read_junit(DATA / "pytest.xml")
    tests = [UnitTest.from_case("shop", c) for c in report.cases]
    links = {f.feature: f for f in link_features(tests)}
    assert sorted(t.test.case.name for t in links["cart"].unit_tests) == ["test_add", "test_total"]
    assert len(links["checkout"].unit_tests) == 3


def test_link_features_unites_the_three_ways() -> None:
    tests = [
        UnitTest.from_case("shop", case("tests.test_cart", "test_add")),
        UnitTest.from_case(
            "shop", case("tests.test_misc", "test_x", properties=(("feature", "cart"),))
        ),
        UnitTest.from_case("shop", case("tests.test_search", "test_q")),
    ]
    configs = [FeatureConfig("cart", ("tests/test_cart.py::*",)), FeatureConfig("wishlist", ())]
    links = link_features(tests, configs, {"buy-a-mug": ["cart", "checkout", "cart"]})
    by_id = {f.feature: f for f in links}
    assert list(by_id) == ["cart", "checkout", "wishlist"]
    assert [t.test.case.name for t in by_id["cart"].unit_tests] == ["test_add", "test_x"]
    assert by_id["cart"].journeys == ("buy-a-mug",)
    assert by_id["checkout"].unit_tests == ()
    assert by_id["wishlist"].journeys == ()


def test_one_link_per_feature_even_when_both_ways_match() -> None:
    test = UnitTest.from_case(
        "shop", case("tests.test_cart", "t", properties=(("feature", "cart"),))
    )
    (cart,) = link_features([test], [FeatureConfig("cart", ("*test_cart*",))])
    (linked,) = cart.unit_tests
    assert [link.way for link in linked.links] == ["pattern", "property"]


def test_teardown_errors_merge_into_one_case() -> None:
    first = case("t", "x", outcome="failed", properties=(("feature", "cart"),))
    second = case("t", "x", outcome="error")
    (merged,) = one_case_per_test([first, second])
    assert merged.outcome == "error"
    assert merged.property_values("feature") == ("cart",)
