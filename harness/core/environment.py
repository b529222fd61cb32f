"""Environment files (``environments/NAME.yml``): what to boot, where the app answers, how to seed.

One JSON Schema (:func:`environment_schema`) serves editors and the validator; a file that
passes it and the checks here becomes a frozen :class:`Environment`. Nothing here boots anything.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from harness.core.durations import DURATION_HELP, DURATION_PATTERN, parse_duration
from harness.core.remote_browser import BROWSER_SCHEMA, BrowserConfig
from harness.core.source import DocPath, Document, load_document, value_at
from harness.core.suggest import closest_name, did_you_mean
from harness.core.templating import check_text, names_in
from harness.core.validation import check
from harness.errors import Problem, SourceError, UsageError

ReadyKind = Literal["http", "tcp", "log"]
READY_KINDS: tuple[ReadyKind, ...] = ("http", "tcp", "log")

_DURATION = {
    "anyOf": [
        {"type": "number", "minimum": 0, "x-expected": DURATION_HELP},
        {"type": "string", "pattern": DURATION_PATTERN, "x-expected": DURATION_HELP},
    ],
    "x-expected": DURATION_HELP,
}
_COMMAND = {
    "type": "array",
    "items": {"type": ["string", "number"], "x-expected": "text or a number"},
    "minItems": 1,
    "description": "the program and its arguments, one item each (no shell)",
}
_ENV = {
    "type": "object",
    "additionalProperties": {"type": ["string", "number", "boolean"], "x-expected": "text"},
    "propertyNames": {
        "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
        "x-expected": "an environment variable name (letters, digits and _)",
    },
    "description": "environment variables, values may use ${env.X} and ${secrets.X}",
}
_READY = {
    "type": "object",
    "description": "how to know it is ready: exactly one of http, tcp or log, and a timeout",
    "properties": {
        "http": {"type": "string", "description": "a URL that answers 2xx or 3xx when ready"},
        "tcp": {"type": "string", "description": "HOST:PORT that accepts a connection"},
        "log": {"type": "string", "format": "regex", "description": "a regex the output matches"},
        "timeout": {**_DURATION, "description": "how long to wait (default 60s)"},
    },
    "additionalProperties": False,
    "oneOf": [{"required": [kind]} for kind in READY_KINDS],
    "x-exactly-one": {"what": "a readiness check needs exactly one of http, tcp, log"},
}
_COMPOSE = {
    "type": "object",
    "description": "a Docker Compose stack, booted with a project name of its own per run",
    "properties": {
        "files": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "minItems": 1,
            "description": "compose files, relative to the project root",
        },
        "project_directory": {"type": "string", "description": "default: the first file's"},
        "build_timeout": {**_DURATION, "description": "limit for building images (10m)"},
        "start_timeout": {**_DURATION, "description": "limit for creating and starting (3m)"},
        "wait_timeout": {**_DURATION, "description": "limit for every service to be ready (3m)"},
        "stable_for": {
            **_DURATION,
            "description": "how long a service without health check "
            "must run without restarting to count as ready (2s)",
        },
        "stop_timeout": {**_DURATION, "description": "grace period when stopping (5s)"},
        "one_shot": {
            "type": "array",
            "items": {"type": "string"},
            "description": "services that run once and must exit 0 (migrations, seeds)",
        },
        "env": _ENV,
    },
    "required": ["files"],
    "additionalProperties": False,
}
_PROCESS = {
    "type": "object",
    "properties": {
        "name": {
            "type": "string",
            "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]*$",
            "x-expected": "a name of letters, digits, _, . and -",
        },
        "command": {
            **_COMMAND,
            "description": "the program and its arguments (no shell); {python} is the harness's "
            "interpreter, whose folder also leads PATH",
        },
        "cwd": {"type": "string", "description": "working directory, relative to the project root"},
        "env": _ENV,
        "ready": _READY,
        "stop_timeout": {**_DURATION, "description": "grace between SIGTERM and SIGKILL (5s)"},
    },
    "required": ["name", "command"],
    "additionalProperties": False,
}
_SEED = {
    "type": "object",
    "properties": {
        "exec": {
            "type": "object",
            "description": "a command run inside a running Compose service",
            "properties": {"service": {"type": "string"}, "command": _COMMAND},
            "required": ["service", "command"],
            "additionalProperties": False,
        },
        "run": {
            **_COMMAND,
            "description": "a command run on the host, in the project root ({python}: the "
            "harness's interpreter)",
        },
        "name": {"type": "string", "description": "shown in logs and errors"},
        "timeout": {**_DURATION, "description": "limit for this step (5m)"},
    },
    "additionalProperties": False,
    "oneOf": [{"required": ["exec"]}, {"required": ["run"]}],
    "x-exactly-one": {"what": "a seed step needs exactly one of exec, run"},
}


def environment_schema() -> dict[str, Any]:
    """The JSON Schema of an environment file (``harness schema environment``)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "harness environment",
        "type": "object",
        "properties": {
            "$schema": {"type": "string"},
            "description": {"type": "string"},
            "compose": _COMPOSE,
            "processes": {"type": "array", "items": _PROCESS, "minItems": 1},
            "urls": {
                "type": "object",
                "additionalProperties": {"type": "string", "minLength": 1},
                "propertyNames": {
                    "pattern": "^[A-Za-z0-9_][A-Za-z0-9_-]*$",
                    "x-expected": "a url name (letters, digits, _ and -)",
                },
                "description": "where the app answers; urls.web is where journeys start",
            },
            "seed": {"type": "array", "items": _SEED},
            "ready": {**_READY, "description": "a probe that must pass before journeys run"},
            "browser_urls": {
                "type": "object",
                "additionalProperties": {"type": "string", "minLength": 1},
                "description": "where a remote browser finds the app, when it sees it under "
                "another address than the harness (a browser in a container: http://web:8000); "
                "each name must be one of urls",
            },
            "browser": BROWSER_SCHEMA,
        },
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class ReadyCheck:
    """A readiness probe: an HTTP URL, a TCP HOST:PORT, or a regex over a process's output."""

    kind: ReadyKind
    target: str
    timeout_s: float = 60.0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ReadyCheck:
        kind = next(k for k in READY_KINDS if k in data)
        return cls(kind, str(data[kind]), _seconds(data, "timeout", 60.0))

    def describe(self) -> str:
        return f"{self.kind} {self.target}"


@dataclass(frozen=True)
class ComposeConfig:
    """The Compose part of an environment; paths are absolute."""

    files: tuple[Path, ...]
    project_directory: Path
    build_timeout_s: float = 600.0
    start_timeout_s: float = 180.0
    wait_timeout_s: float = 180.0
    stable_for_s: float = 2.0
    stop_timeout_s: float = 5.0
    one_shot: frozenset[str] = frozenset()
    env: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], root: Path) -> ComposeConfig:
        files = tuple((root / f).resolve() for f in data["files"])
        directory = data.get("project_directory")
        return cls(
            files=files,
            project_directory=(root / directory).resolve() if directory else files[0].parent,
            build_timeout_s=_seconds(data, "build_timeout", 600.0),
            start_timeout_s=_seconds(data, "start_timeout", 180.0),
            wait_timeout_s=_seconds(data, "wait_timeout", 180.0),
            stable_for_s=_seconds(data, "stable_for", 2.0),
            stop_timeout_s=_seconds(data, "stop_timeout", 5.0),
            one_shot=frozenset(data.get("one_shot", ())),
            env=_strings(data.get("env", {})),
        )


@dataclass(frozen=True)
class ProcessConfig:
    """A local command the harness starts, waits for, and stops with its whole process group."""

    name: str
    command: tuple[str, ...]
    cwd: Path
    env: Mapping[str, str] = field(default_factory=dict)
    ready: ReadyCheck | None = None
    stop_timeout_s: float = 5.0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], root: Path) -> ProcessConfig:
        return cls(
            name=data["name"],
            command=tuple(str(arg) for arg in data["command"]),
            cwd=(root / data.get("cwd", ".")).resolve(),
            env=_strings(data.get("env", {})),
            ready=ReadyCheck.from_mapping(data["ready"]) if "ready" in data else None,
            stop_timeout_s=_seconds(data, "stop_timeout", 5.0),
        )


@dataclass(frozen=True)
class SeedStep:
    """A command run once the stack is ready: ``exec`` in a Compose service or ``run`` on host."""

    kind: Literal["exec", "run"]
    command: tuple[str, ...]
    service: str | None = None
    name: str = ""
    timeout_s: float = 300.0

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SeedStep:
        timeout = _seconds(data, "timeout", 300.0)
        name = str(data.get("name", ""))
        if "exec" in data:
            command = tuple(str(arg) for arg in data["exec"]["command"])
            return cls("exec", command, data["exec"]["service"], name, timeout)
        return cls("run", tuple(str(arg) for arg in data["run"]), None, name, timeout)

    def describe(self, command: Sequence[str] | None = None) -> str:
        """The step as written, or with ``command`` (rendered; the caller masks its secrets)."""
        where = f"exec in {self.service}" if self.kind == "exec" else "run"
        label = f"{self.name}: " if self.name else ""
        return f"{label}{where}: {' '.join(self.command if command is None else command)}"


@dataclass(frozen=True)
class Environment:
    """A validated environment file: a Compose stack and/or processes, urls, seed steps."""

    name: str
    file: Path
    root: Path
    description: str = ""
    compose: ComposeConfig | None = None
    processes: tuple[ProcessConfig, ...] = ()
    urls: Mapping[str, str] = field(default_factory=dict)
    seed: tuple[SeedStep, ...] = ()
    ready: ReadyCheck | None = None
    source: str = ""
    browser_urls: Mapping[str, str] = field(default_factory=dict)
    browser: BrowserConfig = field(default_factory=BrowserConfig)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], file: Path, root: Path) -> Environment:
        """Build from data that :func:`check_environment` found no problem in."""
        compose = data.get("compose")
        return cls(
            name=file.stem,
            file=file,
            root=root,
            description=str(data.get("description", "")),
            compose=ComposeConfig.from_mapping(compose, root) if compose else None,
            processes=tuple(ProcessConfig.from_mapping(p, root) for p in data.get("processes", ())),
            urls=_strings(data.get("urls", {})),
            seed=tuple(SeedStep.from_mapping(s) for s in data.get("seed", ())),
            ready=ReadyCheck.from_mapping(data["ready"]) if "ready" in data else None,
            source=repr(sorted(data.items())),
            browser_urls=_strings(data.get("browser_urls", {})),
            browser=BrowserConfig.from_mapping(data.get("browser")),
        )

    @property
    def kind(self) -> str:
        """``compose``, ``processes``, ``compose+processes`` or ``external``."""
        parts = [k for k, on in (("compose", self.compose), ("processes", self.processes)) if on]
        return "+".join(parts) or "external"

    def templated_texts(self) -> Iterator[str]:
        """Every text that may hold ``${...}`` references (to find ports to publish, secrets)."""
        yield from self.urls.values()
        yield from self.browser_urls.values()
        yield from self.browser.templated_texts()
        if self.compose:
            yield from self.compose.env.values()
        for process in self.processes:
            yield from (*process.command, *process.env.values(), str(process.cwd))
            yield from (process.ready.target,) if process.ready else ()
        for step in self.seed:
            yield from step.command
        yield from (self.ready.target,) if self.ready else ()

    def compose_ports(self) -> frozenset[tuple[str, int]]:
        """The (service, container port) pairs that ``${compose.SERVICE.PORT}`` refers to."""
        found = set()
        for text in self.templated_texts():
            for name in names_in(text, "compose"):
                service, _, port = name.rpartition(".")
                found.add((service, int(port)))
        return frozenset(found)

    def secret_names(self) -> frozenset[str]:
        return frozenset(n for text in self.templated_texts() for n in names_in(text, "secrets"))


def load_environment(path: Path, root: Path, display: str | None = None) -> Environment:
    """Read, validate and build an environment file; SourceError lists every problem at once."""
    document = load_document(path, display)
    problems = check_environment(document, root)
    if problems:
        raise SourceError(problems)
    return Environment.from_mapping(document.data, Path(path).resolve(), root.resolve())


def environment_files(folder: Path) -> dict[str, Path]:
    """The environment files in ``folder`` by name (``staging`` for staging.yml or .yaml)."""
    if not folder.is_dir():
        return {}
    # Anything but a folder: a FIFO or a device is then refused by name when it is read.
    found = [p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and not p.is_dir()]
    return {path.stem: path for path in sorted(found, reverse=True)}


def find_environment(folder: Path, name: str | None, default: str | None = None) -> Path:
    """The file of environment ``name`` (else ``default``, else the only one) in ``folder``."""
    files = environment_files(folder)
    wanted = name or default or (next(iter(files)) if len(files) == 1 else None)
    if wanted is None:
        known = ", ".join(sorted(files)) or f"none: {folder} holds no .yml file"
        raise UsageError(f"name an environment with --env NAME. Environments: {known}")
    if wanted not in files:
        close = difflib.get_close_matches(wanted, sorted(files), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        known = ", ".join(sorted(files)) or "none"
        raise UsageError(f"no environment '{wanted}' in {folder}.{hint}\n    Environments: {known}")
    return files[wanted]


def check_environment(document: Document, root: Path) -> list[Problem]:
    """Every problem of an environment document: schema first, then what a schema cannot say."""
    problems = check(document, environment_schema(), describe=_describe)
    if not isinstance(document.data, dict):
        return problems
    found = set(problems)
    extra = [p for p in _semantic_problems(document, root) if p not in found]
    return sorted([*problems, *extra], key=lambda p: (p.line, p.column, p.message))


def _describe(path: DocPath, data: Any) -> str:
    if len(path) >= 2 and path[0] == "processes" and isinstance(path[1], int):
        name = value_at(data, ("processes", path[1], "name"))
        return f"process {path[1] + 1}" + (f" ({name})" if isinstance(name, str) else "")
    if len(path) >= 2 and path[0] == "seed" and isinstance(path[1], int):
        return f"seed step {path[1] + 1}"
    return ""


def _semantic_problems(document: Document, root: Path) -> list[Problem]:
    data = document.data
    problems: list[Problem] = []
    if not any(key in data for key in ("compose", "processes", "urls")):
        problems.append(
            document.problem((), "an environment needs compose, processes or urls; found none")
        )
    problems += _missing_files(document, root)
    problems += _duplicate_processes(document)
    problems += _exec_without_compose(document)
    problems += _reference_problems(document)
    problems += _browser_urls_without_url(document)
    return sorted(problems, key=lambda p: (p.line, p.column, p.message))


def _missing_files(document: Document, root: Path) -> list[Problem]:
    return [
        document.problem(
            ("compose", "files", i),
            f"compose file '{name}' not found",
            (f"Paths are relative to the project root, {root}",),
        )
        for i, name in enumerate(_list(document.data, "compose", "files"))
        if isinstance(name, str) and name and not (root / name).is_file()
    ]


def _duplicate_processes(document: Document) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for i, process in enumerate(_list(document.data, "processes")):
        name = process.get("name") if isinstance(process, dict) else None
        if isinstance(name, str) and name in seen:
            message = f"process {i + 1}: the name '{name}' is used twice"
            problems.append(document.problem(("processes", i, "name"), message))
        seen.add(str(name))
    return problems


def _exec_without_compose(document: Document) -> list[Problem]:
    if "compose" in document.data:
        return []
    return [
        document.problem(
            ("seed", i, "exec"),
            f"seed step {i + 1}: exec needs a compose stack",
            ("Use run: [...] to run a command on the host",),
            at_key=True,
        )
        for i, step in enumerate(_list(document.data, "seed"))
        if isinstance(step, dict) and "exec" in step
    ]


def _browser_urls_without_url(document: Document) -> list[Problem]:
    """``browser_urls`` gives another address for a url the harness already has."""
    data = document.data
    given = data.get("browser_urls")
    urls = data.get("urls") if isinstance(data.get("urls"), dict) else {}
    if not isinstance(given, dict):
        return []
    problems = []
    for name in given:
        if name not in urls:
            close = difflib.get_close_matches(str(name), sorted(urls), n=1)
            mean = f". Did you mean '{close[0]}'?" if close else ""
            problems.append(
                document.problem(
                    ("browser_urls", name),
                    f"browser_urls.{name} names no url of this environment{mean}",
                    (f"Defined urls: {', '.join(sorted(urls)) or 'none'}",),
                    at_key=True,
                )
            )
    return problems


def _list(data: Any, *path: str) -> list[Any]:
    found = value_at(data, path)
    return found if isinstance(found, list) else []


def _reference_problems(document: Document) -> list[Problem]:
    data = document.data
    urls = set(data["urls"]) if isinstance(data.get("urls"), dict) else set()
    problems = []
    for path, text in _strings_under(data, ()):
        namespaces = _namespaces_at(path, has_compose="compose" in data)
        for issue in check_text(text, (), namespaces):
            problems.append(document.problem(path, issue.message, issue.hints, offset=issue.offset))
        for name in names_in(text, "urls") - urls if "urls" in namespaces else ():
            hints = (f"Defined urls: {', '.join(sorted(urls)) or 'none'}",)
            mean = did_you_mean(name, sorted(urls))
            message = f"'${{urls.{name}}}' names no url of this environment{mean}"
            problems.append(document.problem(path, message, hints))
    return problems + _port_problems(document)


#: Where a ``${port.NAME}`` is declared: the processes that listen on it, or the Compose
#: settings that publish it. Anywhere else (urls, seed) only refers to one.
_PORT_OWNERS = ("processes", "compose")


def _port_problems(document: Document) -> list[Problem]:
    """A ``${port.NAME}`` that nothing listening declares: a typo (``${port.wbe}`` beside a
    process on ``${port.web}``) that would otherwise boot fine and fail every journey with
    ERR_CONNECTION_REFUSED."""
    declared: set[str] = set()
    uses: list[tuple[DocPath, str]] = []
    for path, text in _strings_under(document.data, ()):
        if path and path[0] in _PORT_OWNERS:
            declared |= names_in(text, "port")
        else:
            uses.append((path, text))
    problems = []
    for path, text in uses:
        for name in sorted(names_in(text, "port") - declared):
            written = f"${{port.{name}}}"
            close = closest_name(name, sorted(declared))
            mean = f". Did you mean '{close}'?" if close else ""
            message = f"'{written}' names no port that a process or compose uses{mean}"
            hints = (
                f"Ports declared by processes and compose: {', '.join(sorted(declared)) or 'none'}",
            )
            offset = text.find(written)
            problems.append(
                document.problem(path, message, hints, offset=offset if offset >= 0 else None)
            )
    return problems


def _namespaces_at(path: DocPath, *, has_compose: bool) -> frozenset[str]:
    allowed = {"env", "secrets", "run", "port"}
    if has_compose and path[:2] != ("compose", "env"):
        allowed.add("compose")
    if path and path[0] in ("seed", "ready"):
        allowed.add("urls")
    return frozenset(allowed)


def _strings_under(value: Any, path: DocPath) -> Iterator[tuple[DocPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if path or key != "description":
                yield from _strings_under(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings_under(item, (*path, index))


def _seconds(data: Mapping[str, Any], key: str, default: float) -> float:
    return parse_duration(data[key]) if key in data else default


def _strings(mapping: Mapping[str, Any]) -> dict[str, str]:
    return {
        key: (str(value).lower() if isinstance(value, bool) else str(value))
        for key, value in mapping.items()
    }
