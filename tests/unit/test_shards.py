"""Sharding and merging as pure logic: balanced splits that keep serial groups whole, the
report read back as it was written, traffic of several shards as one, the identity digests."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from harness.core.traffic import Endpoint, EndpointResponse, Shape, Traffic
from harness.report.json_report import report_document, write_json_report
from harness.report.read import journey_of, read_report_document
from harness.run.identity import config_fingerprint, split_fingerprint
from harness.run.selection import Shard
from tests.support.report_fakes import finished_run


def _group(name: str) -> str | None:
    return name.split(":")[0] if ":" in name else None


def test_recorded_durations_balance_the_parts() -> None:
    seconds = {"a": 60.0, "b": 10.0, "c": 10.0, "d": 10.0, "e": 10.0, "f": 10.0, "g": 10.0}
    parts = Shard(1, 2).split(list(seconds), key=str, seconds=seconds)
    assert parts == [["a"], ["b", "c", "d", "e", "f", "g"]]
    by_file = Shard(1, 2).split(list(seconds), key=str)
    assert [len(p) for p in by_file] == [4, 3]


def test_a_journey_without_a_record_weighs_the_median_of_those_with_one() -> None:
    seconds = {"a": 30.0, "b": 30.0, "c": 1.0}
    parts = Shard(1, 2).split(["a", "b", "c", "new"], key=str, seconds=seconds)
    assert parts == [["a", "new"], ["b", "c"]]  # weighing 1 it would join c


def test_a_serial_group_stays_in_one_part_and_counts_as_its_sum() -> None:
    ids = ["db:1", "db:2", "db:3", "x", "y", "z"]
    parts = Shard(1, 2).split(ids, key=str, group=_group)
    assert parts == [["db:1", "db:2", "db:3"], ["x", "y", "z"]]


@given(
    ids=st.lists(st.sampled_from("abcdefghij") | st.just("s:1") | st.just("s:2"), unique=True),
    total=st.integers(min_value=1, max_value=5),
    seconds=st.dictionaries(st.sampled_from("abcdefghij"), st.floats(0.1, 100)),
)
def test_every_journey_lands_in_exactly_one_part_the_same_on_every_machine(
    ids: list[str], total: int, seconds: dict[str, float]
) -> None:
    parts = Shard(1, total).split(ids, key=str, group=_group, seconds=seconds)
    again = Shard(2, total).split(list(reversed(ids)), key=str, group=_group, seconds=seconds)
    assert parts == again
    assert sorted(i for part in parts for i in part) == sorted(ids)
    holding = [n for n, part in enumerate(parts) if any(i.startswith("s:") for i in part)]
    assert len(holding) <= 1
    assert [Shard(n, total).take(ids, str, _group, seconds) for n in range(1, total + 1)] == parts


def test_the_split_digest_changes_when_the_deal_does() -> None:
    assert split_fingerprint([["a"], ["b"]]) == split_fingerprint([["a"], ["b"]])
    assert split_fingerprint([["a"], ["b"]]) != split_fingerprint([["b"], ["a"]])


def test_the_config_digest_covers_harness_yml_the_environment_and_the_journeys(
    tmp_path: Path,
) -> None:
    project, env, journey = tmp_path / "harness.yml", tmp_path / "ci.yml", tmp_path / "a.yml"
    for path in (project, env, journey):
        path.write_text("x: 1\n")
    first = config_fingerprint(project, env, ["failed"], [("a.yml", journey)])
    assert first == config_fingerprint(project, env, ["failed"], [("a.yml", journey)])
    journey.write_text("x: 2\n")
    assert config_fingerprint(project, env, ["failed"], [("a.yml", journey)]) != first
    assert config_fingerprint(project, env, ["flaky"], [("a.yml", journey)]) != first


def test_a_written_report_reads_back_into_the_same_journeys(tmp_path: Path) -> None:
    finished = finished_run()
    write_json_report(finished, tmp_path)
    document = read_report_document(tmp_path / "report.json")
    assert document == report_document(finished)
    read = [journey_of(j) for j in document["journeys"]]
    written = [journey_of(j) for j in report_document(finished)["journeys"]]
    assert read == written
    assert [j.id for j in read] == [j.id for j in finished.journeys]
    assert [j.status for j in read] == [j.status for j in finished.journeys]


def _endpoint(journey: str, status: int, count: int, shape: dict[str, object]) -> Endpoint:
    response = EndpointResponse(status, "application/json", count, Shape.of(shape))
    return Endpoint("GET", "/api/cart", (response,), (journey,), (f"/api/cart?{journey}",))


def test_traffic_of_several_shards_is_one_traffic() -> None:
    first = Traffic((_endpoint("a", 200, 2, {"items": []}),))
    second = Traffic((_endpoint("b", 200, 1, {"total": 1}), _endpoint("b", 404, 1, {"e": "x"})))
    (joined,) = Traffic.combined([first, second]).endpoints
    assert joined.journeys == ("a", "b")
    assert joined.statuses == (200, 404)
    assert joined.responses[0].count == 3
    merged_shape = joined.shape(200)
    assert merged_shape is not None
    assert {path for path, _ in merged_shape.places()} >= {("items",), ("total",)}


def test_the_history_gives_each_journey_its_median_seconds(tmp_path: Path) -> None:
    from harness.core.project import ProjectConfig
    from harness.history.recorder import record_run, store_url
    from harness.run.balance import recorded_seconds

    project = ProjectConfig.defaults(tmp_path)
    assert recorded_seconds(project, "staging") == {}
    finished = finished_run()
    assert record_run(finished, store_url(project), root=tmp_path) is None
    seconds = recorded_seconds(project, finished.run.environment)
    ran = {j.id: j.duration_s for j in finished.journeys if j.status != "skipped"}
    assert len(seconds) >= 3
    assert all(ran[name] == value for name, value in seconds.items())
    assert recorded_seconds(project, "another-environment") == {}


def test_a_shard_that_finished_does_not_change_the_split_of_one_that_starts_later(
    tmp_path: Path,
) -> None:
    """Without history the deal is by file; had shard 1's recorded seconds counted, a shard 2
    starting after it would deal again and run some journeys twice, others never."""
    from dataclasses import replace

    from harness.core.project import ProjectConfig
    from harness.history.recorder import record_run, store_url
    from harness.report.model import ShardInfo
    from harness.run.balance import recorded_seconds

    project = ProjectConfig.defaults(tmp_path)
    finished = finished_run()
    shard = replace(finished.run, id="shard-1", shard=ShardInfo(1, 2, "sha256:x"))
    assert record_run(replace(finished, run=shard), store_url(project), root=tmp_path) is None
    assert recorded_seconds(project, finished.run.environment) == {}
    ids = ["a", "b", "c", "d", "e"]
    first = Shard.from_text("2/2").split(ids, key=str, group=lambda _: None, seconds={})
    shard_1_seconds = {"a": 9.0, "c": 1.0, "e": 1.0}
    again = Shard.from_text("2/2").split(
        ids, key=str, group=lambda _: None, seconds=shard_1_seconds
    )
    assert first != again  # why shards must not balance on each other
    assert record_run(finished, store_url(project), root=tmp_path) is None
    assert recorded_seconds(project, finished.run.environment) != {}  # a whole run counts
