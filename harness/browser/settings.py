"""What every journey of one run shares: urls, evidence policy, environment, devices."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from harness.browser.evidence import ArtifactPolicy
from harness.core.templating import Context
from harness.errors import UsageError


@dataclass(frozen=True)
class RunSettings:
    """What every journey of one run shares.

    ``urls`` come from the environment (``web`` is the base URL); ``env`` backs ``${env.X}``
    and ``${secrets.X}`` (default: this process's environment); ``context_options`` are extra
    ``browser.new_context`` arguments (e.g. pytest-playwright's ``--device``); ``devices`` are
    Playwright's device descriptors, for a journey's ``browser: {device: ...}``; ``capture``
    records each attempt's JSON traffic (``AttemptResult.traffic``) for the mock-drift check;
    ``update_snapshots`` writes ``expect_screenshot`` baselines that are missing or differ.
    """

    run_id: str
    environment: str | None = None
    urls: Mapping[str, str] = field(default_factory=dict)
    policy: ArtifactPolicy = field(default_factory=ArtifactPolicy)
    env: Mapping[str, str] | None = None
    context_options: Mapping[str, Any] = field(default_factory=dict)
    devices: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    today: date | None = None
    capture: bool = True
    update_snapshots: bool = False

    def templates(self, attempt_id: str) -> Context:
        """The templating context of one attempt (no variables yet)."""
        env = dict(os.environ if self.env is None else self.env)
        return Context(env=env, urls=dict(self.urls), run_id=self.run_id, attempt_id=attempt_id)

    def device(self, name: str) -> Mapping[str, Any]:
        if name in self.devices:
            return self.devices[name]
        close = difflib.get_close_matches(name, list(self.devices), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise UsageError(f"browser.device: Playwright knows no device '{name}'.{hint}")
