"""Locators and matched text: how a journey names an element and the text it expects."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias


@dataclass(frozen=True)
class Regex:
    """``{regex: ..., ignore_case: ...}``: a text matched by a (Python) regular expression."""

    pattern: str
    ignore_case: bool = False

    def compile(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE if self.ignore_case else 0)

    def __str__(self) -> str:
        return f"/{self.pattern}/{'i' if self.ignore_case else ''}"


#: Text to match: exact (or, for ``contains`` and ``has_text``, a substring) or a Regex.
Text: TypeAlias = str | Regex


def text_from(value: Any) -> Text:
    """A schema-valid text value: a string, a number (as written) or ``{regex: ...}``."""
    if isinstance(value, dict):
        return Regex(str(value["regex"]), bool(value.get("ignore_case", False)))
    return scalar_text(value)


def scalar_text(value: Any) -> str:
    """How a YAML scalar reads as text: ``true``/``false`` for booleans, digits for numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _optional_text(data: Mapping[str, Any], key: str) -> Text | None:
    return text_from(data[key]) if key in data else None


#: Target kinds, each mapped to Playwright's page.get_by_KIND (or locator() for css, xpath).
TARGETS = ("role", "text", "label", "placeholder", "alt", "title", "testid", "css", "xpath")


@dataclass(frozen=True)
class Locator:
    """An element: ``kind`` is a target kind or ``"selector"`` (a plain Playwright selector).

    Build it in this order: ``frame`` (an iframe, as ``frame_locator``), then ``within`` (the
    search happens inside that element), then the target (``get_by_role(value, name=name,
    exact=exact)``, ``get_by_text(value, exact=exact)``, ..., ``locator("css=...")``), then
    ``filter(has_text=has_text)``, then ``nth(nth)``. On a table, ``row`` keeps its data rows
    that contain a text and ``column`` takes their cell under a header, before ``has_text``.
    Locators are strict: more than one match is a failure that says so.
    """

    kind: str
    value: Text
    name: Text | None = None
    exact: bool | None = None
    nth: int | None = None
    has_text: Text | None = None
    within: Locator | None = None
    frame: Locator | None = None
    level: int | None = None
    row: Text | None = None
    column: str | None = None

    @classmethod
    def from_data(cls, data: Any, *, skip: tuple[str, ...] = ()) -> Locator:
        """From a selector string or a mapping (whose other keys, e.g. ``value``, are ignored).

        ``skip`` names keys that are not target kinds here (``text`` as an assertion).
        """
        if isinstance(data, str):
            return cls("selector", data)
        kind = next(k for k in TARGETS if k in data and k not in skip)
        return cls(
            kind=kind,
            value=text_from(data[kind]),
            name=_optional_text(data, "name"),
            exact=data.get("exact"),
            nth=data.get("nth"),
            has_text=_optional_text(data, "has_text"),
            within=cls.from_data(data["within"]) if "within" in data else None,
            frame=cls.from_data(data["frame"]) if "frame" in data else None,
            level=data.get("level"),
            row=_optional_text(data, "row"),
            column=str(data["column"]) if "column" in data else None,
        )

    @classmethod
    def optional(cls, data: Any, *, skip: tuple[str, ...] = ()) -> Locator | None:
        """A locator when ``data`` names a target kind, else None (``press: {key: Enter}``)."""
        if isinstance(data, str) or any(k in data for k in TARGETS if k not in skip):
            return cls.from_data(data, skip=skip)
        return None

    def describe(self) -> str:
        """A short human form for messages: ``role=button[name="Pay"] >> nth=1``."""
        head = f"{self.kind}={_quoted(self.value)}" if self.kind != "selector" else str(self.value)
        if self.name is not None:
            head += f"[name={_quoted(self.name)}]"
        if self.level is not None:
            head += f"[level={self.level}]"
        parts = [head]
        if self.row is not None:
            parts.append(f"row={_quoted(self.row)}")
        if self.column is not None:
            parts.append(f"column={_quoted(self.column)}")
        if self.has_text is not None:
            parts.append(f"has_text={_quoted(self.has_text)}")
        if self.nth is not None:
            parts.append(f"nth={self.nth}")
        outer = [f"frame {self.frame.describe()}"] if self.frame else []
        outer += [self.within.describe()] if self.within else []
        return " >> ".join([*outer, *parts])


def _quoted(value: Text) -> str:
    return str(value) if isinstance(value, Regex) else f'"{value}"'
