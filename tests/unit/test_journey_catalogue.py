"""The catalogue of good and bad journeys: every bad file gives exactly its expected messages,
every good file loads, and the printed schema agrees with the validator on all of them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from harness.cli import cli
from harness.core.journey.checks import describe
from harness.core.journey.loader import check_file, is_steps_file, load_journey, load_steps
from harness.core.journey.schema import JOURNEY_SCHEMA, STEPS_SCHEMA
from harness.core.source import load_document
from harness.core.validation import check
from harness.errors import SourceError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "journeys"
BAD = sorted((DATA / "bad").glob("*.expected"))
GOOD = sorted(p for p in (DATA / "good").rglob("*.yml"))


@pytest.fixture(autouse=True)
def _in_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Messages name files relative to the current directory, as users see them.
    monkeypatch.chdir(ROOT)


def _source_of(expected: Path) -> Path:
    return expected.with_name(expected.name.removesuffix(".expected") + ".yml")


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("expected", BAD, ids=lambda p: p.name.removesuffix(".expected"))
def test_each_bad_file_gives_exactly_its_expected_messages(expected: Path) -> None:
    problems = check_file(_relative(_source_of(expected)))
    assert "\n".join(str(p) for p in problems) + "\n" == expected.read_text()


def test_the_catalogue_covers_every_error_class_of_the_language() -> None:
    names = {p.name.split(".")[0] for p in BAD}
    required = {
        "unknown_key",
        "unknown_locator_key",
        "wrong_type",
        "locator_no_target",
        "locator_two_targets",
        "duplicate_key",
        "empty",
        "unknown_variable",
        "use_missing_file",
        "use_undeclared_param",
        "use_missing_param",
        "syntax_error",
        "bad_duration",
        "two_actions",
        "no_action",
    }
    assert required <= names
    assert len(BAD) == len(list((DATA / "bad").glob("*.yml")))  # one .expected per bad file


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_each_good_file_loads_without_problems_or_warnings(path: Path) -> None:
    loaded = load_steps(path) if is_steps_file(path) else load_journey(path)
    assert loaded.warnings == ()
    assert check_file(path) == []


def _printed_schema(kind: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["schema", kind])
    assert result.exit_code == 0, result.output
    schema: dict[str, object] = json.loads(result.output)
    return schema


def _schema_verdicts(paths: list[Path]) -> list[tuple[str, bool, bool]]:
    """(file, the printed schema accepts it, the validator finds no schema problem)."""
    printed = {True: _printed_schema("steps"), False: _printed_schema("journey")}
    ours = {True: STEPS_SCHEMA, False: JOURNEY_SCHEMA}
    verdicts = []
    for path in paths:
        try:
            document = load_document(path)
        except SourceError:
            continue  # not YAML: neither schema is asked
        steps = is_steps_file(path)
        accepted = jsonschema.Draft202012Validator(
            printed[steps], format_checker=jsonschema.FormatChecker()
        ).is_valid(document.data)
        schema_problems = [
            p for p in check(document, ours[steps], describe) if p not in document.problems
        ]
        verdicts.append((path.name, accepted, not schema_problems))
    return verdicts


def test_the_printed_schema_and_the_validator_agree_on_every_example() -> None:
    bad_sources = [_source_of(p) for p in BAD]
    verdicts = _schema_verdicts(GOOD + bad_sources)
    disagreements = [v for v in verdicts if v[1] != v[2]]
    assert disagreements == []
    assert all(accepted for name, accepted, _ in verdicts if name in {p.name for p in GOOD})
    assert sum(not accepted for _, accepted, _ in verdicts) >= 20


def test_the_printed_schema_serves_editors() -> None:
    for kind in ("journey", "steps"):
        schema = _printed_schema(kind)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert str(schema["$id"]).startswith("urn:harness:schema:")
        assert schema["title"]
    step = _printed_schema("journey")["$defs"]["step"]  # type: ignore[index]
    assert all("description" in spec for spec in step["properties"].values())
