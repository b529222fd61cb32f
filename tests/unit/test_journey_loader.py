"""The loader: discovery, path resolution, shared steps (scope, caching, loops) and the order
in which names become known."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.core.journey import model as m
from harness.core.journey.loader import (
    JourneyLoader,
    check_file,
    find_files,
    is_journey_file,
    is_steps_file,
    load_journey,
    load_steps,
)
from harness.errors import SourceError


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _messages(path: Path) -> list[str]:
    return [p.message for p in check_file(path)]


@pytest.fixture(autouse=True)
def _in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_only_journey_and_steps_names_are_found(tmp_path: Path) -> None:
    for name in [
        "journeys/a.journey.yml",
        "journeys/sub/b.journey.yaml",
        "journeys/shared/s.steps.yml",
        "journeys/shared/t.steps.yaml",
        "journeys/docker-compose.yml",
        "journeys/.hidden/c.journey.yml",
        "journeys/ci.yaml",
    ]:
        _write(tmp_path / name, "")
    found = find_files([tmp_path / "journeys", tmp_path / "journeys/a.journey.yml"])
    assert [p.name for p in found.journeys] == ["a.journey.yml", "b.journey.yaml"]
    assert [p.name for p in found.steps] == ["s.steps.yml", "t.steps.yaml"]
    assert is_journey_file("x.journey.yaml")
    assert not is_journey_file("docker-compose.yml")
    assert is_steps_file("x.steps.yml")


def test_use_paths_start_at_the_project_root(tmp_path: Path) -> None:
    _write(tmp_path / "harness.yml", "journeys: journeys\n")
    _write(tmp_path / "journeys/shared/login.steps.yml", "steps: [{goto: /login}]\n")
    journey = _write(
        tmp_path / "journeys/deep/down/a.journey.yml",
        "name: a\nsteps:\n"
        "  - use: journeys/shared/login.steps.yml\n"
        "  - use: shared/login.steps.yml\n",
    )
    loaded = load_journey(journey)
    first, second = (step.action for step in loaded.steps)
    assert isinstance(first, m.Use)
    assert isinstance(second, m.Use)
    assert first.steps is second.steps  # read once, found from the root and from a parent


def test_a_missing_use_file_lists_where_it_looked(tmp_path: Path) -> None:
    journey = _write(tmp_path / "j/a.journey.yml", "name: a\nsteps:\n  - use: x.steps.yml\n")
    problems = check_file(journey)
    assert [p.message for p in problems] == [
        "step 1 (use): shared steps file not found: 'x.steps.yml'"
    ]
    assert problems[0].hints == ("Looked for x.steps.yml, j/x.steps.yml",)


def test_shared_steps_see_only_their_params_and_what_they_save(tmp_path: Path) -> None:
    _write(
        tmp_path / "s.steps.yml",
        "params: [user]\nsteps:\n  - fill: {label: U, value: '${user} ${email}'}\n"
        "  - save: {token: {testid: t}}\n  - goto: /t/${token}\n",
    )
    assert [p.message for p in check_file(tmp_path / "s.steps.yml")] == [
        "step 1 (fill): unknown variable 'email'"
    ]


def test_what_shared_steps_save_is_known_after_the_use_step(tmp_path: Path) -> None:
    _write(tmp_path / "s.steps.yml", "steps:\n  - save: {token: {testid: t}}\n")
    journey = _write(
        tmp_path / "a.journey.yml",
        "name: a\nsteps:\n  - goto: /${token}\n  - use: s.steps.yml\n  - goto: /${token}\n",
    )
    assert _messages(journey) == ["step 1 (goto): unknown variable 'token'"]


def test_names_become_known_in_order(tmp_path: Path) -> None:
    journey = _write(
        tmp_path / "a.journey.yml",
        "name: a\nvars:\n  a: '${b}'\n  b: x\n  c: '${b}'\n"
        "setup:\n  - save: {s: {testid: s}}\n"
        "steps:\n  - goto: /${s}/${c}/${late}\n  - save: {late: {testid: l}}\n"
        "teardown:\n  - goto: /${late}/${s}\n",
    )
    assert _messages(journey) == [
        "var 'a': unknown variable 'b'",
        "step 1 (goto): unknown variable 'late'",
    ]


def test_request_saves_are_known_to_later_steps(tmp_path: Path) -> None:
    journey = _write(
        tmp_path / "a.journey.yml",
        "name: a\nsteps:\n  - request: {url: /api, save: {id: data.id}}\n  - goto: /x/${id}\n",
    )
    assert _messages(journey) == []


def test_a_steps_file_that_uses_itself_is_a_loop(tmp_path: Path) -> None:
    _write(tmp_path / "self.steps.yml", "steps:\n  - use: self.steps.yml\n")
    assert _messages(tmp_path / "self.steps.yml") == [
        "step 1 (use): shared steps use each other in a loop: self.steps.yml -> self.steps.yml"
    ]


def test_problems_of_a_used_file_are_reported_in_that_file(tmp_path: Path) -> None:
    _write(tmp_path / "s.steps.yml", "steps:\n  - clik: x\n")
    journey = _write(tmp_path / "a.journey.yml", "name: a\nsteps:\n  - use: s.steps.yml\n")
    problems = check_file(journey)
    assert [(p.file, p.line) for p in problems] == [("s.steps.yml", 2)]


def test_a_loader_reads_each_shared_file_once_even_when_broken(tmp_path: Path) -> None:
    _write(tmp_path / "s.steps.yml", "steps:\n  - clik: x\n")
    loader = JourneyLoader()
    with pytest.raises(SourceError) as first:
        loader.shared_steps(tmp_path / "s.steps.yml")
    (tmp_path / "s.steps.yml").write_text("steps: [{goto: /}]\n")
    with pytest.raises(SourceError) as second:
        loader.shared_steps(tmp_path / "s.steps.yml")
    assert first.value is second.value
    assert load_steps(tmp_path / "s.steps.yml").steps[0].action == m.Goto("/")


def test_a_bare_wait_is_allowed_with_a_warning(tmp_path: Path) -> None:
    journey = load_journey(_write(tmp_path / "a.journey.yml", "name: a\nsteps:\n  - wait: 2s\n"))
    assert journey.steps[0].action == m.Wait(seconds=2.0)
    assert [str(w).splitlines()[0] for w in journey.warnings] == [
        "a.journey.yml:3:11: warning: step 1 (wait): a fixed pause makes journeys slow and flaky"
    ]


def test_templated_upload_paths_are_left_to_run_time(tmp_path: Path) -> None:
    journey = load_journey(
        _write(
            tmp_path / "a.journey.yml",
            "name: a\nsteps:\n  - upload: {label: A, files: '${env.AVATAR}'}\n",
        )
    )
    assert journey.steps[0].action == m.Upload(m.Locator("label", "A"), ("${env.AVATAR}",))


def test_only_true_and_false_are_booleans(tmp_path: Path) -> None:
    journey = load_journey(
        _write(
            tmp_path / "a.journey.yml", "name: a\nsteps:\n  - fill: {label: Agree, value: yes}\n"
        )
    )
    assert journey.steps[0].action == m.Fill(m.Locator("label", "Agree"), "yes")


def test_numbers_in_text_places_read_as_written(tmp_path: Path) -> None:
    journey = load_journey(
        _write(
            tmp_path / "a.journey.yml",
            "name: a\nsteps:\n"
            "  - expect: {testid: count, text: 1}\n"
            "  - select: {label: N, option: 2}\n",
        )
    )
    assert journey.steps[0].action == m.Expect(
        m.Locator("testid", "count"), (m.Assertion("text", "1"),)
    )
    assert journey.steps[1].action == m.Select(m.Locator("label", "N"), ("2",))
