"""The sample project here is run by `harness run`'s tests, never collected as the harness's own
tests (its journeys and unit tests belong to it)."""

collect_ignore = ["project"]
