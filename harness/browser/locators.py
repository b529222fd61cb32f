"""Turns a journey's ``Locator`` into a Playwright ``Locator``, the way Playwright advises.

Built in the model's order: ``frame`` (the iframe's content), then ``within`` (search inside
that element), then the target (``get_by_role(value, name=..., exact=...)``,
``get_by_text(...)``, ..., ``locator("css=...")``), then ``filter(has_text=...)``, then
``nth(...)``. Playwright locators are strict: an action or assertion on a locator that matches
two elements fails, and the runner says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from harness.core.journey.locators import Locator as LocatorSpec
from harness.core.journey.locators import Regex, Text

if TYPE_CHECKING:
    from playwright.sync_api import FrameLocator, Locator, Page

    Root = Page | FrameLocator | Locator

#: Renders a journey text: its ``${...}`` filled in, a Regex compiled.
TextRenderer = Callable[[Text], "str | re.Pattern[str]"]


def _by_kind(root: Root, spec: LocatorSpec, text: TextRenderer) -> Locator:
    value = text(spec.value)
    if spec.kind == "role":
        name = text(spec.name) if spec.name is not None else None
        return root.get_by_role(str(value), name=name, exact=spec.exact, level=spec.level)  # type: ignore[arg-type]
    if spec.kind in ("selector", "css", "xpath"):
        prefix = "" if spec.kind == "selector" else f"{spec.kind}="
        return root.locator(prefix + str(value))
    if spec.kind == "testid":
        return root.get_by_test_id(value)
    finders = {
        "text": root.get_by_text,
        "label": root.get_by_label,
        "placeholder": root.get_by_placeholder,
        "alt": root.get_by_alt_text,
        "title": root.get_by_title,
    }
    return finders[spec.kind](value, exact=spec.exact)


def resolve(root: Root, spec: LocatorSpec, text: TextRenderer) -> Locator:
    """The Playwright locator for ``spec``, searched from ``root`` (a page, frame or element)."""
    if spec.frame is not None:
        root = resolve(root, spec.frame, text).content_frame
    if spec.within is not None:
        root = resolve(root, spec.within, text)
    found = _by_kind(root, spec, text)
    if spec.row is not None or spec.column is not None:
        found = _cells(found, spec, text)
    if spec.has_text is not None:
        found = found.filter(has_text=text(spec.has_text))
    if spec.nth is not None:
        found = found.nth(spec.nth)
    return found


def _xpath_literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ', "\'", '.join(f"'{part}'" for part in text.split("'")) + ")"


def _cells(table: Locator, spec: LocatorSpec, text: TextRenderer) -> Locator:
    """A table's data rows (those with a <td>), kept when they contain ``row``; with ``column``
    each one's cell at the position of the header cell with that text (the first row with a
    <th> is the header). One XPath, so Playwright still waits and retries as for any locator."""
    rows = table.locator("xpath=.//tr[td]")
    if spec.row is not None:
        rows = rows.filter(has_text=text(spec.row))
    if spec.column is None:
        return rows
    header = (
        "ancestor::table[1]//tr[th][1]/th"
        f"[normalize-space(.)={_xpath_literal(' '.join(spec.column.split()))}]"
    )
    position = f"count({header}[1]/preceding-sibling::*) + 1"
    return rows.locator(f"xpath=./*[{header}][position() = {position}]")


def _flow(value: Text | bool | int) -> str:
    if isinstance(value, Regex):
        return "{regex: " + _flow(value.pattern) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    # A YAML plain scalar: no leading indicator, no " #" (a comment), no trailing space.
    plain = re.fullmatch(r"[A-Za-z0-9_/.][A-Za-z0-9_./# -]*", text) and not (
        " #" in text or text.endswith(" ")
    )
    return text if plain else '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def written(spec: LocatorSpec) -> str:
    """The locator as the user wrote it, in YAML flow style: ``{role: button, name: Pay}``."""
    if spec.kind == "selector" and not (spec.frame or spec.within or spec.nth is not None):
        return _flow(spec.value)
    parts = [f"{spec.kind}: {_flow(spec.value)}"]
    optional = (
        ("name", spec.name),
        ("level", spec.level),
        ("exact", spec.exact),
        ("row", spec.row),
        ("column", spec.column),
        ("has_text", spec.has_text),
        ("nth", spec.nth),
    )
    parts += [f"{key}: {_flow(value)}" for key, value in optional if value is not None]
    parts += [f"within: {written(spec.within)}"] if spec.within else []
    parts += [f"frame: {written(spec.frame)}"] if spec.frame else []
    return "{" + ", ".join(parts) + "}"
