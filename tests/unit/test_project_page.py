"""docs/project.md documents every key of harness.yml that the schema knows, and each gate word."""

from __future__ import annotations

from pathlib import Path

from harness.core.project import project_schema

PAGE = Path(__file__).resolve().parent.parent.parent / "docs" / "project.md"


def test_every_key_of_harness_yml_has_a_row() -> None:
    text = PAGE.read_text()
    properties = project_schema()["properties"]
    keys = [*properties, *(f"gate.{k}" for k in properties["gate"]["properties"])]
    missing = [key for key in keys if key != "gate" and f"| `{key}` |" not in text]
    assert missing == []
    words = properties["gate"]["properties"]["fail_on"]["items"]["enum"]
    assert [w for w in words if f"`{w}`" not in text] == []
