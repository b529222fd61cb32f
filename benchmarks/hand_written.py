"""The floor `bench_vs_script.py` measures the harness against: the benchmark's journeys written
by hand with Playwright's async Python API, the way one would without a harness. One browser,
a fresh context per journey, ``WORKERS`` journeys at a time, nothing recorded.

Run: ``python benchmarks/hand_written.py BASE_URL JOURNEYS WORKERS CHROMIUM``. It prints one
JSON line: the seconds each journey spent opening its context and page, in its steps and closing
its context, so the benchmark can set them beside the harness's own, and the clock times of the
first journey's start and the last one's end (``window``).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from playwright.async_api import Browser, async_playwright, expect

FLAGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


async def journey(
    browser: Browser, base: str, n: int, spans: dict[str, float], window: list[float]
) -> None:
    window[0] = min(window[0], time.time())
    started = time.perf_counter()
    context = await browser.new_context(base_url=base)
    page = await context.new_page()
    opened = time.perf_counter()
    await page.goto("/")
    await page.get_by_label("Name").fill(f"Ann {n}")
    await page.get_by_role("button", name="Greet").click()
    await expect(page.get_by_test_id("greeting")).to_have_text(f"Hello, Ann {n}!")
    await page.get_by_role("link", name="Counter").click()
    await page.get_by_role("button", name="Add one").click()
    await expect(page.get_by_test_id("count")).to_have_text("1")
    stepped = time.perf_counter()
    await context.close()
    closed = time.perf_counter()
    window[1] = max(window[1], time.time())
    spans["context"] += opened - started
    spans["steps"] += stepped - opened
    spans["close"] += closed - stepped


async def main(base: str, count: int, workers: int, chromium: str) -> None:
    spans = {"context": 0.0, "steps": 0.0, "close": 0.0}
    window = [float("inf"), 0.0]  # the first journey's start, the last one's end (clock time)
    limit = asyncio.Semaphore(workers)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=FLAGS)

        async def one(n: int) -> None:
            async with limit:
                await journey(browser, base, n, spans, window)

        await asyncio.gather(*(one(n) for n in range(1, count + 1)))
        await browser.close()
    print(json.dumps({**spans, "window": window}))


if __name__ == "__main__":
    base_url, journeys, worker_count, executable = sys.argv[1:5]
    asyncio.run(main(base_url, int(journeys), int(worker_count), executable))
