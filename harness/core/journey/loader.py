"""Find, load and check journey and shared-steps files: every problem of a file is raised at once
as a :class:`~harness.errors.SourceError`, before anything runs.

Paths in a file (``use:``, upload ``files``) are looked up relative to the project root (the
folder of the nearest ``harness.yml`` above the file, else the current directory), then
relative to the file's own folder and each folder above it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from harness.contract import JOURNEY_SUFFIXES, PROJECT_FILE, STEPS_SUFFIXES
from harness.core.journey.checks import FileChecks, describe, param_names
from harness.core.journey.model import Journey, SharedSteps
from harness.core.journey.schema import JOURNEY_SCHEMA, STEPS_SCHEMA
from harness.core.paths import display_path
from harness.core.source import load_document
from harness.core.validation import check
from harness.errors import Problem, SourceError


def is_journey_file(path: Path | str) -> bool:
    """Whether ``path`` is named like a journey (``*.journey.yml`` or ``*.journey.yaml``)."""
    return str(path).endswith(JOURNEY_SUFFIXES)


def is_steps_file(path: Path | str) -> bool:
    """Whether ``path`` is named like shared steps (``*.steps.yml`` or ``*.steps.yaml``)."""
    return str(path).endswith(STEPS_SUFFIXES)


@dataclass(frozen=True)
class FoundFiles:
    """Journey and shared-steps files under some paths, each sorted, each once."""

    journeys: tuple[Path, ...]
    steps: tuple[Path, ...]


def find_files(paths: Iterable[Path | str]) -> FoundFiles:
    """Journeys and shared steps in ``paths``: folders are searched recursively (hidden folders
    skipped); a file is taken when its name says what it is."""
    journeys: set[Path] = set()
    steps: set[Path] = set()
    for path in map(Path, paths):
        for file in _walk(path) if path.is_dir() else [path]:
            if is_journey_file(file):
                journeys.add(file)
            elif is_steps_file(file):
                steps.add(file)
    return FoundFiles(tuple(sorted(journeys)), tuple(sorted(steps)))


def _walk(folder: Path) -> Iterable[Path]:
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        yield from (Path(top) / name for name in files)


def find_root(start: Path) -> Path:
    """The project root for a file in ``start``: the nearest folder with harness.yml, else
    the current directory."""
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return Path.cwd()


class JourneyLoader:
    """Loads journeys and shared steps; each shared-steps file is read once per loader.

    ``root`` is the project root for relative paths (default: found per file, see the module).
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = root
        self._shared: dict[Path, SharedSteps | SourceError] = {}
        self._loading: list[Path] = []
        self._cycles: list[list[Path]] = []
        self._roots: dict[Path, Path] = {}

    def journey(self, path: Path | str) -> Journey:
        """The journey in ``path``; SourceError with every problem of the file (and of the
        shared steps it uses)."""
        source = Path(path).resolve()
        document = load_document(path, display_path(Path(path)))
        problems = check(document, JOURNEY_SCHEMA, describe)
        checks = FileChecks(document, source, self)
        known = checks.check_vars()
        checks.check_browser()
        known |= checks.check_steps("setup", known)
        known |= checks.check_steps("steps", known)
        checks.check_steps("teardown", known)
        _raise_if_any([*problems, *checks.problems])
        journey = Journey.from_document(
            document, str(source), checks.links, frozenset(checks.secret_names)
        )
        return replace(journey, warnings=tuple(checks.warnings))

    def shared_steps(self, found: Path) -> SharedSteps:
        """The shared steps in ``found`` (cached); SourceError with that file's problems."""
        found = found.resolve()
        if found not in self._shared:
            self._loading.append(found)
            try:
                self._shared[found] = self._load_steps(found)
            except SourceError as exc:
                self._shared[found] = exc
            finally:
                self._loading.pop()
        cached = self._shared[found]
        if isinstance(cached, SourceError):
            raise cached
        return cached

    def _load_steps(self, source: Path) -> SharedSteps:
        document = load_document(source, display_path(source))
        problems = check(document, STEPS_SCHEMA, describe)
        checks = FileChecks(document, source, self)
        saves = checks.check_steps("steps", param_names(document))
        _raise_if_any([*problems, *checks.problems])
        shared = SharedSteps.from_document(
            document, checks.links, frozenset(saves), frozenset(checks.secret_names)
        )
        return replace(shared, warnings=tuple(checks.warnings))

    def candidates(self, written: str, source: Path) -> list[Path]:
        """Where a path written in ``source`` may be: the project root, then the file's own
        folder and the folders above it, up to the root."""
        target = Path(written)
        if target.is_absolute():
            return [target]
        root = self._root_for(source.parent)
        folders = [root]
        for folder in (source.parent, *source.parent.parents):
            if folder == root:
                break
            folders.append(folder)
        return [folder / target for folder in folders]

    def project_root(self, source: Path) -> Path:
        return self._root_for(source.parent)

    def _root_for(self, folder: Path) -> Path:
        if folder not in self._roots:
            root = self.root if self.root is not None else find_root(folder)
            self._roots[folder] = root.resolve()
        return self._roots[folder]

    def loop(self, source: Path, found: Path) -> list[str] | None:
        """The files of the loop, from ``source`` round to itself, if ``source`` using
        ``found`` closes one (``a -> b -> a``); each file of a loop reports it."""
        source, found = source.resolve(), found.resolve()
        if found in self._loading:
            cycle = self._loading[self._loading.index(found) :]
            self._cycles.append(cycle)
            return _chain(cycle, source)
        for cycle in self._cycles:
            if source in cycle and cycle[(cycle.index(source) + 1) % len(cycle)] == found:
                return _chain(cycle, source)
        return None


def _chain(cycle: list[Path], start: Path) -> list[str]:
    at = cycle.index(start) if start in cycle else 0
    ordered = [*cycle[at:], *cycle[:at]]
    return [display_path(p) for p in (*ordered, ordered[0])]


def load_journey(path: Path | str, root: Path | None = None) -> Journey:
    """The journey in ``path`` (see :meth:`JourneyLoader.journey`)."""
    return JourneyLoader(root).journey(path)


def load_steps(path: Path | str, root: Path | None = None) -> SharedSteps:
    """The shared steps in ``path``; SourceError with every problem of the file."""
    return JourneyLoader(root).shared_steps(Path(path))


def check_file(path: Path | str, loader: JourneyLoader | None = None) -> list[Problem]:
    """Every problem of a journey or shared-steps file (empty when it is valid)."""
    loader = loader or JourneyLoader()
    try:
        if is_steps_file(path):
            loader.shared_steps(Path(path))
        else:
            loader.journey(path)
    except SourceError as exc:
        return list(exc.problems)
    return []


def _raise_if_any(problems: list[Problem]) -> None:
    if problems:
        unique = sorted(set(problems), key=lambda p: (p.file, p.line, p.column, p.message))
        raise SourceError(unique)


__all__ = [
    "FoundFiles",
    "JourneyLoader",
    "check_file",
    "find_files",
    "find_root",
    "is_journey_file",
    "is_steps_file",
    "load_journey",
    "load_steps",
]
