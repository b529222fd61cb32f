"""How fast the command line answers: ``harness --version``, ``--help`` (target: under 0.3 s)
and ``harness validate`` of 12 journeys (target: under 0.5 s), each against starting Python
and importing click in the same run (the floor of any click command).

Run: ``.venv/bin/python benchmarks/bench_startup.py [REPEATS]``. Prints the best of REPEATS runs
of each (the least disturbed by neighbours on a shared machine), and the ratio to the floor.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate import generate
from installed import compile_harness

TARGETS = {"--version": 0.3, "--help": 0.3, "validate (12 journeys)": 0.5}


def best_of(repeats: int, command: list[str], cwd: Path | None = None) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - started)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command[:4])} failed ({result.returncode}):\n{result.stderr}")
    return min(times)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    compile_harness()
    harness = [sys.executable, "-m", "harness"]
    with tempfile.TemporaryDirectory() as temp:
        generate(Path(temp), 12)
        floor = best_of(repeats, [sys.executable, "-c", "import click"])
        measured = {
            "--version": best_of(repeats, [*harness, "--version"]),
            "--help": best_of(repeats, [*harness, "--help"]),
            "validate (12 journeys)": best_of(repeats, [*harness, "validate", "."], Path(temp)),
        }
    print(f"load average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"python -c 'import click' (the floor): {floor:.3f} s")
    for name, seconds in measured.items():
        verdict = "met" if seconds < TARGETS[name] else "MISSED"
        print(
            f"harness {name}: {seconds:.3f} s, {seconds / floor:.2f}x the floor "
            f"(target under {TARGETS[name]} s: {verdict})"
        )


if __name__ == "__main__":
    main()
