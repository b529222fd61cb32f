"""The state of one attempt while its steps run: page, variables, time left, dialogs, responses."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from harness.browser.capture import TrafficRecorder
from harness.browser.evidence import EvidenceRecorder
from harness.core.durations import format_duration
from harness.core.journey.locators import Regex, Text
from harness.core.masking import Redactor
from harness.core.templating import Context, render, render_value

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Dialog, Page, Response


class JourneyTimeout(Exception):
    """The journey's own ``timeout`` ran out before a step could start."""


@dataclass(frozen=True)
class DialogAnswer:
    """How a ``dialog`` step answers the next dialog."""

    accept: bool
    text: str | None = None


@dataclass
class Deadline:
    """The journey's time budget; each step gets the smaller of its timeout and what is left."""

    journey_timeout: float | None
    started: float = field(default_factory=time.monotonic)

    def step_budget(self, step_timeout: float) -> tuple[float, bool]:
        """Seconds this step may take, and whether the journey's budget is what limits it."""
        if self.journey_timeout is None:
            return step_timeout, False
        left = self.journey_timeout - (time.monotonic() - self.started)
        if left <= 0:
            raise JourneyTimeout(
                f"the journey's timeout of {format_duration(self.journey_timeout)} ran out"
            )
        return (left, True) if left < step_timeout else (step_timeout, False)


@dataclass
class PageEvents:
    """What the page did that later steps look at: dialogs to answer, responses to wait for."""

    dialogs: list[DialogAnswer] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    responses_seen: int = 0

    def listen(self, page: Page, *, dialogs: bool = True, responses: bool = True) -> None:
        """Answer the page's dialogs, and keep its responses for the ``wait`` steps; each only
        when asked (a page no one listens to for dialogs has them dismissed by Playwright)."""
        if dialogs:
            page.on("dialog", self._answer)
        if responses:
            page.on("response", self._note_response)

    def _note_response(self, response: Response) -> None:
        self.responses.append(response)

    def _answer(self, dialog: Dialog) -> None:
        answer = self.dialogs.pop(0) if self.dialogs else DialogAnswer(accept=False)
        if not answer.accept:
            dialog.dismiss()
        elif answer.text is not None:
            dialog.accept(answer.text)
        else:
            dialog.accept()

    def next_response(self, matches: Callable[[Response], bool]) -> Response | None:
        """The first matching response since the last one a ``wait`` consumed, if any."""
        for index in range(self.responses_seen, len(self.responses)):
            if matches(self.responses[index]):
                self.responses_seen = index + 1
                return self.responses[index]
        return None


@dataclass
class Session:
    """One attempt's live objects and values, handed to every step.

    ``journey_path`` is the journey's file (its screenshot baselines lie beside it);
    ``update_snapshots`` writes baselines instead of failing on them.
    ``variables`` are what ``${name}`` sees here: vars and saved values in a journey, only the
    params (and what it saves) inside shared steps; ``parent`` gets the saved values too.
    """

    context: BrowserContext
    page: Page
    base: Context
    redactor: Redactor
    evidence: EvidenceRecorder
    deadline: Deadline
    project_root: Path
    traffic: TrafficRecorder | None = None
    journey_path: Path | None = None
    update_snapshots: bool = False
    events: PageEvents = field(default_factory=PageEvents)
    variables: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    parent: Session | None = None

    @property
    def templates(self) -> Context:
        return self.base.with_variables(self.variables, only=True)

    @property
    def base_url(self) -> str | None:
        return self.base.urls.get("web")

    def render(self, value: Any) -> Any:
        """``value`` (text, list, mapping) with its ``${...}`` references filled in."""
        return render_value(value, self.templates)

    def text(self, value: Text) -> str | re.Pattern[str]:
        """A text to match: rendered, or a compiled pattern for a Regex."""
        if isinstance(value, Regex):
            return re.compile(render(value.pattern, self.templates), value.compile().flags)
        return render(value, self.templates)

    def url(self, value: str) -> str:
        """A rendered URL, joined to ``urls.web`` when relative."""
        rendered = render(value, self.templates)
        return urljoin(self.base_url, rendered) if self.base_url else rendered

    def scoped(self, params: Mapping[str, str]) -> Session:
        """The session for a shared steps file: only ``params`` are its variables."""
        fields = {**self.__dict__, "variables": dict(params), "parent": self}
        return Session(**fields)

    def save(self, name: str, value: str) -> None:
        self.variables[name] = value
        if self.parent is not None:
            self.parent.save(name, value)

    def warn(self, message: str) -> None:
        self.warnings.append(self.redactor.mask(message))


def elapsed_since(started: float) -> float:
    return round(time.monotonic() - started, 3)


def timeout_words(seconds: float) -> str:
    return format_duration(round(seconds, 3))
