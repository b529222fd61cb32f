"""What a step's locator matched at the moment the step failed: how many elements and which,
and, when a filter (``has_text``, ``nth``) left nothing, what the locator matched without it;
on a table whose ``column`` or ``row`` left nothing, its columns or its rows.

Read once, without waiting, while the page is still as the failure left it: a failure report
should say "no element matched; without has_text: 3 elements" rather than leave the author to
guess which part of the locator was wrong.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from harness.browser.assertions import shown
from harness.browser.locators import TextRenderer, resolve
from harness.core.journey.locators import Locator as LocatorSpec
from harness.core.journey.locators import Regex, Text

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

#: Candidates listed at most, and characters shown of each.
SHOWN = 5
WIDTH = 60


def _texts(found: Locator) -> list[str]:
    raw = found.evaluate_all(
        f"els => els.slice(0, {SHOWN}).map(e => (e.innerText ?? e.textContent ?? ''))"
    )
    texts = []
    for text in raw:
        flat = " ".join(str(text).split())
        texts.append(shown(flat if len(flat) <= WIDTH else flat[: WIDTH - 1] + "…"))
    return texts


def _elements(found: Locator, noun: str = "element") -> str:
    count = found.count()
    if count == 0:
        return f"no {noun}"
    noun = noun if count == 1 else f"{noun}s"
    listed = _texts(found)
    more = f", and {count - len(listed)} more" if count > len(listed) else ""
    return f"{count} {noun}: {', '.join(listed)}{more}"


def _shown(value: Text) -> str:
    return str(value) if isinstance(value, Regex) else shown(value)


def _filters(spec: LocatorSpec) -> str:
    parts = []
    if spec.has_text is not None:
        parts.append(f"has_text {_shown(spec.has_text)}")
    if spec.nth is not None:
        parts.append(f"nth {spec.nth}")
    return " and ".join(parts)


#: The header cells' texts of the first table matched (the first row with a <th>); null when
#: no table matched.
_HEADERS = """tables => {
  if (!tables.length) return null;
  const header = [...tables[0].querySelectorAll("tr")].find(r => r.querySelector("th"));
  return header ? [...header.children].map(c => (c.innerText ?? c.textContent ?? "")) : [];
}"""


def _flat(text: str) -> str:
    return " ".join(text.split())


def _table_cells(page: Page, spec: LocatorSpec, text: TextRenderer) -> str | None:
    """When a table's ``column`` or ``row`` left nothing: the column that is not there, with the
    table's columns, else the data rows the ``row`` text missed; None when neither tells."""
    if spec.row is None and spec.column is None:
        return None
    table = resolve(page, replace(spec, row=None, column=None, has_text=None, nth=None), text)
    if spec.column is not None:
        headers = table.evaluate_all(_HEADERS)
        wanted = _flat(spec.column)
        if headers is not None and wanted not in [_flat(str(h)) for h in headers]:
            named = ", ".join(shown(_flat(str(h))) for h in headers) or "none (no row of <th>)"
            return f"the table has no column {shown(wanted)}; its columns: {named}"
    if spec.row is not None:
        rows = _elements(table.locator("xpath=.//tr[td]"), "row")
        return f"without row {_shown(spec.row)}: {rows}"
    return None


def describe_matches(page: Page, spec: LocatorSpec, text: TextRenderer) -> str | None:
    """``3 elements: "a", "b", "c"``; ``no element; without has_text "x": 2 elements: ...``.

    None when the page cannot tell (closed, navigating, a frame that is gone)."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        said = _elements(resolve(page, spec, text))
        cells = _table_cells(page, spec, text) if said == "no element" else None
        if cells is not None:
            return f"{said}; {cells}"
        filters = _filters(spec)
        if said != "no element" or not filters:
            return said
        wider = _elements(resolve(page, replace(spec, has_text=None, nth=None), text))
        return f"{said}; without {filters}: {wider}"
    except PlaywrightError:
        return None
