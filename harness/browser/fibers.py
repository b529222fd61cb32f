"""Several journeys at once on one Playwright, in one thread, as Playwright's sync API itself
runs its event handlers: each worker is a greenlet, and a worker waiting for the browser
switches to the greenlet that runs Playwright's event loop, which switches back to it once its
answer has come. So the workers share one Playwright driver and one browser, as a hand-written
async script shares them, while the runner stays on the sync API.

The rules this keeps (those of Playwright's own greenlets): every fiber lives in the thread
that started Playwright; a fiber waits only through Playwright (a call, or :meth:`Fibers.pause`),
never by blocking the thread (``time.sleep``, a lock held by another fiber), which would stop
every other one.

This leans on two attributes every sync API object has (``_loop``, the event loop, and
``_dispatcher_fiber``, the greenlet that runs it); ``tests/integration/test_fibers.py`` fails
when a Playwright release changes them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

import greenlet

from harness.errors import BrowserError


class Fibers:
    """The fibers of one Playwright: ``Fibers(browser).together([...])``."""

    def __init__(self, anchor: Any) -> None:
        """``anchor``: any object of the sync API (the browser): its loop is everyone's."""
        self._loop: asyncio.AbstractEventLoop = anchor._loop
        self._dispatcher: greenlet.greenlet = anchor._dispatcher_fiber

    def together(self, bodies: Sequence[Callable[[], None]]) -> None:
        """Run each of ``bodies`` in a fiber of its own; return once every one has returned.
        The first error one raised is raised here, after the others have finished."""
        ends: list[asyncio.Future[None]] = []
        fibers: list[greenlet.greenlet] = []
        for body in bodies:
            end: asyncio.Future[None] = self._loop.create_future()
            fibers.append(greenlet.greenlet(_until(body, end), parent=self._dispatcher))
            self._loop.call_soon(fibers[-1].switch)
            ends.append(end)
        try:
            for end in ends:
                self.wait(end)
        except BrowserError:  # Playwright's driver died: each fiber ends on its own error now
            for fiber in fibers:
                while not fiber.dead:
                    fiber.switch()
            raise
        errors = [error for end in ends if (error := end.exception()) is not None]
        if errors:
            raise errors[0]

    def pause(self, seconds: float) -> None:
        """Let the other fibers run for ``seconds``."""
        self.wait(self._loop.create_task(asyncio.sleep(seconds)))

    def wait(self, future: asyncio.Future[Any]) -> None:
        """Switch to the event loop until ``future`` is done (from any fiber of this thread)."""
        if future.done():
            return
        me = greenlet.getcurrent()
        waiting = True

        def resume(_: asyncio.Future[Any]) -> None:
            if waiting:  # a wait that ended already must not be resumed later
                me.switch()

        future.add_done_callback(resume)
        try:
            while not future.done():
                if self._dispatcher.dead:  # the driver is gone: nothing will settle it
                    raise BrowserError("Playwright's connection closed")
                self._dispatcher.switch()
        finally:
            waiting = False
            future.remove_done_callback(resume)


def _until(body: Callable[[], None], end: asyncio.Future[None]) -> Callable[[], None]:
    def run() -> None:
        try:
            body()
        except BaseException as exc:  # handed to together(), which raises it
            end.set_exception(exc)
        else:
            end.set_result(None)

    return run
