"""Run a unit-test command in the project root, or read JUnit files by glob, into JUnit reports.

A command that cannot start, times out, or exits non-zero without writing its JUnit file is a
:class:`UnitTestError` of its own: the tests did not run, which is not "all tests failed".
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from harness.core.commands import command_environ, fill_python
from harness.core.durations import format_duration
from harness.core.features import UnitTest, one_case_per_test
from harness.core.junit import JUnitReport, read_junit
from harness.core.paths import relative_path
from harness.core.process_groups import track, untrack
from harness.core.project import JUNIT_PLACEHOLDER, ProjectConfig, UnitTestSource
from harness.errors import JUnitError, UnitTestError

#: Lines of a failed command's output shown in its error.
OUTPUT_TAIL = 15

#: Commands running now (in any thread), so that a run that stops early can stop them too.
_RUNNING: set[subprocess.Popen[bytes]] = set()


@dataclass(frozen=True)
class UnitRun:
    """The JUnit reports of one unit-test source, and how the command ended when there was one."""

    name: str
    reports: tuple[JUnitReport, ...]
    exit_code: int | None = None
    duration_s: float = 0.0

    def unit_tests(self, root: Path | None = None) -> tuple[UnitTest, ...]:
        """Every test case once (a teardown error merges into its test), ready to link."""
        cases = one_case_per_test(case for report in self.reports for case in report.cases)
        return tuple(UnitTest.from_case(self.name, case, root) for case in cases)

    @property
    def counts(self) -> UnitCounts:
        """How the source's tests ended (errors count as failed)."""
        outcomes = [t.case.outcome for t in self.unit_tests()]
        return UnitCounts(
            tests=len(outcomes),
            passed=outcomes.count("passed"),
            failed=outcomes.count("failed") + outcomes.count("error"),
            skipped=outcomes.count("skipped"),
        )


@dataclass(frozen=True)
class UnitCounts:
    tests: int
    passed: int
    failed: int
    skipped: int


def collect_unit_results(project: ProjectConfig, out_dir: Path) -> tuple[UnitRun, ...]:
    """Run or read every ``unit_tests`` source of the project, in order."""
    return tuple(collect_source(source, project.root, out_dir) for source in project.unit_tests)


def collect_source(source: UnitTestSource, root: Path, out_dir: Path) -> UnitRun:
    if source.command:
        return run_unit_command(source, root, out_dir)
    reports = read_globs(source.junit, root, f"unit tests '{source.name}'")
    keep_copies(source.name, reports, root, out_dir)
    return UnitRun(source.name, reports)


def keep_copies(name: str, reports: Sequence[JUnitReport], root: Path, out_dir: Path) -> None:
    """The JUnit files a ``junit:`` source read, copied into ``unit/<name>/`` of the run, so
    the run's folder holds every unit result it judged (``harness merge`` reads them there)."""
    folder = out_dir / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for number, report in enumerate(reports, start=1):
        path = Path(report.source)
        shutil.copyfile(
            path if path.is_absolute() else root / path, folder / f"{number:03d}-{path.name}"
        )


def kept_unit_run(name: str, unit_dir: Path, duration_s: float | None) -> UnitRun | None:
    """A source's JUnit as a run kept it (``unit/<name>.xml``, or ``unit/<name>/*.xml``);
    None when the run kept none."""
    single = unit_dir / f"{name}.xml"
    files = [single] if single.is_file() else sorted((unit_dir / name).glob("*.xml"))
    if not files:
        return None
    reports = tuple(read_junit(f) for f in files)
    exit_code = None if duration_s is None else 0  # a duration is shown only for a command's
    return UnitRun(name, reports, exit_code, duration_s or 0.0)


def read_globs(patterns: Sequence[str], root: Path, what: str) -> tuple[JUnitReport, ...]:
    """Every JUnit file the globs match (relative to ``root``), each once, sorted; ``what``
    names the source in errors (``unit tests 'web'``, ``--journeys``)."""
    paths: list[str] = []
    for pattern in patterns:
        full = pattern if os.path.isabs(pattern) else str(root / pattern)
        paths += sorted(glob.glob(full, recursive=True))
    if not paths:
        shown = ", ".join(patterns)
        raise JUnitError(
            f"{what}: no JUnit file matches {shown} (looked in {root}); "
            "did the job that writes them run first?"
        )
    return tuple(
        read_junit(path, display=relative_path(path, root)) for path in dict.fromkeys(paths)
    )


def run_unit_command(source: UnitTestSource, root: Path, out_dir: Path) -> UnitRun:
    """Run the source's command with ``{junit}`` replaced, then read the file it wrote."""
    out_dir.mkdir(parents=True, exist_ok=True)
    junit = (out_dir / f"{source.name}.xml").resolve()
    junit.unlink(missing_ok=True)
    log = out_dir / f"{source.name}.log"
    argv = [fill_python(part.replace(JUNIT_PLACEHOLDER, str(junit))) for part in source.command]
    env = {key: value.replace(JUNIT_PLACEHOLDER, str(junit)) for key, value in source.env.items()}
    started = time.monotonic()
    code = _run(source, argv, env, root / (source.cwd or "."), log)
    duration = time.monotonic() - started
    if not junit.is_file() or junit.stat().st_size == 0:
        raise UnitTestError(_no_junit_message(source, code, log))
    return UnitRun(source.name, (read_junit(junit),), code, duration)


def _run(
    source: UnitTestSource, argv: list[str], extra_env: dict[str, str], cwd: Path, log: Path
) -> int:
    env = {**command_environ(os.environ), **extra_env}
    try:
        with log.open("wb") as output:
            process = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # so a timeout can stop the tool's children too
            )
            _RUNNING.add(process)
            track(process.pid)  # a harness killed with SIGKILL: the next run reaps the group
            try:
                return _wait(process, source, log)
            finally:
                _RUNNING.discard(process)
                untrack(process.pid)
    except FileNotFoundError as exc:
        what = f"no folder {cwd}" if not cwd.is_dir() else f"no program '{argv[0]}' on PATH"
        raise UnitTestError(
            f"unit tests '{source.name}': cannot start the command: {what}"
        ) from exc
    except PermissionError as exc:
        raise UnitTestError(
            f"unit tests '{source.name}': cannot start '{argv[0]}': permission denied"
        ) from exc
    except OSError as exc:
        raise UnitTestError(
            f"unit tests '{source.name}': cannot start '{argv[0]}': {exc.strerror or exc}"
        ) from exc


def _wait(process: subprocess.Popen[bytes], source: UnitTestSource, log: Path) -> int:
    try:
        return process.wait(timeout=source.timeout)
    except subprocess.TimeoutExpired as exc:
        _stop_group(process)
        raise UnitTestError(
            f"unit tests '{source.name}': the command did not finish within "
            f"{format_duration(source.timeout)} and was stopped (raise unit_tests[].timeout)"
            + _tail(log)
        ) from exc
    except BaseException:
        _stop_group(process)  # Ctrl-C: do not leave the tests running behind us
        raise


def stop_commands() -> None:
    """Stop every unit-test command still running, with its children (a run that ends early)."""
    for process in list(_RUNNING):
        _stop_group(process)


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _no_junit_message(source: UnitTestSource, code: int, log: Path) -> str:
    head = f"unit tests '{source.name}': `{_command_text(source.command)}` "
    if code != 0:
        return head + f"exited with {code} and wrote no JUnit file, so no test ran" + _tail(log)
    return (
        head + "exited with 0 but wrote no JUnit file at {junit}; does the command pass "
        "{junit} where the tool writes its JUnit report?" + _tail(log)
    )


def _command_text(command: Iterable[str]) -> str:
    return " ".join(command)


def _tail(log: Path) -> str:
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    shown = [line for line in lines if line.strip()][-OUTPUT_TAIL:]
    if not shown:
        return "\n    (the command printed nothing)"
    return "\n    last lines of its output:\n" + "\n".join(f"    | {line}" for line in shown)


def unit_tests_of(runs: Iterable[UnitRun], root: Path | None = None) -> tuple[UnitTest, ...]:
    """All unit tests of all sources, ready to link to features."""
    return tuple(test for run in runs for test in run.unit_tests(root))


def sources_from_paths(paths: Sequence[str], root: Path) -> tuple[UnitRun, ...]:
    """``--unit`` arguments: each a JUnit file or glob, named after the file."""
    runs = []
    for pattern in paths:
        for report in read_globs([pattern], root, "--unit"):
            runs.append(UnitRun(Path(report.source).stem, (report,)))
    return tuple(runs)
