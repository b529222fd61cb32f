"""The tiny shop here is run by the cross-check tests with its own pytest, never collected as
the harness's own tests."""

collect_ignore = ["shop"]
