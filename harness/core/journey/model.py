"""The journey model: frozen dataclasses that a runner executes, built only from documents that
passed the schema and the loader's checks (so constructors trust the shape of their input).

For the runner:

- Strings may hold ``${...}`` references; they are kept as written. Render each with
  :func:`harness.core.templating.render` just before use (``vars`` once per attempt, in
  order, each seeing the ones before it), and mask the values of :attr:`Journey.secret_names`
  with :func:`harness.core.templating.mask` in everything written out.
- Every :class:`Step` has a :attr:`~Step.location` (``file:line``), also inside a used file.
- Dispatch on the type of :attr:`Step.action` (:mod:`harness.core.journey.actions`). A
  :data:`Text` is a ``str`` or a :class:`Regex` (:meth:`Regex.compile` gives a Python pattern).
- Timeouts are seconds (float); a step's ``None`` means the journey's ``step_timeout``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias

from harness.core.durations import parse_duration
from harness.core.journey.actions import (
    Action,
    Assertion,
    Check,
    Click,
    CountRange,
    DblClick,
    Dialog,
    Evaluate,
    Expect,
    ExpectAccessible,
    ExpectAria,
    ExpectScreenshot,
    ExpectTitle,
    ExpectUrl,
    Fill,
    Goto,
    Hover,
    Press,
    Request,
    ResponseCheck,
    Save,
    SavedValue,
    Screenshot,
    Select,
    Type,
    Uncheck,
    Upload,
    Wait,
    action_from_step,
)
from harness.core.journey.locators import Locator, Regex, Text, scalar_text
from harness.core.journey.schema import ACTIONS
from harness.core.source import DocPath, Document
from harness.errors import Problem

__all__ = [
    "Action",
    "Assertion",
    "BrowserOptions",
    "Check",
    "Click",
    "CountRange",
    "DblClick",
    "Dialog",
    "Evaluate",
    "Expect",
    "ExpectAccessible",
    "ExpectAria",
    "ExpectScreenshot",
    "ExpectTitle",
    "ExpectUrl",
    "Fill",
    "Goto",
    "Hover",
    "Journey",
    "Links",
    "Location",
    "Locator",
    "Param",
    "Press",
    "Quarantine",
    "Regex",
    "Request",
    "ResponseCheck",
    "Save",
    "SavedValue",
    "Screenshot",
    "Select",
    "SharedSteps",
    "Step",
    "StepAction",
    "Text",
    "Type",
    "Uncheck",
    "Upload",
    "Use",
    "Viewport",
    "Wait",
]

DEFAULT_STEP_TIMEOUT = 10.0


@dataclass(frozen=True)
class Location:
    """Where a step (or journey) is written: shown as ``file:line``."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    @classmethod
    def from_document(cls, document: Document, path: DocPath) -> Location:
        where = document.position(path)
        return cls(document.file, where.line, where.column)


@dataclass(frozen=True)
class Step:
    """One step: ``kind`` is its action key (``"click"``), ``action`` the typed action."""

    kind: str
    action: StepAction
    location: Location
    name: str | None = None
    timeout: float | None = None

    @property
    def title(self) -> str:
        """How reports name the step: its ``name``, else its kind and what it acts on."""
        return self.name or f"{self.kind} {_summary(self.action)}".strip()

    @classmethod
    def from_document(cls, document: Document, path: DocPath, links: Links) -> Step:
        data = _at(document, path)
        kind = next(k for k in ACTIONS if k in data)
        return cls(
            kind=kind,
            action=build_action(kind, data, links),
            location=Location.from_document(document, path),
            name=str(data["name"]) if "name" in data else None,
            timeout=_duration(data, "timeout"),
        )


def steps_from_document(document: Document, path: DocPath, links: Links) -> tuple[Step, ...]:
    """The steps of the list at ``path`` (none when the key is absent)."""
    items = _at(document, path) or []
    return tuple(Step.from_document(document, (*path, i), links) for i in range(len(items)))


def _summary(action: StepAction) -> str:
    locator = getattr(action, "locator", None)
    if isinstance(locator, Locator):
        return locator.describe()
    for attribute in ("url", "path", "name", "expected", "script"):
        value = getattr(action, attribute, None)
        if isinstance(value, (str, Regex)):
            return str(value)
    return ""


@dataclass(frozen=True)
class Param:
    """A parameter of shared steps: required unless it has a default."""

    name: str
    default: str | None = None
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is None

    @classmethod
    def from_data(cls, data: Any) -> Param:
        if isinstance(data, str):
            return cls(data)
        default = data.get("default")
        return cls(
            str(data["name"]),
            None if default is None else scalar_text(default),
            str(data.get("description", "")),
        )


@dataclass(frozen=True)
class SharedSteps:
    """A ``*.steps.yml`` file: declared ``params`` and the ``steps`` that use them.

    ``saves`` are the names its steps save (visible to the caller after the ``use`` step);
    ``secret_names`` the ``${secrets.NAME}`` names its steps (and the files they use) mention;
    ``warnings`` what is allowed but unwise (a bare ``wait: 2s``).
    """

    file: str
    params: tuple[Param, ...]
    steps: tuple[Step, ...]
    description: str = ""
    saves: frozenset[str] = frozenset()
    secret_names: frozenset[str] = frozenset()
    warnings: tuple[Problem, ...] = ()

    @classmethod
    def from_document(
        cls, document: Document, links: Links, saves: frozenset[str], secret_names: frozenset[str]
    ) -> SharedSteps:
        data = document.data
        return cls(
            file=document.file,
            params=tuple(Param.from_data(p) for p in data.get("params", [])),
            steps=steps_from_document(document, ("steps",), links),
            description=str(data.get("description", "")),
            saves=saves,
            secret_names=secret_names,
        )


@dataclass(frozen=True)
class Use:
    """``use``: run ``steps``'s steps. ``params`` are the ``with`` values as written (render
    them in the caller's variables), completed with the declared defaults. Inside, only the
    params (and env, secrets, urls, run, attempt) are visible; what the shared steps save is
    visible to the caller's later steps."""

    path: str
    steps: SharedSteps
    params: Mapping[str, str]


@dataclass(frozen=True)
class Links:
    """What the loader resolved for one file: shared steps by their ``use`` path as written,
    and upload files by their path as written."""

    shared: Mapping[str, SharedSteps] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)


#: What a step does: an action, or the steps of a shared file.
StepAction: TypeAlias = Action | Use


def build_action(kind: str, step: Mapping[str, Any], links: Links) -> StepAction:
    """The typed action of a validated step mapping whose action key is ``kind``."""
    if kind != "use":
        return action_from_step(kind, step, links.files)
    shared = links.shared[step["use"]]
    given = {str(k): scalar_text(v) for k, v in step.get("with", {}).items()}
    defaults = {p.name: p.default for p in shared.params if p.default is not None}
    return Use(step["use"], shared, {**defaults, **given})


@dataclass(frozen=True)
class Viewport:
    width: int
    height: int


@dataclass(frozen=True)
class BrowserOptions:
    """``browser``: options of the journey's browser context; None means Playwright's default."""

    viewport: Viewport | None = None
    device: str | None = None
    locale: str | None = None
    timezone: str | None = None
    color_scheme: str | None = None
    storage_state: str | None = None

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> BrowserOptions:
        viewport = data.get("viewport")
        return cls(
            viewport=Viewport(viewport["width"], viewport["height"]) if viewport else None,
            device=data.get("device"),
            locale=data.get("locale"),
            timezone=data.get("timezone"),
            color_scheme=data.get("color_scheme"),
            storage_state=data.get("storage_state"),
        )


@dataclass(frozen=True)
class Quarantine:
    """``quarantine``: the journey runs and is reported, but does not fail the gate while
    :meth:`active`; after ``until`` it counts again."""

    reason: str
    until: date | None = None

    def active(self, today: date | None = None) -> bool:
        return self.until is None or (today or date.today()) <= self.until

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Quarantine:
        until = data.get("until")
        return cls(str(data["reason"]), date.fromisoformat(until) if until else None)


@dataclass(frozen=True)
class Journey:
    """One ``*.journey.yml`` file.

    ``file`` is the path as shown to users, ``path`` the absolute one. ``vars`` keep their
    order (a var may use the ones before it). ``setup`` runs first, then ``steps``;
    ``teardown`` always runs, and may refer to names that a failed attempt never saved.
    ``timeout`` bounds a whole attempt (None: only step timeouts); after a failed attempt,
    up to ``retries`` more follow. ``environments`` empty means every environment.
    ``secret_names``: every ``${secrets.NAME}`` it (and the files it uses) mentions; mask their
    values. ``warnings``: what is allowed but unwise, for the user to see. ``serial`` names a
    group of journeys that share data: no two of one group run at the same time.
    """

    name: str
    file: str
    path: str
    location: Location
    steps: tuple[Step, ...]
    description: str = ""
    tags: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    timeout: float | None = None
    step_timeout: float = DEFAULT_STEP_TIMEOUT
    retries: int = 0
    vars: Mapping[str, str] = field(default_factory=dict)
    setup: tuple[Step, ...] = ()
    teardown: tuple[Step, ...] = ()
    browser: BrowserOptions = field(default_factory=BrowserOptions)
    environments: tuple[str, ...] = ()
    quarantine: Quarantine | None = None
    secret_names: frozenset[str] = frozenset()
    warnings: tuple[Problem, ...] = ()
    serial: str | None = None

    def runs_in(self, environment: str) -> bool:
        """Whether this journey runs in ``environment``."""
        return not self.environments or environment in self.environments

    def actions(self) -> Iterator[StepAction]:
        """Every action of its setup, steps and teardown, those of the shared steps it uses
        included (in their place, after the ``use`` itself)."""
        yield from _actions((*self.setup, *self.steps, *self.teardown))

    @classmethod
    def from_document(
        cls, document: Document, path: str, links: Links, secret_names: frozenset[str]
    ) -> Journey:
        data = document.data
        quarantine = data.get("quarantine")
        return cls(
            name=str(data["name"]),
            file=document.file,
            path=path,
            location=Location(document.file, 1, 1),
            steps=steps_from_document(document, ("steps",), links),
            description=str(data.get("description", "")),
            tags=tuple(data.get("tags", ())),
            covers=tuple(data.get("covers", ())),
            timeout=_duration(data, "timeout"),
            step_timeout=_duration(data, "step_timeout") or DEFAULT_STEP_TIMEOUT,
            retries=int(data.get("retries", 0)),
            vars={str(k): scalar_text(v) for k, v in data.get("vars", {}).items()},
            setup=steps_from_document(document, ("setup",), links),
            teardown=steps_from_document(document, ("teardown",), links),
            browser=BrowserOptions.from_data(data.get("browser", {})),
            environments=tuple(data.get("environments", ())),
            quarantine=Quarantine.from_data(quarantine) if quarantine else None,
            secret_names=secret_names,
            serial=str(data["serial"]) if "serial" in data else None,
        )


def _actions(steps: Iterable[Step]) -> Iterator[StepAction]:
    for step in steps:
        yield step.action
        if isinstance(step.action, Use):
            yield from _actions(step.action.steps.steps)


def _at(document: Document, path: DocPath) -> Any:
    value = document.data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else value[key]
    return value


def _duration(data: Mapping[str, Any], key: str) -> float | None:
    return parse_duration(data[key]) if key in data else None
