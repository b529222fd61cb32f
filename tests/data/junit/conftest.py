"""Sample projects here are run by the tests, never collected as the harness's own tests."""

collect_ignore = ["pytest-project", "js-project"]
