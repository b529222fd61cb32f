"""The actions a step can take, one frozen dataclass per action key, and how each is built
from its (already validated) YAML value."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from harness.core.durations import parse_duration
from harness.core.journey.locators import Locator, Text, scalar_text, text_from


@dataclass(frozen=True)
class Goto:
    """``goto``: open ``url``, relative to the environment's ``urls.web`` unless absolute."""

    url: str


@dataclass(frozen=True)
class Click:
    """``click``: click the element."""

    locator: Locator
    force: bool = False


@dataclass(frozen=True)
class DblClick:
    """``dblclick``: double-click the element."""

    locator: Locator
    force: bool = False


@dataclass(frozen=True)
class Hover:
    """``hover``: move the mouse over the element."""

    locator: Locator
    force: bool = False


@dataclass(frozen=True)
class Check:
    """``check``: check a checkbox or radio button."""

    locator: Locator
    force: bool = False


@dataclass(frozen=True)
class Uncheck:
    """``uncheck``: uncheck a checkbox."""

    locator: Locator
    force: bool = False


@dataclass(frozen=True)
class Fill:
    """``fill``: clear the field and type ``value``."""

    locator: Locator
    value: str
    force: bool = False


@dataclass(frozen=True)
class Press:
    """``press``: press ``key`` in the element, or on the page (focused element) if None."""

    key: str
    locator: Locator | None


@dataclass(frozen=True)
class Type:
    """``type``: type ``text`` key by key into the element, or wherever the focus is if None;
    ``delay`` seconds between keys."""

    text: str
    locator: Locator | None
    delay: float | None = None


@dataclass(frozen=True)
class Select:
    """``select``: choose ``options`` in a <select>, each matched by label or value."""

    locator: Locator
    options: tuple[str, ...]
    force: bool = False


@dataclass(frozen=True)
class Upload:
    """``upload``: set a file input's files; ``files`` are absolute paths when they were found
    at load time, else (templated) as written, relative to the project root."""

    locator: Locator
    files: tuple[str, ...]


@dataclass(frozen=True)
class Dialog:
    """``dialog``: answer the next dialog: accept (with ``text`` for a prompt) or dismiss.

    Dialogs that no ``dialog`` step answers are dismissed.
    """

    accept: bool
    text: str | None = None


@dataclass(frozen=True)
class CountRange:
    """``count: {min: 1, max: 5}``: how many elements may match (None: no bound)."""

    min: int | None = None
    max: int | None = None

    def holds(self, count: int) -> bool:
        return (self.min is None or count >= self.min) and (self.max is None or count <= self.max)

    def __str__(self) -> str:
        bounds = [f"at least {self.min}" if self.min is not None else ""]
        bounds.append(f"at most {self.max}" if self.max is not None else "")
        return " and ".join(b for b in bounds if b)


@dataclass(frozen=True)
class Assertion:
    """One check of an ``expect`` step, auto-retried until the step timeout.

    ``kind`` is one of visible, hidden, text (whole text), contains, value, count, enabled,
    disabled, checked (expected is a bool: ``checked: false`` means not checked), attribute
    (``attribute`` names it, expected is the Text).
    """

    kind: str
    expected: Text | int | bool | CountRange
    attribute: str | None = None


@dataclass(frozen=True)
class Expect:
    """``expect``: every assertion must hold for the element (``visible`` when none given)."""

    locator: Locator
    assertions: tuple[Assertion, ...]


@dataclass(frozen=True)
class ExpectUrl:
    """``expect_url``: the page URL; a str is compared after resolving against urls.web."""

    expected: Text


@dataclass(frozen=True)
class ExpectTitle:
    """``expect_title``: the page title (whole title, or a Regex)."""

    expected: Text


@dataclass(frozen=True)
class Wait:
    """``wait``: exactly one of ``locator`` (reach ``state``), ``url``, ``response`` (a response
    whose URL matches), ``load_state``, or ``seconds`` (a bare pause, which the loader warns
    about)."""

    locator: Locator | None = None
    state: str = "visible"
    url: Text | None = None
    response: Text | None = None
    load_state: str | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class SavedValue:
    """One entry of ``save``: ``name`` gets the element's text, value, or an attribute."""

    name: str
    locator: Locator
    extract: str = "text"
    attribute: str | None = None


@dataclass(frozen=True)
class Save:
    """``save``: values for later steps, as ``${name}``."""

    values: tuple[SavedValue, ...]


@dataclass(frozen=True)
class ResponseCheck:
    """A request's ``expect``: ``status`` (any of), ``json`` (a subset: every key and list item
    given must be present and equal; None = not checked), ``contains`` (body text),
    ``headers`` (by name, any case: a Text each), ``at`` (a dotted path into the JSON, e.g.
    ``books.0.genre`` or ``books.#``, to a Text or a JSON value as a subset)."""

    status: tuple[int, ...] = ()
    json: Any = None
    contains: Text | None = None
    headers: Mapping[str, Text] = field(default_factory=dict)
    at: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """``request``: an API call through the browser context's request API (shares cookies).

    ``json`` is a body sent as JSON (None: none); ``data`` a form (mapping) or raw text body;
    ``save`` maps a name to a dotted path into the response JSON (``items.0.id``).
    """

    url: str
    method: str = "GET"
    headers: Mapping[str, str] = field(default_factory=dict)
    json: Any = None
    data: str | Mapping[str, Any] | None = None
    expect: ResponseCheck | None = None
    save: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluate:
    """``evaluate``: run ``script`` in the page; ``save`` its result as text under that name;
    when ``checks``, the result must match ``expect`` (a Text, or a JSON value as a subset)."""

    script: str
    save: str | None = None
    expect: Any = None
    checks: bool = False


@dataclass(frozen=True)
class Screenshot:
    """``screenshot``: save a screenshot named ``name`` in the attempt's artifacts."""

    name: str
    full_page: bool = False


@dataclass(frozen=True)
class ExpectScreenshot:
    """``expect_screenshot``: the page (or ``element``) looks like the baseline ``name``.

    ``mask`` elements are painted over first; a pixel differs when its colour distance is above
    ``threshold`` (0-1), and at most ``max_diff_pixels`` may differ.
    """

    name: str
    element: Locator | None = None
    mask: tuple[Locator, ...] = ()
    threshold: float = 0.2
    max_diff_pixels: int = 0
    full_page: bool = False


@dataclass(frozen=True)
class ExpectAria:
    """``expect_aria``: Playwright's ARIA snapshot of the element (the page's body when None)
    matches ``snapshot`` (its YAML: ``- link "Home"``)."""

    snapshot: str
    locator: Locator | None = None


#: axe-core's impact levels, least severe first.
IMPACTS = ("minor", "moderate", "serious", "critical")


@dataclass(frozen=True)
class ExpectAccessible:
    """``expect_accessible``: axe-core finds no violation of at least ``impact`` in the page
    (or the element). ``rules`` and ``tags`` (WCAG tags such as wcag2aa) choose what runs
    (default: every rule axe runs by default); ``ignore`` turns rules off."""

    locator: Locator | None = None
    rules: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    impact: str = "minor"

    def counts(self, impact: str | None) -> bool:
        """Whether a violation of this impact fails the step (None: axe gave none)."""
        rank = IMPACTS.index(impact) if impact in IMPACTS else 0
        return rank >= IMPACTS.index(self.impact)


#: Every action, by its key: the runner dispatches on the type.
Action: TypeAlias = (
    Goto
    | Click
    | DblClick
    | Hover
    | Check
    | Uncheck
    | Fill
    | Press
    | Type
    | Select
    | Upload
    | Dialog
    | Expect
    | ExpectUrl
    | ExpectTitle
    | Wait
    | Save
    | Request
    | Evaluate
    | Screenshot
    | ExpectScreenshot
    | ExpectAria
    | ExpectAccessible
)


def action_from_step(kind: str, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    """The typed action of a validated step mapping whose action key is ``kind`` (any but
    ``use``, which the journey model builds); ``files`` are upload paths as resolved."""
    return _BUILDERS[kind](step[kind], step, files)


def _many(value: Any) -> tuple[str, ...]:
    return tuple(scalar_text(v) for v in (value if isinstance(value, list) else [value]))


def _pointer(cls: Callable[[Locator, bool], Action]) -> _Builder:
    return lambda value, step, files: cls(Locator.from_data(value), _forced(value))


def _forced(value: Any) -> bool:
    return isinstance(value, dict) and value.get("force") is True


def _type(value: Any, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    delay = parse_duration(value["delay"]) if "delay" in value else None
    return Type(scalar_text(value["text"]), Locator.optional(value, skip=("text",)), delay)


def _evaluate(value: Any, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    if isinstance(value, str):
        return Evaluate(value)
    expect = value.get("expect")
    if _is_regex(expect):
        expect = text_from(expect)
    return Evaluate(str(value["script"]), value.get("save"), expect, "expect" in value)


def _is_regex(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and "regex" in value
        and set(value) <= {"regex", "ignore_case"}
        and isinstance(value["regex"], str)
    )


def _dialog(value: Any, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    if isinstance(value, str):
        return Dialog(accept=value == "accept")
    text = value.get("text")
    return Dialog(bool(value["accept"]), None if text is None else str(text))


def _expect(value: Any, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    if isinstance(value, str):
        return Expect(Locator.from_data(value), (Assertion("visible", True),))
    text_is_target = not any(k in value for k in TARGET_KINDS_BUT_TEXT)
    locator = Locator.from_data(value, skip=() if text_is_target else ("text",))
    assertions = list(_assertions(value, skip_text=text_is_target))
    return Expect(locator, tuple(assertions) or (Assertion("visible", True),))


def _assertions(value: Mapping[str, Any], *, skip_text: bool) -> Any:
    for kind in ("visible", "hidden", "enabled", "disabled", "checked"):
        if kind in value:
            yield Assertion(kind, value[kind])
    count = value.get("count")
    if isinstance(count, dict):
        yield Assertion("count", CountRange(count.get("min"), count.get("max")))
    elif count is not None:
        yield Assertion("count", count)
    for kind in ("text", "contains", "value"):
        if kind in value and not (kind == "text" and skip_text):
            yield Assertion(kind, text_from(value[kind]))
    for name, expected in value.get("attribute", {}).items():
        yield Assertion("attribute", text_from(expected), attribute=name)


def _wait(value: Any, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    if not isinstance(value, dict):
        return Wait(seconds=parse_duration(value))
    return Wait(
        locator=Locator.from_data(value["for"]) if "for" in value else None,
        state=value.get("state", "visible"),
        url=text_from(value["url"]) if "url" in value else None,
        response=text_from(value["response"]) if "response" in value else None,
        load_state=value.get("load_state"),
    )


def _save(value: Any, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    return Save(tuple(_saved(name, source) for name, source in value.items()))


def _saved(name: str, source: Any) -> SavedValue:
    if isinstance(source, str):
        return SavedValue(name, Locator.from_data(source))
    skip = ("text",) if source.get("text") is True else ()
    locator = Locator.from_data(source, skip=skip)
    if source.get("value") is True:
        return SavedValue(name, locator, "value")
    if "attribute" in source:
        return SavedValue(name, locator, "attribute", str(source["attribute"]))
    return SavedValue(name, locator)


def _request(value: Any, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    expect = value.get("expect")
    return Request(
        url=str(value["url"]),
        method=str(value.get("method", "GET")),
        headers={str(k): scalar_text(v) for k, v in value.get("headers", {}).items()},
        json=value.get("json"),
        data=value.get("data"),
        expect=_response_check(expect) if expect is not None else None,
        save={str(k): str(v) for k, v in value.get("save", {}).items()},
    )


def _response_check(value: Mapping[str, Any]) -> ResponseCheck:
    status = value.get("status", ())
    return ResponseCheck(
        status=tuple(status) if isinstance(status, list) else (status,),
        json=value.get("json"),
        contains=text_from(value["contains"]) if "contains" in value else None,
        headers={str(k): text_from(v) for k, v in value.get("headers", {}).items()},
        at={str(k): text_from(v) if _is_text(v) else v for k, v in value.get("at", {}).items()},
    )


def _is_text(value: Any) -> bool:
    return isinstance(value, str) or _is_regex(value)


def _screenshot(value: Any, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    if isinstance(value, str):
        return Screenshot(value)
    return Screenshot(str(value["name"]), bool(value.get("full_page", False)))


def _expect_screenshot(value: Any, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    if isinstance(value, str):
        return ExpectScreenshot(value)
    return ExpectScreenshot(
        name=str(value["name"]),
        element=Locator.from_data(value["element"]) if "element" in value else None,
        mask=tuple(Locator.from_data(m) for m in value.get("mask", ())),
        threshold=float(value.get("threshold", 0.2)),
        max_diff_pixels=int(value.get("max_diff_pixels", 0)),
        full_page=bool(value.get("full_page", False)),
    )


def _expect_aria(value: Any, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    return ExpectAria(str(value["snapshot"]), Locator.optional(value))


def _expect_accessible(value: Any, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    value = value or {}
    return ExpectAccessible(
        locator=Locator.optional(value),
        rules=_names(value.get("rules")),
        tags=_names(value.get("tags")),
        ignore=_names(value.get("ignore")),
        impact=str(value.get("impact", "minor")),
    )


def _names(value: Any) -> tuple[str, ...]:
    return () if value is None else _many(value)


def _upload(value: Any, step: Mapping[str, Any], files: Mapping[str, str]) -> Action:
    paths = tuple(files.get(f, f) for f in _many(value["files"]))
    return Upload(Locator.from_data(value), paths)


TARGET_KINDS_BUT_TEXT = ("role", "label", "placeholder", "alt", "title", "testid", "css", "xpath")

_Builder: TypeAlias = Callable[[Any, Mapping[str, Any], Mapping[str, str]], Action]

_BUILDERS: dict[str, _Builder] = {
    "goto": lambda value, step, files: Goto(str(value)),
    "click": _pointer(Click),
    "dblclick": _pointer(DblClick),
    "hover": _pointer(Hover),
    "check": _pointer(Check),
    "uncheck": _pointer(Uncheck),
    "fill": lambda value, step, files: Fill(
        Locator.from_data(value), scalar_text(value["value"]), _forced(value)
    ),
    "press": lambda value, step, files: Press(str(value["key"]), Locator.optional(value)),
    "type": _type,
    "select": lambda value, step, files: Select(
        Locator.from_data(value), _many(value["option"]), _forced(value)
    ),
    "upload": _upload,
    "dialog": _dialog,
    "expect": _expect,
    "expect_url": lambda value, step, files: ExpectUrl(text_from(value)),
    "expect_title": lambda value, step, files: ExpectTitle(text_from(value)),
    "wait": _wait,
    "save": _save,
    "request": _request,
    "evaluate": _evaluate,
    "screenshot": _screenshot,
    "expect_screenshot": _expect_screenshot,
    "expect_aria": _expect_aria,
    "expect_accessible": _expect_accessible,
}
