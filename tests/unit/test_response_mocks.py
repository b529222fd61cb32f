"""API response mocks found statically in test sources: every kind, with file and line, the
tests that use each, and no mock that stands for no API (clocks, loggers, random, scalars)."""

from __future__ import annotations

from pathlib import Path

from harness.core.response_mocks import ResponseMock, find_response_mocks

ROOT = Path(__file__).resolve().parent.parent.parent
SHOP_TESTS = ROOT / "examples" / "shop" / "tests"


def test_the_shop_cart_fixture_is_a_mock_of_the_tests_that_read_it() -> None:
    found = find_response_mocks(ROOT, sorted(SHOP_TESTS.glob("*.py")))
    (cart,) = [m for m in found if m.file.endswith("cart_response.json")]
    assert isinstance(cart, ResponseMock)
    assert (cart.file, cart.line, cart.library) == (
        "examples/shop/tests/fixtures/cart_response.json",
        1,
        "fixture",
    )
    contract = "examples/shop/tests/test_frontend_contract.py::"
    assert set(cart.tests) == {
        contract + "test_cart_page_reads_keys_the_cart_api_sends",
        contract + "test_cart_lines_read_keys_the_cart_api_sends",
        contract + "test_checkout_summary_reads_keys_the_cart_api_sends",
        contract + "test_product_page_reads_the_count_the_cart_api_sends",
    }
    assert isinstance(cart.body, dict)
    assert set(cart.body) == {"lines", "count", "total", "total_cents"}
