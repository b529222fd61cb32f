"""Did-you-mean: only plausible names are suggested."""

from __future__ import annotations

import pytest

from harness.core.suggest import closest_name


@pytest.mark.parametrize(
    ("word", "choices", "meant"),
    [
        ("rol", ["role", "name"], "role"),
        ("nme", ["name"], "name"),
        ("scirpt", ["script"], "script"),
        ("palceholder", ["placeholder"], "placeholder"),
        ("Testid", ["testid"], "testid"),
        ("darkmode", ["light", "dark"], "dark"),
        ("enviro", ["env", "secrets"], "env"),
        ("level", ["label", "name"], ""),
        ("force", ["frame", "nth"], ""),
        ("FETCH", ["GET", "PATCH"], ""),
        ("xyz", [], ""),
    ],
)
def test_only_a_plausible_typo_is_suggested(word: str, choices: list[str], meant: str) -> None:
    assert closest_name(word, choices) == meant
