"""The quick "valid?" of jsonschema-rs and the full check of jsonschema must agree: a document
the first lets through is never checked by the second. Held over every file of the catalogues
and over documents made by breaking good ones at random."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.core.environment import environment_schema
from harness.core.journey.schema import JOURNEY_SCHEMA, STEPS_SCHEMA
from harness.core.project import project_schema
from harness.core.schema_messages import _validator
from harness.core.source import load_document
from harness.core.validation import check, is_valid
from harness.errors import SourceError
from tests.support.documents import places

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"


def _schema_for(path: Path) -> dict[str, Any]:
    name = path.name
    if name.endswith((".journey.yml", ".journey.yaml")):
        return JOURNEY_SCHEMA
    if name.endswith((".steps.yml", ".steps.yaml")):
        return STEPS_SCHEMA
    if name in ("harness.yml", "harness.yaml"):
        return project_schema()
    return environment_schema()


def _files() -> list[Path]:
    journeys = [*(DATA / "journeys").rglob("*.yml"), *EXAMPLES.rglob("*.journey.yml")]
    steps = list(EXAMPLES.rglob("*.steps.yml"))
    environments = [*(DATA / "environments").rglob("*.yml"), *EXAMPLES.rglob("environments/*.yml")]
    projects = [*(DATA / "projects").rglob("harness.yml"), *EXAMPLES.rglob("harness.yml")]
    return sorted({*journeys, *steps, *environments, *projects})


def _readable(path: Path) -> bool:
    """Files that stop before the schema (empty, not YAML) have nothing to compare."""
    try:
        load_document(path)
    except SourceError:
        return False
    return True


def _full_check_finds_nothing(data: Any, schema: dict[str, Any]) -> bool:
    return not any(True for _ in _validator(schema).iter_errors(data))


FILES = [path for path in _files() if _readable(path)]


def test_the_catalogues_hold_valid_and_invalid_files_of_every_kind() -> None:
    verdicts = {
        (_schema_for(p).get("title"), is_valid(load_document(p).data, _schema_for(p)))
        for p in FILES
    }
    kinds = {title for title, _ in verdicts}
    assert len(kinds) == 4
    assert {(kind, valid) for kind in kinds for valid in (True, False)} - verdicts <= {
        ("Harness shared steps", False)
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_both_stages_agree_on_every_catalogue_file(path: Path) -> None:
    data = load_document(path).data
    schema = _schema_for(path)
    assert is_valid(data, schema) == _full_check_finds_nothing(data, schema)


GOOD = [
    load_document(p).data
    for p in FILES
    if p.name.endswith(".journey.yml") and is_valid(load_document(p).data, JOURNEY_SCHEMA)
]

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(
        ["", "/", "10s", "2m", "button", "Pay", "a(", "[x", "2026-02-30", "x.steps.yml"]
    ),
    st.text(max_size=6),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["role", "name", "css", "value", "timeout", "text", "x", "regex"]),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=6,
)


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _at(data, path[:-1])[path[-1]] = value
    return data


def _delete(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if path:
        del _at(data, path[:-1])[path[-1]]
    return data


def _add_key(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    target = _at(data, path)
    if isinstance(target, dict):
        target[str(value)[:8] if isinstance(value, str) else "force"] = value
    return data


_MUTATIONS: list[Callable[[Any, tuple[Any, ...], Any], Any]] = [_replace, _delete, _add_key]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_both_stages_agree_on_good_journeys_broken_at_random(data: st.DataObject) -> None:
    document = copy.deepcopy(data.draw(st.sampled_from(GOOD)))
    for _ in range(data.draw(st.integers(1, 3))):
        place = data.draw(st.sampled_from(places(document)))
        mutate = data.draw(st.sampled_from(_MUTATIONS))
        document = mutate(document, place, data.draw(_VALUES))
    assert is_valid(document, JOURNEY_SCHEMA) == _full_check_finds_nothing(document, JOURNEY_SCHEMA)


def test_a_valid_file_has_no_problems_and_a_bad_one_keeps_its_located_message(
    tmp_path: Path,
) -> None:
    good = tmp_path / "a.journey.yml"
    good.write_text("name: a\nsteps:\n  - goto: /\n")
    bad = tmp_path / "b.journey.yml"
    bad.write_text("name: b\nsteps:\n  - goto: 3\n")
    assert check(load_document(good), JOURNEY_SCHEMA) == []
    (problem,) = check(load_document(bad), JOURNEY_SCHEMA)
    assert (problem.line, problem.column) == (3, 11)
