"""A secret typed into pages, sent in requests, echoed back, logged by the page and named in a
screenshot never reaches any artifact: every byte of every file (zips opened) is searched."""

from __future__ import annotations

import base64
import io
import json
import secrets
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.browser.evidence import ArtifactPolicy
from harness.browser.failures import describe_result
from tests.support.runner import JourneyRunner

pytestmark = pytest.mark.browser

#: The token survives every text encoding (letters and digits are never escaped), so finding
#: it anywhere means the secret leaked in some spelling; the rest of the secret needs escaping
#: in JSON, HTML, URLs and forms, and is not Latin-1 only.
TOKEN = "tok" + secrets.token_hex(10)
SECRET = f"{TOKEN}/ü&\"q'<x> +%="


def forbidden() -> list[bytes]:
    """The token, and base64 of the secret at each alignment (as in a Basic auth header)."""
    found = [TOKEN.encode()]
    for pad in (b"", b"a", b"ab"):
        encoded = base64.b64encode(pad + SECRET.encode())
        found.append(encoded[len(pad) * 2 : -4])
    return found


def blobs(path: Path, data: bytes) -> Iterator[tuple[str, bytes]]:
    """The file's bytes, and if it is a zip, every entry's bytes (recursively) and names."""
    yield str(path), data
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            yield f"{path}!{info.filename} (name)", info.filename.encode()
            yield from blobs(Path(f"{path}!{info.filename}"), archive.read(info))


def leaks_under(folder: Path) -> list[str]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        for where, data in [
            (f"{path} (name)", str(path).encode()),
            *blobs(path, path.read_bytes()),
        ]:
            found += [f"{where}: {needle!r}" for needle in forbidden() if needle in data]
    return found


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
