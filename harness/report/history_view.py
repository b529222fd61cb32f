"""``harness history``'s output: the readable table (the most recently broken journeys first,
then the flakiest, then the slowest) and the ``--json`` document (DESIGN.md). Pure: metrics in,
text out."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from harness.core.history import (
    JourneyHistory,
    RunHistory,
    slowest_flakiest_broken,
)

JsonObject = dict[str, Any]
_STATUS_MARK = {"passed": ".", "flaky": "~", "failed": "F"}


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def journey_document(journey: JourneyHistory) -> JsonObject:
    return {
        "id": journey.id,
        "name": journey.name,
        "runs": journey.runs,
        "passed": journey.passed,
        "failed": journey.failed,
        "flaky": journey.flaky,
        "flaky_rate": round(journey.flaky_rate, 4),
        "median_duration_s": _seconds(journey.median_duration_s),
        "p90_duration_s": _seconds(journey.p90_duration_s),
        "last_broken": journey.last_broken,
        "recent": [p.status for p in journey.recent],
    }


def history_document(history: RunHistory) -> JsonObject:
    """``harness history --json``: the runs counted, then per journey, service and feature."""
    return {
        "runs": history.runs,
        "environment": history.environment,
        "window": history.window,
        "journeys": [journey_document(j) for j in slowest_flakiest_broken(history)],
        **trends(history),
    }


def trends(history: RunHistory) -> JsonObject:
    """Per service its start-up, per feature its verdicts, over the window (also in report.json's
    ``run.history``)."""
    return {
        "services": [
            {
                "name": s.name,
                "runs": s.runs,
                "median_boot_s": _seconds(s.median_boot_s),
                "recent": [_seconds(v) for v in s.recent],
            }
            for s in history.services
        ],
        "features": [
            {"id": f.id, "verdicts": list(f.verdicts), "last_verdict": f.last_verdict}
            for f in history.features
        ],
    }


def _duration(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}s" if value < 100 else f"{value:.0f}s"


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return [line(header), *(line(r) for r in rows)]


def _journey_rows(history: RunHistory) -> list[list[str]]:
    rows = []
    for j in slowest_flakiest_broken(history):
        trend = "".join(_STATUS_MARK.get(p.status, "?") for p in j.recent)
        rows.append(
            [
                j.name,
                str(j.runs),
                str(j.passed),
                str(j.failed),
                str(j.flaky),
                f"{j.flaky_rate:.2f}",
                _duration(j.median_duration_s),
                _duration(j.p90_duration_s),
                j.last_broken or "-",
                trend,
            ]
        )
    return rows


def history_text(history: RunHistory, started: dict[str, float] | None = None) -> str:
    """The table ``harness history`` prints."""
    if not history.runs:
        return "No run of this environment is remembered yet: `harness run` records each run.\n"
    lines = [_heading(history, started or {}), ""]
    header = [
        "journey",
        "runs",
        "passed",
        "failed",
        "flaky",
        "flaky rate",
        "median",
        "p90",
        "last broken in",
        "trend (oldest first)",
    ]
    lines += _table(header, _journey_rows(history), {1, 2, 3, 4, 5, 6, 7})
    lines.append("  trend: . passed  ~ flaky (passed on a retry)  F failed")
    if history.services:
        lines += [
            "",
            *_table(
                ["service", "start-up (median)", "measured in"],
                [
                    [s.name, _duration(s.median_boot_s), f"{s.runs} run(s)"]
                    for s in history.services
                ],
                {1},
            ),
        ]
    changed = [f for f in history.features if len(set(f.verdicts)) > 1]
    if changed:
        lines += ["", "features whose verdict changed (oldest first):"]
        lines += [f"  {f.id}: {' -> '.join(_runs_of(f.verdicts))}" for f in changed]
    return "\n".join(lines) + "\n"


def _runs_of(verdicts: tuple[str, ...]) -> list[str]:
    """Consecutive equal verdicts as one: ``verified x3``."""
    groups: list[list[str]] = []
    for verdict in verdicts:
        if groups and groups[-1][0] == verdict:
            groups[-1].append(verdict)
        else:
            groups.append([verdict])
    return [g[0] + (f" x{len(g)}" if len(g) > 1 else "") for g in groups]


def _heading(history: RunHistory, started: dict[str, float]) -> str:
    span = ""
    first, last = history.run_ids[0], history.run_ids[-1]
    if first in started and last in started:
        span = f", {_when(started[first])} to {_when(started[last])}"
    return (
        f"Environment {history.environment}: the last {history.runs} run(s) "
        f"(window {history.window}){span}"
    )


def _when(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
