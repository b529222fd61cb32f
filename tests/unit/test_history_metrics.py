"""The metrics over a window of remembered runs: flaky rate, median and p90 durations, start-up
medians, verdicts over time, and the order `harness history` lists journeys in."""

from __future__ import annotations

from harness.core.history import (
    FeatureRecord,
    JourneyRecord,
    RunRecord,
    ServiceRecord,
    percentile,
    slowest_flakiest_broken,
    summarize,
)


def _run(number: int, *journeys: JourneyRecord, **more: object) -> RunRecord:
    return RunRecord(f"r{number}", "ci", 1000.0 + number, 1.0, 0, journeys=journeys, **more)  # type: ignore[arg-type]


def _j(id: str, status: str, duration: float = 1.0) -> JourneyRecord:
    return JourneyRecord(id, id.title(), status, 2 if status == "flaky" else 1, duration)


def test_a_journey_flaky_in_every_other_run_has_rate_one_half_after_six() -> None:
    runs = [
        _run(n, _j("checkout", "flaky" if n % 2 else "passed"), _j("search", "passed"))
        for n in range(6)
    ]
    history = summarize(runs)
    checkout, search = history.journey("checkout"), history.journey("search")
    assert checkout is not None
    assert search is not None
    assert (checkout.runs, checkout.passed, checkout.flaky, checkout.flaky_rate) == (6, 3, 3, 0.5)
    assert (search.runs, search.flaky_rate) == (6, 0.0)
    assert [p.status for p in checkout.recent] == ["passed", "flaky"] * 3
    assert checkout.last_broken == "r5"


def test_the_window_keeps_only_the_newest_runs_whatever_their_order() -> None:
    runs = [_run(n, _j("a", "failed" if n < 5 else "passed")) for n in reversed(range(10))]
    history = summarize(runs, window=5)
    assert history.run_ids == ("r5", "r6", "r7", "r8", "r9")
    journey = history.journey("a")
    assert journey is not None
    assert (journey.runs, journey.failed, journey.last_broken) == (5, 0, None)


def test_skipped_quarantined_and_error_runs_do_not_count() -> None:
    runs = [_run(0, _j("a", "skipped")), _run(1, _j("a", "error")), _run(2, _j("a", "passed"))]
    journey = summarize(runs).journey("a")
    assert journey is not None
    assert journey.runs == 1


def test_median_and_nearest_rank_p90() -> None:
    runs = [_run(n, _j("a", "passed", float(d))) for n, d in enumerate([5, 1, 3, 2, 4, 10])]
    journey = summarize(runs).journey("a")
    assert journey is not None
    assert journey.median_duration_s == 3.5
    assert journey.p90_duration_s == 10.0
    assert percentile([1.0] * 9 + [100.0], 0.9) == 1.0
    assert percentile([], 0.9) is None


def test_service_start_up_median_and_series_with_gaps() -> None:
    runs = [
        _run(0, services=(ServiceRecord("db", 3.0),)),
        _run(1, services=(ServiceRecord("web", 1.0),)),
        _run(2, services=(ServiceRecord("db", 5.0), ServiceRecord("web", None))),
    ]
    db, web = summarize(runs).services
    assert (db.name, db.runs, db.median_boot_s, db.recent) == ("db", 2, 4.0, (3.0, None, 5.0))
    assert (web.runs, web.median_boot_s, web.recent) == (1, 1.0, (None, 1.0, None))


def test_feature_verdicts_over_time() -> None:
    verdicts = ["verified", "green-but-broken", "verified"]
    runs = [_run(n, features=(FeatureRecord("cart", v),)) for n, v in enumerate(verdicts)]
    (cart,) = summarize(runs).features
    assert (cart.verdicts, cart.last_verdict) == (tuple(verdicts), "verified")


def test_history_lists_recently_broken_then_flakiest_then_slowest() -> None:
    runs = [
        _run(
            0,
            _j("old-break", "failed"),
            _j("flaky", "flaky"),
            _j("slow", "passed", 9.0),
            _j("fast", "passed", 1.0),
            _j("new-break", "passed"),
        ),
        _run(
            1,
            _j("old-break", "passed"),
            _j("flaky", "passed"),
            _j("slow", "passed", 9.0),
            _j("fast", "passed", 1.0),
            _j("new-break", "failed"),
        ),
    ]
    order = [j.id for j in slowest_flakiest_broken(summarize(runs))]
    assert order == ["new-break", "flaky", "old-break", "slow", "fast"]


def test_no_runs_no_metrics() -> None:
    history = summarize([])
    assert (history.runs, history.journeys, history.environment) == (0, (), "")
