"""harness.yml: where journeys and environments live, which unit tests to run or read, which
features they cover, and what fails the gate. Every key has a default; the file is optional.

One JSON Schema (:func:`project_schema`) serves editors and the validator; a valid file becomes
a frozen :class:`ProjectConfig` whose ``root`` (the file's folder) anchors every relative path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from harness.contract import (
    DEFAULT_FAIL_ON,
    DEFAULT_HISTORY_WINDOW,
    DEFAULT_TRACE,
    FAIL_ON_WORDS,
    PROJECT_FILE,
    TRACE_MODES,
    TraceMode,
)
from harness.core.durations import DURATION_HELP, DURATION_PATTERN, parse_duration
from harness.core.features import FeatureConfig
from harness.core.remote_browser import BROWSER_SCHEMA, BrowserConfig
from harness.core.source import DocPath, Document, load_document, value_at
from harness.core.templating import check_text
from harness.core.validation import check
from harness.errors import Problem, SourceError, UsageError

#: Overrides ``history.url`` (a team's shared store, given to CI as a secret).
HISTORY_URL_ENV = "HARNESS_HISTORY_URL"
#: ``unit_tests[].kind``.
SUITE_KINDS = ("unit", "integration")
#: Where the harness puts the unit-test command's JUnit file.
JUNIT_PLACEHOLDER = "{junit}"

_FEATURE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$"
_FEATURE_ID_HELP = "a feature id (letters, digits, and _ . : / -)"
_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_BROWSER_NAMESPACES = frozenset({"env", "secrets"})
_PATHS = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    ],
    "x-expected": "a glob or a list of globs",
}
_UNIT_SOURCE = {
    "type": "object",
    "properties": {
        "name": {
            "type": "string",
            "pattern": _NAME,
            "x-expected": "a name (letters, digits, and _ . -)",
            "description": "names the suite in reports",
        },
        "command": {
            "type": "array",
            "items": {"type": ["string", "number"], "x-expected": "text or a number"},
            "minItems": 1,
            "x-expected": 'a list of the program and its arguments: [pytest, "--junitxml={junit}"]',
            "description": "the program and its arguments (no shell), run in the project root; "
            "{junit} is replaced by the JUnit file the harness chooses, {python} by the "
            "harness's interpreter",
        },
        "junit": {**_PATHS, "description": "existing JUnit files, globs from the project root"},
        "cwd": {"type": "string", "description": "run the command here (default: project root)"},
        "env": {
            "type": "object",
            "additionalProperties": {"type": ["string", "number", "boolean"]},
            "description": "extra environment variables for the command; {junit} works here too",
        },
        "timeout": {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0},
                {"type": "string", "pattern": DURATION_PATTERN, "x-expected": DURATION_HELP},
            ],
            "x-expected": DURATION_HELP,
            "description": "stop the command after this long (default 30m)",
        },
        "kind": {
            "enum": list(SUITE_KINDS),
            "description": "unit (default) or integration: a passing integration suite counts "
            "toward gate.min_integration_coverage",
        },
    },
    "required": ["name"],
    "additionalProperties": False,
    "oneOf": [{"required": ["command"]}, {"required": ["junit"]}],
    "x-exactly-one": {
        "what": "a unit-test source needs exactly one of command or junit",
        "hint": "command runs the tests; junit reads reports that already exist",
    },
}
_SHARE = {"type": "number", "minimum": 0, "maximum": 1, "x-expected": "a share from 0 to 1"}
_POLICY = {
    "max_flaky_rate": {
        **_SHARE,
        "description": "fail (exit 6) when a journey's flaky runs / runs over the history "
        "window is above this",
    },
    "max_mock_ratio": {
        "type": "number",
        "minimum": 0,
        "x-expected": "a number, 0 or more",
        "description": "fail (exit 6) when a feature has more mocking unit tests per "
        "non-mocking one than this",
    },
    "min_e2e_coverage": {
        **_SHARE,
        "description": "fail (exit 6) when fewer features than this share have a journey",
    },
    "min_integration_coverage": {
        **_SHARE,
        "description": "fail (exit 6) when fewer features than this share have a passing "
        "test in a unit_tests source of kind integration",
    },
}
_HISTORY = {
    "type": "object",
    "properties": {
        "url": {
            "type": "string",
            "minLength": 1,
            "description": "the history store: a SQLAlchemy URL (postgresql://..., "
            "sqlite:///file); default sqlite file .harness/history.sqlite; "
            f"{HISTORY_URL_ENV} overrides it",
        },
        "window": {
            "type": "integer",
            "minimum": 1,
            "x-expected": "a whole number of runs, 1 or more",
            "description": f"runs the metrics look back over (default {DEFAULT_HISTORY_WINDOW})",
        },
    },
    "additionalProperties": False,
}
_FEATURE = {
    "type": "object",
    "properties": {
        "description": {"type": "string"},
        "unit": {
            **_PATHS,
            "description": "patterns (fnmatch) matched against a unit test's file::name "
            "and classname.name",
        },
    },
    "additionalProperties": False,
}


def project_schema() -> dict[str, Any]:
    """The JSON Schema of harness.yml (``harness schema project``)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "harness.yml",
        "description": "The harness's project configuration; every key has a default.",
        "type": "object",
        "properties": {
            "journeys": {"type": "string", "description": "journey folder (default: journeys)"},
            "environments": {
                "type": "string",
                "description": "environment folder (default: environments)",
            },
            "default_environment": {"type": "string", "minLength": 1},
            "artifacts": {"type": "string", "description": "run folders (default: .harness/runs)"},
            "unit_tests": {"type": "array", "items": _UNIT_SOURCE},
            "features": {
                "type": "object",
                "additionalProperties": {
                    "anyOf": [{"type": "null"}, _FEATURE],
                    "x-expected": "a mapping (unit, description) or nothing",
                },
                "propertyNames": {"pattern": _FEATURE_ID, "x-expected": _FEATURE_ID_HELP},
                "x-key-noun": "feature",
            },
            "gate": {
                "type": "object",
                "properties": {
                    "fail_on": {
                        "type": "array",
                        "items": {"enum": list(FAIL_ON_WORDS)},
                        "uniqueItems": True,
                        "description": "what fails the gate (default: failed, green_but_broken)",
                    },
                    **_POLICY,
                },
                "additionalProperties": False,
            },
            "browser": BROWSER_SCHEMA,
            "history": _HISTORY,
            "trace": {
                "enum": list(TRACE_MODES),
                "description": f"when a journey attempt records a Playwright trace and keeps it "
                f"(default: {DEFAULT_TRACE}; --trace overrides it)",
            },
        },
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class UnitTestSource:
    """One ``unit_tests`` entry: a command to run, or JUnit globs to read."""

    name: str
    command: tuple[str, ...] = ()
    junit: tuple[str, ...] = ()
    cwd: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 1800.0
    kind: str = "unit"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> UnitTestSource:
        return cls(
            name=data["name"],
            command=tuple(str(part) for part in data.get("command", ())),
            junit=_as_tuple(data.get("junit", ())),
            cwd=data.get("cwd"),
            env={key: _text(value) for key, value in data.get("env", {}).items()},
            timeout=parse_duration(data.get("timeout", 1800)),
            kind=data.get("kind", "unit"),
        )


@dataclass(frozen=True)
class GatePolicy:
    """The policy limits of ``gate`` (each optional): one not met fails the gate with exit 6."""

    max_flaky_rate: float | None = None
    max_mock_ratio: float | None = None
    min_e2e_coverage: float | None = None
    min_integration_coverage: float | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> GatePolicy:
        return cls(**{key: float(data[key]) for key in _POLICY if key in data})

    def __bool__(self) -> bool:
        return any(getattr(self, key) is not None for key in _POLICY)


@dataclass(frozen=True)
class HistoryConfig:
    """``history``: where runs are remembered (None: the project's sqlite file) and the window."""

    url: str | None = None
    window: int = DEFAULT_HISTORY_WINDOW


@dataclass(frozen=True)
class ProjectConfig:
    """A validated harness.yml (or the defaults), with ``root`` the folder it lives in."""

    root: Path
    file: Path | None = None
    journeys: str = "journeys"
    environments: str = "environments"
    default_environment: str | None = None
    artifacts: str = ".harness/runs"
    unit_tests: tuple[UnitTestSource, ...] = ()
    features: tuple[FeatureConfig, ...] = ()
    fail_on: tuple[str, ...] = DEFAULT_FAIL_ON
    browser: BrowserConfig = field(default_factory=BrowserConfig)
    policy: GatePolicy = field(default_factory=GatePolicy)
    history: HistoryConfig = field(default_factory=HistoryConfig)
    trace: TraceMode = DEFAULT_TRACE

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], file: Path) -> ProjectConfig:
        features = data.get("features", {})
        return cls(
            root=file.parent,
            file=file,
            journeys=data.get("journeys", "journeys"),
            environments=data.get("environments", "environments"),
            default_environment=data.get("default_environment"),
            artifacts=data.get("artifacts", ".harness/runs"),
            unit_tests=tuple(UnitTestSource.from_mapping(u) for u in data.get("unit_tests", [])),
            features=tuple(
                FeatureConfig(fid, _as_tuple((spec or {}).get("unit", ())))
                for fid, spec in features.items()
            ),
            fail_on=tuple(data.get("gate", {}).get("fail_on", DEFAULT_FAIL_ON)),
            browser=BrowserConfig.from_mapping(data.get("browser")),
            policy=GatePolicy.from_mapping(data.get("gate", {})),
            history=HistoryConfig(
                data.get("history", {}).get("url"),
                data.get("history", {}).get("window", DEFAULT_HISTORY_WINDOW),
            ),
            trace=data.get("trace", DEFAULT_TRACE),
        )

    @classmethod
    def defaults(cls, root: Path) -> ProjectConfig:
        return cls(root=root)


def _as_tuple(value: str | Sequence[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def find_project_file(start: Path) -> Path | None:
    """harness.yml in ``start`` or the nearest parent that has one (anything but a folder: a
    FIFO is then refused by name when it is read, never taken for no harness.yml)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        found = folder / PROJECT_FILE
        if found.exists() and not found.is_dir():
            return folder / PROJECT_FILE
    return None


def load_project(config: str | Path | None = None, cwd: Path | None = None) -> ProjectConfig:
    """The project: ``config`` when given (``--config``), else harness.yml found from ``cwd``
    upwards, else the defaults rooted at ``cwd``. Raises SourceError with every problem."""
    here = (cwd or Path.cwd()).resolve()
    if config is not None:
        path = here / config  # an absolute config stays as it is
        if not path.exists() or path.is_dir():
            raise UsageError(f"--config {config}: no such file")
        return load_project_file(path)
    found = find_project_file(here)
    return load_project_file(found) if found else ProjectConfig.defaults(here)


def load_project_or_defaults(
    config: str | Path | None = None, cwd: Path | None = None
) -> tuple[ProjectConfig, list[Problem]]:
    """:func:`load_project`, or, when harness.yml has problems, its defaults rooted where it lies
    and the problems: for commands that report every problem of every file at once."""
    try:
        return load_project(config, cwd), []
    except SourceError as exc:
        here = (cwd or Path.cwd()).resolve()
        found = here / config if config is not None else find_project_file(here)
        if found is None:
            return ProjectConfig.defaults(here), list(exc.problems)
        defaults = ProjectConfig.defaults(found.resolve().parent)
        return replace(defaults, file=found.resolve()), list(exc.problems)


def load_project_file(path: Path, display: str | None = None) -> ProjectConfig:
    """Read, validate and build one harness.yml."""
    document = load_document(path, display)
    problems = check_project(document)
    if problems:
        raise SourceError(problems)
    return ProjectConfig.from_mapping(document.data, path.resolve())


def check_project(document: Document) -> list[Problem]:
    """Every problem of a harness.yml: the schema's first, then what a schema cannot say."""
    problems = check(document, project_schema(), describe=_describe)
    if not isinstance(document.data, dict):
        return problems
    problems += _duplicate_names(document) + _commands_without_junit(document)
    problems += _bad_patterns(document) + _browser_references(document)
    return sorted(set(problems), key=lambda p: (p.line, p.column, p.message))


def _describe(path: DocPath, data: Any) -> str:
    if len(path) >= 2 and path[0] == "unit_tests" and isinstance(path[1], int):
        name = value_at(data, ("unit_tests", path[1], "name"))
        return f"unit test source {path[1] + 1}" + (f" ({name})" if isinstance(name, str) else "")
    if len(path) >= 2 and path[0] == "features":
        return f"feature '{path[1]}'"
    return ""


def _sources(document: Document) -> list[tuple[int, dict[str, Any]]]:
    """The well-formed enough ``unit_tests`` entries (the schema reports the others)."""
    sources = document.data.get("unit_tests")
    if not isinstance(sources, list):
        return []
    return [
        (index, source)
        for index, source in enumerate(sources)
        if isinstance(source, dict) and isinstance(source.get("name"), str)
    ]


def _duplicate_names(document: Document) -> list[Problem]:
    problems, seen = [], set()
    for index, source in _sources(document):
        if source["name"] in seen:
            problems.append(
                document.problem(
                    ("unit_tests", index, "name"),
                    f"unit test source {index + 1}: the name '{source['name']}' is used twice; "
                    "each names one suite in reports",
                )
            )
        seen.add(source["name"])
    return problems


def _commands_without_junit(document: Document) -> list[Problem]:
    problems = []
    for index, source in _sources(document):
        command, env = source.get("command"), source.get("env")
        texts = [str(part) for part in command] if isinstance(command, list) else []
        if not texts:
            continue
        texts += [str(value) for value in env.values()] if isinstance(env, dict) else []
        if not any(JUNIT_PLACEHOLDER in text for text in texts):
            problems.append(
                document.problem(
                    ("unit_tests", index, "command"),
                    f"unit test source {index + 1} ({source['name']}): neither the command nor "
                    f"its env has {JUNIT_PLACEHOLDER}, so the harness cannot find its results",
                    (
                        "Put {junit} where the tool takes its JUnit output file, e.g. "
                        '"--junitxml={junit}" for pytest, or JEST_JUNIT_OUTPUT_FILE: "{junit}"',
                    ),
                )
            )
    return problems


def _bad_patterns(document: Document) -> list[Problem]:
    problems = []
    features = document.data.get("features")
    for feature, spec in features.items() if isinstance(features, dict) else ():
        unit = spec.get("unit", ()) if isinstance(spec, dict) else ()
        patterns = _as_tuple(unit) if isinstance(unit, (str, list)) else ()
        for index, pattern in enumerate(patterns):
            if isinstance(pattern, str) and re.fullmatch(r"[*?\s]*", pattern):
                path: DocPath = ("features", feature, "unit")
                path += (index,) if not isinstance(spec["unit"], str) else ()
                problems.append(
                    document.problem(
                        path,
                        f"feature '{feature}': the pattern {pattern!r} matches every test",
                        ("Name the tests, e.g. 'tests/test_cart.py::*' or '*CartForm*'",),
                    )
                )
    return problems


def _browser_references(document: Document) -> list[Problem]:
    """harness.yml's browser endpoint and headers may use ``${env.X}`` and ``${secrets.X}``."""
    browser = document.data.get("browser")
    if not isinstance(browser, dict):
        return []
    texts: list[tuple[DocPath, Any]] = [(("browser", "endpoint"), browser.get("endpoint"))]
    headers = browser.get("headers")
    if isinstance(headers, dict):
        texts += [(("browser", "headers", name), value) for name, value in headers.items()]
    return [
        document.problem(path, issue.message, issue.hints, offset=issue.offset)
        for path, text in texts
        if isinstance(text, str)
        for issue in check_text(text, (), _BROWSER_NAMESPACES)
    ]
