"""The pages' JavaScript against the API response it is written for.

The response is the recorded sample in fixtures/cart_response.json, so these tests need no
server: they check that every key the scripts read is in the sample."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

STATIC = Path(__file__).resolve().parent.parent / "shop" / "static" / "js"
CART_RESPONSE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "cart_response.json").read_text()
)


def keys_read(script: str, variable: str) -> set[str]:
    """The properties a script reads from a variable: ``cart.total`` -> ``total``."""
    source = (STATIC / script).read_text()
    return set(re.findall(rf"\b{variable}\.(\w+)", source)) - {"map", "length", "forEach"}


@pytest.mark.covers("cart")
def test_cart_page_reads_keys_the_cart_api_sends() -> None:
    assert keys_read("cart.js", "cart") <= CART_RESPONSE.keys()
    assert keys_read("cart.js", "cart") >= {"lines", "total", "count"}


@pytest.mark.covers("cart")
def test_cart_lines_read_keys_the_cart_api_sends() -> None:
    assert keys_read("cart.js", "line") <= CART_RESPONSE["lines"][0].keys()


@pytest.mark.covers("checkout")
def test_checkout_summary_reads_keys_the_cart_api_sends() -> None:
    assert keys_read("checkout.js", "cart") <= CART_RESPONSE.keys()
    assert keys_read("checkout.js", "line") <= CART_RESPONSE["lines"][0].keys()


@pytest.mark.covers("product")
def test_product_page_reads_the_count_the_cart_api_sends() -> None:
    assert keys_read("product.js", "cart") == {"count"}
    assert "count" in CART_RESPONSE


@pytest.mark.covers("cart")
def test_api_client_calls_the_cart_endpoint() -> None:
    client = (STATIC / "api.js").read_text()
    assert '"/api/cart"' in client
    assert "response.json()" in client
