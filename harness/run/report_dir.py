"""``--report-dir``: the folder a run writes into, claimed before anything runs.

A folder the harness did not make is never written into unless it is empty: ``--report-dir .``
in a project must not overwrite the project's own files, and the files of another run must not
mix into this one (an old ``services/keep.log`` would become a service). A folder an earlier run
made (its ``.harness-report`` marker, or a harness report.json) is the harness's own: its whole
content is replaced by the new run's.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from harness.errors import UsageError

MARKER = ".harness-report"
_SCHEMA = "harness-report/"


def is_report_folder(folder: Path) -> bool:
    """True for a folder an earlier run wrote (the marker, or a report.json of the harness)."""
    if (folder / MARKER).is_file():
        return True
    try:
        data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and str(data.get("schema", "")).startswith(_SCHEMA)


def claim_report_dir(given: Path, run_id: str) -> Path:
    """The folder, made (parents too) or emptied of an earlier run's files, with the marker
    written; UsageError (exit 2) for a folder that is not the harness's, or cannot be written."""
    folder = given.resolve()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--report-dir {given}: it is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        if not is_report_folder(folder):
            raise UsageError(
                f"--report-dir {given}: the folder is not empty and is not a report folder of "
                "the harness; its files are left alone\n"
                "    Give a new or empty folder (an earlier run's report folder is replaced)"
            )
        _empty(folder, given)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MARKER).write_text(
            f"Reports of harness run {run_id}. The next run given this folder as --report-dir "
            "replaces everything in it.\n",
            encoding="utf-8",
        )
    except OSError as exc:
        raise UsageError(
            f"--report-dir {given}: cannot write there: {exc.strerror or exc}"
        ) from exc
    return folder


def _empty(folder: Path, given: Path) -> None:
    try:
        for entry in folder.iterdir():
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    except OSError as exc:
        raise UsageError(
            f"--report-dir {given}: cannot clear the earlier run's files: {exc.strerror or exc}"
        ) from exc
