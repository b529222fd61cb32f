"""Durations: 500ms, 10s, 2m, or a number of seconds."""

from __future__ import annotations

import pytest

from harness.core.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("500ms", 0.5),
        ("10s", 10.0),
        ("2m", 120.0),
        ("1.5s", 1.5),
        (" 3 s", 3.0),
        (5, 5.0),
        (0.25, 0.25),
        (0, 0.0),
    ],
)
def test_durations_parse_to_seconds(written: object, seconds: float) -> None:
    assert parse_duration(written) == seconds


@pytest.mark.parametrize(
    "written", ["10 sec", "1h", "", "s", "-1s", -1, True, None, float("nan"), float("inf"), [1]]
)
def test_anything_else_is_refused_with_the_accepted_forms(written: object) -> None:
    with pytest.raises(
        ValueError, match="a duration such as 500ms, 10s, 2m, or a number of seconds"
    ):
        parse_duration(written)


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0.5, "500ms"), (10.0, "10s"), (120.0, "2m"), (1.5, "1.5s"), (0, "0s")]
)
def test_durations_print_the_way_users_write_them(seconds: float, shown: str) -> None:
    assert format_duration(seconds) == shown
    assert parse_duration(shown) == seconds
