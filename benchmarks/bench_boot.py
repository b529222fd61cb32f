#!/usr/bin/env python3
"""Time to ready of one stack: the harness's boot() against ``docker compose up --wait``.

Both boot the same two-service stack (health checks every second) in the same run, in turns,
ROUNDS times each; the medians and their ratio are printed (target: the harness within 10%).
Then ``--reuse`` of a kept stack is timed (target: under 2 seconds). Needs Docker, Compose v2
and the local base image (``scripts/images.py build``).

    .venv/bin/python benchmarks/bench_boot.py [ROUNDS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.core.environment import load_environment  # noqa: E402
from harness.stack.boot import boot  # noqa: E402
from harness.stack.docker_state import connect  # noqa: E402
from harness.stack.sweep import remove_stack  # noqa: E402

HEALTH = (
    '[CMD, python3, -c, "import urllib.request; '
    "urllib.request.urlopen('http://127.0.0.1:8000/')\"]"
)
STACK = f"""
services:
  web:
    image: harness-local/debian:bookworm
    command: [python3, -m, http.server, "8000"]
    init: true
    ports: ["127.0.0.1::8000"]
    healthcheck: {{test: {HEALTH}, interval: 1s, timeout: 2s, retries: 5}}
  api:
    image: harness-local/debian:bookworm
    command: [python3, -m, http.server, "8000"]
    init: true
    healthcheck: {{test: {HEALTH}, interval: 1s, timeout: 2s, retries: 5}}
"""
ENVIRONMENT = """
compose: {files: [stack.yml], stop_timeout: 1s}
urls: {web: "http://127.0.0.1:${compose.web.8000}"}
"""


def quiet(_: str) -> None:
    pass


def compose_wait(folder: Path, index: int) -> float:
    project = f"bench-compose-{os.getpid()}-{index}"
    base = ["docker", "compose", "-p", project, "-f", str(folder / "stack.yml")]
    started = time.monotonic()
    subprocess.run([*base, "up", "-d", "--wait"], check=True, capture_output=True)
    elapsed = time.monotonic() - started
    subprocess.run([*base, "down", "-v", "-t", "1"], check=True, capture_output=True)
    return elapsed


def harness_boot(folder: Path, index: int) -> float:
    environment = load_environment(folder / "env.yml", folder)
    started = time.monotonic()
    with boot(environment, folder / f"run-{index}", say=quiet):
        elapsed = time.monotonic() - started
    return elapsed


def reuse_time(folder: Path) -> float:
    environment = load_environment(folder / "env.yml", folder)
    with boot(environment, folder / "kept", keep=True, say=quiet) as kept:
        project = kept.project
    try:
        started = time.monotonic()
        with boot(environment, folder / "reused", reuse=True, say=quiet) as reused:
            elapsed = time.monotonic() - started
            assert reused.reused, "the kept stack was not reused"
        return elapsed
    finally:
        remove_stack(connect(), str(project), stop_timeout_s=0)


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    os.environ["HARNESS_COMPOSE"] = "v2"
    with tempfile.TemporaryDirectory(prefix="bench-boot-") as tmp:
        folder = Path(tmp)
        (folder / "stack.yml").write_text(STACK)
        (folder / "env.yml").write_text(ENVIRONMENT)
        harness_boot(folder, -1)  # warm-up: detection, caches
        compose_times, harness_times = [], []
        for index in range(rounds):
            compose_times.append(compose_wait(folder, index))
            harness_times.append(harness_boot(folder, index))
        ours, theirs = statistics.median(harness_times), statistics.median(compose_times)
        print(f"docker compose up --wait: median {theirs:.2f}s  {_all(compose_times)}")
        print(f"harness boot():           median {ours:.2f}s  {_all(harness_times)}")
        print(f"ratio harness/compose:    {ours / theirs:.2f}  (target <= 1.10)")
        reuse = reuse_time(folder)
        print(f"--reuse of a kept stack:  {reuse:.2f}s  (target < 2s)")
    return 0


def _all(times: list[float]) -> str:
    return "[" + ", ".join(f"{t:.2f}" for t in times) + "]"


if __name__ == "__main__":
    sys.exit(main())
