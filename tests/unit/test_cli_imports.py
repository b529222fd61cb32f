"""The command line imports only what a command needs (issue: ``harness validate`` of a dozen
journeys under 0.5 s): checked on a real process, by the modules it ended up with."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: Heavy packages no validation needs: the browser, Docker, the HTML report, the history store,
#: the JUnit reader, the process pool that only large sets of files use, the image comparison,
#: and jsonschema, which only a file with a mistake needs (for its messages).
NOT_FOR_VALIDATE = (
    "jsonschema",
    "playwright",
    "docker",
    "jinja2",
    "sqlalchemy",
    "defusedxml",
    "concurrent.futures.process",
    "harness.core.history",
    "PIL",
    "pixelmatch",
)

_PROBE = """
import json, sys
from harness.cli import cli
try:
    cli.main(sys.argv[1:], standalone_mode=False)
finally:
    sys.stdout.write("\\n" + json.dumps(sorted(sys.modules)))
"""


def _modules_after(args: list[str], cwd: Path) -> tuple[set[str], str]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    *printed, modules = result.stdout.splitlines()
    return set(json.loads(modules)), "\n".join(printed) + result.stderr


def test_validate_of_a_few_journeys_imports_nothing_heavy(tmp_path: Path) -> None:
    (tmp_path / "harness.yml").write_text("features:\n  cart: {unit: ['tests/*']}\n")
    (tmp_path / "journeys").mkdir()
    for n in range(3):
        (tmp_path / "journeys" / f"j{n}.journey.yml").write_text(
            f"name: j{n}\nsteps:\n  - goto: /\n  - click: {{role: button, name: Buy}}\n"
        )
    modules, printed = _modules_after(["validate"], tmp_path)
    assert "ok: 3 journeys" in printed
    assert set(NOT_FOR_VALIDATE) & modules == set()


def test_a_run_imports_the_docker_sdk_and_the_history_store_only_when_it_needs_them() -> None:
    # What `harness run` imports before its first journey (a Compose stack brings the Docker
    # SDK in when it boots; the history store is imported while the journeys run).
    probe = (
        "import json, sys\n"
        "import harness.cli.run, harness.run.workers, harness.run.orchestrate\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    modules = set(json.loads(result.stdout))
    assert {"docker", "sqlalchemy", "harness.history.store"} & modules == set()
    assert "harness.run.orchestrate" in modules
