"""The catalog, search and the product page, with the product repository mocked."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask.testing import FlaskClient
from samples import BLUE_MUG, TEAPOT
from shop.repositories import like_pattern


@pytest.mark.covers("catalog")
def test_catalog_lists_every_product(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.products.all.return_value = [BLUE_MUG, TEAPOT]
    page = client.get("/").get_data(as_text=True)
    assert "Blue mug" in page
    assert "Teapot" in page
    assert "2 products" in page


@pytest.mark.covers("catalog")
def test_search_asks_the_repository(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.products.search.return_value = [BLUE_MUG]
    page = client.get("/?q=+mug+").get_data(as_text=True)
    mocks.products.search.assert_called_once_with("mug")
    assert "Results for “mug”" in page
    assert "1 product<" in page


@pytest.mark.covers("catalog")
def test_search_without_results_says_so(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.products.search.return_value = []
    page = client.get("/?q=unicorn").get_data(as_text=True)
    assert "No products match “unicorn”" in page


@pytest.mark.covers("catalog")
@pytest.mark.parametrize(
    ("query", "pattern"), [("mug", "%mug%"), ("50%", "%50\\%%"), ("a_b", "%a\\_b%")]
)
def test_search_pattern_takes_wildcards_literally(query: str, pattern: str) -> None:
    assert like_pattern(query) == pattern


def test_product_page_shows_name_and_price(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.products.by_sku.return_value = BLUE_MUG
    page = client.get("/products/M1").get_data(as_text=True)
    mocks.products.by_sku.assert_called_once_with("M1")
    assert "<h1>Blue mug</h1>" in page
    assert "$12.00" in page


def test_product_page_of_unknown_product_is_404(
    client: FlaskClient, mocks: SimpleNamespace
) -> None:
    mocks.products.by_sku.return_value = None
    response = client.get("/products/NOPE")
    assert response.status_code == 404
    assert "There is no product NOPE." in response.get_data(as_text=True)
