"""Real pytest outcomes for the JUnit reader: pass, fail, error, skip, xfail, classes, params."""

import os

import pytest

FAIL = os.environ.get("DIALECT_FAIL") == "1"


@pytest.mark.covers("cart")
def test_add():
    assert [1, 2] == [1, 2]


@pytest.mark.covers("cart", "checkout")
def test_total():
    assert (5 if FAIL else 4) == 2 + 2


@pytest.fixture
def broken_database():
    if FAIL:
        raise ConnectionError("database is down")
    return {}


def test_uses_database(broken_database):
    assert broken_database == {}


@pytest.mark.skip(reason="not written yet")
def test_remove():
    pass


@pytest.mark.xfail(reason="known bug", strict=False)
def test_discount():
    assert 0.1 + 0.2 == 0.3


@pytest.mark.covers("checkout")
class TestCheckout:
    @pytest.mark.parametrize("card", ["visa", "a::b/c.d"])
    def test_pay(self, card):
        assert card
