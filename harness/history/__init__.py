"""The history store (an adapter: it talks to a database through SQLAlchemy): every run
remembered, so that flaky rates, durations and start-up times can be seen across runs.

``record_run(finished_run, store_url)`` is what a command that finishes a run calls."""

from __future__ import annotations

from typing import Any

__all__ = ["HistoryStore", "open_store", "read_previous", "record_run", "store_url"]


def __getattr__(name: str) -> Any:
    """The names above, imported when first asked for: the store brings SQLAlchemy, which a
    run needs only at its end (:mod:`harness.history.recorder`)."""
    if name in ("HistoryStore", "open_store"):
        from harness.history import store

        return getattr(store, name)
    if name in ("read_previous", "record_run", "store_url"):
        from harness.history import recorder

        return getattr(recorder, name)
    raise AttributeError(f"module 'harness.history' has no attribute {name!r}")
