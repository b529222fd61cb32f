"""Schema errors become a person's messages: where, what, what is valid, what was meant."""

from __future__ import annotations

from typing import Any

import pytest

from harness.core.source import DocPath, parse_document
from harness.core.validation import check

TARGET = {
    "type": "object",
    "x-key-noun": "locator key",
    "properties": {
        "role": {"type": "string"},
        "name": {"type": "string"},
        "testid": {"type": "string"},
    },
    "additionalProperties": False,
    "oneOf": [{"required": ["role"]}, {"required": ["testid"]}],
    "x-exactly-one": {"what": "a locator needs exactly one target kind", "noun": "target kind"},
}
STEP = {
    "type": "object",
    "properties": {
        "click": {"anyOf": [{"type": "string"}, TARGET]},
        "goto": {"type": "string", "minLength": 1},
        "dialog": {"anyOf": [{"enum": ["accept", "dismiss"]}, {"type": "object"}]},
        "fill": {
            "type": "object",
            "properties": {"value": {"type": "string", "description": "the text to type"}},
            "required": ["value"],
        },
        "use": {"type": "string"},
        "with": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z]+$", "x-expected": "a lower-case name"},
        },
    },
    "additionalProperties": False,
    "dependentRequired": {"with": ["use"]},
    "oneOf": [{"required": [k]} for k in ("click", "goto", "dialog", "fill", "use")],
    "x-exactly-one": {
        "what": "a step needs exactly one action key",
        "noun": "action key",
        "hint": "Put each action in its own step",
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
        "retries": {"type": "integer", "minimum": 0, "maximum": 5},
        "timeout": {
            "type": ["string", "number"],
            "pattern": "^[0-9]+s$",
            "x-expected": "a duration such as 10s",
        },
        "request": {
            "type": "object",
            "properties": {"json": {}, "data": {}},
            "not": {"required": ["json", "data"]},
            "x-message": "give json or data, not both",
        },
        "steps": {"type": "array", "minItems": 1, "items": STEP},
    },
    "required": ["name", "steps"],
    "additionalProperties": False,
}


def _describe(path: DocPath, data: Any) -> str:
    if len(path) >= 2 and path[0] == "steps" and isinstance(path[1], int):
        step = data["steps"][path[1]]
        actions = [k for k in STEP["oneOf"] if isinstance(step, dict) and k["required"][0] in step]
        return f"step {path[1] + 1}" + (f" ({actions[0]['required'][0]})" if actions else "")
    return ""


def _check(text: str) -> list[str]:
    return [str(p) for p in check(parse_document(text, "j.yml"), SCHEMA, _describe)]


def test_a_valid_document_has_no_problems() -> None:
    assert _check("name: x\nsteps:\n  - goto: /\n  - click: {role: button}\n") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "nme: x\nsteps: [{goto: /}]\n",
            "j.yml:1:1: unknown key 'nme'. Did you mean 'name'?\n"
            "    Valid keys: name, tags, retries, timeout, request, steps",
        ),
        ("steps: [{goto: /}]\n", "j.yml:1:1: missing key 'name'"),
        ("name: [x]\nsteps: [{goto: /}]\n", "j.yml:1:7: 'name' must be text, not a list"),
        (
            "name: x\ntimeout: 10 sec\nsteps: [{goto: /}]\n",
            "j.yml:2:10: 'timeout' must be a duration such as 10s, not '10 sec'",
        ),
        (
            "name: x\nretries: 9\nsteps: [{goto: /}]\n",
            "j.yml:2:10: 'retries' must be at most 5, not the number 9",
        ),
        (
            "name: x\nretries: -1\nsteps: [{goto: /}]\n",
            "j.yml:2:10: 'retries' must be at least 0, not the number -1",
        ),
        ("name: x\ntags: [a, b, a]\nsteps: [{goto: /}]\n", "j.yml:2:14: 'a' is listed twice"),
        (
            "name: x\ntags: [a, 1]\nsteps: [{goto: /}]\n",
            "j.yml:2:11: item 2 of 'tags' must be text, not the number 1",
        ),
        ("name: x\nsteps: []\n", "j.yml:2:8: 'steps' needs at least 1 item"),
        ("name: x\nsteps: [{goto: ''}]\n", "j.yml:2:16: step 1 (goto): 'goto' must not be empty"),
        (
            "name: x\nrequest: {json: 1, data: 2}\nsteps: [{goto: /}]\n",
            "j.yml:2:10: give json or data, not both",
        ),
        ("- a\n", "j.yml:1:1: the file must be a mapping, not a list"),
        (
            "name: x\nsteps:\n  - click: {rol: button}\n",
            "j.yml:3:13: step 1 (click): unknown locator key 'rol'. Did you mean 'role'?\n"
            "    Valid keys: role, name, testid",
        ),
        (
            "name: x\nsteps:\n  - clik: x\n",
            "j.yml:3:5: step 1: unknown key 'clik'. Did you mean 'click'?\n"
            "    Valid keys: click, goto, dialog, fill, use, with",
        ),
        (
            "name: x\nsteps:\n  - click: {role: a, testid: b}\n",
            "j.yml:3:12: step 1 (click): a locator needs exactly one target kind; found 2: "
            "role, testid\n"
            "    Valid target kinds: role, testid",
        ),
        (
            "name: x\nsteps:\n  - click: {name: Pay}\n",
            "j.yml:3:12: step 1 (click): a locator needs exactly one target kind; found none\n"
            "    Valid target kinds: role, testid",
        ),
        (
            "name: x\nsteps:\n  - goto: /\n    click: x\n",
            "j.yml:3:5: step 1 (click): a step needs exactly one action key; found 2: "
            "click, goto\n"
            "    Valid action keys: click, goto, dialog, fill, use\n"
            "    Put each action in its own step",
        ),
        (
            "name: x\nsteps:\n  - {}\n",
            "j.yml:3:5: step 1: a step needs exactly one action key; found none\n"
            "    Valid action keys: click, goto, dialog, fill, use",
        ),
        ("name: x\nsteps:\n  - goto /\n", "j.yml:3:5: step 1: expected a mapping, not 'goto /'"),
        (
            "name: x\nsteps:\n  - goto: 5\n",
            "j.yml:3:11: step 1 (goto): 'goto' must be text, not the number 5",
        ),
        (
            "name: x\nsteps:\n  - dialog: acept\n",
            "j.yml:3:13: step 1 (dialog): 'dialog' must be one of: accept, dismiss, "
            "not 'acept'. Did you mean 'accept'?",
        ),
        (
            "name: x\nsteps:\n  - dialog: [1]\n",
            "j.yml:3:13: step 1 (dialog): 'dialog' must be accept, dismiss or a mapping, "
            "not a list",
        ),
        (
            "name: x\nsteps:\n  - click: [1]\n",
            "j.yml:3:12: step 1 (click): 'click' must be text or a mapping, not a list",
        ),
        (
            "name: x\nsteps:\n  - fill: {}\n",
            "j.yml:3:11: step 1 (fill): missing key 'value'\n    value: the text to type",
        ),
        (
            "name: x\nsteps:\n  - goto: /\n    with: {}\n",
            "j.yml:4:5: step 1 (goto): 'with' is only allowed together with 'use'",
        ),
        (
            "name: x\nsteps:\n  - use: f\n    with: {Bad: 1}\n",
            "j.yml:4:12: step 1 (use): 'Bad' is not a lower-case name",
        ),
    ],
)
def test_each_kind_of_mistake_reads_well(text: str, expected: str) -> None:
    assert _check(text) == [expected]


def test_all_problems_come_at_once_in_file_order_with_duplicates_first_found() -> None:
    text = "name: x\nname: y\nsteps:\n  - clik: /\n  - goto: 5\n"
    assert [p.split(": ")[0] for p in _check(text)] == ["j.yml:2:1", "j.yml:4:5", "j.yml:5:11"]


def test_noise_is_dropped_next_to_a_did_you_mean() -> None:
    # Only the typo is reported: not also "missing key 'name'" nor "no action key".
    messages = _check("nam: x\nsteps:\n  - gotoo: /\n")
    assert len(messages) == 2
    assert all("Did you mean" in m for m in messages)


def test_regex_format_is_checked_with_python_re() -> None:
    schema = {"type": "object", "properties": {"regex": {"type": "string", "format": "regex"}}}
    problems = check(parse_document("regex: '(a'\n", "r.yml"), schema)
    assert [str(p) for p in problems] == [
        "r.yml:1:8: 'regex' must be a valid regular expression "
        "(missing ), unterminated subpattern at position 0), not '(a'"
    ]
