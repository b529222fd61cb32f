"""One local Chromium for every worker thread of a run.

Playwright's sync API belongs to the thread that started it, so each worker keeps its own
Playwright; what they share is the browser process. The first worker launches Chromium with a
DevTools port on 127.0.0.1 and the others connect to it over CDP, each with its own
connection, contexts and pages: no Playwright object crosses a thread. In paired runs this
used 0.7-1.0 s less CPU than a Chromium per worker (docs/run.md). A connected worker's driver
also adopts the other workers' pages (``connectOverCDP`` puts pages of contexts it did not
create into its default context), a small cost on each new page. A worker that cannot
connect launches a browser of its own, as every worker did before.
"""

from __future__ import annotations

import socket
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

#: How long a worker waits for the first worker's Chromium before it launches its own.
READY_TIMEOUT_S = 120.0
#: How long connecting to the shared Chromium may take.
CONNECT_TIMEOUT_MS = 15_000


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class SharedChromium:
    """Who launches, who connects, and when the launcher may close the browser: only after
    every other worker has left (``expect`` says how many there are)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._launcher_taken = False
        self._ready = threading.Event()
        self._endpoint: str | None = None
        self._port = 0
        self._expected = 0
        self._left = 0
        self._all_left = threading.Condition(self._lock)

    def debugging_args(self) -> tuple[str, ...]:
        """The first caller becomes the launcher and gets the flags for its launch; every
        later caller gets ``()`` and should :meth:`connect` instead."""
        with self._lock:
            if self._launcher_taken:
                return ()
            self._launcher_taken = True
            self._port = free_port()
        return (f"--remote-debugging-port={self._port}", "--remote-debugging-address=127.0.0.1")

    def launched(self, ok: bool) -> None:
        """The launcher's browser is up (or failed to start): the others may go on."""
        self._endpoint = f"http://127.0.0.1:{self._port}" if ok else None
        self._ready.set()

    def connect(self, pw: Playwright) -> Browser | None:
        """The launcher's browser, over CDP with this thread's Playwright; None when there is
        none to connect to (the caller then launches its own)."""
        from playwright.sync_api import Error as PlaywrightError

        if not self._ready.wait(READY_TIMEOUT_S) or self._endpoint is None:
            return None
        try:
            return pw.chromium.connect_over_cdp(self._endpoint, timeout=CONNECT_TIMEOUT_MS)
        except PlaywrightError:
            return None

    def expect(self, others: int) -> None:
        """How many workers besides the launcher use (or may try to use) the browser."""
        with self._lock:
            self._expected = others
            self._all_left.notify_all()

    def leave(self) -> None:
        """A worker other than the launcher is done with the browser."""
        with self._lock:
            self._left += 1
            self._all_left.notify_all()

    def wait_for_the_others(self) -> None:
        """Block the launcher until every other worker has left, so that closing the browser
        cuts no journey short."""
        with self._lock:
            self._all_left.wait_for(lambda: self._left >= self._expected)
