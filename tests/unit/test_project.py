"""harness.yml: the contract's example loads; every mistake is located, all at once."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from harness.core.features import FeatureConfig
from harness.core.project import (
    ProjectConfig,
    UnitTestSource,
    find_project_file,
    load_project,
    load_project_file,
    load_project_or_defaults,
    project_schema,
)
from harness.core.published_schema import published
from harness.errors import SourceError, UsageError

DATA = Path(__file__).resolve().parent.parent / "data" / "projects"


def test_the_contract_example_loads() -> None:
    project = load_project_file(DATA / "good" / "harness.yml")
    assert project.root == (DATA / "good").resolve()
    assert project.default_environment == "staging"
    assert project.unit_tests == (
        UnitTestSource(
            "shop", command=("pytest", "examples/shop/tests", "-q", "--junitxml={junit}")
        ),
        UnitTestSource("web-ui", junit=("reports/vitest-*.xml",)),
    )
    assert project.features == (
        FeatureConfig("checkout", ("examples/shop/tests/test_checkout.py::*", "*CheckoutForm*")),
    )
    assert project.fail_on == ("failed", "green_but_broken")


def test_every_problem_of_a_bad_file_at_once() -> None:
    with pytest.raises(SourceError) as caught:
        load_project_file(DATA / "bad" / "harness.yml", "harness.yml")
    expected = (DATA / "bad" / "expected.txt").read_text()
    assert str(caught.value) + "\n" == expected
    assert caught.value.exit_code == 2


def test_the_schema_accepts_the_good_file_and_is_itself_valid() -> None:
    schema = project_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    good = yaml.safe_load((DATA / "good" / "harness.yml").read_text())
    jsonschema.Draft202012Validator(schema).validate(good)


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "harness.yml").write_text(text)
    return folder / "harness.yml"


def test_found_in_a_parent_and_rooted_there(tmp_path: Path) -> None:
    write(tmp_path, "features:\n  cart:\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_project_file(deep) == tmp_path.resolve() / "harness.yml"
    project = load_project(cwd=deep)
    assert project.root == tmp_path.resolve()
    assert project.features == (FeatureConfig("cart", ()),)


def test_no_file_means_defaults_rooted_at_cwd(tmp_path: Path) -> None:
    project = load_project(cwd=tmp_path)
    assert project == ProjectConfig.defaults(tmp_path.resolve())
    assert project.journeys == "journeys"
    assert project.artifacts == ".harness/runs"


def test_a_bad_file_gives_its_problems_and_the_defaults_rooted_where_it_lies(
    tmp_path: Path,
) -> None:
    write(tmp_path, "journeys: flows\ngate:\n  fail_onn: [failed]\n")
    deep = tmp_path / "a"
    deep.mkdir()
    for config in (None, "../harness.yml"):
        project, problems = load_project_or_defaults(config, cwd=deep)
        assert project.root == tmp_path.resolve()
        assert project.file == tmp_path.resolve() / "harness.yml"
        assert project.journeys == "journeys"  # the defaults, not the bad file's values
        assert [(p.line, p.column) for p in problems] == [(3, 3)]
        assert "Did you mean 'fail_on'?" in problems[0].message
    write(tmp_path, "journeys: flows\n")
    assert load_project_or_defaults(cwd=deep) == (load_project(cwd=deep), [])


def test_config_names_a_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ci", "unit_tests:\n  - name: s\n    junit: out/*.xml\n    env: {A: 1}\n"
    )
    project = load_project(config=path)
    assert project.root == (tmp_path / "ci").resolve()
    assert project.unit_tests[0].junit == ("out/*.xml",)
    with pytest.raises(UsageError, match=r"--config nope\.yml: no such file"):
        load_project(config="nope.yml", cwd=tmp_path)


def test_command_and_timeout_values(tmp_path: Path) -> None:
    text = (
        "unit_tests:\n  - name: go\n    command: [gotestsum, --junitfile, '{junit}', 3]\n"
        "    timeout: 2m\n    env: {CI: true}\n"
    )
    (source,) = load_project_file(write(tmp_path, text)).unit_tests
    assert source.command == ("gotestsum", "--junitfile", "{junit}", "3")
    assert source.timeout == 120.0
    assert source.env == {"CI": "true"}


def test_trace_sets_the_runs_trace_mode(tmp_path: Path) -> None:
    assert load_project_file(write(tmp_path, "trace: on-first-retry\n")).trace == "on-first-retry"
    assert load_project_file(write(tmp_path, "journeys: j\n")).trace == "retain-on-failure"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n", "harness.yml:1:1: the file must be a mapping, not a list"),
        ("unit_tests: shop\n", "harness.yml:1:13: 'unit_tests' must be a list, not 'shop'"),
        (
            "unit_tests:\n  - name: x\n    command: 'pytest --junitxml={junit}'\n",
            "harness.yml:3:14: unit test source 1 (x): 'command' must be a list of the program "
            "and its arguments: [pytest, \"--junitxml={junit}\"], not 'pytest --junitxml={junit}'",
        ),
        (
            "features:\n  cart: [a]\n",
            "harness.yml:2:9: feature 'cart': 'cart' must be a mapping (unit, description) or "
            "nothing, not a list",
        ),
        ("", "harness.yml:1:1: the file is empty: expected a mapping of keys"),
    ],
)
def test_single_mistakes(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SourceError) as caught:
        load_project_file(path, "harness.yml")
    assert str(caught.value) == message


def test_harness_schema_project_prints_the_same_schema() -> None:
    from click.testing import CliRunner

    from harness.cli import cli

    result = CliRunner().invoke(cli, ["schema", "project"])
    assert result.exit_code == 0
    assert json.loads(result.output) == published(project_schema())
