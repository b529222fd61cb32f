"""Wall time of ``harness run`` against Playwright Test (the Node runner) on the same journeys,
written once as harness YAML and once as Playwright specs, with the same number of workers and
the same Chromium, against one local server. Target: a ratio (harness / Playwright) at or below 1.

Run: ``.venv/bin/python benchmarks/bench_vs_playwright.py [--journeys N] [--workers W]
[--rounds R]``. ``@playwright/test`` is installed from the npm registry into a folder under the
system's temporary directory (kept between runs); Playwright's own browser download is skipped.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.browser.discovery import CHROMIUM_FLAGS, system_chromium  # noqa: E402

PLAYWRIGHT_TEST = "@playwright/test@1.65.1"
NODE_DIR = Path(tempfile.gettempdir()) / "harness-bench-playwright"

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1>{body}</body></html>"""
HOME = """<form onsubmit="event.preventDefault(); greet()">
<label>Name <input id="name"></label> <button>Greet</button></form>
<p data-testid="greeting"></p><a href="/counter">Counter</a>
<script>function greet() {
  document.querySelector('[data-testid=greeting]').textContent =
    'Hello, ' + document.querySelector('#name').value + '!';
}</script>"""
COUNTER = """<p>Count: <span data-testid="count">0</span></p><button onclick="
const c = document.querySelector('[data-testid=count]'); c.textContent = +c.textContent + 1">
Add one</button>"""

JOURNEY = """\
name: Journey {n}
steps:
  - goto: /
  - fill: {{label: Name, value: "Ann {n}"}}
  - click: {{role: button, name: Greet}}
  - expect: {{testid: greeting, text: "Hello, Ann {n}!"}}
  - click: {{role: link, name: Counter}}
  - click: {{role: button, name: Add one}}
  - expect: {{testid: count, text: "1"}}
"""

SPEC = """\
const {{ test, expect }} = require('@playwright/test');
test('Journey {n}', async ({{ page }}) => {{
  await page.goto('/');
  await page.getByLabel('Name').fill('Ann {n}');
  await page.getByRole('button', {{ name: 'Greet' }}).click();
  await expect(page.getByTestId('greeting')).toHaveText('Hello, Ann {n}!');
  await page.getByRole('link', {{ name: 'Counter' }}).click();
  await page.getByRole('button', {{ name: 'Add one' }}).click();
  await expect(page.getByTestId('count')).toHaveText('1');
}});
"""

CONFIG = """\
module.exports = {{
  testDir: 'tests',
  workers: {workers},
  fullyParallel: true,
  retries: 0,
  reporter: 'dot',
  use: {{
    baseURL: '{base}',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {{ executablePath: {chromium}, args: {flags} }},
  }},
  projects: [{{ name: 'chromium', use: {{ browserName: 'chromium' }} }}],
}};
"""


class _Site(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        pages = {"/": ("Home", HOME), "/counter": ("Counter", COUNTER)}
        title, body = pages.get(self.path, ("Not found", ""))
        data = PAGE.format(title=title, body=body).encode()
        self.send_response(200 if self.path in pages else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def serve() -> tuple[str, http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def harness_project(folder: Path, base: str, count: int) -> Path:
    (folder / "journeys").mkdir(parents=True)
    (folder / "environments").mkdir()
    (folder / "harness.yml").write_text("default_environment: bench\n")
    (folder / "environments" / "bench.yml").write_text(f"urls: {{web: '{base}'}}\n")
    for n in range(1, count + 1):
        (folder / "journeys" / f"j{n:03}.journey.yml").write_text(JOURNEY.format(n=n))
    return folder


def playwright_project(folder: Path, base: str, count: int, workers: int, chromium: str) -> Path:
    (folder / "tests").mkdir(parents=True)
    (folder / "playwright.config.js").write_text(
        CONFIG.format(
            workers=workers,
            base=base,
            chromium=json.dumps(chromium),
            flags=json.dumps(list(CHROMIUM_FLAGS)),
        )
    )
    for n in range(1, count + 1):
        (folder / "tests" / f"j{n:03}.spec.js").write_text(SPEC.format(n=n))
    (folder / "node_modules").symlink_to(NODE_DIR / "node_modules")
    return folder


def install_playwright_test() -> None:
    if (NODE_DIR / "node_modules" / "@playwright" / "test").is_dir():
        return
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    print(f"installing {PLAYWRIGHT_TEST} into {NODE_DIR}", file=sys.stderr)
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", "--silent", PLAYWRIGHT_TEST],
        cwd=NODE_DIR,
        env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"},
        check=True,
    )


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journeys", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    chromium = os.environ.get("HARNESS_BROWSER_PATH") or system_chromium()
    if chromium is None or shutil.which("npx") is None:
        sys.exit("needs a system Chromium and Node's npx")
    install_playwright_test()
    base, server = serve()
    with tempfile.TemporaryDirectory(prefix="harness-bench-") as temp:
        work = Path(temp)
        ours = harness_project(work / "harness", base, args.journeys)
        theirs = playwright_project(work / "pw", base, args.journeys, args.workers, chromium)
        harness_cmd = [sys.executable, "-m", "harness", "run", "--no-unit"]
        harness_cmd += ["--workers", str(args.workers), "--report-dir", str(work / "report")]
        env = {**os.environ, "HARNESS_BROWSER_PATH": chromium, "PYTHONPATH": str(ROOT)}
        pw_cmd = ["npx", "--no-install", "playwright", "test"]
        times: dict[str, list[float]] = {"harness": [], "playwright": []}
        for round_ in range(1, args.rounds + 1):
            times["harness"].append(timed(harness_cmd, ours, env))
            times["playwright"].append(timed(pw_cmd, theirs))
            print(
                f"round {round_}: harness {times['harness'][-1]:.2f}s, "
                f"Playwright Test {times['playwright'][-1]:.2f}s",
                file=sys.stderr,
            )
    server.shutdown()
    ours_s, theirs_s = (statistics.median(times[k]) for k in ("harness", "playwright"))
    print(f"{args.journeys} journeys, {args.workers} workers, median of {args.rounds} rounds")
    print(f"harness run:      {ours_s:.2f}s")
    print(f"Playwright Test:  {theirs_s:.2f}s")
    print(f"ratio (harness / Playwright Test): {ours_s / theirs_s:.2f} (target: at most 1.00)")


if __name__ == "__main__":
    main()
