"""The history store at size: writing one run into a SQLite store that already holds 10,000
runs (target: under 50 ms, opening the store included, as at the end of every `harness run`), and
`harness history` over that store (target: under 1 s), each against a reference measured in the
same run: the same rows written with the standard library's sqlite3, and `harness --version`
(the interpreter and the command line starting, with no store at all).

Run: ``.venv/bin/python benchmarks/bench_history.py [RUNS]``. Prints seconds and ratios.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from harness.core.history import (
    FeatureRecord,
    JourneyRecord,
    RunRecord,
    ServiceRecord,
    SuiteRecord,
)
from harness.history import tables
from harness.history.store import HistoryStore

WRITE_TARGET_MS = 50.0
HISTORY_TARGET_S = 1.0
JOURNEYS, SERVICES, FEATURES = 12, 3, 8
STATUSES = ("passed",) * 8 + ("flaky", "failed")


def a_run(number: int) -> RunRecord:
    return RunRecord(
        id=f"run-{number:06d}",
        environment="staging",
        started_at=1_700_000_000.0 + number * 60,
        duration_s=90.0,
        exit_code=0,
        commit="0" * 40,
        branch="main",
        ci="github:1",
        timings=(("boot", 20.0), ("unit", 30.0), ("journeys", 60.0)),
        boot_held_by="web",
        journeys=tuple(
            JourneyRecord(
                f"journeys/j{i}.journey.yml",
                f"Journey {i}",
                STATUSES[(number + i) % len(STATUSES)],
                1,
                2.0 + i,
            )
            for i in range(JOURNEYS)
        ),
        services=tuple(ServiceRecord(f"service{i}", 1.0 + i) for i in range(SERVICES)),
        suites=(
            SuiteRecord("unit", "unit", 300, 299, 1, 0, 12.0),
            SuiteRecord("api", "integration", 40, 40, 0, 0, 30.0),
        ),
        features=tuple(FeatureRecord(f"feature{i}", "verified", 0.5) for i in range(FEATURES)),
    )


def fill(store: HistoryStore, count: int) -> None:
    """``count`` runs in one transaction (not timed: this only builds the store)."""
    records = [a_run(n) for n in range(count)]
    with store.engine.begin() as connection:
        connection.execute(
            sa.insert(tables.runs),
            [
                {
                    "id": r.id,
                    "environment": r.environment,
                    "started_at": r.started_at,
                    "duration_s": r.duration_s,
                    "exit_code": r.exit_code,
                    "commit": r.commit,
                    "branch": r.branch,
                    "ci": r.ci,
                    "boot_held_by": r.boot_held_by,
                }
                for r in records
            ],
        )
        connection.execute(
            sa.insert(tables.journeys),
            [
                {
                    "run_id": r.id,
                    "journey_id": j.id,
                    "name": j.name,
                    "status": j.status,
                    "attempts": j.attempts,
                    "duration_s": j.duration_s,
                }
                for r in records
                for j in r.journeys
            ],
        )
        connection.execute(
            sa.insert(tables.services),
            [
                {"run_id": r.id, "name": s.name, "boot_s": s.boot_s}
                for r in records
                for s in r.services
            ],
        )
        connection.execute(
            sa.insert(tables.features),
            [
                {"run_id": r.id, "feature_id": f.id, "verdict": f.verdict, "mock_ratio": 0.5}
                for r in records
                for f in r.features
            ],
        )


def time_writes(url: str, start: int, count: int) -> tuple[list[float], list[float]]:
    """Milliseconds per write of one run (wall, CPU), opening and closing the store each time."""
    wall, cpu = [], []
    for n in range(start, start + count):
        run = a_run(n)
        began, began_cpu = time.perf_counter(), time.process_time()
        with HistoryStore.open(url) as store:
            store.record(run)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return wall, cpu


def time_plain_writes(path: Path, start: int, count: int) -> list[float]:
    """CPU milliseconds for the same rows with sqlite3 and hand-written SQL: what the database
    itself costs."""
    taken = []
    for n in range(start, start + count):
        run = a_run(n)
        began = time.process_time()
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 10000")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO harness_runs (id, environment, started_at, duration_s, exit_code) "
            "VALUES (?, ?, ?, ?, ?)",
            (run.id, run.environment, run.started_at, run.duration_s, run.exit_code),
        )
        connection.executemany(
            "INSERT INTO harness_journeys VALUES (?, ?, ?, ?, ?, ?)",
            [(run.id, j.id, j.name, j.status, j.attempts, j.duration_s) for j in run.journeys],
        )
        connection.executemany(
            "INSERT INTO harness_services VALUES (?, ?, ?)",
            [(run.id, s.name, s.boot_s) for s in run.services],
        )
        connection.executemany(
            "INSERT INTO harness_features VALUES (?, ?, ?, ?)",
            [(run.id, f.id, f.verdict, f.mock_ratio) for f in run.features],
        )
        connection.execute("COMMIT")
        connection.close()
        taken.append((time.process_time() - began) * 1000)
    return taken


def timed_command(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of a command."""
    cpu_before = _children_cpu()
    began = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    taken = time.perf_counter() - began
    if result.returncode != 0:
        sys.exit(f"{' '.join(args[2:])} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return taken, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        (folder / "harness.yml").write_text("journeys: journeys\n")
        database = folder / ".harness" / "history.sqlite"
        url = f"sqlite:///{database}"
        with HistoryStore.open(url) as store:
            fill(store, count)
        writes, writes_cpu = time_writes(url, count, 20)
        plain = time_plain_writes(database, count + 100, 20)
        env = {**os.environ, "HARNESS_HISTORY_URL": url}
        command = [sys.executable, "-m", "harness"]
        history = min(timed_command([*command, "history"], folder, env) for _ in range(3))
        whole = min(
            timed_command([*command, "history", "--window", str(count)], folder, env)
            for _ in range(2)
        )
        startup = min(timed_command([*command, "--version"], folder, env) for _ in range(3))
    report(count, writes, writes_cpu, plain, history, whole, startup)


def report(
    count: int,
    writes: list[float],
    writes_cpu: list[float],
    plain: list[float],
    history: tuple[float, float],
    whole: tuple[float, float],
    startup: tuple[float, float],
) -> None:
    # On a shared machine wall-clock time depends on the neighbours; CPU time does not, so the
    # targets are judged on CPU time and both are printed.
    write_ms, write_cpu, plain_ms = (statistics.median(v) for v in (writes, writes_cpu, plain))
    write_verdict = "met" if write_cpu < WRITE_TARGET_MS else "MISSED"
    history_verdict = "met" if history[1] < HISTORY_TARGET_S else "MISSED"
    load = os.getloadavg()[0]
    print(f"load average (1 min): {load:.1f} on {os.cpu_count()} cores")
    print(
        f"a store of {count} runs ({JOURNEYS} journeys, {SERVICES} services, "
        f"{FEATURES} features each)"
    )
    print(
        f"write one run (open + record), median: cpu {write_cpu:.1f} ms "
        f"(target under {WRITE_TARGET_MS:.0f} ms: {write_verdict}), wall {write_ms:.1f} ms"
    )
    print(
        f"  the same rows with sqlite3 by hand:  cpu {plain_ms:.1f} ms; "
        f"ratio {write_cpu / plain_ms:.2f}"
    )
    print(
        f"harness history (window 30):           cpu {history[1]:.2f} s "
        f"(target under {HISTORY_TARGET_S:.0f} s: {history_verdict}), wall {history[0]:.2f} s"
    )
    print(f"harness history --window {count}:     cpu {whole[1]:.2f} s, wall {whole[0]:.2f} s")
    print(
        f"  harness --version (start-up only):   cpu {startup[1]:.2f} s, wall {startup[0]:.2f} s;"
        f" history / start-up {history[1] / startup[1]:.2f}"
    )


if __name__ == "__main__":
    main()
