"""Service logs cut to a journey's time window, from text with timestamps at line starts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from harness.report.logs import cut_log, line_time, write_cut_logs
from harness.report.model import TimeWindow
from tests.support.report_fakes import SECRET, finished_run, write_artifacts

UTC = timezone.utc
T0 = datetime(2026, 3, 14, 9, 30, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2026-03-14T09:30:01.123456789Z GET /", T0 + timedelta(seconds=1, microseconds=123456)),
        ("2026-03-14T09:30:01Z up", T0 + timedelta(seconds=1)),
        ("2026-03-14T10:30:01+01:00 up", T0 + timedelta(seconds=1)),
        ("2026-03-14T10:30:01.5+0100 up", T0 + timedelta(seconds=1.5)),
        ("2026-03-14 09:30:01,250 INFO up", T0 + timedelta(seconds=1.25)),
        ("web-1  | 2026-03-14T09:30:02.000000000Z ready", T0 + timedelta(seconds=2)),
        ("db_1 | 2026-03-14T09:30:03Z ready", T0 + timedelta(seconds=3)),
        ("Traceback (most recent call last):", None),
        ("  2026-03-14T09:30:01Z indented is not a line start", None),
        ("2026-13-14T09:30:01Z not a date", None),
    ],
)
def test_line_times(line: str, expected: datetime | None) -> None:
    assert line_time(line) == expected


LOG = """\
2026-03-14T09:29:50.000000000Z booting
2026-03-14T09:30:00.100000000Z GET /cart 200
2026-03-14T09:30:04.000000000Z POST /api/pay 500
Traceback (most recent call last):
  File "pay.py", line 3, in pay
ValueError: card refused
2026-03-14T09:30:08.000000000Z GET /health 200
2026-03-14T09:30:30.000000000Z much later
"""


def test_the_cut_keeps_the_window_and_the_lines_that_continue_it() -> None:
    cut = cut_log(LOG, TimeWindow(T0, T0 + timedelta(seconds=5)), margin_s=0)
    assert cut.splitlines() == [
        "2026-03-14T09:30:00.100000000Z GET /cart 200",
        "2026-03-14T09:30:04.000000000Z POST /api/pay 500",
        "Traceback (most recent call last):",
        '  File "pay.py", line 3, in pay',
        "ValueError: card refused",
    ]


def test_the_margin_widens_the_window() -> None:
    narrow = TimeWindow(T0 + timedelta(seconds=5), T0 + timedelta(seconds=7))
    assert cut_log(LOG, narrow, margin_s=0) == ""
    assert cut_log(LOG, narrow, margin_s=1.0).startswith("2026-03-14T09:30:04")
    assert "09:30:08" in cut_log(LOG, narrow, margin_s=1.0)


def test_lines_before_any_timestamp_are_left_out() -> None:
    text = "no stamp yet\n2026-03-14T09:30:01Z first\n"
    assert (
        cut_log(text, TimeWindow(T0, T0 + timedelta(seconds=2))) == "2026-03-14T09:30:01Z first\n"
    )


def test_cut_logs_are_written_for_journeys_that_failed_at_least_once(tmp_path: Path) -> None:
    run = finished_run()
    write_artifacts(run, tmp_path)
    written = write_cut_logs(run, tmp_path)
    # failed, flaky and quarantined-and-failed journeys; not the passed or skipped ones.
    assert sorted(written) == ["buy-a-mug", "search", "wishlist"]
    web = next(c for c in written["buy-a-mug"] if c.service == "web")
    assert web.path == "logs/buy-a-mug/web.log"
    text = (tmp_path / web.path).read_text()
    # The journey ran from 20 s to 41 s after the start; the fake logs a line every 5 s.
    stamps = [line.split()[0][17:19] for line in text.splitlines()]
    assert stamps == ["20", "25", "30", "35", "40"]
    assert web.lines == 5


def test_cut_logs_mask_secrets_and_skip_missing_logs(tmp_path: Path) -> None:
    run = finished_run()
    write_artifacts(run, tmp_path)
    (tmp_path / "services" / "db.log").unlink()
    written = write_cut_logs(run, tmp_path)
    wishlist = written["wishlist"]
    assert [c.service for c in wishlist] == ["web"]
    text = (tmp_path / wishlist[0].path).read_text()
    assert "token=***" in text
    assert SECRET not in text
