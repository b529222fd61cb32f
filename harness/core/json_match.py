"""JSON as journeys check it: a subset match (every key and list item the step gives must be in
the response), the differences when it does not hold, said in the author's words ("item 0: key
'genre' missing"), and dotted paths into a value (``books.0.genre``; ``books.#`` is a length)."""

from __future__ import annotations

import json
from typing import Any

#: A path part that means "how many": ``books.#`` is the length of the list ``books``.
LENGTH = "#"


def subset(want: Any, got: Any) -> bool:
    """Whether every key and list item of ``want`` is present and equal in ``got``."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(
            key in got and subset(value, got[key]) for key, value in want.items()
        )
    if isinstance(want, list):
        return isinstance(got, list) and all(
            any(subset(item, candidate) for candidate in got) for item in want
        )
    if isinstance(want, str) and _is_number(got):
        return want == json.dumps(got)  # a templated "${count}" against a number
    return bool(want == got)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def shown(value: Any, limit: int = 80) -> str:
    """A JSON value as a person reads it in a message, shortened."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def differences(want: Any, got: Any, where: tuple[str | int, ...] = ()) -> list[str]:
    """Why ``got`` does not contain ``want``: one line per difference, each naming its place
    (``item 0: key 'genre' missing``, ``key 'count': expected 2, got 3``); empty when it does."""
    if subset(want, got):
        return []
    if isinstance(want, dict) and isinstance(got, dict):
        found = []
        for key, value in want.items():
            if key not in got:
                found.append(_at(where, f"key '{key}' missing"))
            else:
                found += differences(value, got[key], (*where, key))
        return found
    if isinstance(want, list) and isinstance(got, list):
        return _list_differences(want, got, where)
    return [_at(where, f"expected {shown(want)}, got {shown(got)}")]


def _list_differences(want: list[Any], got: list[Any], where: tuple[str | int, ...]) -> list[str]:
    found = []
    for index, item in enumerate(want):
        if any(subset(item, candidate) for candidate in got):
            continue
        if not got:
            found.append(_at(where, f"expected an item like {shown(item)}, got an empty list"))
            continue
        closest = min(
            range(len(got)),
            key=lambda i: (len(differences(item, got[i], ())), i != index),
        )
        found += differences(item, got[closest], (*where, closest))
    return found


def place(where: tuple[str | int, ...]) -> str:
    """``item 0, key 'genre'``: a place in a JSON value in words."""
    return ", ".join(f"item {part}" if isinstance(part, int) else f"key '{part}'" for part in where)


def _at(where: tuple[str | int, ...], what: str) -> str:
    return f"{place(where)}: {what}" if where else what


class PathNotFound(LookupError):
    """A dotted path leads nowhere in a value; ``reached`` is the part that did exist."""

    def __init__(self, path: str, reached: str) -> None:
        super().__init__(f"no value at {path}" + (f" (it ends after {reached})" if reached else ""))
        self.path = path
        self.reached = reached


def value_at(value: Any, path: str) -> Any:
    """The value at a dotted path: keys and list indexes (``-1`` is the last), ``#`` for the
    length of a list, mapping or text. PathNotFound when there is none."""
    reached: list[str] = []
    for part in path.split(".") if path else []:
        if part == LENGTH and isinstance(value, (list, dict, str)):
            value = len(value)
        elif isinstance(value, list) and _index(part, len(value)) is not None:
            value = value[_index(part, len(value)) or 0]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise PathNotFound(path, ".".join(reached))
        reached.append(part)
    return value


def _index(part: str, length: int) -> int | None:
    if not part.lstrip("-").isdigit():
        return None
    index = int(part)
    return index if -length <= index < length else None
