"""A small real web app for the runner's tests: the pages of tests/data/runner/site and a JSON API.

The API keeps its state in cookies, so that a `request` step proves it shares the browser's
cookies: the cart count set by a click in the page is what the API sees, and the reverse.
"""

from __future__ import annotations

import html
import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

SITE = Path(__file__).resolve().parent.parent / "data" / "runner" / "site"
_FLAKY_SEEN: set[str] = set()
BOOKS = [
    {"title": "The Hobbit", "author": "J. R. R. Tolkien", "price": 12.0},
    {"title": "Dune", "author": "Frank Herbert", "price": 9.5},
    {"title": "Emma", "author": "Jane Austen", "price": 7.25},
]
_FLAKY_LOCK = threading.Lock()


class RunnerSiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static pages plus ``/api/*`` and the ``/signup`` form target."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(SITE), **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _cookies(self) -> dict[str, str]:
        jar = SimpleCookie(self.headers.get("Cookie", ""))
        return {name: morsel.value for name, morsel in jar.items()}

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _send(
        self, status: int, body: bytes, content_type: str, cookies: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (cookies or {}).items():
            self.send_header("Set-Cookie", f"{name}={value}; Path=/")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value: object, cookies: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(value).encode(), "application/json", cookies)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/api/me":
            user = self._cookies().get("session")
            if user:
                self._json(200, {"user": user, "cart": int(self._cookies().get("cart", "0"))})
            else:
                self._json(401, {"error": "not signed in"})
        elif path.startswith("/api/orders/"):
            order = path.rsplit("/", 1)[1]
            self._json(200, {"id": order, "status": "paid", "items": [{"sku": "M1", "qty": 1}]})
        elif path == "/api/echo":
            self._echo(b"")
        elif path == "/api/books":
            self._json(200, BOOKS)
        elif path.startswith("/api/flaky/"):
            self._flaky(path.rsplit("/", 1)[1])
        else:
            super().do_GET()

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        body = self._body()
        if path == "/api/login":
            user = json.loads(body or b"{}").get("user", "")
            self._json(200, {"user": user}, {"session": user})
        elif path == "/api/cart":
            count = int(self._cookies().get("cart", "0")) + 1
            self._json(201, {"id": "cart-7", "count": count}, {"cart": str(count)})
        elif path == "/api/echo":
            self._echo(body)
        elif path == "/signup":
            self._signup(body)
        else:
            self._json(404, {"error": f"no route {path}"})

    def _flaky(self, key: str) -> None:
        """Fails the first call for each key, then works: a journey that passes on retry."""
        with _FLAKY_LOCK:
            first = key not in _FLAKY_SEEN
            _FLAKY_SEEN.add(key)
        self._json(503 if first else 200, {"key": key, "first": first})

    def _echo(self, body: bytes) -> None:
        self._json(
            200,
            {
                "method": self.command,
                "query": parse_qs(urlsplit(self.path).query),
                "headers": dict(self.headers.items()),
                "body": body.decode("utf-8", "replace"),
            },
        )

    def _signup(self, body: bytes) -> None:
        fields = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        rows = "".join(
            f"<li data-field='{html.escape(k)}'>{html.escape(k)}={html.escape(v)}</li>"
            for k, v in sorted(fields.items())
        )
        page = (
            "<!doctype html><html lang=en><head><meta charset=utf-8><title>Welcome | Runner shop"
            f"</title></head><body><h1>Welcome {html.escape(fields.get('email', ''))}</h1>"
            f"<ul>{rows}</ul><script>console.log('signed up', {json.dumps(fields)})</script>"
            "</body></html>"
        )
        self._send(200, page.encode(), "text/html; charset=utf-8")


@contextmanager
def serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on 127.0.0.1 (a free port) in a thread and yield the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def running_site() -> Iterator[str]:
    """Serve the runner site on 127.0.0.1 and yield its base URL."""
    with serving(RunnerSiteHandler) as url:
        yield url
