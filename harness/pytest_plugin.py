"""The harness's pytest plugin (entry point ``pytest11``): journey files as pytest items, the
environment they run against booted once per session (``--harness-env``), and the ``covers``
marker that links an app's own unit tests to features in their JUnit output."""

pytest_plugins = [
    "harness.plugin.environment",
    "harness.plugin.journeys",
    "harness.plugin.covers",
]
