"""A "did you mean ...?" only where a typo is plausible.

Similarity by edit distance (insertions, deletions, substitutions and swaps of two neighbours,
ignoring case), allowed to grow with the word: one edit up to five letters, two up to ten, three
beyond; and a word that only adds to a name of three letters or more. A looser measure proposed
``label`` for ``level`` and ``frame`` for ``force`` (issue 14): two short words that share
letters are not a typo of each other.
"""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: a swap of neighbours counts as one edit."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(row[j - 1] + 1, rows[i - 1][j] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def allowed_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2 if len(word) <= 10 else 3


def closest_name(word: str, choices: Iterable[str]) -> str:
    """The choice ``word`` was plausibly meant to be (the nearest, first on a tie), else ""."""
    best, best_distance = "", allowed_edits(word) + 1.0
    for choice in choices:
        distance = _distance(word.lower(), choice.lower())
        if distance < best_distance and choice != word:
            best, best_distance = choice, distance
    return best


def _distance(word: str, choice: str) -> float:
    """The edit distance; a word that only adds to a choice of three letters or more
    (``darkmode`` for ``dark``, ``enviro`` for ``env``) is plausible too, after any closer typo."""
    found = float(edit_distance(word, choice))
    shorter, longer = sorted((word, choice), key=len)
    if len(shorter) >= 3 and longer.startswith(shorter):
        found = min(found, allowed_edits(word) + 0.5)
    return found


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``. Did you mean 'x'?``, or "" when nothing is close."""
    meant = closest_name(word, choices)
    return f". Did you mean '{meant}'?" if meant else ""
