"""The published copy of a schema: no ``x-*`` annotation, the same documents accepted."""

from __future__ import annotations

import jsonschema

from harness.core.journey.schema import journey_schema
from harness.core.published_schema import published

SCHEMA = {
    "type": "object",
    "properties": {
        "x-name": {"type": "string", "x-expected": "a name"},
        "size": {"type": "integer", "x-expected": "a size", "description": "how big"},
        "goto": {"type": "string"},
    },
    "oneOf": [{"required": ["goto"]}, {"required": ["x-name"]}],
    "enum": [{"x-data": 1}],
    "x-exactly-one": {"what": "one of goto or x-name"},
}


def test_annotations_go_and_expected_texts_become_descriptions() -> None:
    assert published(SCHEMA) == {
        "type": "object",
        "properties": {
            "x-name": {"type": "string", "description": "a name"},
            "size": {"type": "integer", "description": "how big"},
            "goto": {"type": "string"},
        },
        "oneOf": [
            {"required": ["goto"], "properties": {"goto": True}},
            {"required": ["x-name"], "properties": {"x-name": True}},
        ],
        "enum": [{"x-data": 1}],
    }
    assert "x-exactly-one" in SCHEMA  # the validator's copy is left as it was


def test_the_published_journey_schema_accepts_and_rejects_the_same_documents() -> None:
    own, public = journey_schema(), published(journey_schema())
    documents = [
        {"name": "a", "steps": [{"goto": "/"}]},
        {"name": "a", "steps": [{"goto": "/", "click": "#b"}]},
        {"name": "a", "steps": [{"clik": "#b"}]},
        {"name": "a", "timeout": "10 parsecs", "steps": [{"goto": "/"}]},
        {"steps": []},
    ]
    for document in documents:
        assert jsonschema.Draft202012Validator(own).is_valid(document) == (
            jsonschema.Draft202012Validator(public).is_valid(document)
        ), document
    assert jsonschema.Draft202012Validator(public).is_valid(documents[0])
    assert not jsonschema.Draft202012Validator(public).is_valid(documents[1])
