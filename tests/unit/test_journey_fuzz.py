"""Random and mutated journey documents never make the loader fail with anything but a
SourceError whose problems are located: no traceback ever reaches a user."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.core.journey.loader import JourneyLoader
from harness.core.journey.schema import ACTIONS, ASSERTIONS, TARGET_KINDS
from harness.errors import Problem, SourceError
from tests.support.documents import places

GOOD = Path(__file__).resolve().parents[1] / "data" / "journeys" / "good"
TOP_KEYS = [
    "name", "description", "tags", "covers", "timeout", "step_timeout", "retries", "vars",
    "browser", "environments", "quarantine", "setup", "steps", "teardown", "params",
]  # fmt: skip
OTHER_KEYS = [
    "value", "key", "option", "files", "for", "state", "url", "response", "method", "json",
    "data", "headers", "status", "contains", "save", "regex", "ignore_case", "with", "nth",
    "within", "frame", "has_text", "exact", "accept", "attribute", "full_page", "until", "reason",
]  # fmt: skip
WORDS = [
    "${email}", "${env.HOME}", "${secrets.X}", "${", "$${a}", "${a.b.c}", "10s", "500ms", "-1",
    "accept", "button", "GET", "shared/checkout.steps.yml", "shared/login.steps.yml",
    "missing.steps.yml", "fixtures/avatar.png", "^a(", "2026-02-30", "",
]  # fmt: skip

keys = st.sampled_from([*TOP_KEYS, *ACTIONS, *TARGET_KINDS, *ASSERTIONS, *OTHER_KEYS]) | st.text(
    max_size=6
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-5, 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(WORDS)
    | st.text(max_size=12)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)
documents = st.dictionaries(st.sampled_from(TOP_KEYS) | keys, values, max_size=8)
_counter = itertools.count()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the good shared steps and fixtures, so random ``use:`` paths can exist."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(GOOD / "shared", root / "shared")
    shutil.copytree(GOOD / "fixtures", root / "fixtures")
    (root / "harness.yml").write_text("journeys: .\n")
    return root


def _load(folder: Path, text: str, suffix: str) -> None:
    path = folder / f"f{next(_counter)}{suffix}"
    path.write_text(text)
    for problem in _problems(JourneyLoader(folder), path, suffix):
        assert problem.line >= 1
        assert problem.column >= 1
        assert problem.message.strip()
        assert "Traceback" not in str(problem)


def _problems(loader: JourneyLoader, path: Path, suffix: str) -> tuple[Problem, ...]:
    """The problems the loader reports; any other exception fails the test."""
    try:
        if suffix == ".steps.yml":
            loader.shared_steps(path)
        else:
            loader.journey(path)
    except SourceError as exc:
        return exc.problems or (Problem(str(path), 0, 0, "a SourceError without problems"),)
    return ()


def _dump(document: Any) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(document=documents, suffix=st.sampled_from([".journey.yml", ".steps.yml"]))
def test_random_documents(folder: Path, document: dict[str, Any], suffix: str) -> None:
    _load(folder, _dump(document), suffix)


@FUZZ
@given(document=values)
def test_random_values_as_a_whole_file(folder: Path, document: Any) -> None:
    _load(folder, _dump(document), ".journey.yml")


def _good_documents() -> list[tuple[Any, str]]:
    return [
        (
            yaml.safe_load(path.read_text()),
            ".steps.yml" if path.name.endswith(".steps.yml") else ".journey.yml",
        )
        for path in sorted(GOOD.rglob("*.yml"))
    ]


def _mutate(document: Any, path: tuple[Any, ...], how: str, new: Any, key: str) -> Any:
    if not path:
        return new if how == "replace" else document
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "replace":
        parent[last] = new
    elif how == "delete":
        del parent[last]
    elif how == "add" and isinstance(parent[last], dict):
        parent[last][key] = new
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(last, parent[last])
    return document


@FUZZ
@given(
    data=st.data(),
    how=st.sampled_from(["replace", "delete", "add", "duplicate"]),
    new=values,
    key=keys,
)
def test_mutated_good_documents(
    folder: Path, data: st.DataObject, how: str, new: Any, key: str
) -> None:
    document, suffix = data.draw(st.sampled_from(_good_documents()))
    path = data.draw(st.sampled_from(places(document)))
    _load(folder, _dump(_mutate(document, path, how, new, key)), suffix)


@FUZZ
@given(data=st.data(), cut=st.integers(0, 40), insert=st.text(max_size=8))
def test_mutated_good_texts(folder: Path, data: st.DataObject, cut: int, insert: str) -> None:
    path = data.draw(st.sampled_from(sorted(GOOD.rglob("*.yml"))))
    text = path.read_text()
    at = data.draw(st.integers(0, len(text)))
    suffix = ".steps.yml" if path.name.endswith(".steps.yml") else ".journey.yml"
    _load(folder, text[:at] + insert + text[at + cut :], suffix)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    return [p for p in places(value, path) if not _is_container(_at(value, p))]


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _is_container(value: Any) -> bool:
    return isinstance(value, (dict, list))


@FUZZ
@given(data=st.data(), new=scalars)
def test_good_documents_with_one_scalar_changed(
    folder: Path, data: st.DataObject, new: Any
) -> None:
    # Each value of a valid file, swapped for another scalar: the model must never meet a
    # value that passed the schema but cannot be built (e.g. a timeout of .inf).
    document, suffix = data.draw(st.sampled_from(_good_documents()))
    path = data.draw(st.sampled_from(_leaves(document)))
    _load(folder, _dump(_mutate(document, path, "replace", new, "")), suffix)
