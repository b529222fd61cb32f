"""Wall time of ``harness run`` against a hand-written async Playwright script
(``hand_written.py``: one browser, a fresh context per journey, W at a time) on the same journeys
against one local server, side by side in each round. Target: harness / script at most 1.05.
The script records no trace, so each round runs the harness twice: with ``--trace off`` (like
for like) and with the default trace mode (what a user gets), and both ratios are printed.

Then where a journey's time goes in the harness (each attempt's ``timings_s`` in report.json:
context, tracing, screenshots, steps, teardown, evidence) beside the script's, and what each
``--trace`` mode costs per journey.

Run: ``.venv/bin/python benchmarks/bench_vs_script.py [--journeys N] [--workers W] [--rounds R]
[--trace-rounds T]``. Each command runs in its own process (Python start-up and browser launch
count on both sides); the rounds alternate which side goes first, and both the best and the
median round are printed, with the load average, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(HERE))

from bench_vs_playwright import harness_project, serve  # noqa: E402
from installed import compile_harness  # noqa: E402

from harness.browser.discovery import system_chromium  # noqa: E402

TRACE_MODES = ("off", "on-first-retry", "retain-on-failure", "on")


def cpu_of_children() -> float:
    """CPU seconds (user and system) of every finished child process and what they reaped:
    Playwright's driver, Chromium and its renderers."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Measured:
    """One command's wall and CPU seconds, the clock times it started and ended at, its output."""

    wall: float
    cpu: float
    began: float
    ended: float
    out: str


def run(command: list[str], cwd: Path, env: dict[str, str]) -> Measured:
    cpu, began, started = cpu_of_children(), time.time(), time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed, cpu = time.perf_counter() - started, cpu_of_children() - cpu
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return Measured(elapsed, cpu, began, time.time(), result.stdout)


def around(measured: Measured, first: float, last: float) -> dict[str, float]:
    """Seconds from the command's start to its first journey's, of the journeys, and from the
    last journey's end to the command's."""
    return {
        "before": first - measured.began,
        "journeys": last - first,
        "after": measured.ended - last,
    }


class Sides:
    """The two commands of one comparison, and what each round measured."""

    def __init__(self, args: argparse.Namespace, work: Path, base: str, chromium: str) -> None:
        self.args = args
        self.work = work
        self.project = harness_project(work / "project", base, args.journeys)
        self.env = {**os.environ, "HARNESS_BROWSER_PATH": chromium, "PYTHONPATH": str(ROOT)}
        self.script = [sys.executable, str(HERE / "hand_written.py"), base]
        self.script += [str(args.journeys), str(args.workers), chromium]
        self.walls: dict[str, list[float]] = defaultdict(list)
        self.cpus: dict[str, list[float]] = defaultdict(list)
        self.script_spans: list[dict[str, float]] = []
        self.attempt_spans: dict[str, list[dict[str, float]]] = defaultdict(list)
        self.run_timings: dict[str, list[dict[str, float]]] = defaultdict(list)
        self.around: dict[str, list[dict[str, float]]] = defaultdict(list)

    def harness(self, trace: str | None) -> None:
        report = self.work / "report"
        command = [sys.executable, "-m", "harness", "run", "--no-unit"]
        command += ["--workers", str(self.args.workers), "--report-dir", str(report)]
        command += ["--trace", trace] if trace else []
        name = f"harness --trace {trace}" if trace else "harness"
        measured = run(command, self.project, self.env)
        self.walls[name].append(measured.wall)
        self.cpus[name].append(measured.cpu)
        document = json.loads((report / "report.json").read_text())
        self.run_timings[name].append(document["run"]["timings_s"])
        windows = []
        for journey in document["journeys"]:
            for attempt in journey["attempt_history"]:
                self.attempt_spans[name].append(attempt.get("timings_s") or {})
                windows.append(
                    [datetime.fromisoformat(attempt["window"][k]) for k in ("start", "end")]
                )
        first, last = min(w[0] for w in windows), max(w[1] for w in windows)
        self.around[name].append(around(measured, first.timestamp(), last.timestamp()))

    def hand_written(self) -> None:
        measured = run(self.script, self.project, self.env)
        self.walls["script"].append(measured.wall)
        self.cpus["script"].append(measured.cpu)
        spans = json.loads(measured.out.strip().splitlines()[-1])
        first, last = spans.pop("window")
        self.script_spans.append(spans)
        self.around["script"].append(around(measured, first, last))


def per_journey(spans: list[dict[str, float]]) -> dict[str, float]:
    """The median seconds of each span over the attempts (a missing span counts as 0)."""
    names = sorted({name for one in spans for name in one})
    return {name: statistics.median(one.get(name, 0.0) for one in spans) for name in names}


def _ratio_line(what: str, ours: list[float], theirs: list[float], target: str) -> str:
    best = min(ours) / min(theirs)
    median = statistics.median(ours) / statistics.median(theirs)
    pairs = ", ".join(f"{h / s:.2f}" for h, s in zip(ours, theirs, strict=True))
    return f"{what} harness / script: best {best:.2f}, median {median:.2f} (rounds {pairs}){target}"


def print_comparison(sides: Sides, args: argparse.Namespace) -> None:
    print(f"\n{args.journeys} journeys, {args.workers} workers, {args.rounds} rounds")
    rounds = args.rounds
    for name in ("script", "harness", "harness --trace off"):
        walls, cpus = sides.walls[name][:rounds], sides.cpus[name][:rounds]
        print(
            f"  {name:19} wall best {min(walls):6.2f}s median {statistics.median(walls):6.2f}s"
            f" | CPU best {min(cpus):6.2f}s median {statistics.median(cpus):6.2f}s"
        )
    walls, cpus = sides.walls, sides.cpus
    for name, what in (("harness --trace off", "like for like"), ("harness", "default trace")):
        print(f"{name} ({what}):")
        ours_wall, ours_cpu = walls[name][:rounds], cpus[name][:rounds]
        print("  " + _ratio_line("wall", ours_wall, walls["script"], " (target: at most 1.05)"))
        print("  " + _ratio_line("CPU ", ours_cpu, cpus["script"], " (steadier under load)"))


def print_breakdown(sides: Sides) -> None:
    script = sides.script_spans
    journeys = sides.args.journeys
    print("\nwhere one journey's time goes (seconds per journey, median over rounds/attempts)")
    theirs = {k: statistics.median(s[k] for s in script) / journeys for k in script[0]}
    print("  script:  " + "  ".join(f"{k} {v:.3f}" for k, v in theirs.items()))
    for name in ("harness --trace off", "harness"):
        ours = per_journey(sides.attempt_spans[name])
        shown = "  ".join(f"{k} {v:.3f}" for k, v in ours.items() if v >= 0.0005)
        print(f"  {name}: {shown}")
        quiet = [k for k, v in ours.items() if v < 0.0005]
        print("    under 0.5 ms: " + ", ".join(quiet))
    print("  around the journeys (median s: start to first journey, the journeys, last to exit):")
    for name in ("script", "harness --trace off", "harness"):
        seen = sides.around[name]
        medians = {k: statistics.median(one[k] for one in seen) for k in seen[0]}
        print(f"    {name:19} " + "  ".join(f"{k} {v:.2f}" for k, v in medians.items()))
    runs = sides.run_timings["harness"]
    run_level = {k: statistics.median(r.get(k, 0.0) for r in runs) for k in runs[0]}
    print(
        "  harness run phases (median s): "
        + "  ".join(f"{k} {v:.2f}" for k, v in run_level.items())
    )


def print_trace_costs(sides: Sides, modes: tuple[str, ...]) -> None:
    print("\n--trace modes, every journey passing (per journey, against --trace off)")
    journeys = sides.args.journeys
    off_cpu = statistics.median(sides.cpus["harness --trace off"])
    off_wall = statistics.median(sides.walls["harness --trace off"])
    for mode in modes:
        name = f"harness --trace {mode}"
        spans = per_journey(sides.attempt_spans[name])
        tracing = spans.get("trace_start", 0.0) + spans.get("trace_stop", 0.0)
        cpu = (statistics.median(sides.cpus[name]) - off_cpu) / journeys
        wall = (statistics.median(sides.walls[name]) - off_wall) / journeys * sides.args.workers
        print(
            f"  {mode:18} CPU {cpu:+.3f}s  wall {wall:+.3f}s  steps {spans.get('steps', 0):.3f}s"
            f"  start+stop {tracing:.3f}s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journeys", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--trace-rounds", type=int, default=3, help="0: skip the --trace modes")
    args = parser.parse_args()
    compile_harness()
    chromium = os.environ.get("HARNESS_BROWSER_PATH") or system_chromium()
    if chromium is None:
        sys.exit("needs a system Chromium (or HARNESS_BROWSER_PATH)")
    base, server = serve()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="harness-bench-") as temp:
        sides = Sides(args, Path(temp), base, chromium)
        for round_ in range(1, args.rounds + 1):
            order = [sides.hand_written, lambda: sides.harness(None), lambda: sides.harness("off")]
            for side in order if round_ % 2 else reversed(order):
                side()
            print(
                f"round {round_}: script {sides.walls['script'][-1]:.2f}s, "
                f"harness {sides.walls['harness'][-1]:.2f}s, "
                f"--trace off {sides.walls['harness --trace off'][-1]:.2f}s",
                file=sys.stderr,
            )
        modes = TRACE_MODES if args.trace_rounds else ()
        for _ in range(args.trace_rounds):
            for mode in modes:
                sides.harness(mode)
    server.shutdown()
    print(
        f"load average (1 min): {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, "
        f"on {os.cpu_count()} cores"
    )
    print_comparison(sides, args)
    print_breakdown(sides)
    if modes:
        print_trace_costs(sides, modes)


if __name__ == "__main__":
    main()
