"""Connect to a browser that runs elsewhere, turning Playwright's connection errors into the
harness's own: a version mismatch names both versions, an unreachable endpoint says so.

Playwright's protocol needs the client and the server on the same minor version: a server of
another minor answers the WebSocket upgrade with ``428 Precondition Required`` and a box that
names both (``playwright-core`` ``remote/playwrightServer.ts``).
"""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from harness.core.masking import mask
from harness.core.remote_browser import RemoteEndpoint
from harness.errors import BrowserError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

#: How long connecting may take before the endpoint counts as unreachable.
CONNECT_TIMEOUT_MS = 30_000

_SERVER_VERSION = re.compile(r"server version:\s*v?(\d+\.\d+(?:\.\d+)?)")


def client_version() -> str:
    """The version of the Playwright package this harness drives browsers with."""
    try:
        return version("playwright")
    except PackageNotFoundError:  # an unusual install: the message then says "unknown"
        return "unknown"


def connect_remote(pw: Playwright, endpoint: RemoteEndpoint, name: str = "chromium") -> Browser:
    """The remote browser, connected over Playwright's protocol or CDP (Chromium only);
    BrowserError (exit 4) naming the endpoint (secrets masked) when it cannot be reached or
    speaks another version."""
    from playwright.sync_api import Error as PlaywrightError

    headers = dict(endpoint.headers)
    try:
        if endpoint.protocol == "playwright":
            browser_type = getattr(pw, name)
            connected: Browser = browser_type.connect(
                endpoint.url, timeout=CONNECT_TIMEOUT_MS, headers=headers
            )
            return connected
        return pw.chromium.connect_over_cdp(
            endpoint.url, timeout=CONNECT_TIMEOUT_MS, headers=headers
        )
    except PlaywrightError as exc:
        raise connection_error(endpoint, str(exc)) from exc


def connection_error(endpoint: RemoteEndpoint, message: str) -> BrowserError:
    """The harness's error for Playwright's ``message`` about ``endpoint``."""
    secrets = endpoint.secrets | {v for v in endpoint.headers.values() if v}
    where = f"the remote browser at {endpoint.shown()} ({endpoint.source})"
    server = _SERVER_VERSION.search(message)
    if server is not None:
        ours = client_version()
        return BrowserError(
            f"{where} runs Playwright {server.group(1)}, this harness's client is Playwright "
            f"{ours}: Playwright needs the same minor version on both sides.\n"
            f"    Run a server of Playwright {_minor(ours)}.x (e.g. `npx playwright@{ours} "
            f"run-server`, or the image mcr.microsoft.com/playwright:v{ours}), or install "
            f"the harness with playwright=={server.group(1)}.* to match the server"
        )
    return BrowserError(
        f"cannot connect to {where}: {mask(_first_lines(message), secrets)}\n"
        "    Is the browser server running and reachable from here? "
        "ws(s):// needs a Playwright server (run-server, launchServer), "
        "http(s):// a Chromium with --remote-debugging-port"
    )


def _minor(full: str) -> str:
    return ".".join(full.split(".")[:2])


def _first_lines(message: str) -> str:
    """Playwright's message without its call log (which repeats it)."""
    head = message.split("Call log:")[0].strip()
    lines = [line for line in head.splitlines() if line.strip()]
    return " ".join(lines[:2]) if lines else "no answer"
