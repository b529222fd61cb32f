"""The YAML reader: plain values with positions, and every unreadable file as a located Problem."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from harness.core.source import MAX_BYTES, Position, load_document, parse_document
from harness.errors import SourceError


def _problems(text: str) -> list[str]:
    with pytest.raises(SourceError) as caught:
        parse_document(text, "f.yml")
    return [str(p) for p in caught.value.problems]


def test_values_are_plain_and_positions_are_one_based() -> None:
    document = parse_document("name: Buy\nsteps:\n  - goto: /\n", "f.yml")
    assert document.data == {"name": "Buy", "steps": [{"goto": "/"}]}
    assert document.values[("steps", 0, "goto")] == Position(3, 11)
    assert document.keys[("steps", 0, "goto")] == Position(3, 5)
    assert document.keys[("name",)] == Position(1, 1)


def test_a_missing_path_falls_back_to_its_nearest_ancestor() -> None:
    document = parse_document("steps:\n  - goto: /\n", "f.yml")
    assert document.position(("steps", 0, "nope", 3)) == Position(2, 5)


def test_offsets_point_inside_one_line_strings() -> None:
    document = parse_document('a: "x ${y}"\nb: x ${y}\n', "f.yml")
    assert document.problem(("a",), "m", offset=2).column == 7
    assert document.problem(("b",), "m", offset=2).column == 6


def test_dates_stay_text_and_keys_stay_as_written() -> None:
    document = parse_document("until: 2026-01-31\non: 1\n", "f.yml")
    assert document.data == {"until": "2026-01-31", "on": 1}


def test_duplicate_keys_are_collected_not_raised() -> None:
    document = parse_document("a: 1\nb: {x: 1, x: 2}\na: 3\n", "f.yml")
    assert [str(p) for p in document.problems] == [
        "f.yml:2:11: duplicate key 'x' (first at line 2); each key may appear once",
        "f.yml:3:1: duplicate key 'a' (first at line 1); each key may appear once",
    ]


def test_merge_keys_and_anchors_work() -> None:
    document = parse_document("base: &b {k: 1, j: 1}\nm:\n  <<: *b\n  j: 2\n", "f.yml")
    assert document.data["m"] == {"k": 1, "j": 2}
    assert document.problems == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "f.yml:1:1: the file is empty: expected a mapping of keys"),
        ("# only a comment\n", "f.yml:1:1: the file is empty: expected a mapping of keys"),
        ("a: 1\n---\nb: 2\n", "f.yml:3:1: the file holds more than one YAML document"),
        ("a: [1\n", "f.yml:2:1: the [...] that starts at line 1, column 4 is not closed"),
        ("a:\n  - b: 1\n   - c: 2\n", "f.yml:3:4: this line is not indented like the list that"),
        ("a:\n  b: 1\n c: 2\n", "f.yml:3:2: this line is not indented like the keys of the"),
        ("a: &x [*x]\n", "f.yml:1:4: an alias refers to the mapping or list it is in"),
        ("a: !foo 1\n", "f.yml:1:4: cannot read this value: could not determine a constructor"),
        ("? [a]\n: 1\n", "f.yml:1:3: a key must be a plain name, not a list or mapping"),
        ("a:\n\tb: 1\n", "f.yml:2:1: this character cannot start a key or a value"),
    ],
)
def test_unreadable_documents_are_located_problems(text: str, expected: str) -> None:
    assert _problems(text)[0].startswith(expected)


def test_exponential_aliases_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    assert "too large" in _problems("\n".join(lines))[0]


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    binary = tmp_path / "b.yml"
    binary.write_bytes(b"a: \xff\xfe\n")
    for path, expected in [
        (tmp_path / "missing.yml", "file not found"),
        (binary, "the file is not UTF-8 text"),
        (tmp_path, "not a regular file (a folder)"),
    ]:
        with pytest.raises(SourceError) as caught:
            load_document(path, display="shown.yml")
        assert str(caught.value).startswith(f"shown.yml:1:1: {expected}")


def test_nesting_deeper_than_any_user_file_is_refused() -> None:
    assert "nested too deeply (over 40 levels)" in _problems("a: " + "[" * 60 + "]" * 60)[0]


def test_numbers_json_cannot_hold_stay_as_written() -> None:
    document = parse_document("a: .inf\nb: -.Inf\nc: .nan\nd: 1.5\n", "f.yml")
    assert document.data == {"a": ".inf", "b": "-.Inf", "c": ".nan", "d": 1.5}


def test_only_true_and_false_are_booleans() -> None:
    document = parse_document("a: yes\nb: off\nc: true\nd: False\n", "f.yml")
    assert document.data == {"a": "yes", "b": "off", "c": True, "d": False}


def test_a_fifo_named_like_a_journey_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "hang.journey.yml"
    os.mkfifo(fifo)  # no writer: a plain read would block forever
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        load_document(fifo, "hang.journey.yml")
    assert time.monotonic() - started < 1
    assert [str(p) for p in caught.value.problems] == [
        "hang.journey.yml:1:1: not a regular file (a FIFO)"
    ]


def test_a_20_mb_file_is_refused_in_under_a_second(tmp_path: Path) -> None:
    big = tmp_path / "big.journey.yml"
    big.write_text("name: big\nsteps:\n" + ("  - goto: /" + "x" * 89 + "\n") * 200_000)
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        load_document(big, "big.journey.yml")
    assert time.monotonic() - started < 1
    assert str(caught.value.problems[0]) == (
        f"big.journey.yml:1:1: the file is too large ({big.stat().st_size:,} bytes; "
        f"at most {MAX_BYTES:,})"
    )
