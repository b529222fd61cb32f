"""The history store (an adapter: it talks to a database through SQLAlchemy): every run
remembered, so that flaky rates, durations and start-up times can be seen across runs.

``record_run(finished_run, store_url)`` is what a command that finishes a run calls."""

from __future__ import annotations

from harness.history.recorder import read_previous, record_run, store_url
from harness.history.store import HistoryStore, open_store

__all__ = ["HistoryStore", "open_store", "read_previous", "record_run", "store_url"]
