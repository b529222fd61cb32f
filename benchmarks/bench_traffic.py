"""What capturing the real traffic (for the mock-drift check) costs: the same journeys run with
capture on and off, in one Chromium, against one local server whose pages call a JSON API by
fetch and XHR, plus ``request:`` steps. Each journey runs twice back to back, on and off in
alternating order, so a busy machine weighs on both halves of a pair alike; the ratio is the
median over the pairs. The harness process's own CPU time is shown too: the capture's work
(reading and shaping bodies) is done there. Target: a ratio (on / off) at or below 1.03.

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
    parser.add_argument("--journeys", type=int, default=10, help="different journeys")
    parser.add_argument("--rounds", type=int, default=4, help="pairs (on, off) per journey")
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

        def timed_run(index: int, capture: bool) -> tuple[float, float, int]:
            settings = RunSettings(run_id="bench", urls={"web": base}, capture=capture)
            started, cpu = time.perf_counter(), time.process_time()
            result = run_journey(browser, journeys[index], settings, root / "out" / str(index))
            took, used = time.perf_counter() - started, time.process_time() - cpu
            assert result.status == "passed", result
            return took, used, sum(len(a.traffic) for a in result.attempts)

        timed_run(0, True)  # warm up: the first page load of a browser is slower
        ratios: list[float] = []
        wall = {True: 0.0, False: 0.0}
        cpu = {True: 0.0, False: 0.0}
        captured = 0
        for pair in range(args.rounds * args.journeys):
            index, on_first = pair % args.journeys, pair % 2 == 0
            took: dict[bool, float] = {}
            for capture in (on_first, not on_first):
                took[capture], used, count = timed_run(index, capture)
                wall[capture] += took[capture]
                cpu[capture] += used
                captured += count
            ratios.append(took[True] / took[False])
    server.shutdown()
    pairs = len(ratios)
    print(f"{pairs} pairs of one journey, capture on and off; {captured} responses captured")
    print(f"wall time per journey: on {wall[True] / pairs:.3f}s, off {wall[False] / pairs:.3f}s")
    print(
        f"the harness's own CPU per journey: on {cpu[True] / pairs * 1000:.0f} ms, "
        f"off {cpu[False] / pairs * 1000:.0f} ms"
    )
    print(
        f"ratio (on / off), median over the pairs: {statistics.median(ratios):.3f} "
        f"(of the sums: {wall[True] / wall[False]:.3f}); goal: <= 1.03"
    )


if __name__ == "__main__":
    main()
