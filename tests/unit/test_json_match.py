"""JSON subset matches, their differences in the author's words, and dotted paths."""

from __future__ import annotations

import pytest

from harness.core.json_match import PathNotFound, differences, value_at

BOOKS = [
    {"title": "The Hobbit", "author": "Tolkien", "price": 12.0},
    {"title": "Dune", "author": "Herbert", "price": 9.5},
]


@pytest.mark.parametrize(
    ("want", "got", "said"),
    [
        ([{"title": "The Hobbit", "genre": "Fantasy"}], BOOKS, ["item 0: key 'genre' missing"]),
        ([{"title": "Dune", "price": 10}], BOOKS, ["item 1, key 'price': expected 10, got 9.5"]),
        (
            {"count": 2, "items": [{"sku": "M1"}]},
            {"count": 3, "items": [{"sku": "M2"}]},
            [
                "key 'count': expected 2, got 3",
                "key 'items', item 0, key 'sku': expected \"M1\", got \"M2\"",
            ],
        ),
        ({"books": []}, [], ['expected {"books": []}, got []']),
        ([{"a": 1}], [], ['expected an item like {"a": 1}, got an empty list']),
        ({"count": "2"}, {"count": 2}, []),
        (BOOKS[:1], BOOKS, []),
    ],
)
def test_differences_name_each_place(want: object, got: object, said: list[str]) -> None:
    assert differences(want, got) == said


def test_dotted_paths_take_keys_indexes_and_lengths() -> None:
    data = {"books": BOOKS}
    assert value_at(data, "books.#") == 2
    assert value_at(data, "books.-1.title") == "Dune"
    assert value_at(data, "books.0.title.#") == len("The Hobbit")
    assert value_at(BOOKS, "1.author") == "Herbert"
    with pytest.raises(PathNotFound, match=r"no value at books.2.title \(it ends after books\)"):
        value_at(data, "books.2.title")
