"""``harness run``: the orchestration above the journey language, the browser runner, the stack,
the unit tests, the cross-check and the reports; it imports them all and none imports it."""
