"""report.html: one self-contained page a person reads after a run. It opens from disk with no
network (inline CSS, screenshots as data: URIs, no scripts) and every text is autoescaped."""

from __future__ import annotations

import base64
import functools
import math
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2

from harness.contract import exit_meaning
from harness.report import charts
from harness.report.logs import CutLog, write_cut_logs
from harness.report.masking import masked_run
from harness.report.model import Feature, FinishedRun, Journey, MockDrift
from harness.report.text import strip_ansi

FILE_NAME = "report.html"
TEMPLATE = "report.html.j2"

#: Journeys are listed worst first.
_STATUS_ORDER = ("error", "failed", "flaky", "quarantined", "skipped", "passed")
_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
#: A larger screenshot is linked, not inlined, so the page stays quick to open.
MAX_INLINE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Screenshot:
    """A screenshot as the page shows it: inline when it could be read, else why not."""

    path: str
    data_uri: str | None
    problem: str | None


@dataclass(frozen=True)
class SnapshotView:
    """One screenshot comparison: its images (expected, actual, diff) as the page shows them,
    and the baseline file written, if one was."""

    name: str
    images: tuple[tuple[str, Screenshot], ...]
    written: str | None


@dataclass(frozen=True)
class JourneyView:
    """One journey with what the page needs beside the journey itself."""

    journey: Journey
    where: str
    screenshot: Screenshot | None
    logs: tuple[CutLog, ...]
    broken_features: tuple[str, ...]
    drift: tuple[MockDrift, ...] = ()
    snapshots: tuple[SnapshotView, ...] = ()


def _read_screenshot(directory: Path, path: str) -> Screenshot:
    file = directory / path
    kind = _IMAGE_TYPES.get(file.suffix.lower())
    if kind is None:
        return Screenshot(path, None, "not a PNG or JPEG image")
    if not file.is_file():
        return Screenshot(path, None, "the file is missing")
    if file.stat().st_size > MAX_INLINE_BYTES:
        return Screenshot(path, None, "too large to inline")
    encoded = base64.b64encode(file.read_bytes()).decode("ascii")
    return Screenshot(path, f"data:{kind};base64,{encoded}", None)


def _snapshot_views(journey: Journey, directory: Path) -> tuple[SnapshotView, ...]:
    views = []
    for shot in journey.artifacts.snapshots:
        named = (("expected", shot.expected), ("actual", shot.actual), ("diff", shot.diff))
        images = tuple((label, _read_screenshot(directory, p)) for label, p in named if p)
        views.append(SnapshotView(shot.name, images, shot.written))
    return tuple(views)


def _where(journey: Journey) -> str:
    failure = journey.failure
    return f"{journey.failing_file}:{failure.line}" if failure else journey.file


def _journey_view(
    journey: Journey, directory: Path, logs: dict[str, tuple[CutLog, ...]], run: FinishedRun
) -> JourneyView:
    shot = journey.artifacts.screenshot
    broken = tuple(
        f.id for f in run.features if f.verdict == "green-but-broken" and journey.id in f.journeys
    )
    drift = {d.message: d for f in run.features if journey.id in f.journeys for d in f.drift}
    return JourneyView(
        journey=journey,
        where=_where(journey),
        screenshot=_read_screenshot(directory, shot) if shot else None,
        logs=logs.get(journey.id, ()),
        broken_features=broken,
        drift=tuple(drift.values()) if journey.failure else (),
        snapshots=_snapshot_views(journey, directory),
    )


def _href(path: str) -> str:
    # Quoting ':' too keeps every link a relative path: never a javascript: or http: URL.
    return quote(path.replace("\\", "/"), safe="/")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("harness.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["href"] = _href
    env.filters["clean"] = strip_ansi
    env.filters["seconds"] = lambda value: "–" if value is None else f"{value:.2f}s"
    env.filters["percent"] = lambda value: "–" if value is None else f"{value * 100:.0f}%"
    env.filters["figure"] = _figure
    env.globals.update(
        journey_chart=charts.journey_chart,
        startup_chart=charts.startup_chart,
        limit_chart=charts.limit_chart,
    )
    return env


@functools.lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    return _environment().get_template(TEMPLATE)


def prefetch() -> None:
    """Compile the page's template now (from a thread that would otherwise wait), so that the
    run's end does not pay for it (about a tenth of a second)."""
    _template()


def _figure(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if math.isfinite(value) else "∞"


def _journey_names(run: FinishedRun) -> dict[str, str]:
    return {j.id: j.name for j in run.journeys}


def render_html(
    finished: FinishedRun, directory: Path, logs: dict[str, tuple[CutLog, ...]] | None = None
) -> str:
    """The page's HTML; screenshots are read from ``directory``, the run's folder."""
    finished = masked_run(finished)
    logs = logs or {}
    ordered = sorted(finished.journeys, key=lambda j: _STATUS_ORDER.index(j.status))
    features: tuple[Feature, ...] = finished.features_loudest_first()
    template = _template()
    history = finished.run.history
    return template.render(
        finished=finished,
        run=finished.run,
        gate=finished.gate,
        meaning=exit_meaning(finished.gate.exit_code),
        features=features,
        journey_names=_journey_names(finished),
        journeys=[_journey_view(j, directory, logs, finished) for j in ordered],
        coverage=finished.coverage,
        service_trends={s.name: s for s in history.services} if history else {},
    )


def write_html_report(finished: FinishedRun, directory: Path) -> Path:
    """Write ``report.html`` (and the cut service logs it links) into the run's folder."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / FILE_NAME
    logs = write_cut_logs(masked_run(finished), directory)
    path.write_text(render_html(finished, directory, logs), encoding="utf-8", errors="replace")
    return path
