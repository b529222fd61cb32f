"""A small real app whose API has drifted from what its unit tests mock: the users endpoint
now wraps the user in ``data.user``, the cart renamed ``total`` to ``total_cents``, order ids
became strings, the profile lost ``avatar_url`` and adding to the cart answers 201.
It is copied into test projects and run there as a process of its own (``python app.py PORT``),
so it imports nothing of the tests.

The home page calls the API by ``fetch`` and by ``XMLHttpRequest``; ``/api/echo`` answers
with whatever query it was sent, as a key, so that a secret in a URL reaches a body's keys."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

HOME = """<!doctype html><html lang=en><head><meta charset=utf-8><title>Drifted</title></head>
<body><h1>Drifted</h1><p id=status>loading</p><script>
async function load() {
  const names = [];
  for (const id of [1, 2]) {
    const body = await (await fetch(`/api/users/${id}`)).json();
    names.push(body.data.user.name);
  }
  for (const path of ["/api/cart", "/api/orders/7", "/api/profile", "/logo.txt"]) {
    await (await fetch(path)).text();  // a body the page never reads may finish only as it leaves
  }
  const xhr = new XMLHttpRequest();
  xhr.open("GET", "/api/settings");
  xhr.onload = () => {
    document.getElementById("status").textContent = "ready " + names.join(",");
  };
  xhr.send();
}
load();
</script></body></html>"""

NEXT = "<!doctype html><html lang=en><head><title>Next</title></head><body>Next</body></html>"


def answer(method: str, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
    """The drifted API: (status, JSON body)."""
    parts = path.strip("/").split("/")
    if method == "GET" and parts[:2] == ["api", "users"] and len(parts) == 3:
        user = {"id": int(parts[2]), "name": f"User {parts[2]}", "email": "u@example.test"}
        return 200, {"data": {"user": user}}
    routes: dict[tuple[str, str], tuple[int, Any]] = {
        ("GET", "/api/cart"): (200, {"lines": [], "count": 0, "total_cents": 0}),
        ("POST", "/api/cart"): (201, {"lines": [{"sku": "M1"}], "count": 1, "total_cents": 1200}),
        ("GET", "/api/orders/7"): (200, {"id": "A-7", "status": "paid", "lines": []}),
        ("GET", "/api/profile"): (200, {"name": "Ada", "plan": "pro", "since": 2020}),
        ("GET", "/api/settings"): (200, {"theme": "dark", "language": "en"}),
    }
    if (method, path) in routes:
        return routes[(method, path)]
    if path == "/api/echo":
        return 200, {"seen": {value: True for values in query.values() for value in values}}
    return 404, {"error": f"no route {method} {path}"}


class DriftedHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _serve(self) -> None:
        url = urlsplit(self.path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if url.path == "/":
            self._send(200, HOME.encode(), "text/html; charset=utf-8")
        elif url.path == "/next":
            self._send(200, NEXT.encode(), "text/html; charset=utf-8")
        elif url.path == "/logo.txt":
            self._send(200, b"not json", "text/plain")
        else:
            status, value = answer(self.command, url.path, parse_qs(url.query))
            self._send(status, json.dumps(value).encode(), "application/json; charset=utf-8")

    do_GET = do_POST = _serve


@contextmanager
def drifted_app() -> Iterator[str]:
    """Serve the app on 127.0.0.1 and yield its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DriftedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


if __name__ == "__main__":  # as a project's app: python app.py PORT
    import sys

    http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), DriftedHandler).serve_forever()
