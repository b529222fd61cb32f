"""Text from the app or its tests made safe to put in a report: no terminal colour codes, and
nothing that XML 1.0 forbids (a control character makes a CI system reject a whole junit.xml)."""

from __future__ import annotations

import re

# Colour and cursor sequences (CSI) and OSC titles, as Playwright and test runners print them.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def strip_ansi(text: str) -> str:
    """``text`` without terminal escape sequences."""
    return _ANSI.sub("", text)


def xml_safe(text: str) -> str:
    """``text`` without escape sequences, other forbidden characters shown as ``\\xNN``."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", strip_ansi(text))


def one_line(text: str, limit: int = 300) -> str:
    """The first line of ``text``, shortened to ``limit`` characters."""
    lines = strip_ansi(text).strip().splitlines()
    first = lines[0] if lines else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"


def headline(text: str, limit: int = 300) -> str:
    """A failure message as one line: its first line, and when that only announces a list
    (``the response differs from the step's expect:``), the list's first item and how many
    more follow, so the line never ends on a colon."""
    lines = strip_ansi(text).strip().splitlines()
    if len(lines) < 2 or not lines[0].endswith(":") or not lines[1].startswith("  "):
        return one_line(text, limit)
    items = 1
    while items + 1 < len(lines) and lines[items + 1].startswith("  "):
        items += 1
    more = f" (and {items - 1} more)" if items > 1 else ""
    return one_line(f"{lines[0]} {lines[1].strip()}{more}", limit)


def printable(text: str) -> str:
    """``text`` with lone surrogates (undecodable bytes an app wrote) as ``?``, safe to print."""
    return text.encode("utf-8", errors="replace").decode("utf-8")
