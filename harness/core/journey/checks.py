"""The checks of a journey or shared-steps file that a schema cannot express: every ``${...}``
names something known at that point, ``use`` files exist and get the parameters they declare,
upload files exist, every file a journey names (use, upload, storage_state, its screenshot
baselines) lies inside the project root with symlinks resolved, and no URL is a ``file://``
one. They read the raw document defensively, so they run (and report) even when the schema found
problems too."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from harness.contract import JOURNEY_SUFFIXES, STEPS_SUFFIXES
from harness.core.journey.model import Links, SharedSteps
from harness.core.journey.schema import ACTIONS
from harness.core.paths import display_path, inside, is_file_url
from harness.core.source import DocPath, Document
from harness.core.suggest import closest_name
from harness.core.templating import TemplateIssue, check_text, names_in
from harness.core.visual import baseline_path
from harness.errors import Problem, SourceError

_STEP_LISTS = {"steps": "", "setup": "setup ", "teardown": "teardown "}


class Resolver(Protocol):
    """How checks find the files a document refers to (the loader implements it)."""

    def candidates(self, written: str, source: Path) -> list[Path]:
        """Where ``written`` (as in ``use:``) may be, in the order tried."""

    def project_root(self, source: Path) -> Path:
        """The project root of ``source``: no file a journey names may lie outside it."""

    def shared_steps(self, found: Path) -> SharedSteps:
        """The loaded shared steps at ``found``; SourceError with that file's problems."""

    def loop(self, source: Path, found: Path) -> list[str] | None:
        """The chain of files, from ``source`` back to it, if ``source`` using ``found``
        closes a loop."""


def describe(path: DocPath, data: Any) -> str:
    """Names a place in a journey or steps file: ``"step 4 (click)"``, ``"var 'email'"``."""
    if len(path) >= 2 and path[0] in _STEP_LISTS and isinstance(path[1], int):
        kind = _action_of(_get(data, path[:2]))
        said = f"{_STEP_LISTS[str(path[0])]}step {path[1] + 1}"
        return f"{said} ({kind})" if kind else said
    if len(path) >= 2 and path[0] == "vars":
        return f"var '{path[1]}'"
    return ""


class FileChecks:
    """Runs the checks over one document; read ``problems``, ``warnings`` and ``links`` after."""

    def __init__(self, document: Document, source: Path, resolver: Resolver) -> None:
        self.document = document
        self.source = source
        self.resolver = resolver
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.shared: dict[str, SharedSteps] = {}
        self.files: dict[str, str] = {}
        self.secret_names: set[str] = set()
        self.saved_at = _saved_lines(document)

    @property
    def links(self) -> Links:
        return Links(dict(self.shared), dict(self.files))

    def check_vars(self) -> set[str]:
        """Checks each var against the ones before it; returns every var name."""
        variables = _get(self.document.data, ("vars",))
        known: set[str] = set()
        for name, value in variables.items() if isinstance(variables, dict) else ():
            self._templates(value, ("vars", name), known)
            known.add(name)
        return known

    def check_steps(self, key: str, known: set[str]) -> set[str]:
        """Checks the step list under ``key`` in order; returns the names its steps save."""
        steps = _get(self.document.data, (key,))
        known, saved = set(known), set()
        for index, step in enumerate(steps if isinstance(steps, list) else ()):
            if isinstance(step, dict):
                new = self._check_step(step, (key, index), known)
                known |= new
                saved |= new
        return saved

    def _check_step(self, step: dict[str, Any], path: DocPath, known: set[str]) -> set[str]:
        for key, value in step.items():
            if key != "use":
                self._templates(value, (*path, key), known)
        if "upload" in step:
            self._check_uploads(step["upload"], (*path, "upload"))
        self._check_urls(step, path)
        if "expect_screenshot" in step:
            self._check_baseline(step["expect_screenshot"], (*path, "expect_screenshot"))
        self._check_count_range(step.get("expect"), (*path, "expect"))
        if _is_pause(step.get("wait")):
            self._warn((*path, "wait"), "a fixed pause makes journeys slow and flaky")
        saved = _saved_names(step)
        if isinstance(step.get("use"), str):
            saved |= self._check_use(step, path)
        return saved

    def _templates(self, value: Any, path: DocPath, known: set[str]) -> None:
        for where, text in _strings(value, path):
            self.secret_names |= names_in(text, "secrets")
            for issue in check_text(text, known):
                message = self._prefix(where) + issue.message
                hints = self._hints(issue)
                self.problems.append(
                    self.document.problem(where, message, hints, offset=issue.offset)
                )

    def _hints(self, issue: TemplateIssue) -> tuple[str, ...]:
        line = self.saved_at.get(issue.unknown or "")
        if line is None:
            return issue.hints
        later = (
            f"'{issue.unknown}' is saved later, at line {line}: steps see what earlier steps saved"
        )
        return (later, *issue.hints[:1])

    def _check_use(self, step: dict[str, Any], path: DocPath) -> set[str]:
        written = step["use"]
        if not written.endswith(STEPS_SUFFIXES):
            return set()  # the schema says what a use path must look like
        shared = self._shared_steps(written, (*path, "use"))
        if shared is None:
            return set()
        self.shared[written] = shared
        self.secret_names |= shared.secret_names
        given = step.get("with")
        self._check_params(shared, given if isinstance(given, dict) else {}, path)
        return set(shared.saves)

    def _shared_steps(self, written: str, path: DocPath) -> SharedSteps | None:
        found = self._locate(written, path, "shared steps file")
        if found is None:
            return None
        if self._reports_loop(found, path):
            return None
        try:
            return self.resolver.shared_steps(found)
        except SourceError as exc:
            self.problems.extend(exc.problems)
            self._reports_loop(found, path)  # a loop found deeper down passes through here too
            return None

    def _reports_loop(self, found: Path, path: DocPath) -> bool:
        loop = self.resolver.loop(self.source, found)
        if loop:
            self._problem(path, "shared steps use each other in a loop: " + " -> ".join(loop))
        return bool(loop)

    def _check_params(self, shared: SharedSteps, given: dict[str, Any], path: DocPath) -> None:
        declared = [param.name for param in shared.params]
        meant_any: set[str] = set()
        for name in given:
            if name not in declared:
                meant = [close] if (close := closest_name(name, declared)) else []
                meant_any.update(meant)
                message = f"'{name}' is not a parameter of {shared.file}"
                message += f". Did you mean '{meant[0]}'?" if meant else ""
                hint = "Its params: " + (", ".join(declared) or "none")
                self._problem((*path, "with", name), message, (hint,), at_key=True)
        for param in shared.params:
            if param.required and param.name not in given and param.name not in meant_any:
                hint = f"Give it under with: (e.g. with: {{{param.name}: ...}})"
                self._problem(
                    (*path, "use"), f"missing parameter '{param.name}' of {shared.file}", (hint,)
                )

    def _check_uploads(self, upload: Any, path: DocPath) -> None:
        files = upload.get("files") if isinstance(upload, dict) else None
        listed = files if isinstance(files, list) else [files]
        for index, written in enumerate(listed):
            if not isinstance(written, str) or not written or "${" in written:
                continue
            where = (*path, "files", index) if isinstance(files, list) else (*path, "files")
            found = self._locate(written, where, "file to upload")
            if found is not None:
                self.files[written] = str(found)

    def _locate(self, written: str, path: DocPath, what: str) -> Path | None:
        """The first candidate for ``written`` that is a file inside the project (symlinks
        resolved); None, with a problem, when it is outside or nowhere."""
        root = self.resolver.project_root(self.source)
        candidates = self.resolver.candidates(written, self.source)
        existing = [c for c in candidates if c.is_file()]
        found = next((c for c in existing if inside(c, root)), None)
        if found is not None:
            return found
        within = [c for c in candidates if inside(c, root)]
        if existing or not within:
            self._outside(written, path, root)
        else:
            looked = "Looked for " + ", ".join(display_path(c) for c in within)
            self._problem(path, f"{what} not found: '{written}'", (looked,))
        return None

    def _outside(self, written: str, path: DocPath, root: Path, what: str = "") -> None:
        hint = (
            f"Valid: a file inside the project root '{display_path(root)}' (harness.yml's "
            "folder; symlinks resolved): copy the file into the project"
        )
        self._problem(path, f"{what}'{written}' is outside the project", (hint,))

    def check_browser(self) -> None:
        """``browser.storage_state`` names a file inside the project root."""
        written = _get(self.document.data, ("browser", "storage_state"))
        if not isinstance(written, str) or not written or "${" in written:
            return
        root = self.resolver.project_root(self.source)
        if not inside(root / written, root):
            self._outside(written, ("browser", "storage_state"), root, "storage_state ")

    def _check_baseline(self, shot: Any, path: DocPath) -> None:
        """A journey's screenshot baseline lies inside the project (a symlinked
        ``__screenshots__`` folder would have --update-snapshots write anywhere). Shared steps'
        baselines sit beside the journey that uses them: the step checks those as it runs."""
        name = shot.get("name") if isinstance(shot, dict) else shot
        if not isinstance(name, str) or not name or not self.source.name.endswith(JOURNEY_SUFFIXES):
            return
        root = self.resolver.project_root(self.source)
        baseline = baseline_path(self.source, name)
        if not inside(baseline, root):
            where = (*path, "name") if isinstance(shot, dict) else path
            written = Path(os.path.relpath(os.path.abspath(baseline), os.path.abspath(root)))
            leads = os.path.realpath(baseline)
            hint = (
                f"Valid: a baseline inside the project root '{display_path(root)}' (symlinks "
                "resolved): make the folders on its way real folders, not symlinks"
            )
            message = f"the screenshot baseline '{written.as_posix()}' leads outside the project"
            self._problem(where, f"{message}, to '{leads}'", (hint,))

    def _check_count_range(self, expect: Any, path: DocPath) -> None:
        """A count range no number is in would only be found by waiting out the step."""
        count = expect.get("count") if isinstance(expect, dict) else None
        if not isinstance(count, dict):
            return
        low, high = count.get("min"), count.get("max")
        if type(low) is int and type(high) is int and low > high:
            self._problem(
                (*path, "count", "min"),
                f"'count' can never hold: min {low} is more than max {high}",
                ("Swap them, or give only min (at least) or only max (at most)",),
            )

    def _check_urls(self, step: dict[str, Any], path: DocPath) -> None:
        """``goto`` and ``request`` URLs: never ``file://`` (a journey must not read the disk)."""
        request = step.get("request")
        places = [((*path, "goto"), step.get("goto"))]
        if isinstance(request, dict):
            places.append(((*path, "request", "url"), request.get("url")))
        for where, url in places:
            if isinstance(url, str) and is_file_url(url):
                hint = "Valid: a path relative to urls.web, or an http:// or https:// URL"
                self._problem(where, f"file:// URLs are refused: '{url}'", (hint,))

    def _prefix(self, path: DocPath) -> str:
        said = describe(path, self.document.data)
        return f"{said}: " if said else ""

    def _problem(
        self, path: DocPath, message: str, hints: tuple[str, ...] = (), *, at_key: bool = False
    ) -> None:
        self.problems.append(
            self.document.problem(path, self._prefix(path) + message, hints, at_key=at_key)
        )

    def _warn(self, path: DocPath, message: str) -> None:
        hint = "Wait for an element, a URL or a response instead: wait: {for: ..., state: ...}"
        self.warnings.append(
            self.document.problem(path, f"warning: {self._prefix(path)}{message}", (hint,))
        )


def param_names(document: Document) -> set[str]:
    """The parameter names a shared-steps document declares (read defensively)."""
    params = _get(document.data, ("params",))
    names = set()
    for param in params if isinstance(params, list) else ():
        name = param.get("name") if isinstance(param, dict) else param
        if isinstance(name, str):
            names.add(name)
    return names


def _saved_lines(document: Document) -> dict[str, int]:
    """Where each name is saved in the file (its first save), for a helpful hint."""
    found: dict[str, int] = {}
    for key in _STEP_LISTS:
        steps = _get(document.data, (key,))
        for index, step in enumerate(steps if isinstance(steps, list) else ()):
            for name in _saved_names(step) if isinstance(step, dict) else ():
                found.setdefault(name, document.position((key, index)).line)
    return found


def _saved_names(step: dict[str, Any]) -> set[str]:
    names = set()
    for container in (step.get("save"), _get(step, ("request", "save"))):
        if isinstance(container, dict):
            names |= {str(name) for name in container}
    evaluated = _get(step, ("evaluate", "save"))
    if isinstance(evaluated, str):
        names.add(evaluated)
    return names


def _is_pause(value: Any) -> bool:
    return value is not None and not isinstance(value, (dict, list, bool))


def _strings(value: Any, path: DocPath) -> Iterator[tuple[DocPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _get(data: Any, path: DocPath) -> Any:
    for key in path:
        if isinstance(data, dict) and isinstance(key, str):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and 0 <= key < len(data):
            data = data[key]
        else:
            return None
    return data


def _action_of(step: Any) -> str:
    if not isinstance(step, dict):
        return ""
    return next((key for key in step if key in ACTIONS), "")  # the first one written
