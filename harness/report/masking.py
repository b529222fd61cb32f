"""A finished run with its secret values masked before any writer sees it (the masking itself
is :mod:`harness.core.masking`, the one implementation).

The runner masks what it records; this is the writers' own last line of defence, so a secret
that slipped into a message still never reaches report.json, junit.xml, the HTML or the console.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, TypeVar

from harness.core.masking import mask
from harness.report.model import FinishedRun

T = TypeVar("T")


def mask_text(text: str, secrets: Iterable[str]) -> str:
    """Every spelling of every secret value in ``text`` masked (``core.masking``)."""
    return mask(text, {s for s in secrets if s})


def _mask(value: T, secrets: tuple[str, ...]) -> T:
    masked: Any
    if isinstance(value, str):
        masked = mask_text(value, secrets)
    elif isinstance(value, tuple):
        masked = tuple(_mask(item, secrets) for item in value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _mask(getattr(value, f.name), secrets) for f in dataclasses.fields(value)
        }
        masked = dataclasses.replace(value, **changes)
    else:
        masked = value
    return masked  # type: ignore[no-any-return]


def masked_run(run: FinishedRun) -> FinishedRun:
    """The run with every string field masked (``secrets`` kept, for the log files)."""
    if not any(run.secrets):
        return run
    bare = _mask(dataclasses.replace(run, secrets=()), run.secrets)
    return dataclasses.replace(bare, secrets=run.secrets)
