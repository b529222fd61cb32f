"""One function per step action: each maps the journey's step onto Playwright's API.

Each gets the attempt's ``Session``, the typed action and the step's time budget in
milliseconds. A check that does not hold raises ``ExpectationFailed`` (expected in the user's
words, actual as seen); Playwright's own errors pass through to be explained by the caller.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from harness.browser.assertions import (
    ExpectationFailed,
    check_locator,
    check_title,
    check_url,
    shown,
)
from harness.browser.locators import resolve, written
from harness.browser.responses import (
    check_response,
    note_response,
    preview,
    traced,
    value_differences,
)
from harness.browser.session import DialogAnswer, Session, timeout_words
from harness.browser.visual import expect_accessible, expect_aria, expect_screenshot
from harness.core.journey import actions as a
from harness.core.journey.locators import Locator as LocatorSpec
from harness.core.journey.locators import Regex, Text
from harness.core.json_match import PathNotFound, subset, value_at
from harness.core.paths import inside, is_file_url

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Response


def locate(session: Session, spec: LocatorSpec) -> Locator:
    return resolve(session.page, spec, session.text)


def _no_file_url(url: str) -> None:
    """A rendered URL (``${...}`` included) that names a file:// is refused, as validation
    refuses a written one: a journey must not read the machine it runs on."""
    if is_file_url(url):
        raise ExpectationFailed("an http:// or https:// URL", repr(url), "file:// URLs are refused")


def goto(session: Session, action: a.Goto, ms: float) -> None:
    url = session.url(action.url)
    _no_file_url(url)
    if not re.match(r"[a-z][a-z0-9+.-]*:", url):
        raise ExpectationFailed(
            "an absolute URL, or urls.web to resolve it against",
            repr(url),
            "no base URL: select an environment with urls.web, or pass --base-url",
        )
    session.page.goto(url, timeout=ms)


def click(session: Session, action: a.Click, ms: float) -> None:
    locate(session, action.locator).click(timeout=ms, force=action.force)


def dblclick(session: Session, action: a.DblClick, ms: float) -> None:
    locate(session, action.locator).dblclick(timeout=ms, force=action.force)


def hover(session: Session, action: a.Hover, ms: float) -> None:
    locate(session, action.locator).hover(timeout=ms, force=action.force)


def check(session: Session, action: a.Check, ms: float) -> None:
    locate(session, action.locator).check(timeout=ms, force=action.force)


def uncheck(session: Session, action: a.Uncheck, ms: float) -> None:
    locate(session, action.locator).uncheck(timeout=ms, force=action.force)


def fill(session: Session, action: a.Fill, ms: float) -> None:
    locate(session, action.locator).fill(
        session.render(action.value), timeout=ms, force=action.force
    )


def press(session: Session, action: a.Press, ms: float) -> None:
    key = session.render(action.key)
    if action.locator is None:
        session.page.keyboard.press(key)
    else:
        locate(session, action.locator).press(key, timeout=ms)


def type_text(session: Session, action: a.Type, ms: float) -> None:
    """Key by key: editors that listen to key events (CodeMirror, Monaco) see real typing.

    The step timeout bounds finding and focusing the element, not the typing itself, which
    takes longer the longer the text (``press_sequentially`` would count both)."""
    text = session.render(action.text)
    delay = action.delay * 1000 if action.delay is not None else None
    if action.locator is not None:
        locate(session, action.locator).focus(timeout=ms)
    session.page.keyboard.type(text, delay=delay)


def evaluate(session: Session, action: a.Evaluate, ms: float) -> None:
    """Runs once (a script may change the page): a result that arrives late needs a wait first."""
    result = session.page.evaluate(session.render(action.script))
    if action.checks:
        _check_result(session, action.expect, result)
    if action.save is not None:
        session.save(action.save, result if isinstance(result, str) else json.dumps(result))


def _check_result(session: Session, want: Any, got: Any) -> None:
    found = value_differences(session, want, got)
    if found:
        actual = got if isinstance(got, str) else json.dumps(got)
        expected = (
            shown(session.text(want))
            if isinstance(want, (str, Regex))
            else (json.dumps(session.render(want)))
        )
        detail = "the script's result differs: " + "; ".join(found)
        raise ExpectationFailed(expected, preview(actual), detail)


def select(session: Session, action: a.Select, ms: float) -> None:
    options = [session.render(option) for option in action.options]
    locate(session, action.locator).select_option(options, timeout=ms, force=action.force)


def upload(session: Session, action: a.Upload, ms: float) -> None:
    files = [session.project_root / session.render(name) for name in action.files]
    outside = [str(f) for f in files if not inside(f, session.project_root)]
    if outside:
        raise ExpectationFailed(
            "files inside the project", ", ".join(outside), "a file outside the project"
        )
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise ExpectationFailed("files that exist", ", ".join(missing), "no such file to upload")
    locate(session, action.locator).set_input_files(files, timeout=ms)


def dialog(session: Session, action: a.Dialog, ms: float) -> None:
    text = session.render(action.text) if action.text is not None else None
    session.events.dialogs.append(DialogAnswer(action.accept, text))


def expect(session: Session, action: a.Expect, ms: float) -> None:
    target = locate(session, action.locator)
    for assertion in action.assertions:
        check_locator(target, assertion, session.text, ms)


def expect_url(session: Session, action: a.ExpectUrl, ms: float) -> None:
    want = action.expected
    check_url(session.page, session.url(want) if isinstance(want, str) else session.text(want), ms)


def expect_title(session: Session, action: a.ExpectTitle, ms: float) -> None:
    check_title(session.page, session.text(action.expected), ms)


def _matches(session: Session, want: Text) -> Callable[[Response], bool]:
    pattern = session.text(want)
    if isinstance(pattern, re.Pattern):
        return lambda response: pattern.search(response.url) is not None
    return lambda response: pattern in response.url


def wait(session: Session, action: a.Wait, ms: float) -> None:
    page = session.page
    if action.locator is not None:
        locate(session, action.locator).wait_for(state=action.state, timeout=ms)  # type: ignore[arg-type]
    elif action.url is not None:
        want = action.url
        page.wait_for_url(
            session.url(want) if isinstance(want, str) else session.text(want), timeout=ms
        )
    elif action.response is not None:
        _wait_for_response(session, action.response, ms)
    elif action.load_state is not None:
        page.wait_for_load_state(action.load_state, timeout=ms)  # type: ignore[arg-type]
    elif action.seconds is not None:
        session.warn(
            f"waited a fixed {action.seconds:g}s: waiting for a state is faster and steadier"
        )
        page.wait_for_timeout(action.seconds * 1000)


def _wait_for_response(session: Session, want: Text, ms: float) -> None:
    matches = _matches(session, want)
    if session.events.next_response(matches) is not None:
        return
    session.page.wait_for_event("response", predicate=matches, timeout=ms)
    session.events.next_response(matches)


def _saved_value(session: Session, value: a.SavedValue, ms: float) -> str:
    target = locate(session, value.locator)
    if value.extract == "value":
        return target.input_value(timeout=ms)
    if value.extract == "attribute":
        found = target.get_attribute(str(value.attribute), timeout=ms)
        if found is None:
            raise ExpectationFailed(
                f"an attribute {value.attribute}",
                "none",
                f"the element has no attribute {value.attribute}",
                locator=value.locator,
            )
        return found
    return target.inner_text(timeout=ms).strip()


def save(session: Session, action: a.Save, ms: float) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    for value in action.values:
        try:
            found = _saved_value(session, value, ms)
        except PlaywrightTimeoutError as exc:
            raise ExpectationFailed(
                f"an element matching {written(value.locator)}",
                "none",
                f"no element to save '{value.name}' from within {timeout_words(ms / 1000)}",
                locator=value.locator,
            ) from exc
        session.save(value.name, found)


def screenshot(session: Session, action: a.Screenshot, ms: float) -> None:
    session.evidence.screenshot(
        session.page, session.render(action.name), timeout_ms=ms, full_page=action.full_page
    )


def _request_options(session: Session, action: a.Request, ms: float) -> dict[str, Any]:
    options: dict[str, Any] = {"method": action.method.upper(), "timeout": ms}
    if action.headers:
        options["headers"] = session.render(dict(action.headers))
    if action.json is not None:
        options["data"] = session.render(action.json)
    elif isinstance(action.data, Mapping):
        options["form"] = session.render(dict(action.data))
    elif action.data is not None:
        options["data"] = session.render(action.data)
    return options


def request(session: Session, action: a.Request, ms: float) -> None:
    url = session.url(action.url)
    _no_file_url(url)
    method = action.method.upper()
    with traced(session, f"request {method} {url}"):
        response = session.context.request.fetch(url, **_request_options(session, action, ms))
        try:
            raw = response.body()
            if session.traffic is not None:
                content_type = response.headers.get("content-type", "")
                session.traffic.note_request(method, url, response.status, content_type, raw)
            body = raw.decode("utf-8", "replace")
            note_response(session, response, body)
            if action.expect is not None:
                check_response(session, response, body, action.expect)
            for name, path in action.save.items():
                session.save(name, _json_at(_json(body), path))
        finally:
            response.dispose()


def _json(body: str) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise ExpectationFailed("a JSON body", preview(body), "the response is not JSON") from exc


#: Kept for callers of the runner's API: the subset match lives in the core.
json_subset = subset


def _json_at(value: Any, path: str) -> str:
    try:
        found = value_at(value, path)
    except PathNotFound as exc:
        raise ExpectationFailed(f"a value at {path}", preview(json.dumps(value)), str(exc)) from exc
    return found if isinstance(found, str) else json.dumps(found)


Handler = Callable[[Session, Any, float], None]

HANDLERS: dict[type, Handler] = {
    a.Goto: goto,
    a.Click: click,
    a.DblClick: dblclick,
    a.Hover: hover,
    a.Check: check,
    a.Uncheck: uncheck,
    a.Fill: fill,
    a.Press: press,
    a.Type: type_text,
    a.Select: select,
    a.Upload: upload,
    a.Dialog: dialog,
    a.Expect: expect,
    a.ExpectUrl: expect_url,
    a.ExpectTitle: expect_title,
    a.Wait: wait,
    a.Save: save,
    a.Request: request,
    a.Evaluate: evaluate,
    a.Screenshot: screenshot,
    a.ExpectScreenshot: expect_screenshot,
    a.ExpectAria: expect_aria,
    a.ExpectAccessible: expect_accessible,
}
