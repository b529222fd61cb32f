"""JSON fixture files that tests load as mocked responses, each read and parsed once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class JsonFixture:
    """A JSON file a test loads: its path, parsed value and the line the value starts on."""

    path: Path
    body: object
    line: int


class JsonFiles:
    """JSON fixture files, each read and parsed once."""

    def __init__(self) -> None:
        self._read: dict[Path, JsonFixture | None] = {}
        self._exists: dict[Path, bool] = {}

    def is_file(self, path: Path) -> bool:
        """Whether a file exists (asked once per path: every test may name the same one)."""
        if path not in self._exists:
            self._exists[path] = path.is_file()
        return self._exists[path]

    def get(self, path: Path) -> JsonFixture | None:
        if path not in self._read:
            self._read[path] = _read_json(path)
        return self._read[path]


def _read_json(path: Path) -> JsonFixture | None:
    try:
        text = path.read_text(encoding="utf-8")
        body = json.loads(text)
    except (OSError, ValueError):
        return None
    start = len(text) - len(text.lstrip())
    return JsonFixture(path, body, text.count("\n", 0, start) + 1)
