"""``harness validate`` and ``harness list`` as a user runs them: a real process, real files."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.support.command import harness_process

ROOT = Path(__file__).resolve().parents[2]
DATA = Path("tests") / "data" / "journeys"
LOCATED = re.compile(r"^[^\s:][^:]*:\d+:\d+: \S")


def _harness(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return harness_process(*args, cwd=cwd)


def test_validate_reports_every_error_of_the_catalogue_and_exits_2() -> None:
    result = _harness("validate", str(DATA / "bad"))
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"\d+ errors in \d+ files", lines[-1])
    for line in lines[:-1]:
        assert LOCATED.match(line) or line.startswith("    "), line
    for expected in sorted((ROOT / DATA / "bad").glob("*.expected")):
        assert expected.read_text() in result.stderr + "\n", expected.name


def test_validate_a_single_bad_file() -> None:
    result = _harness("validate", str(DATA / "bad" / "unknown_locator_key.journey.yml"))
    assert result.returncode == 2
    assert result.stderr == (
        ROOT / DATA / "bad" / "unknown_locator_key.journey.expected"
    ).read_text() + ("1 error in 1 file\n")


def test_validate_good_files_exits_0() -> None:
    result = _harness("validate", str(DATA / "good"))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "ok: 2 journeys, 2 shared steps files, 0 environments\n"


def test_validate_warns_without_failing(tmp_path: Path) -> None:
    (tmp_path / "a.journey.yml").write_text("name: a\nsteps:\n  - wait: 1s\n")
    result = _harness("validate", "a.journey.yml", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr.startswith("a.journey.yml:3:11: warning: step 1 (wait): a fixed pause")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "nowhere"], "error: nowhere: no such file or folder"),
        (
            ["validate", "README.md"],
            "error: README.md: not a journey (*.journey.yml), shared steps",
        ),
        (["schema", "journeys"], "'journeys' is not one of"),
    ],
)
def test_command_line_mistakes_exit_2(args: list[str], message: str) -> None:
    result = _harness(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_list_shows_journeys_tags_and_features() -> None:
    result = _harness("list", str(DATA / "good"))
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"{DATA}/good/every_step.journey.yml: Every step, locator and assertion  tags: catalogue"
        "  covers: profile  environments: local, staging"
        "  quarantined until 2030-12-31: flaky payment sandbox",
        f"{DATA}/good/guest_buys_a_mug.journey.yml: Guest buys a mug  tags: critical, smoke"
        "  covers: catalog, cart, checkout",
    ]
    assert result.stderr == "2 journeys\n"


def test_list_filters_by_tag_and_prints_json() -> None:
    result = _harness("list", "--tag", "smoke", "--tag", "nothing", "--json", str(DATA / "good"))
    assert result.returncode == 0
    listed = json.loads(result.stdout)
    assert [(j["name"], j["tags"], j["covers"]) for j in listed] == [
        ("Guest buys a mug", ["critical", "smoke"], ["catalog", "cart", "checkout"])
    ]


def test_list_refuses_bad_journeys() -> None:
    result = _harness("list", str(DATA / "bad" / "empty.journey.yml"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{DATA}/bad/empty.journey.yml:1:1: the file is empty")


def test_schema_prints_the_journey_and_steps_schemas() -> None:
    for kind, title in [("journey", "Harness journey"), ("steps", "Harness shared steps")]:
        result = _harness("schema", kind)
        assert result.returncode == 0
        assert json.loads(result.stdout)["title"] == title


def test_checking_in_parallel_reports_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from harness.cli import cli
    from harness.cli import journeys as command

    monkeypatch.chdir(ROOT)
    serial = CliRunner().invoke(cli, ["validate", str(DATA)])
    monkeypatch.setattr(command, "PARALLEL_FROM", 2)
    parallel = CliRunner().invoke(cli, ["validate", str(DATA)])
    assert serial.exit_code == parallel.exit_code == 2
    assert serial.output == parallel.output
    assert serial.output.count("\n") > 80


def test_validate_without_paths_checks_the_whole_project(tmp_path: Path) -> None:
    (tmp_path / "environments").mkdir()
    (tmp_path / "journeys").mkdir()
    (tmp_path / "harness.yml").write_text("journeyz: journeys\n")
    (tmp_path / "environments" / "local.yml").write_text("urls: 5\n")
    (tmp_path / "journeys" / "a.journey.yml").write_text(
        "name: a\nsetup: [{goto: '${x}'}]\nsteps: [{goto: /}]\nteardown: [{clik: x}]\n"
    )
    result = _harness("validate", cwd=tmp_path)
    assert result.returncode == 2
    heads = [line for line in result.stderr.splitlines() if not line.startswith("    ")]
    assert heads == [
        "environments/local.yml:1:7: 'urls' must be a mapping, not the number 5",
        "harness.yml:1:1: unknown key 'journeyz'. Did you mean 'journeys'?",
        "journeys/a.journey.yml:2:17: setup step 1 (goto): unknown variable 'x'",
        "journeys/a.journey.yml:4:13: teardown step 1: unknown key 'clik'. Did you mean 'click'?",
        "4 errors in 3 files",
    ]


@pytest.mark.parametrize("fifo", ["environments/hang.yml", "harness.yml"])
def test_a_fifo_environment_or_harness_yml_is_refused_by_name_not_ignored(
    tmp_path: Path, fifo: str
) -> None:
    """A FIFO must neither block nor pass for a missing file: validate and run name it."""
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "local.yml").write_text("urls: {web: 'http://127.0.0.1:9'}\n")
    os.mkfifo(tmp_path / fifo)  # no writer: a plain read would block forever
    for command in (["validate"], ["run", "--env", "hang"]):
        result = _harness(*command, cwd=tmp_path)
        assert result.returncode == 2, result.stdout + result.stderr
        assert f"{fifo}:1:1: not a regular file (a FIFO)" in result.stdout + result.stderr
