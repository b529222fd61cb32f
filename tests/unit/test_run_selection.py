"""Which journeys a run takes: -k expressions, --shard, --tag."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.errors import UsageError
from harness.run.selection import Keywords, Shard, has_any_tag

JOURNEY = ("Guest buys a mug", "journeys/shop/buy-a-mug.journey.yml")


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("mug", True),
        ("MUG", True),
        ("buy-a-mug", True),
        ("shop/buy", True),
        ("checkout", False),
        ("mug and guest", True),
        ("mug and checkout", False),
        ("mug or checkout", True),
        ("not checkout", True),
        ("not mug", False),
        ("guest and not (checkout or search)", True),
        ("(checkout or search) and mug", False),
        ("not not mug", True),
        ("journey.yml", True),
    ],
)
def test_keywords_match_substrings_of_name_id_and_file(expression: str, expected: bool) -> None:
    assert Keywords.from_text(expression).matches(*JOURNEY) is expected


@pytest.mark.parametrize(
    "expression",
    ["", "   ", "and", "mug and", "mug checkout", "(mug", "mug)", "not", "()", "or mug"],
)
def test_malformed_keywords_are_a_usage_error_that_says_what_is_valid(expression: str) -> None:
    with pytest.raises(UsageError) as error:
        Keywords.from_text(expression)
    assert f"-k {expression!r}" in str(error.value)
    assert "and, or, not and parentheses" in str(error.value)


@pytest.mark.parametrize("expression", ["__import__('os').system('false')", "open('x')"])
def test_keywords_that_look_like_python_calls_are_refused_not_run(expression: str) -> None:
    with pytest.raises(UsageError, match="not words joined by and, or, not"):
        Keywords.from_text(expression)


def test_a_word_with_dots_commas_and_brackets_is_matched_as_text() -> None:
    keywords = Keywords.from_text("os.system,x[0]")
    assert keywords.matches("call os.system,x[0] here")
    assert not keywords.matches(*JOURNEY)


@pytest.mark.parametrize("text", ["1/0", "0/2", "3/2", "a/b", "1", "1/2/3", "-1/2"])
def test_bad_shards_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError, match="--shard"):
        Shard.from_text(text)


@given(
    ids=st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=30),
    total=st.integers(min_value=1, max_value=6),
)
def test_shards_split_every_journey_into_exactly_one_part_evenly(
    ids: list[str], total: int
) -> None:
    parts = [Shard(index, total).take(ids, key=str) for index in range(1, total + 1)]
    taken = [item for part in parts for item in part]
    assert sorted(taken) == sorted(ids)
    sizes = [len(part) for part in parts]
    assert max(sizes) - min(sizes) <= 1


def test_a_shard_does_not_depend_on_the_order_journeys_were_found_in() -> None:
    ids = ["c", "a", "d", "b", "e"]
    shard = Shard.from_text("2/2")
    assert shard.take(ids, key=str) == shard.take(sorted(ids, reverse=True), key=str) == ["b", "d"]


def test_tags_select_any_of_the_wanted_ones() -> None:
    assert has_any_tag(("smoke", "cart"), ())
    assert has_any_tag(("smoke", "cart"), ("cart", "search"))
    assert not has_any_tag(("smoke",), ("critical",))
    assert not has_any_tag((), ("smoke",))
