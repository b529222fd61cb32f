"""report.html as text: the order of its sections, escaping, no network, links that resolve.
(tests/integration/test_report_html.py opens it in a real Chromium.)"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from harness.contract import EXIT_MEANINGS
from harness.core.gate import early_gate
from harness.core.history import JourneyRecord, RunRecord, ServiceRecord, summarize
from harness.report.html_report import render_html, write_html_report
from harness.report.model import Artifacts, FinishedRun, PolicyCheck, Service
from tests.support.report_fakes import (
    SECRET,
    finished_run,
    hostile_run,
    run_info,
    write_artifacts,
)


def _written(run: FinishedRun, tmp_path: Path) -> str:
    write_artifacts(run, tmp_path)
    return write_html_report(run, tmp_path).read_text()


def test_the_gate_comes_first_then_features_then_journeys(tmp_path: Path) -> None:
    html = _written(finished_run(), tmp_path)
    positions = [html.index(f'<section id="{s}"') for s in ("gate", "features", "journeys")]
    assert positions == sorted(positions)
    assert html.index("<body>") < positions[0] < html.index("<h2>")
    assert "Gate failed: exit code 3 (tests green, app broken)" in html


def test_green_but_broken_is_the_first_and_loudest_feature(tmp_path: Path) -> None:
    html = _written(finished_run(), tmp_path)
    verdicts = re.findall(r'<span class="badge v-([a-z-]+)">', html)
    assert verdicts[0] == "green-but-broken"
    assert verdicts[-1] == "verified"
    assert '<div class="feature loud" id="feature-1">' in html
    assert html.count("feature loud") == 1
    assert "mock ratio 67%" in html
    assert "<code>tests/test_shop.py::test_0</code>" in html


def test_failed_journeys_come_first_with_step_screenshot_trace_and_logs(tmp_path: Path) -> None:
    html = _written(finished_run(), tmp_path)
    statuses = re.findall(r'<h3><span class="badge s-([a-z]+)">', html)
    assert statuses == ["failed", "flaky", "quarantined", "skipped", "passed"]
    assert (
        "Failing step 4 (click Add to cart) at <code>journeys/shop/buy-a-mug.journey.yml:14" in html
    )
    assert (
        '<img class="screenshot" alt="screenshot of Guest buys a mug" src="data:image/png;base64,'
        in html
    )
    assert "<code>playwright show-trace journeys/buy-a-mug/attempt-2/trace.zip</code>" in html
    assert 'href="logs/buy-a-mug/web.log"' in html


def test_every_link_is_relative_and_resolves(tmp_path: Path) -> None:
    html = _written(finished_run(), tmp_path)
    links = re.findall(r'href="([^"]*)"', html)
    assert len(links) >= 10
    for link in links:
        assert ":" not in link, link
        assert (tmp_path / link).is_file(), link
    sources = re.findall(r'src="([^"]*)"', html)
    assert sources
    assert all(s.startswith("data:image/png;base64,") for s in sources)


def test_nothing_loads_from_the_network_and_no_script_is_in_the_page(tmp_path: Path) -> None:
    html = _written(hostile_run(), tmp_path)
    assert "<script" not in html.lower()
    assert 'onerror="' not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=&#34;x&#34; onerror=&#34;window.__pwned=2&#34;&gt;" in html
    assert re.search(r"(src|href)=\"(https?:)?//", html) is None
    assert "@import" not in html
    assert "url(" not in html
    assert "default-src 'none'; img-src data:; style-src 'unsafe-inline'" in html


def test_secrets_are_masked_in_the_page_and_the_cut_logs(tmp_path: Path) -> None:
    html = _written(finished_run(), tmp_path)
    assert SECRET not in html
    for log in (tmp_path / "logs").rglob("*.log"):
        assert SECRET not in log.read_text()


def test_a_missing_or_foreign_screenshot_is_linked_with_the_reason(tmp_path: Path) -> None:
    run = finished_run()
    journey = run.journeys[0]
    gone = tuple(replace(a, artifacts=Artifacts(screenshot="gone.png")) for a in journey.attempts)
    odd = tuple(replace(a, artifacts=Artifacts(screenshot="shot.svg")) for a in journey.attempts)
    missing = render_html(replace(run, journeys=(replace(journey, attempts=gone),)), tmp_path)
    assert 'Screenshot <a href="gone.png">gone.png</a>: the file is missing' in missing
    foreign = render_html(replace(run, journeys=(replace(journey, attempts=odd),)), tmp_path)
    assert "shot.svg</a>: not a PNG or JPEG image" in foreign


@pytest.mark.parametrize("path", ["javascript:alert(1)", "http://evil.example/x"])
def test_an_artifact_path_can_never_become_a_foreign_link(path: str, tmp_path: Path) -> None:
    run = finished_run()
    journey = run.journeys[0]
    odd = tuple(replace(a, artifacts=Artifacts(trace=path)) for a in journey.attempts)
    html = render_html(replace(run, journeys=(replace(journey, attempts=odd),)), tmp_path)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs
    assert all(":" not in h for h in hrefs)


def test_a_run_stopped_before_journeys_still_renders(tmp_path: Path) -> None:
    run = FinishedRun(run=run_info(), gate=early_gate(4, "service db: unhealthy"))
    html = write_html_report(run, tmp_path).read_text()
    assert f"exit code 4 ({EXIT_MEANINGS[4]})" in html
    assert "<li>service db: unhealthy</li>" in html
    assert "No journey ran." in html


def test_a_lone_surrogate_does_not_stop_the_page(tmp_path: Path) -> None:
    html = _written(finished_run(name="bad \udc80 byte"), tmp_path)
    assert "bad ? byte" in html


def _with_history(run: FinishedRun) -> FinishedRun:
    records = [
        RunRecord(
            f"r{n}",
            "staging",
            1000.0 + n,
            1.0,
            0,
            journeys=tuple(
                JourneyRecord(j.id, j.name, "flaky" if n % 2 else "passed", 1, 2.0 + n)
                for j in run.journeys
            ),
            services=(ServiceRecord("postgres", 3.0 + n / 10),),
        )
        for n in range(6)
    ]
    history = summarize(records)
    journeys = tuple(replace(j, history=history.journey(j.id)) for j in run.journeys)
    services = (
        Service("postgres", 3.5, "services/postgres.log", held_boot=True),
        Service("web", 0.4, "services/web.log"),
    )
    checks = (
        PolicyCheck("max_flaky_rate", 0.1, 0.5, "Guest <b>buys</b>", ("too flaky",)),
        PolicyCheck("min_e2e_coverage", 0.2, 1.0, None),
    )
    return replace(
        run,
        journeys=journeys,
        run=replace(run.run, history=history, services=services),
        policy=checks,
    )


def test_history_trends_are_inline_svg_charts_without_script(tmp_path: Path) -> None:
    html = _written(_with_history(finished_run()), tmp_path)
    journeys = html[html.index('<section id="journeys"') : html.index('<section id="unit"')]
    assert journeys.count('<svg class="chart"') == len(finished_run().journeys)
    assert "<title>run r1: flaky, 3.00s</title>" in journeys
    assert 'fill="#d48806"' in journeys  # a flaky run's bar is amber
    timings = html[html.index('<section id="timings"') :]
    assert "postgres</td><td>3.50s <strong>held the boot up</strong>" in timings
    assert "<title>postgres: start-up per run, oldest first</title>" in timings
    gate = html[html.index('<section id="gate"') : html.index('<section id="features"')]
    assert "<code>max_flaky_rate</code></td><td>0.50</td><td><svg" in gate
    assert "Guest &lt;b&gt;buys&lt;/b&gt;" in gate  # escaped, never markup
    assert "<script" not in html
    assert "http://www.w3.org/2000/svg" in html  # the namespace, not a fetch
    assert re.search(r'(src|href)="https?:', html) is None
