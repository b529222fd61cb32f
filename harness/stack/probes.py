"""Readiness probes that ask from outside: an HTTP URL that answers, a TCP port that accepts.

A loopback URL never goes through a proxy from the environment (a corporate proxy cannot reach
the harness's own 127.0.0.1), any other URL does.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
PROBE_TIMEOUT_S = 2.0
INTERVAL_S = 0.1

#: A probe answers (ready, what it saw): "HTTP 503", "connection refused", ...
Probe = Callable[[], "tuple[bool, str]"]


def http_probe(url: str) -> Probe:
    """Ready when ``url`` answers with a status below 400 (redirects followed)."""
    host = urlsplit(url).hostname or ""
    handlers = [urllib.request.ProxyHandler({})] if host in LOOPBACK else []
    opener = urllib.request.build_opener(*handlers)

    def probe() -> tuple[bool, str]:
        try:
            with opener.open(url, timeout=PROBE_TIMEOUT_S) as response:
                return True, f"HTTP {response.status}"
        except urllib.error.HTTPError as exc:
            return False, f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return False, str(reason)

    return probe


def tcp_probe(target: str) -> Probe:
    """Ready when ``HOST:PORT`` accepts a TCP connection."""
    host, _, port = target.rpartition(":")

    def probe() -> tuple[bool, str]:
        try:
            with socket.create_connection((host.strip("[]"), int(port)), timeout=PROBE_TIMEOUT_S):
                return True, "connected"
        except (OSError, ValueError) as exc:
            return False, str(exc)

    return probe


def poll_until(
    probe: Probe, timeout_s: float, still_alive: Callable[[], None] | None = None
) -> tuple[bool, str]:
    """Probe until it passes or ``timeout_s`` runs out; ``still_alive`` may raise to fail fast."""
    deadline = time.monotonic() + timeout_s
    seen = "no answer yet"
    while True:
        if still_alive is not None:
            still_alive()
        ready, seen = probe()
        if ready or time.monotonic() >= deadline:
            return ready, seen
        time.sleep(INTERVAL_S)
