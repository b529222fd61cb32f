"""The secrets suite: `harness run` on the sample project with a secret that a journey types,
posts, puts in a URL, expects and meets in a failing ARIA snapshot, that the app logs in many
spellings, and that a unit test prints. The raw value and each of its encodings are searched in
every byte the run writes (its folder, zips opened entry by entry, the history, the console),
for values with spaces, ``/``, ``+`` and non-ASCII letters."""

from __future__ import annotations

import base64
import html
import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from tests.support.run import PROJECT, harness

pytestmark = pytest.mark.browser

SECRETS = ["Tök3n s3cret/with+plus-42", "ñandú+añejo/key with space=="]

UNIT_TEST = """
import os


def test_prints_the_token():
    print("token:", os.environ.get("APP_TOKEN", ""))
"""


def spellings(secret: str) -> dict[str, bytes]:
    """What a careless app, a test or a trace may write: each encoding, base64 at each of its
    three alignments (as inside ``Basic`` auth), and a preview cut after 17 characters."""
    found = {
        "raw": secret.encode(),
        "url": quote(secret, safe="").encode(),
        "url keeping /": quote(secret).encode(),
        "form": quote_plus(secret).encode(),
        "json": json.dumps(secret)[1:-1].encode(),
        "json ascii": json.dumps(secret, ensure_ascii=True)[1:-1].encode(),
        "html": html.escape(secret).encode(),
        "preview": (secret[:17] + "…").encode(),
    }
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + secret.encode())
        first, last = -(-8 * pad // 6), (8 * (pad + len(secret.encode()))) // 6
        found[f"base64 at offset {pad}"] = encoded[first:last]
    return found


def blobs(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """The bytes, and when they are a zip, every entry's name and bytes (nested zips too)."""
    yield name, data
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                yield f"{name}!{info.filename} (name)", info.filename.encode()
                yield from blobs(f"{name}!{info.filename}", archive.read(info))


def leaks(secret: str, folder: Path, *texts: str) -> list[str]:
    needles = spellings(secret)
    places = [(f"output {n}", t.encode()) for n, t in enumerate(texts)]
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        places += [(f"{path} (name)", str(path).encode()), *blobs(str(path), path.read_bytes())]
    return [
        f"{where}: {kind}" for where, data in places for kind, n in needles.items() if n in data
    ]


@pytest.fixture
def project(tmp_path: Path, browser_executable: object) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__", ".harness"))
    (root / "tests" / "test_token.py").write_text(UNIT_TEST)
    (root / "pytest.ini").write_text("[pytest]\npythonpath = .\njunit_logging = all\n")
    return root


@pytest.mark.parametrize("secret", SECRETS)
def test_no_spelling_of_a_secret_is_in_any_byte_the_run_writes(project: Path, secret: str) -> None:
    run = harness(project, "secrets", "--workers", "1", APP_TOKEN=secret)
    assert run.code == 3, run.stdout + run.stderr  # the journey fails; the unit tests pass
    assert run.folder is not None
    web_log = (run.folder / "services" / "web.log").read_text()
    assert "echo raw=*** url=*** form=***" in web_log  # the app did log it, masked
    assert "echo Authorization: Basic " in web_log
    assert "***" in (run.folder / "unit" / "app.xml").read_text()  # the unit test printed it
    assert list(run.folder.rglob("trace.zip"))
    [aria] = [j for j in run.report["journeys"] if j["file"] == "secrets/aria.journey.yml"]
    assert 'textbox "Token": ***' in aria["failure"]["message"]  # the ARIA tree showed it
    assert leaks(secret, project / ".harness", run.stdout, run.stderr) == []


def test_the_search_finds_every_spelling_it_looks_for(tmp_path: Path) -> None:
    secret = SECRETS[0]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as inner:
        inner.writestr(
            "trace.trace", json.dumps({"preview": secret[:17] + "…"}, ensure_ascii=False)
        )
    (tmp_path / "trace.zip").write_bytes(archive.getvalue())
    basic = base64.b64encode(f"ab:{secret}".encode())
    (tmp_path / "web.log").write_bytes(b"Authorization: Basic " + basic)
    found = leaks(secret, tmp_path, f"pw={quote_plus(secret)}")
    assert any(f.startswith("output 0: form") for f in found)
    assert any("trace.zip!trace.trace: preview" in f for f in found)
    assert any("web.log: base64 at offset" in f for f in found)
