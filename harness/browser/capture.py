"""Captures the real contract during one attempt: each JSON response the page receives by
fetch or XHR, and each ``request:`` step's response, as an :class:`Exchange` (shape only,
secrets masked).

Cheap by design: a response is kept only when it is a fetch/XHR with a JSON content type (its
headers say so without a round trip), and its body is read once, when it has finished loading,
up to ``MAX_BODY_BYTES``. It cannot wait for the end of the attempt: Chromium forgets a page's
response bodies when the page navigates away. So after each step the runner lets the reads
already under way finish (``settle``) before the next step can navigate: the last API call a
page makes before a journey moves on (the one that made the page ready) is not lost.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from harness.core.masking import Redactor
from harness.core.traffic import MAX_BODY_BYTES, Exchange, Shape, is_json_type

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Request, Response

#: What the page fetches that is an API call rather than a document, script or image.
API_RESOURCES = ("fetch", "xhr")
#: How long a step's end waits for the body reads under way.
SETTLE_S = 2.0


@dataclass
class TrafficRecorder:
    """Listens to one browser context; ``finish()`` reads the kept bodies into exchanges."""

    redactor: Redactor
    journey: str = ""
    attempt: int = 0
    exchanges: list[Exchange] = field(default_factory=list)
    _pending: dict[Request, Response] = field(default_factory=dict)
    _reading: int = 0

    def attach(self, context: BrowserContext) -> None:
        """Listen for the requests that finish loading. The responses come through
        ``on_response``, which the attempt calls from its one response listener: Playwright's
        sync API works out each listener's signature anew on every event."""
        context.on("requestfinished", self._on_finished)

    def on_response(self, response: Response) -> None:
        if response.request.resource_type in API_RESOURCES and is_json_type(
            response.headers.get("content-type", "")
        ):
            self._pending[response.request] = response

    def _on_finished(self, request: Request) -> None:
        response = self._pending.pop(request, None)
        if response is not None:
            self._reading += 1
            try:
                self._read(response)
            finally:
                self._reading -= 1

    def settle(self, page: Page) -> None:
        """Wait (up to ``SETTLE_S``) for the body reads under way: they run in Playwright's
        event handlers, which only progress while this thread is in a Playwright call."""
        from playwright.sync_api import Error as PlaywrightError

        deadline = time.monotonic() + SETTLE_S
        while self._reading and time.monotonic() < deadline:
            try:
                page.wait_for_timeout(5)
            except PlaywrightError:  # the page closed: the read ends with it, noted as lost
                return

    def note_request(
        self, method: str, url: str, status: int, content_type: str, body: bytes
    ) -> None:
        """A ``request:`` step's response, whose body the step has read already."""
        self._keep(method, url, status, content_type, body, "request")

    def finish(self) -> tuple[Exchange, ...]:
        """The exchanges of the attempt, with the bodies still loading read now (call before
        the context closes)."""
        for response in list(self._pending.values()):
            self._read(response)
        self._pending.clear()
        return tuple(self.exchanges)

    def _read(self, response: Response) -> None:
        body, note = _read(response)
        content_type = response.headers.get("content-type", "")
        method = response.request.method
        self._keep(method, response.url, response.status, content_type, body, "page", note)

    def _keep(
        self,
        method: str,
        url: str,
        status: int,
        content_type: str,
        body: bytes,
        source: Literal["page", "request"],
        note: str = "",
    ) -> None:
        shape = None
        if not note:
            shape, note = self._shape(content_type, body)
        mask = self.redactor.mask
        self.exchanges.append(
            Exchange(
                method=method.upper(),
                url=mask(url),
                status=status,
                content_type=mask(content_type),
                shape=shape,
                source=source,
                journey=self.journey,
                attempt=self.attempt,
                note=note,
            )
        )

    def _shape(self, content_type: str, body: bytes) -> tuple[Shape | None, str]:
        if not is_json_type(content_type):
            return None, "not JSON"
        if len(body) > MAX_BODY_BYTES:
            return None, "body over the size limit"
        if not body:
            return None, "empty body"
        try:
            value = json.loads(body)
        except ValueError:
            return None, "body is not valid JSON"
        return Shape.of(value, self.redactor.mask if self.redactor.active else str), ""


def _read(response: Response) -> tuple[bytes, str]:
    """The body, or why it was not read: over the size limit, or gone with its page."""
    from playwright.sync_api import Error as PlaywrightError

    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        return b"", "body over the size limit"
    try:
        return response.body(), ""
    except PlaywrightError:  # the page closed, or the response was a redirect
        return b"", "body no longer available"
