"""The secret masker: every spelling of a secret a log, report or trace may hold becomes ***."""

from __future__ import annotations

import base64
import html
import json
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.browser.evidence import safe_file_name
from harness.core.masked_files import leaks, mask_folder, run_files, scrub_trace
from harness.core.masking import MASK, MIN_PREFIX, Redactor

SECRET = "p4ss/wörd&\"q'<x> +%"


def spelled(secret: str) -> list[str]:
    return [
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        html.escape(secret),
        quote(secret, safe=""),
        quote_plus(secret),
        urlencode({"pw": secret}).split("=", 1)[1],
        json.dumps(quote(secret, safe=""))[1:-1],
        json.dumps(html.escape(secret))[1:-1],
        secret.encode().decode("latin-1"),
    ]


def test_latin1_url_encoding_is_masked() -> None:
    redactor = Redactor.from_secrets([SECRET])
    form = quote_plus(SECRET, encoding="latin-1")
    assert redactor.mask(f"pw={form}&x=1") == f"pw={MASK}&x=1"


@pytest.mark.parametrize("spelling", spelled(SECRET))
def test_every_spelling_is_masked(spelling: str) -> None:
    redactor = Redactor.from_secrets([SECRET])
    masked = redactor.mask(f"before {spelling} after")
    assert masked == f"before {MASK} after"


def test_base64_inside_a_basic_auth_header_is_masked_at_every_alignment() -> None:
    redactor = Redactor.from_secrets(["hunter2-horse-battery"])
    for user in ("a", "ab", "abc"):
        header = base64.b64encode(f"{user}:hunter2-horse-battery".encode())
        assert not redactor.leaks(redactor.mask_bytes(b"Basic " + header))


def test_a_page_that_misreads_the_charset_still_cannot_show_it() -> None:
    redactor = Redactor.from_secrets(["grüße-1234"])
    assert redactor.mask("value=gr\ufffd\ufffde-1234") == f"value={MASK}"


def test_no_secrets_means_text_is_untouched() -> None:
    redactor = Redactor.from_secrets(["", ""])
    assert not redactor.active
    assert redactor.mask("anything") == "anything"


def test_a_longer_secret_wins_over_its_own_prefix() -> None:
    redactor = Redactor.from_secrets(["abcd", "abcdefgh"])
    assert redactor.mask("xabcdefghx") == f"x{MASK}x"


@settings(deadline=None)  # a long non-ASCII secret has thousands of spellings to compile
@given(st.text(min_size=4, max_size=30).filter(lambda s: s.strip() == s and s))
def test_any_secret_in_any_of_its_spellings_is_gone(secret: str) -> None:
    redactor = Redactor.from_secrets([secret])
    for spelling in spelled(secret):
        assert not redactor.leaks(redactor.mask_bytes(f"<{spelling}>".encode()))


def test_file_names_never_show_a_secret() -> None:
    redactor = Redactor.from_secrets(["t0ps3cret"])
    assert safe_file_name("after login t0ps3cret!", redactor) == "after-login-_"
    assert safe_file_name("../../etc", redactor) == "etc"


def _zip(path: Path, entries: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def test_a_trace_is_rewritten_and_its_resources_renamed(tmp_path: Path) -> None:
    redactor = Redactor.from_secrets([SECRET])
    body = f"pw={quote_plus(SECRET)}".encode()
    old = "resources/" + "a" * 40 + ".dat"
    events = json.dumps({"method": "fill", "value": SECRET, "_file": old}).encode()
    trace = tmp_path / "trace.zip"
    _zip(trace, {"trace.trace": events, old: body, "resources/" + "b" * 40 + ".png": b"\x89PNG"})

    assert {"trace.trace", old} <= set(leaks(trace, redactor))
    assert scrub_trace(trace, redactor)

    with zipfile.ZipFile(trace) as archive:
        names = archive.namelist()
        [renamed] = [n for n in names if n.endswith(".dat")]
        assert renamed != old
        assert renamed.encode() in archive.read("trace.trace")
        assert archive.read(renamed) == b"pw=" + MASK.encode()
    assert leaks(trace, redactor) == []


def test_a_trace_that_cannot_be_read_is_not_kept(tmp_path: Path) -> None:
    trace = tmp_path / "trace.zip"
    trace.write_bytes(b"not a zip " + SECRET.encode())
    assert not scrub_trace(trace, Redactor.from_secrets([SECRET]))
    assert not trace.exists()


def test_a_secret_split_by_a_parsed_query_string_is_masked_piece_by_piece() -> None:
    redactor = Redactor.from_secrets(["abcd1234&efgh+5678"])
    parsed = '[{"name":"token","value":"abcd1234"},{"name":"efgh 5678","value":""}]'
    assert redactor.mask(parsed) == '[{"name":"token","value":"***"},{"name":"***","value":""}]'


def test_a_url_as_the_browser_encodes_it_is_masked() -> None:
    redactor = Redactor.from_secrets(["k3y/ü&\"q'<x> +%="])
    assert redactor.mask("/a?t=k3y/%C3%BC&%22q%27%3Cx%3E%20+%=") == "/a?t=***"


PREVIEWED = "hunter2 horse/battery+staple"


@pytest.mark.parametrize("cut", ["…", "...", "\\u2026", "&hellip;", ""])
def test_a_shortened_preview_of_a_secret_is_masked(cut: str) -> None:
    redactor = Redactor.from_secrets([PREVIEWED])
    for end in range(MIN_PREFIX, len(PREVIEWED)):
        preview = f'<input value="{PREVIEWED[:end]}{cut}'
        assert redactor.mask(preview) == f'<input value="{MASK}{cut}', end


def test_a_short_prefix_or_an_uncut_prefix_is_left_alone() -> None:
    redactor = Redactor.from_secrets([PREVIEWED])
    short = PREVIEWED[: MIN_PREFIX - 1]
    assert redactor.mask(f"{short}…") == f"{short}…"
    assert redactor.mask(f"{PREVIEWED[:12]} more text") == f"{PREVIEWED[:12]} more text"


@pytest.mark.parametrize("secret", ["pass word/with+plus", "grüße/ñandú+añejo", "a+b/c d=="])
@pytest.mark.parametrize("user", ["a", "ab", "abc", "qa-user"])
def test_basic_auth_of_any_secret_at_any_alignment_is_masked(secret: str, user: str) -> None:
    redactor = Redactor.from_secrets([secret])
    for alphabet in (base64.b64encode, base64.urlsafe_b64encode):
        header = b"Authorization: Basic " + alphabet(f"{user}:{secret}".encode())
        assert not redactor.leaks(redactor.mask_bytes(header))
        assert MASK.encode() in redactor.mask_bytes(header)


def test_every_file_of_a_folder_and_every_entry_of_its_zips_is_masked(tmp_path: Path) -> None:
    secret = "s3cret value/ü+x"
    redactor = Redactor.from_secrets([secret])
    (tmp_path / "unit").mkdir()
    (tmp_path / "unit" / "app.xml").write_text(f"<system-out>{html.escape(secret)}</system-out>")
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "web.log").write_text(f"GET /?t={quote_plus(secret)}\n")
    _zip(tmp_path / "trace.zip", {"trace.trace": json.dumps({"v": secret}).encode()})
    screenshot = tmp_path / "shot.png"
    screenshot.write_bytes(b"\x89PNG" + secret.encode())  # pixels are never rewritten

    assert mask_folder(tmp_path, redactor) == []
    for path in run_files(tmp_path):
        assert leaks(path, redactor) == [], path
    assert screenshot.read_bytes().endswith(secret.encode())
