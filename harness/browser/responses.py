"""A ``request`` step's evidence and checks: the call recorded in the attempt's trace, and every
way the response differs from the step's ``expect``, said at once as a structural diff
(``status: expected 200, got 404``, ``item 0: key 'genre' missing``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from harness.browser.assertions import ExpectationFailed, shown
from harness.browser.session import Session
from harness.core.journey import actions as a
from harness.core.journey.locators import Regex
from harness.core.json_match import PathNotFound, differences, value_at
from harness.core.json_match import shown as shown_json

if TYPE_CHECKING:
    from playwright.sync_api import APIResponse

#: Characters of a body shown in a message or a trace title.
PREVIEW = 300


def preview(body: str, limit: int = PREVIEW) -> str:
    return body if len(body) <= limit else body[:limit] + "…"


@contextmanager
def traced(session: Session, title: str) -> Iterator[None]:
    """A group in the attempt's trace: Playwright does not trace ``context.request`` calls, so
    the step records the call itself (the trace is scrubbed of secrets like every other)."""
    from playwright.sync_api import Error as PlaywrightError

    tracing = session.context.tracing
    try:
        tracing.group(title)
    except PlaywrightError:  # not tracing: nothing to record into
        yield
        return
    try:
        yield
    finally:
        tracing.group_end()


def note_response(session: Session, response: APIResponse, body: str) -> None:
    """The response's status, type and the start of its body, as a trace entry."""
    kind = response.headers.get("content-type", "no content-type")
    with traced(session, f"response {response.status} ({kind}): {preview(body, 200)}"):
        pass


def check_response(
    session: Session, response: APIResponse, body: str, check: a.ResponseCheck
) -> None:
    """Every difference between the response and ``check``, at once; ExpectationFailed if any."""
    found = _status(response, check) + _headers(session, response, check)
    found += _body(session, body, check)
    if found:
        detail = "the response differs from the step's expect:\n" + "\n".join(
            f"  {line}" for line in found
        )
        with traced(session, detail.replace("\n  ", "; ")):
            pass
        expected = _expected(session, check)
        raise ExpectationFailed(expected, f"{response.status}: {preview(body)}", detail)


def _statuses(check: a.ResponseCheck) -> list[int]:
    return [s for s in check.status if isinstance(s, int)]  # the model may hold ((),)


def _status(response: APIResponse, check: a.ResponseCheck) -> list[str]:
    statuses = _statuses(check)
    if not statuses or response.status in statuses:
        return []
    wanted = " or ".join(str(s) for s in statuses)
    return [f"status: expected {wanted}, got {response.status}"]


def header_matches(want: str | re.Pattern[str], value: str) -> bool:
    """A text is the whole value, or the value without its parameters (``application/json``
    matches ``application/json; charset=utf-8``); a pattern is searched for."""
    if isinstance(want, re.Pattern):
        return want.search(value) is not None
    return value.strip() == want or value.split(";", 1)[0].strip() == want


def _headers(session: Session, response: APIResponse, check: a.ResponseCheck) -> list[str]:
    received = {name.lower(): value for name, value in response.headers.items()}
    found = []
    for name, want in check.headers.items():
        value = received.get(name.lower())
        pattern = session.text(want)
        if value is None:
            found.append(f"header '{name}' missing")
        elif not header_matches(pattern, value):
            found.append(f"header '{name}': expected {shown(pattern)}, got {shown(value)}")
    return found


def _body(session: Session, body: str, check: a.ResponseCheck) -> list[str]:
    found = []
    if check.json is not None or check.at:
        try:
            got = json.loads(body)
        except ValueError:
            return [f"body: expected JSON, got {shown(preview(' '.join(body.split()), 80))}"]
        if check.json is not None:
            found += differences(session.render(check.json), got)
        for path, want in check.at.items():
            found += _at(session, got, path, want)
    if check.contains is not None:
        want = session.text(check.contains)
        held = want.search(body) is not None if isinstance(want, re.Pattern) else want in body
        found += [] if held else [f"body: does not contain {shown(want)}"]
    return found


def _at(session: Session, got: Any, path: str, want: Any) -> list[str]:
    try:
        value = value_at(got, path)
    except PathNotFound as exc:
        return [f"at '{path}': {exc}"]
    return [f"at '{path}': {line}" for line in value_differences(session, want, value)]


def value_differences(session: Session, want: Any, got: Any) -> list[str]:
    """How ``got`` differs from ``want``: a text (or Regex) against the value as text, any other
    JSON value as a subset."""
    if isinstance(want, (str, Regex)):
        pattern = session.text(want)
        text = got if isinstance(got, str) else json.dumps(got)
        held = (
            pattern.search(text) is not None if isinstance(pattern, re.Pattern) else pattern == text
        )
        return [] if held else [f"expected {shown(pattern)}, got {shown(text)}"]
    return differences(session.render(want), got)


def _expected(session: Session, check: a.ResponseCheck) -> str:
    parts = []
    if _statuses(check):
        parts.append("status " + " or ".join(str(s) for s in _statuses(check)))
    parts += [f"header {name}: {shown(session.text(v))}" for name, v in check.headers.items()]
    if check.json is not None:
        parts.append(f"JSON containing {shown_json(session.render(check.json), 200)}")
    parts += [f"{path} = {_written(session, v)}" for path, v in check.at.items()]
    if check.contains is not None:
        parts.append(f"a body containing {shown(session.text(check.contains))}")
    return "; ".join(parts)


def _written(session: Session, want: Any) -> str:
    if isinstance(want, (str, Regex)):
        return shown(session.text(want))
    return shown_json(session.render(want))
