"""Records what one attempt leaves behind: trace, screenshots, video, console and failed requests.

Everything written goes through the attempt's ``Redactor`` first; the trace is rewritten and
checked byte by byte (``harness.core.masked_files``) before it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from harness.browser.results import Artifact, ArtifactKind
from harness.contract import SECRET_MASK, TraceMode
from harness.core.masked_files import scrub_trace
from harness.core.masking import Redactor
from harness.core.spans import Spans

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, Video

Keep = Literal["always", "on-failure", "never"]

#: The page of a context that never navigated.
BLANK = "about:blank"


@dataclass(frozen=True)
class ArtifactPolicy:
    """Which artifacts an attempt keeps. By default a failed attempt keeps trace and screenshot."""

    trace: TraceMode = "retain-on-failure"
    screenshot: Keep = "on-failure"
    video: Keep = "never"

    def keeps(self, kind: Keep, failed: bool) -> bool:
        return kind == "always" or (kind == "on-failure" and failed)

    def records_trace(self, attempt: int) -> bool:
        """Whether attempt number ``attempt`` records a trace at all."""
        if self.trace == "on-first-retry":
            return attempt == 2
        return self.trace != "off"

    def keeps_trace(self, attempt: int, failed: bool) -> bool:
        if not self.records_trace(attempt):
            return False
        return failed or self.trace != "retain-on-failure"


def safe_file_name(text: str, redactor: Redactor) -> str:
    """A file name made from user text, with secrets masked (as ``_``) and odd characters gone."""
    masked = redactor.mask(text).replace(SECRET_MASK, "_")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", masked).strip("-.")
    return cleaned[:80] or "unnamed"


@dataclass
class EvidenceRecorder:
    """Listens to one browser context and writes its evidence into ``folder``."""

    folder: Path
    redactor: Redactor
    policy: ArtifactPolicy
    attempt: int = 1
    spans: Spans = field(default_factory=Spans)
    console: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    artifacts: list[Artifact] = field(default_factory=list)
    _videos: list[Path] = field(default_factory=list)

    @property
    def records_video(self) -> bool:
        return self.policy.video != "never"

    def attach(
        self, context: BrowserContext, on_response: Callable[[Response], None] | None = None
    ) -> None:
        """Start the trace (when the policy records this attempt) and listen to every page;
        ``on_response`` also hears every response (one listener serves both)."""
        if self.policy.records_trace(self.attempt):
            with self.spans.span("trace_start"):
                context.tracing.start(screenshots=True, snapshots=True, sources=False)
        context.on("page", self._watch_page)
        context.on("requestfailed", self._on_request_failed)
        if on_response is None:
            context.on("response", self._on_response)
        else:

            def both(response: Response) -> None:
                self._on_response(response)
                on_response(response)

            context.on("response", both)

    def _watch_page(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self._note_console(f"[pageerror] {error}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("verbose", "debug"):  # Chromium's own advice, not the app's
            return
        where = message.location
        place = f" ({where['url']}:{where['lineNumber']})" if where.get("url") else ""
        self._note_console(f"[{message.type}] {message.text}{place}")

    def _note_console(self, line: str) -> None:
        self.console.append(self.redactor.mask(line))

    def _on_request_failed(self, request: Request) -> None:
        reason = request.failure or "failed"
        self._note_request(f"{request.method} {request.url}: {reason}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            request = response.request
            self._note_request(f"{request.method} {request.url}: HTTP {response.status}")

    def _note_request(self, line: str) -> None:
        self.failed_requests.append(self.redactor.mask(line))

    def path(self, name: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / name

    def keep(self, kind: ArtifactKind, path: Path, label: str = "") -> None:
        self.artifacts.append(Artifact(kind, path, label))

    def write(self, kind: ArtifactKind, name: str, data: bytes, label: str = "") -> Path:
        """Keep ``data`` (an image, a report already masked) as ``name`` in the attempt's folder."""
        path = self.path(name)
        path.write_bytes(data)
        self.keep(kind, path, label)
        return path

    def screenshot(
        self, page: Page, name: str, *, timeout_ms: float = 5000, full_page: bool = False
    ) -> Path:
        """Save a named screenshot of ``page`` (the step ``screenshot: NAME``)."""
        path = self.path(safe_file_name(name, self.redactor) + ".png")
        page.screenshot(path=path, timeout=timeout_ms, full_page=full_page)
        self.keep("screenshot", path)
        return path

    def failure_screenshot(self, page: Page | None) -> None:
        """The screenshot of the moment a step failed, kept per the policy."""
        from playwright.sync_api import Error as PlaywrightError

        if page is None or page.is_closed() or not self.policy.keeps(self.policy.screenshot, True):
            return
        if page.url == BLANK:  # a journey that only called APIs: a picture of nothing
            return
        try:
            self.screenshot(page, "failure")
        except PlaywrightError as exc:
            self._note_console(f"[harness] no failure screenshot: {str(exc).splitlines()[0]}")

    def finish(self, context: BrowserContext, failed: bool) -> tuple[Artifact, ...]:
        """Stop the trace, close the context, and keep what the policy asks for."""
        with self.spans.span("screenshots"):
            self._final_screenshot(context, failed)
        if self.policy.records_trace(self.attempt):
            with self.spans.span("trace_stop"):
                self._stop_trace(context, failed)
        videos = [page.video for page in context.pages if page.video is not None]
        with self.spans.span("close"):
            context.close()
        with self.spans.span("evidence"):
            self._keep_videos(videos, failed)
            self._write_log("console.log", "console", self.console)
            self._write_log("requests.log", "requests", self.failed_requests)
        return tuple(self.artifacts)

    def _final_screenshot(self, context: BrowserContext, failed: bool) -> None:
        if failed or self.policy.screenshot != "always" or not context.pages:
            return
        if context.pages[-1].url == BLANK:
            return
        self.screenshot(context.pages[-1], "final")

    def _stop_trace(self, context: BrowserContext, failed: bool) -> None:
        if not self.policy.keeps_trace(self.attempt, failed):
            context.tracing.stop()
            return
        path = self.path("trace.zip")
        context.tracing.stop(path=path)
        if scrub_trace(path, self.redactor):
            self.keep("trace", path)
        else:
            self._note_console("[harness] the trace was deleted: a secret could not be removed")

    def _keep_videos(self, videos: list[Video], failed: bool) -> None:
        keep = self.policy.keeps(self.policy.video, failed)
        for number, video in enumerate(videos, start=1):
            if keep:
                path = self.path("video.webm" if len(videos) == 1 else f"video-{number}.webm")
                video.save_as(path)
                self.keep("video", path)
            video.delete()

    def _write_log(self, name: str, kind: ArtifactKind, lines: list[str]) -> None:
        if lines:
            path = self.path(name)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            self.keep(kind, path)
