"""What capturing the real traffic (for the mock-drift check) costs: the same journeys run with
capture on and off, in one Chromium, against one local server whose pages call a JSON API by
fetch and XHR, plus ``request:`` steps. Rounds alternate on and off, so the machine's load
falls on both. Target: a ratio (on / off) at or below 1.03.

Run: ``.venv/bin/python benchmarks/bench_traffic.py [--journeys N] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import http.server
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.browser.discovery import find_browser  # noqa: E402
from harness.browser.launch import running_chromium  # noqa: E402
from harness.browser.runner import run_journey  # noqa: E402
from harness.browser.settings import RunSettings  # noqa: E402
from harness.core.journey.loader import load_journey  # noqa: E402

#: A page of a typical single-page app: a dozen API calls, some lists of a few KB.
PAGE = """<!doctype html><html lang=en><head><meta charset=utf-8><title>Shop</title></head>
<body><h1>Shop</h1><p data-testid=status>loading</p><ul id=items></ul><script>
async function load() {
  const items = await (await fetch("/api/items?page=1")).json();
  for (const id of [1, 2, 3, 4, 5, 6, 7, 8]) await fetch(`/api/items/${id}`);
  await fetch("/api/cart");
  const xhr = new XMLHttpRequest();
  xhr.open("GET", "/api/me");
  xhr.onload = () => {
    document.getElementById("items").innerHTML = items.data.map(i => `<li>${i.name}</li>`).join("");
    document.querySelector("[data-testid=status]").textContent = "ready";
  };
  xhr.send();
}
load();
</script></body></html>"""

JOURNEY = """\
name: Browse {n}
steps:
  - goto: /
  - expect: {{testid: status, text: ready}}
  - goto: /?again=1
  - expect: {{testid: status, text: ready}}
  - request: {{url: /api/cart, expect: {{status: 200}}}}
  - request: {{url: /api/items/3, expect: {{status: 200}}}}
"""


def item(number: int) -> dict[str, object]:
    return {
        "id": number,
        "name": f"Item {number}",
        "price_cents": 100 * number,
        "tags": ["a", "b"],
        "stock": {"north": 3, "south": None},
    }


def api(path: str) -> object:
    if path == "/api/items":
        return {"data": [item(n) for n in range(1, 61)], "page": 1, "pages": 3}
    if path.startswith("/api/items/"):
        return {"data": item(int(path.rsplit("/", 1)[1]))}
    if path == "/api/cart":
        return {"lines": [{"sku": "M1", "quantity": 2}], "count": 2, "total_cents": 2400}
    return {"id": 1, "name": "Ada", "email": "ada@example.test"}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.startswith("/api/"):
            body, kind = json.dumps(api(path)).encode(), "application/json"
        else:
            body, kind = PAGE.encode(), "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve() -> tuple[str, http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=10, help="journeys per round")
    parser.add_argument("--rounds", type=int, default=6, help="rounds of each (alternating)")
    args = parser.parse_args()
    base, server = serve()
    with tempfile.TemporaryDirectory() as folder, running_chromium(find_browser()) as browser:
        root = Path(folder)
        (root / "harness.yml").write_text("journeys: .\n")
        journeys = []
        for n in range(args.journeys):
            path = root / f"browse-{n}.journey.yml"
            path.write_text(JOURNEY.format(n=n))
            journeys.append(load_journey(path, root=root))
        times: dict[bool, list[float]] = {True: [], False: []}
        captured = 0
        for number in range(args.rounds * 2 + 1):
            capture = number % 2 == 1  # round 0 warms up and is not counted
            settings = RunSettings(run_id="bench", urls={"web": base}, capture=capture)
            started = time.perf_counter()
            for index, journey in enumerate(journeys):
                result = run_journey(browser, journey, settings, root / "out" / str(index))
                assert result.status == "passed", result
                captured += sum(len(a.traffic) for a in result.attempts) if number else 0
            if number:
                times[capture].append(time.perf_counter() - started)
    server.shutdown()
    on, off = statistics.median(times[True]), statistics.median(times[False])
    print(f"{args.journeys} journeys x {args.rounds} rounds each, {captured} responses captured")
    print(f"capture off: median {off:.2f}s per round  {[round(t, 2) for t in times[False]]}")
    print(f"capture on:  median {on:.2f}s per round  {[round(t, 2) for t in times[True]]}")
    print(f"ratio (on / off): {on / off:.3f}  (goal: <= 1.03)")


if __name__ == "__main__":
    main()
