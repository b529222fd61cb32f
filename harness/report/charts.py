"""Small inline SVG charts for report.html: a journey's durations over the history window (each
run a bar, coloured by how it ended), a service's start-up over runs, and a policy figure
against its limit. Plain markup made here, no script and nothing fetched when the page opens;
every text in it is escaped."""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from harness.core.history import JourneyPoint
from harness.report.model import PolicyCheck

_COLOURS = {"passed": "#2e8540", "flaky": "#d48806", "failed": "#b3261e", None: "#4a6fa5"}
_BAR, _GAP, _HEIGHT = 6, 2, 28


def _bars(values: Sequence[tuple[float | None, str | None, str]], label: str) -> Markup:
    """One bar per run, oldest first: (height value, status for its colour, its tooltip)."""
    top = max((v for v, _, _ in values if v is not None), default=0.0) or 1.0
    width = max(1, len(values)) * (_BAR + _GAP)
    parts = [
        f'<svg class="chart" role="img" width="{width}" height="{_HEIGHT}" '
        f'viewBox="0 0 {width} {_HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>"
    ]
    for index, (value, status, tip) in enumerate(values):
        x = index * (_BAR + _GAP)
        if value is None:
            parts.append(
                f'<rect x="{x}" y="{_HEIGHT - 1}" width="{_BAR}" height="1" fill="#bbb">'
                f"<title>{escape(tip)}</title></rect>"
            )
            continue
        height = max(2.0, value / top * (_HEIGHT - 2))
        parts.append(
            f'<rect x="{x}" y="{_HEIGHT - height:.1f}" width="{_BAR}" height="{height:.1f}" '
            f'fill="{_COLOURS.get(status, _COLOURS[None])}"><title>{escape(tip)}</title></rect>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def journey_chart(points: Sequence[JourneyPoint]) -> Markup:
    """The journey's duration per run; green passed, amber flaky, red failed."""
    values = [
        (p.duration_s, p.status, f"run {p.run_id}: {p.status}, {p.duration_s:.2f}s") for p in points
    ]
    return _bars(values, "duration per run, oldest first; colour: how it ended")


def startup_chart(name: str, run_ids: Sequence[str], values: Sequence[float | None]) -> Markup:
    """A service's start-up per run (a grey tick where it was not measured)."""
    shown = [
        (value, None, f"run {run_id}: " + ("not measured" if value is None else f"{value:.2f}s"))
        for run_id, value in zip(run_ids, values, strict=False)
    ]
    return _bars(shown, f"{name}: start-up per run, oldest first")


def limit_chart(check: PolicyCheck) -> Markup:
    """The figure as a bar against the limit (a black line); red when the limit is not met."""
    width, height = 160, 14
    value = check.value
    scale = max(check.limit, value if value is not None and math.isfinite(value) else 0.0)
    scale = scale * 1.25 or 1.0
    fill = "#2e8540" if check.passed else "#b3261e"
    bar = (
        width if value is not None and not math.isfinite(value) else (value or 0.0) / scale * width
    )
    mark = check.limit / scale * width
    shown = "–" if value is None else ("∞" if not math.isfinite(value) else f"{value:.2f}")
    tip = f"{check.name}: {shown} against {check.limit:g}"
    return Markup(
        f'<svg class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(tip)}</title>"
        f'<rect x="0" y="2" width="{width}" height="{height - 4}" fill="#eee"/>'
        f'<rect x="0" y="2" width="{bar:.1f}" height="{height - 4}" fill="{fill}"/>'
        f'<rect x="{max(0.0, mark - 1):.1f}" y="0" width="2" height="{height}" fill="#000"/>'
        "</svg>"
    )
