"""A secret typed into pages, sent in requests, echoed back, logged by the page and named in a
screenshot never reaches any artifact: every byte of every file (zips opened) is searched."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path

import pytest

from harness.browser.evidence import ArtifactPolicy
from harness.browser.failures import describe_result
from tests.support.runner import JourneyRunner
from tests.support.secrets import SECRET, TOKEN, leaks_under

pytestmark = pytest.mark.browser


JOURNEY = """
name: Signs up with a secret
step_timeout: 2s
steps:
  - goto: /form.html
  - fill: {label: Email, value: "${secrets.SHOP_PASSWORD}"}
  - fill: {label: Password, value: "${secrets.SHOP_PASSWORD}"}
  - screenshot: "typed ${secrets.SHOP_PASSWORD}"
  - click: {role: button, name: Create account}
  - expect: {role: heading, contains: Welcome}
  - request:
      method: POST
      url: "/api/echo?pw=${secrets.SHOP_PASSWORD}"
      headers: {Authorization: "Bearer ${secrets.SHOP_PASSWORD}"}
      json: {password: "${secrets.SHOP_PASSWORD}", again: ["${secrets.SHOP_PASSWORD}"]}
      expect: {status: 200, contains: Bearer}
  - request:
      method: POST
      url: /api/echo
      data: {password: "${secrets.SHOP_PASSWORD}"}
      save: {echoed: body}
  - goto: "/nowhere?token=${secrets.SHOP_PASSWORD}"
  - goto: /form.html
  - fill: {label: Email, value: "${echoed}"}
  - expect: {label: Email, value: "not the secret"}
teardown:
  - screenshot: "after ${secrets.SHOP_PASSWORD}"
"""


def test_a_secret_appears_in_no_artifact_message_or_result(
    chromium: object, site: str, tmp_path: Path
) -> None:
    journeys = JourneyRunner(chromium, site, tmp_path)  # type: ignore[arg-type]
    policy = ArtifactPolicy(trace="on", screenshot="always")
    result = journeys.run(JOURNEY, env={"SHOP_PASSWORD": SECRET}, policy=policy)

    failure = result.failure
    assert failure is not None
    assert failure.index == 12, describe_result(result)
    assert failure.actual == "password=***"
    attempt = result.attempts[0]
    names = sorted(a.path.name for a in attempt.artifacts)
    assert names == [
        "after-_.png",
        "console.log",
        "failure.png",
        "requests.log",
        "trace.zip",
        "typed-_.png",
    ]
    assert any("/nowhere?token=***: HTTP 404" in line for line in attempt.failed_requests)
    assert any("signed up" in line and "***" in line for line in attempt.console)
    with zipfile.ZipFile(tmp_path / "out" / "attempt-1" / "trace.zip") as trace:
        events = trace.read("trace.trace").decode()
        assert '"value":"***"' in events  # the fill is there, its value is not
        assert len(trace.namelist()) > 5

    assert leaks_under(tmp_path / "out") == []
    assert TOKEN not in describe_result(result)
    assert TOKEN not in repr(result)


def test_the_search_finds_a_secret_that_was_not_masked(tmp_path: Path) -> None:
    trace = tmp_path / "trace.zip"
    with zipfile.ZipFile(trace, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        payload = json.dumps({"pw": SECRET}).encode()
        archive.writestr("resources/x.json", payload)
    assert leaks_under(tmp_path) == [f"{trace}!resources/x.json: {TOKEN.encode()!r}"]
    basic = tmp_path / "basic.txt"
    basic.write_bytes(b"Authorization: Basic " + base64.b64encode(b"ab" + SECRET.encode()))
    assert any(line.startswith(f"{basic}:") for line in leaks_under(tmp_path))
