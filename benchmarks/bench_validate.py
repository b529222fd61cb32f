"""How long ``harness validate`` takes on 1,000 journey files (target: under 2 s), against
reading the same files with a plain ``yaml.safe_load`` in the same run.

Run: ``.venv/bin/python benchmarks/bench_validate.py [COUNT]``. Prints seconds and the ratio.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from installed import compile_harness

TARGET_SECONDS = 2.0

SHARED = """\
params: [user, password]
steps:
  - goto: /login
  - fill: {label: User, value: "${user}"}
  - fill: {label: Password, value: "${password}"}
  - click: {role: button, name: Sign in}
"""

JOURNEY = """\
name: Journey {n}
tags: [smoke, area-{area}]
covers: [feature-{area}, checkout]
timeout: 60s
retries: 1
vars:
  email: "guest+${{attempt.id}}@example.test"
  sku: M{n}
steps:
  - goto: /
  - use: shared/login.steps.yml
    with: {{user: "${{email}}", password: "${{secrets.PASSWORD}}"}}
  - click: {{role: link, name: Product {n}}}
  - fill: {{label: Quantity, value: 2}}
  - select: {{label: Size, option: Large}}
  - click: {{role: button, name: Add to cart}}
  - expect: {{testid: cart-count, text: "2"}}
  - expect: {{role: alert, hidden: true}}
  - wait: {{for: {{role: progressbar}}, state: hidden}}
  - click: {{role: link, name: Checkout}}
  - check: {{label: I agree}}
  - expect_url: {{regex: "/checkout$"}}
  - save: {{order_id: {{testid: order-id, text: true}}}}
  - request:
      method: GET
      url: /api/orders/${{order_id}}
      expect: {{status: 200, json: {{sku: "${{sku}}"}}}}
  - expect_title: {{regex: "^Order"}}
  - screenshot: done
"""

READ_ALL = (
    "import sys, yaml, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yml')): yaml.safe_load(p.read_text())\n"
)


def generate(folder: Path, count: int) -> None:
    (folder / "shared").mkdir()
    (folder / "shared" / "login.steps.yml").write_text(SHARED)
    for n in range(count):
        text = JOURNEY.format(n=n, area=n % 7)
        (folder / f"journey_{n:04d}.journey.yml").write_text(text)


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (of the command and its workers) of one run, started in
    ``cwd`` (the generated project: journeys outside the project root are errors)."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        failed = f"{' '.join(command[:4])}... failed ({result.returncode})"
        sys.exit(f"{failed}:\n{result.stderr[-2000:]}")
    return elapsed, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    compile_harness()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        generate(folder, count)
        validate, validate_cpu = timed([sys.executable, "-m", "harness", "validate", "."], folder)
        reference, reference_cpu = timed([sys.executable, "-c", READ_ALL, "."], folder)
    verdict = "met" if validate < TARGET_SECONDS else "MISSED"
    target = f"target under {TARGET_SECONDS:.0f} s: {verdict}"
    # On a shared machine wall-clock time depends on the neighbours; CPU time does not.
    print(f"load average (1 min):              {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"harness validate, {count} journeys: {validate:.2f} s ({target}), cpu {validate_cpu:.2f} s"
    )
    print(f"yaml.safe_load of the same files:  {reference:.2f} s, cpu {reference_cpu:.2f} s")
    print(f"ratio validate / safe_load:        {validate / reference:.2f}")


if __name__ == "__main__":
    main()
