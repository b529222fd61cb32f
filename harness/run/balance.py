"""The seconds that balance ``--shard``: how long each journey took in the whole runs of the
environment that the history remembers (the median over its window). The runs of shards do
not count: a shard that finished would otherwise change the split for a shard that starts after
it, and the two would run some journeys twice and others never."""

from __future__ import annotations

from harness.core.history import summarize
from harness.core.project import ProjectConfig
from harness.history.recorder import read_previous, store_url


def recorded_seconds(project: ProjectConfig, environment: str) -> dict[str, float]:
    """``{journey id: median seconds}`` over the history window of ``environment``: its whole
    runs and the runs ``harness merge`` made of shards; empty when nothing is recorded or the
    store cannot be read (the shards then split by journey file). Every shard of one CI run
    must read the same history (a shared ``history.url``), or they split differently and
    ``harness merge`` refuses them."""
    window = project.history.window
    runs, _unreadable = read_previous(store_url(project), environment, window, shards=False)
    history = summarize(runs, window)
    return {j.id: j.median_duration_s for j in history.journeys if j.median_duration_s}
