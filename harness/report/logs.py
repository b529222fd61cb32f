"""Service logs cut to one journey's time window, so a failing journey links to just the log
lines written while it ran. Lines start with a timestamp, as ``docker logs --timestamps`` and
``docker compose logs --timestamps`` write them; a line without one continues the line above."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from harness.report.masking import mask_text
from harness.report.model import FinishedRun, Journey, Service, TimeWindow

#: Folder, inside the run's folder, of the cut logs.
CUT_LOGS_DIR = "logs"
#: Lines this close outside the window are kept: log clocks and the runner's differ a little.
DEFAULT_MARGIN_S = 1.0

_STAMP = re.compile(
    r"^(?:[\w.-]+\s*\|\s*)?"  # compose's "web-1  | " prefix
    r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?"
)


def line_time(line: str) -> datetime | None:
    """The timestamp a log line starts with (UTC when it names no zone), or None."""
    match = _STAMP.match(line)
    if match is None:
        return None
    date, clock, fraction, zone = match.groups()
    micro = (fraction or "0")[:6].ljust(6, "0")
    offset = "+00:00" if zone in (None, "Z") else zone
    if len(offset) == 5:
        offset = offset[:3] + ":" + offset[3:]
    try:
        return datetime.fromisoformat(f"{date}T{clock}.{micro}{offset}")
    except ValueError:
        return None


def cut_log(text: str, window: TimeWindow, margin_s: float = DEFAULT_MARGIN_S) -> str:
    """The lines of ``text`` written within ``window`` (widened by ``margin_s`` each side)."""
    margin = timedelta(seconds=margin_s)
    start, end = window.start - margin, window.end + margin
    kept: list[str] = []
    inside = False
    for line in text.splitlines(keepends=True):
        moment = line_time(line)
        if moment is not None:
            inside = start <= moment <= end
        if inside:
            kept.append(line)
    return "".join(kept)


@dataclass(frozen=True)
class CutLog:
    """One service's log cut to one journey: where it was written, and how many lines."""

    service: str
    path: str
    lines: int


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "journey"


def _wants_logs(journey: Journey) -> bool:
    return journey.window is not None and any(a.failure for a in journey.attempts)


def _cut_one(
    directory: Path, folder: str, service: Service, window: TimeWindow, secrets: tuple[str, ...]
) -> CutLog | None:
    source = directory / service.log if service.log else None
    if source is None or not source.is_file():
        return None
    text = source.read_text(encoding="utf-8", errors="replace")
    cut = mask_text(cut_log(text, window), secrets)
    relative = f"{CUT_LOGS_DIR}/{folder}/{_slug(service.name)}.log"
    (directory / relative).parent.mkdir(parents=True, exist_ok=True)
    (directory / relative).write_text(cut, encoding="utf-8")
    return CutLog(service.name, relative, cut.count("\n"))


def write_cut_logs(finished: FinishedRun, directory: Path) -> dict[str, tuple[CutLog, ...]]:
    """For every journey that failed at least once, each service's log cut to its window.

    Service log paths are relative to ``directory`` (the run's folder), and so are the results.
    """
    written: dict[str, tuple[CutLog, ...]] = {}
    used: set[str] = set()
    for journey in finished.journeys:
        window = journey.window
        if window is None or not _wants_logs(journey):
            continue
        folder = _slug(journey.id)
        while folder in used:
            folder += "_"
        used.add(folder)
        cuts = [
            _cut_one(directory, folder, s, window, finished.secrets) for s in finished.run.services
        ]
        written[journey.id] = tuple(c for c in cuts if c is not None)
    return written
