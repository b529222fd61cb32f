"""Linked to the search feature by a JUnit property the tests write themselves."""

import os

import pytest
from tinyshop.search import search

STALE = "search" in os.environ.get("SHOP_STALE_TESTS", "").split(",")


@pytest.fixture(autouse=True)
def covers_search(request):
    request.node.user_properties.append(("covers", "search"))


def test_finds_by_word():
    names = [p.name for p in search("blue")]
    assert names == (["Mug, blue"] if STALE else ["Blue mug"])


def test_nothing_found():
    assert search("teapot") == []
