#!/usr/bin/env python3
"""Two shards at once plus ``harness merge`` against one run of the same journeys.

A small project (the gate tests' two-page app as a local process) with JOURNEYS journeys of
about two seconds each; every run uses one worker, as one CI machine per shard would. Both
sides run ROUNDS times, in turns; the medians of their wall-clock times and the ratio
(shards + merge) / one run are printed, and the merged gate must equal the whole run's.

    .venv/bin/python benchmarks/bench_shards.py [ROUNDS] [JOURNEYS]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "tests" / "data" / "run" / "project"
JOURNEY = """name: Visitor {n} is greeted
steps:
  - goto: /
  - expect: {{testid: greeting, text: "Hello, visitor!"}}
  - wait: 2s
  - goto: /counter
  - click: {{role: button, name: Add one}}
  - expect: {{testid: count, text: "1"}}
"""


def make_project(folder: Path, journeys: int) -> Path:
    root = folder / "project"
    shutil.copytree(APP, root, ignore=shutil.ignore_patterns("__pycache__", ".harness", "journeys"))
    (root / "journeys").mkdir()
    for n in range(1, journeys + 1):
        (root / "journeys" / f"visitor-{n:02d}.journey.yml").write_text(JOURNEY.format(n=n))
    return root


def harness(project: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NO_COLOR": "1",
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "harness", *args],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def one_run(project: Path, tag: str) -> tuple[float, int]:
    started = time.monotonic()
    code = harness(project, "run", "--no-unit", "--workers", "1", "--report-dir", tag).wait()
    return time.monotonic() - started, code


def sharded(project: Path, tag: str) -> tuple[float, float, int]:
    """Seconds for both shards and the merge, seconds of the merge alone, its exit code."""
    started = time.monotonic()
    shards = [
        harness(
            project,
            "run",
            "--no-unit",
            "--workers",
            "1",
            "--shard",
            f"{i}/2",
            "--report-dir",
            f"{tag}-{i}",
        )
        for i in (1, 2)
    ]
    for shard in shards:
        shard.wait()
    merging = time.monotonic()
    code = harness(project, "merge", f"{tag}-1", f"{tag}-2", "--report-dir", tag).wait()
    return time.monotonic() - started, time.monotonic() - merging, code


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    journeys = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    with tempfile.TemporaryDirectory(prefix="bench-shards-") as folder:
        project = make_project(Path(folder), journeys)
        whole, split, merges = [], [], []
        for n in range(rounds):
            seconds, code = one_run(project, f"out/whole-{n}")
            whole.append(seconds)
            merged_seconds, merge_seconds, merged_code = sharded(project, f"out/merged-{n}")
            split.append(merged_seconds)
            merges.append(merge_seconds)
            gates = [
                json.loads((project / f"out/{name}-{n}" / "report.json").read_text())["gate"]
                for name in ("whole", "merged")
            ]
            if not code == merged_code == 0 or gates[0] != gates[1]:
                sys.exit(f"the runs disagree or failed: {code}, {merged_code}, {gates}")
    one, two = statistics.median(whole), statistics.median(split)
    print(f"{journeys} journeys, {rounds} round(s), one worker per run")
    print(f"one run:                     {one:6.1f} s")
    print(
        f"2 shards at once + merge:    {two:6.1f} s (the merge: {statistics.median(merges):.1f} s)"
    )
    print(f"cores: {os.cpu_count()}; two shards at once on one machine share its cores")
    print(f"ratio (shards + merge) / one run: {two / one:.2f}")


if __name__ == "__main__":
    main()
