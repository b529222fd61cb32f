"""Check a loaded document against a JSON Schema (Draft 2020-12).

Usage, for any file kind::

    document = load_document(path)
    problems = check(document, schema, describe=lambda path, data: "step 4 (click)")

Two stages, so that valid files cost almost nothing (1,000 journeys validate in well under 2 s):
jsonschema-rs, compiled once per schema, answers "valid?"; only a document it rejects is
checked again by jsonschema, whose errors :mod:`harness.core.schema_messages` turns into
problems a person can act on. jsonschema decides: when the two disagree on a document, its
answer is the one given, and a test holds them to the same answer over the bad-file catalogue
and generated documents.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from harness.core.source import Document
from harness.errors import Problem

if TYPE_CHECKING:
    from harness.core.schema_messages import Describe

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_COMPILED: dict[int, tuple[dict[str, Any], Any]] = {}
_KEPT = 32  # schemas built per call (environment, project) would otherwise pile up


def check(
    document: Document, schema: dict[str, Any], describe: Describe | None = None
) -> list[Problem]:
    """Every problem of ``document``: those found while reading it, then those against
    ``schema``, sorted by position, each once."""
    if is_valid(document.data, schema):
        return sorted(set(document.problems), key=lambda p: (p.file, p.line, p.column, p.message))
    from harness.core.schema_messages import problems

    return problems(document, schema, describe)


def is_valid(data: Any, schema: dict[str, Any]) -> bool:
    """jsonschema-rs's answer; False (so the full check runs) for data it cannot take."""
    try:
        return bool(_compiled(schema).is_valid(data))
    except (ValueError, TypeError):  # e.g. a YAML timestamp: not a JSON value
        return False


def _compiled(schema: dict[str, Any]) -> Any:
    cached = _COMPILED.get(id(schema))
    if cached is None or cached[0] is not schema:
        validator = jsonschema_rs.validator_for(
            schema,
            formats={"regex": _is_regex, "date": _is_date},
            validate_formats=True,
        )
        if len(_COMPILED) >= _KEPT:
            _COMPILED.clear()
        cached = (schema, validator)
        _COMPILED[id(schema)] = cached
    return cached[1]


def _is_regex(text: str) -> bool:
    """The ``regex`` format as jsonschema checks it: Python's ``re`` compiles it."""
    try:
        re.compile(text)
    except re.error:
        return False
    return True


def _is_date(text: str) -> bool:
    """The ``date`` format as jsonschema checks it: ``YYYY-MM-DD``, a real day."""
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
