"""The command line exits without the interpreter's teardown (``harness.cli.exit_now``), and
loses nothing by it: every byte written reaches the pipe, the exit handlers run, the exit code
is the contract's, and a thread still running is waited for as usual. Real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.command import harness_process


def _probe(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``code``, then ``harness ARGS`` through the console entry point, in one process."""
    script = f"import sys\n{code}\nsys.argv = ['harness', *sys.argv[1:]]\n"
    script += "from harness.cli import main\nmain()\n"
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=cwd,
        env=buffered,  # as a pipeline runs it: output to a pipe is block-buffered
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_output_still_in_the_buffer_reaches_the_pipe(tmp_path: Path) -> None:
    """Output written without a flush (as ``outcome`` writes the run's summary), here by an
    exit handler, must reach the pipe whole."""
    code = (
        "import atexit\n"
        "def summary():\n"
        "    for n in range(2000):\n"
        "        sys.stdout.write(f'line {n} of the summary\\n')\n"
        "atexit.register(summary)"
    )
    result = _probe(code, "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "harness" in lines[0]
    assert lines[1:] == [f"line {n} of the summary" for n in range(2000)]
    assert json.loads(harness_process("schema", "journey", cwd=tmp_path).stdout)["title"]


def test_bad_input_still_exits_2_with_its_message(tmp_path: Path) -> None:
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "bad.journey.yml").write_text("name: Bad\nsteps:\n  - gotoo: /\n")
    result = harness_process("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad.journey.yml:3:" in result.stderr + result.stdout


def test_exit_handlers_run(tmp_path: Path) -> None:
    marker = tmp_path / "handled"
    code = f"import atexit, pathlib\natexit.register(pathlib.Path({str(marker)!r}).touch)"
    result = _probe(code, "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "harness" in result.stdout
    assert marker.exists()


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    marker = tmp_path / "finished"
    code = (
        "import pathlib, threading, time\n"
        "def late():\n"
        "    time.sleep(0.5)\n"
        f"    pathlib.Path({str(marker)!r}).write_text('done')\n"
        "threading.Thread(target=late).start()"
    )
    result = _probe(code, "--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert marker.read_text() == "done"
