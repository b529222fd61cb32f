"""The one masker: secret values become ``***`` in every text and file the harness writes.

A secret reaches artifacts in many spellings: raw, JSON-escaped, HTML-escaped, URL-encoded (in
full, as a form, or only as far as a browser encodes a URL it is given; as UTF-8 or, on pages
without a charset, Latin-1), base64 at any of its three alignments (inside an ``Authorization:
Basic`` header the secret follows ``user:``), mangled by a page that misread its charset, or cut
short: Playwright shortens element previews in traces (``value="hunter2-hor…"``), so a prefix of
at least :data:`MIN_PREFIX` characters that ends at an ellipsis or at the end of the data is
masked too. Every such spelling is masked, longest first.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from harness.contract import SECRET_MASK

MASK = SECRET_MASK

_Encoder = Callable[[str], str]


def _json(text: str) -> str:
    return json.dumps(text)[1:-1]


def _json_unicode(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


#: Characters a browser percent-encodes in a URL it is given (WHATWG URL standard): in a
#: query of an http(s) URL, in other queries, in a path, in a fragment. The rest stays as typed.
_BROWSER_ENCODE_SETS = (" \"#<>'", ' "#<>', ' "#<>?`{}', ' "<>`')


def _percent_only(chars: str, charset: str) -> _Encoder:
    def encode(text: str) -> str:
        return "".join(
            "".join(f"%{b:02X}" for b in c.encode(charset))
            if c in chars or not " " < c < "\x7f"
            else c
            for c in text
        )

    return encode


def _url_encoders(charset: str) -> list[_Encoder]:
    return [
        lambda text: quote(text, safe="", encoding=charset),
        lambda text: quote(text, safe="/", encoding=charset),
        lambda text: quote_plus(text, safe="", encoding=charset),
        lambda text: quote(text, safe="-_.!~*'()", encoding=charset),  # encodeURIComponent
        lambda text: quote(text, safe=";,/?:@&=+$-_.!~*'()#", encoding=charset),  # encodeURI
        *(_percent_only(chars, charset) for chars in _BROWSER_ENCODE_SETS),
    ]


def _lower_hex(encoder: _Encoder) -> _Encoder:
    return lambda text: re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), encoder(text))


_URL_ENCODERS: list[_Encoder] = _url_encoders("utf-8") + _url_encoders("latin-1")

#: How one layer of a file can spell a value; two layers combine (a URL inside JSON, ...).
_ENCODERS: list[_Encoder] = [
    lambda text: text,
    _json,
    _json_unicode,
    html.escape,
    lambda text: html.escape(text, quote=False),
    *_URL_ENCODERS,
    *(_lower_hex(encoder) for encoder in _URL_ENCODERS),
]
_OUTER: list[_Encoder] = [lambda text: text, _json, _json_unicode, html.escape]


#: Pieces shorter than this are not masked on their own: they would mask half of every file.
MIN_PIECE = 4


def _pieces(secret: str) -> set[str]:
    """The secret, and the parts a parsed URL or form splits it into (at ``& = ; ? #``, with
    ``+`` read as a space), when long enough to mean something on their own."""
    found = {secret, secret.replace("+", " ")}
    for part in re.split(r"[&=;?#]", secret):
        if len(part.strip()) >= MIN_PIECE:
            found.update({part, part.replace("+", " ")})
    return found


def _misread(secret: str) -> set[str]:
    """The secret (and its pieces) as written, and as a page that guessed the wrong charset
    shows them."""
    forms = _pieces(secret)
    for form in list(forms):
        if not form.isascii():
            forms.add(form.encode("utf-8").decode("latin-1"))
            forms.add("".join(c if c.isascii() else "\ufffd" for c in form))
    return forms


def _encode_safely(encoder: _Encoder, text: str) -> str | None:
    try:
        return encoder(text)
    except UnicodeEncodeError:  # a Latin-1 URL encoding of a non-Latin-1 secret
        return None


def _text_spellings(secret: str) -> set[str]:
    found: set[str] = set()
    for form in _misread(secret):
        for inner in _ENCODERS:
            encoded = _encode_safely(inner, form)
            if encoded is None:
                continue
            found.update(outer(encoded) for outer in _OUTER)
    return found


def _base64_cores(data: bytes) -> set[bytes]:
    """The base64 characters fixed by ``data`` alone, for each of its three alignments."""
    cores: set[bytes] = set()
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + data)
        first = -(-8 * pad // 6)
        last = (8 * (pad + len(data))) // 6
        core = encoded[first:last]
        if len(core) >= 4:
            cores.update({core, core.translate(bytes.maketrans(b"+/", b"-_"))})
    return cores


def _as_bytes(texts: Iterable[str]) -> set[bytes]:
    found: set[bytes] = set()
    for text in texts:
        found.add(text.encode("utf-8"))
        if all(ord(c) < 256 for c in text):
            found.add(text.encode("latin-1"))
    found.discard(b"")
    return found


def spellings(secret: str) -> set[bytes]:
    """Every byte string under which ``secret`` may appear in a log, report or trace."""
    found = _as_bytes(_text_spellings(secret))
    found.update(_base64_cores(secret.encode("utf-8")))
    return found


#: A prefix of a secret shorter than this is not masked when cut short (a preview's ``ab…``).
MIN_PREFIX = 8
#: What a shortened preview ends with (the lookahead after a prefix), besides the data's end.
_CUT_MARKS = ("…", "...", "\\u2026", "&hellip;", "&#8230;")


def prefixes(secret: str) -> set[bytes]:
    """The spellings of each proper prefix of ``secret`` of at least MIN_PREFIX characters."""
    found: set[bytes] = set()
    for end in range(MIN_PREFIX, len(secret)):
        prefix = secret[:end]
        found |= _as_bytes(outer(prefix) for outer in _OUTER)
    return found


def _cut_pattern(prefixes_: set[bytes]) -> bytes:
    ordered = sorted(prefixes_, key=lambda s: (-len(s), s))
    marks = b"|".join(re.escape(m.encode("utf-8")) for m in _CUT_MARKS)
    return b"(?:" + b"|".join(re.escape(p) for p in ordered) + b")(?=" + marks + rb"|\Z)"


@dataclass(frozen=True)
class Redactor:
    """Replaces every spelling of the given secret values with ``***``."""

    pattern: re.Pattern[bytes] | None

    @classmethod
    def from_secrets(cls, secrets: Iterable[str]) -> Redactor:
        return _redactor(frozenset(s for s in secrets if s))

    @property
    def active(self) -> bool:
        return self.pattern is not None

    def mask_bytes(self, data: bytes) -> bytes:
        if self.pattern is None:
            return data
        return self.pattern.sub(MASK.encode(), data)

    def mask(self, text: str) -> str:
        if self.pattern is None or not text:
            return text
        # surrogatepass: any lone surrogate (a log read with surrogateescape, a broken page
        # text) goes through and comes back as it was
        return self.mask_bytes(text.encode("utf-8", "surrogatepass")).decode(
            "utf-8", "surrogatepass"
        )

    def leaks(self, data: bytes) -> bool:
        """True when ``data`` still holds a secret in some spelling."""
        return self.pattern is not None and self.pattern.search(data) is not None


@functools.lru_cache(maxsize=64)
def _redactor(secrets: frozenset[str]) -> Redactor:
    found: set[bytes] = set()
    cut: set[bytes] = set()
    for secret in secrets:
        found.update(spellings(secret))
        cut.update(prefixes(secret))
    if not found:
        return Redactor(None)
    ordered = sorted(found, key=lambda s: (-len(s), s))  # longest first wins the alternation
    whole = b"|".join(re.escape(s) for s in ordered)
    return Redactor(re.compile(whole + (b"|" + _cut_pattern(cut) if cut else b"")))


def mask(text: str, secrets: Collection[str]) -> str:
    """``text`` with every spelling of every secret value replaced by ``***``."""
    return Redactor.from_secrets(secrets).mask(text)
