"""Write every report of a finished run into its folder: report.json, junit.xml, report.html."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.report.html_report import write_html_report
from harness.report.json_report import write_json_report
from harness.report.junit_report import write_junit_report
from harness.report.model import FinishedRun


@dataclass(frozen=True)
class ReportFiles:
    """Where the reports of one run were written."""

    json: Path
    junit: Path
    html: Path


def write_reports(finished: FinishedRun, directory: Path) -> ReportFiles:
    """All three reports, into ``directory`` (the run's folder: artifact paths start there)."""
    return ReportFiles(
        json=write_json_report(finished, directory),
        junit=write_junit_report(finished, directory),
        html=write_html_report(finished, directory),
    )
