"""The JSON Schema that editors and CI tools get: the validator's own schema without its
``x-*`` message annotations (see :mod:`harness.core.validation`).

Strict validators such as Ajv reject keywords they do not know (``strict mode: unknown keyword:
"x-expected"``), so the annotations stay in the validator's copy. An ``x-expected`` text ("a
duration such as 10s") becomes the ``description`` where the schema has none, so an editor's
hover still says what a value should look like. Both copies come from one schema function.
"""

from __future__ import annotations

from typing import Any

#: Keywords whose value maps names (not keywords) to schemas.
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "dependentSchemas"})
#: Keywords whose value is data, not a schema: never walked into.
_DATA = frozenset({"enum", "const", "default", "examples", "required", "$comment"})
_ANNOTATION_PREFIX = "x-"


def published(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` for publishing: no ``x-*`` keyword anywhere, every ``required`` key
    named in its object's ``properties``; it accepts exactly what ``schema`` accepts."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key.startswith(_ANNOTATION_PREFIX):
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: _walk(sub) for name, sub in value.items()}
        elif key in _DATA:
            out[key] = value
        else:
            out[key] = _walk(value)
    _define_required(out)
    expected = schema.get("x-expected")
    if isinstance(expected, str) and "description" not in out:
        out["description"] = expected
    return out


def _define_required(schema: dict[str, Any]) -> None:
    """Ajv's strictRequired wants each ``required`` key in the same object's ``properties``; a
    ``oneOf`` branch ``{"required": ["goto"]}`` names a key its parent defines. A ``true``
    schema for it there changes nothing that validates."""
    required = schema.get("required")
    if not isinstance(required, list):
        return
    properties = schema.setdefault("properties", {})
    for key in required:
        properties.setdefault(key, True)


def _walk(value: Any) -> Any:
    if isinstance(value, dict):
        return published(value)
    if isinstance(value, list):
        return [_walk(item) for item in value]
    return value
