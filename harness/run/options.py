"""What one ``harness run`` (or ``harness smoke``) was asked to do, checked before anything runs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from harness.contract import TraceMode
from harness.core.remote_browser import RemoteEndpoint
from harness.errors import UsageError
from harness.run.selection import Keywords, Shard

#: Browsers ``--browser`` may name: Chromium is found on the machine; the others need
#: Playwright's own download (``playwright install firefox``).
BROWSERS = ("chromium", "firefox", "webkit")


@dataclass(frozen=True)
class RunOptions:
    """The command line of a run, validated: every field is what the run will use."""

    paths: tuple[str, ...] = ()
    env: str | None = None
    keywords: Keywords | None = None
    tags: tuple[str, ...] = ()
    workers: int | None = None
    browser: str = "chromium"
    browser_path: str | None = None
    browser_endpoint: str | None = None
    headed: bool = False
    keep: bool = False
    reuse: bool = False
    unit: bool = True
    shard: Shard | None = None
    report_dir: Path | None = None
    config: str | None = None
    fail_on_flaky: bool = False
    smoke: bool = False
    last_failed: bool = False
    trace: TraceMode | None = None
    update_snapshots: bool = False

    @classmethod
    def from_command_line(
        cls,
        *,
        keyword: str | None = None,
        shard: str | None = None,
        workers: int | None = None,
        report_dir: str | None = None,
        **given: object,
    ) -> RunOptions:
        """From click's values; a contradiction or a malformed value is a UsageError (exit 2)."""
        if given.get("keep") and given.get("reuse"):
            raise UsageError(
                "--keep and --reuse exclude each other: --reuse already leaves the stack up"
            )
        if given.get("browser_endpoint") and given.get("browser_path"):
            raise UsageError(
                "--browser-endpoint and --browser-path exclude each other: "
                "with an endpoint no local browser is launched"
            )
        endpoint = given.get("browser_endpoint")
        if isinstance(endpoint, str) and "${" not in endpoint:
            RemoteEndpoint.from_url(endpoint, "--browser-endpoint")  # a bad one: exit 2 now
        if workers is not None and workers < 1:
            raise UsageError(f"--workers {workers}: give 1 or more")
        return cls(
            keywords=Keywords.from_text(keyword) if keyword is not None else None,
            shard=Shard.from_text(shard) if shard is not None else None,
            workers=workers,
            report_dir=Path(report_dir) if report_dir else None,
            **given,  # type: ignore[arg-type]
        )

    def worker_count(self, journeys: int) -> int:
        """``--workers``, else one per core; never more than there are journeys to run."""
        wanted = self.workers or os.cpu_count() or 1
        return max(1, min(wanted, journeys))
