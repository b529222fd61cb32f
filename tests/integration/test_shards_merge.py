"""`harness run --shard I/N` run at once on one machine against a processes environment, then
`harness merge`: the merged report is schema-valid and says what one whole run says (journeys,
verdicts, unit suites, gate, exit code) for a pass (0), a failed journey (1), tests green and
app broken (3) and a stack that does not start (4); folders that are not the shards of one run
are refused with exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.history import open_store
from tests.support.run import PROJECT, assert_valid_reports, env_for_run

pytestmark = pytest.mark.browser

PY = sys.executable


@dataclass(frozen=True)
class Result:
    code: int
    output: str
    folder: Path

    @property
    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.folder / "report.json").read_text())
        return data


def make_project(folder: Path) -> Path:
    """The gate tests' project, with step timeouts a busy machine does not trip over."""
    root = folder / "project"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__", ".harness"))
    for journey in (root / "journeys").glob("*.journey.yml"):
        journey.write_text(journey.read_text().replace("step_timeout: 3s", "step_timeout: 15s"))
    return root


def start(project: Path, args: list[str], **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PY, "-m", "harness", *args],
        cwd=project,
        env=env_for_run(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen[str], folder: Path) -> Result:
    output, _ = process.communicate(timeout=600)
    return Result(process.returncode, output, folder)


def shards_and_whole(
    project: Path, shards: int, *args: str, **env: str
) -> tuple[list[Result], Result]:
    """N shards and one whole run, all at once (each its own process and stack)."""
    out = project / "out"
    running = [
        (
            start(
                project,
                ["run", *args, "--shard", f"{i}/{shards}", "--report-dir", f"out/s{i}"],
                **env,
            ),
            out / f"s{i}",
        )
        for i in range(1, shards + 1)
    ]
    whole = start(project, ["run", *args, "--report-dir", "out/whole"], **env)
    parts = [finish(p, folder) for p, folder in running]
    return parts, finish(whole, out / "whole")


def merge(project: Path, *folders: str, report_dir: str = "out/merged") -> Result:
    process = start(project, ["merge", *folders, "--report-dir", report_dir])
    return finish(process, project / report_dir)


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """What must not differ between the merged report and one whole run."""
    return {
        "gate": {k: report["gate"][k] for k in ("passed", "exit_code", "fail_on")},
        "reasons": sorted(report["gate"]["reasons"]),
        "journeys": {j["id"]: (j["status"], j["attempts"]) for j in report["journeys"]},
        "features": {
            f["id"]: (f["verdict"], sorted(f["journeys"]), f["unit_tests"])
            for f in report["features"]
        },
        "unit": [{k: v for k, v in s.items() if k != "duration_s"} for s in report["unit"]],
        "coverage": report["coverage"],
    }


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, browser_executable: object) -> Path:
    project = make_project(tmp_path_factory.mktemp("clean"))
    parts, whole = shards_and_whole(project, 2)
    assert whole.code == 0, whole.output
    assert [p.code for p in parts] == [0, 0], [p.output for p in parts]
    return project


def test_two_shards_merged_are_one_passing_run_with_its_evidence(clean: Path) -> None:
    merged = merge(clean, "out/s1", "out/s2")
    whole = Result(0, "", clean / "out" / "whole")
    assert merged.code == 0, merged.output
    assert_valid_reports(merged.folder)
    assert comparable(merged.report) == comparable(whole.report)
    assert {f["id"]: f["verdict"] for f in merged.report["features"]} == {
        "greeting": "verified",
        "counter": "journey-only",
    }
    run = merged.report["run"]
    assert [m["shard"] for m in run["merged_from"]] == ["shard 1/2", "shard 2/2"]
    assert run["config"] == whole.report["run"]["config"]
    for service in run["services"]:
        assert (merged.folder / service["log"]).is_file()
    for journey in merged.report["journeys"]:
        for attempt in journey["attempt_history"]:
            for path in filter(None, attempt["artifacts"].values()):
                if isinstance(path, str):
                    assert (merged.folder / path).is_file(), path
    remembered = [r.id for r in remembered_runs(clean)]  # the merged run stands for its shards
    assert run["id"] in remembered
    assert whole.report["run"]["id"] in remembered
    for shard in ("s1", "s2"):
        assert Result(0, "", clean / "out" / shard).report["run"]["id"] not in remembered


def remembered_runs(project: Path) -> list[Any]:
    with open_store(f"sqlite:///{project / '.harness' / 'history.sqlite'}") as store:
        return store.runs(None, 100)


def test_serial_groups_stay_in_one_shard(clean: Path) -> None:
    first = json.loads((clean / "out" / "s1" / "report.json").read_text())
    second = json.loads((clean / "out" / "s2" / "report.json").read_text())
    ids = [{j["id"] for j in r["journeys"]} for r in (first, second)]
    counters = {"journeys/counter.journey.yml", "journeys/counter-once.journey.yml"}
    assert counters <= ids[0] or counters <= ids[1]
    assert first["run"]["shard"]["split"] == second["run"]["shard"]["split"]


@pytest.mark.parametrize(
    ("defect", "code"), [("counter", 1), ("greeting", 3), ("boot", 4)], ids=["1", "3", "4"]
)
def test_merged_shards_give_the_exit_code_and_verdicts_of_one_run(
    tmp_path: Path, browser_executable: object, defect: str, code: int
) -> None:
    project = make_project(tmp_path)
    parts, whole = shards_and_whole(project, 2, APP_DEFECT=defect)
    assert whole.code == code, whole.output
    merged = merge(project, "out/s1", "out/s2")
    assert merged.code == code, merged.output + "\n".join(p.output for p in parts)
    assert_valid_reports(merged.folder)
    if code != 4:
        assert comparable(merged.report) == comparable(whole.report)
    else:  # each shard's stack failed: the merge says so, naming the shard
        assert merged.report["gate"]["reasons"][0].startswith("shard 1/2: ")
        assert merged.report["journeys"] == []


def _copy(clean: Path, name: str, new: str) -> Path:
    target = clean / "out" / new
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(clean / "out" / name, target)
    return target


def _edit(folder: Path, change: Any) -> None:
    path = folder / "report.json"
    report = json.loads(path.read_text())
    change(report)
    path.write_text(json.dumps(report))


def test_folders_that_are_not_the_shards_of_one_run_are_bad_input(clean: Path) -> None:
    cases: list[tuple[tuple[str, ...], str]] = [
        (("out/s1",), "shard 2/2 missing"),
        (("out/s1", "out/s1"), "named twice"),
        (("out/s1", "out/whole"), "not a shard"),
        (("out/s1", "out/nowhere"), "out/nowhere: no such folder"),
    ]
    other = _copy(clean, "s2", "s2-other-config")
    _edit(other, lambda r: r["run"].update(config="sha256:another"))
    cases.append((("out/s1", "out/s2-other-config"), "their configurations differ"))
    commit = _copy(clean, "s2", "s2-other-commit")
    _edit(commit, lambda r: r["run"].update(commit="0" * 40))
    cases.append((("out/s1", "out/s2-other-commit"), "their commits differ"))
    twice = _copy(clean, "s2", "s2-twice")
    first = json.loads((clean / "out" / "s1" / "report.json").read_text())["journeys"][0]
    _edit(twice, lambda r: r["journeys"].append(first))
    cases.append((("out/s1", "out/s2-twice"), f"journey {first['id']} is in shard 1/2 and in"))
    broken = _copy(clean, "s2", "s2-broken")
    (broken / "report.json").write_text('{"schema": "harness-report/1"}')
    cases.append((("out/s1", "out/s2-broken"), "not a harness report"))
    for folders, message in cases:
        result = merge(clean, *folders, report_dir="out/refused")
        assert result.code == 2, (folders, result.output)
        assert message in result.output, (folders, result.output)
        assert "Traceback" not in result.output
    into_a_shard = merge(clean, "out/s1", "out/s2", report_dir="out/s2")
    assert into_a_shard.code == 2
    assert "it holds, or lies in, the folder of shard 2/2" in into_a_shard.output
    assert (clean / "out" / "s2" / "report.json").is_file()


def test_compose_shards_merged_say_what_one_compose_run_says(
    tmp_path: Path, browser_executable: object, base_image: str
) -> None:
    """Three Compose stacks at once (each run its own project name), tests green, app broken."""
    project = make_project(tmp_path)
    parts, whole = shards_and_whole(project, 2, "--env", "docker", APP_DEFECT="greeting")
    assert whole.code == 3, whole.output
    merged = merge(project, "out/s1", "out/s2")
    assert merged.code == 3, merged.output + "\n".join(p.output for p in parts)
    assert_valid_reports(merged.folder)
    assert comparable(merged.report) == comparable(whole.report)
    names = {s["name"] for s in merged.report["run"]["services"]}
    assert {"web (shard 1/2)", "web (shard 2/2)"} <= names
