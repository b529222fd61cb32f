"""Journey assertions on Playwright's ``expect``: they retry until the step timeout runs out.

Each check is one ``Assertion`` of the journey model (``text: "1"``, ``count: 3``,
``attribute: {href: /cart}``). A failing check raises :class:`ExpectationFailed` carrying what
was expected in the user's words and the actual value Playwright last saw.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from harness.core.journey.actions import Assertion, CountRange
from harness.core.journey.locators import Locator as LocatorSpec
from harness.core.journey.locators import Regex, Text

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page
    from playwright.sync_api._generated import LocatorAssertions

    from harness.browser.locators import TextRenderer


class ExpectationFailed(Exception):
    """An assertion that did not hold within its timeout."""

    def __init__(
        self,
        expected: str,
        actual: str | None,
        detail: str,
        *,
        retried: bool = False,
        locator: LocatorSpec | None = None,
    ) -> None:
        super().__init__(detail)
        self.expected = expected
        self.actual = actual
        self.detail = detail
        self.retried = retried
        self.locator = locator


def shown(value: str | re.Pattern[str]) -> str:
    """A matched value as the user wrote it: ``"1"`` or ``/^Cart/``."""
    if isinstance(value, re.Pattern):
        return f"/{value.pattern}/"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


NO_ELEMENT = "no element matched"


def actual_value(message: str) -> str | None:
    """The "Actual value" Playwright reports in an assertion error, whole (it may span lines):
    everything up to the call log. An element that never appeared is "no element matched"."""
    match = re.search(
        r"^Actual value: ?(.*?)\s*(?:^Call log:|\Z)", message, re.MULTILINE | re.DOTALL
    )
    if match is None:
        return None
    value = match.group(1).rstrip()
    if value == "None" or value.startswith("None\n"):
        return NO_ELEMENT if "element(s) not found" in value else None
    return value


def _run(expected: str, check: Callable[[], None]) -> None:
    try:
        check()
    except AssertionError as exc:
        message = str(exc)
        raise ExpectationFailed(expected, actual_value(message), message, retried=True) from exc


def _bool_check(
    locator: Locator, name: str, value: bool, timeout: float
) -> tuple[str, Callable[[], None]]:
    from playwright.sync_api import expect

    target = expect(locator)
    if name == "hidden":
        value, name = not value, "visible"
    if name == "visible":
        check = target.to_be_visible if value else target.to_be_hidden
        return ("visible" if value else "hidden"), lambda: check(timeout=timeout)
    if name == "checked":
        return ("checked" if value else "not checked"), lambda: target.to_be_checked(
            checked=value, timeout=timeout
        )
    enabled = value if name == "enabled" else not value
    return ("enabled" if enabled else "disabled"), lambda: target.to_be_enabled(
        enabled=enabled, timeout=timeout
    )


def check_locator(
    locator: Locator, assertion: Assertion, text: TextRenderer, timeout: float
) -> None:
    """Assert one check of an ``expect`` step on ``locator``; ``timeout`` is in milliseconds."""
    from playwright.sync_api import expect

    target = expect(locator)
    kind, expected = assertion.kind, assertion.expected
    if kind in ("visible", "hidden", "enabled", "disabled", "checked"):
        _run(*_bool_check(locator, kind, bool(expected), timeout))
    elif kind == "count" and isinstance(expected, CountRange):
        _count_in(locator, expected, timeout)
    elif kind == "count":
        count = int(str(expected))
        _run(f"count {count}", lambda: target.to_have_count(count, timeout=timeout))
    elif kind == "attribute":
        name, want = str(assertion.attribute), text(_text(expected))
        _run(
            f"attribute {name}={shown(want)}",
            lambda: target.to_have_attribute(name, want, timeout=timeout),
        )
    else:
        _check_text(target, kind, text(_text(expected)), timeout)


#: How often a count range is looked at again while it does not hold, in milliseconds.
POLL_MS = 100


def _count_in(locator: Locator, wanted: CountRange, timeout: float) -> None:
    """Playwright's expect has no range: count until it holds or the time is up (waiting in the
    page's own loop, so dialogs and events are still served)."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        count = locator.count()
        if wanted.holds(count):
            return
        if time.monotonic() >= deadline:
            detail = f"count {count}, expected {wanted}"
            raise ExpectationFailed(f"count {wanted}", str(count), detail, retried=True)
        locator.page.wait_for_timeout(POLL_MS)


def _text(expected: Text | int | bool | CountRange) -> Text:
    return expected if isinstance(expected, (str, Regex)) else str(expected)


def _check_text(
    target: LocatorAssertions, kind: str, want: str | re.Pattern[str], timeout: float
) -> None:
    if kind == "text":
        _run(f"text {shown(want)}", lambda: target.to_have_text(want, timeout=timeout))
    elif kind == "contains":
        _run(
            f"text containing {shown(want)}",
            lambda: target.to_contain_text(want, timeout=timeout),
        )
    elif kind == "value":
        _run(f"value {shown(want)}", lambda: target.to_have_value(want, timeout=timeout))
    else:
        raise ValueError(f"unknown assertion {kind!r}")


def check_url(page: Page, want: str | re.Pattern[str], timeout: float) -> None:
    from playwright.sync_api import expect

    _run(f"URL {shown(want)}", lambda: expect(page).to_have_url(want, timeout=timeout))


def check_title(page: Page, want: str | re.Pattern[str], timeout: float) -> None:
    from playwright.sync_api import expect

    _run(f"title {shown(want)}", lambda: expect(page).to_have_title(want, timeout=timeout))
