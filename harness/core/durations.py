"""Durations as users write them: ``500ms``, ``10s``, ``2m``, or a plain number of seconds."""

from __future__ import annotations

import re

#: The JSON Schema ``pattern`` of a duration written as text (numbers are seconds).
DURATION_PATTERN = r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m)\s*$"

#: How a duration looks, for error messages and the schema's descriptions.
DURATION_HELP = "a duration such as 500ms, 10s, 2m, or a number of seconds"

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0}
_DURATION = re.compile(DURATION_PATTERN)


def parse_duration(value: object) -> float:
    """Seconds in ``value``; raises ValueError (with :data:`DURATION_HELP`) when it is not one."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 0 <= value < float("inf"):
            return float(value)
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            return float(match.group(1)) * _UNITS[match.group(2)]
    raise ValueError(f"{value!r} is not {DURATION_HELP}")


def format_duration(seconds: float) -> str:
    """The shortest way a user would write ``seconds``: ``500ms``, ``10s``, ``2m``, ``1.5s``."""
    if seconds < 1 and seconds != 0:
        return f"{round(seconds * 1000):d}ms"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)}m"
    return f"{seconds:g}s"
