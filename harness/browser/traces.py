"""Rewrites a Playwright trace zip so that no secret survives in it, then proves it.

A trace records fill values, request headers and bodies, DOM snapshots (input values included)
and page resources. Every entry is rewritten through the ``Redactor``; a rewritten resource is
renamed after the SHA-1 of its new content (Playwright names resources by content hash, and a
hash of a short secret inside a known body can be brute-forced), and the references to it in the
trace's event files follow. If any spelling of a secret is still found afterwards, the trace is
deleted rather than kept.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path, PurePosixPath

from harness.browser.redaction import Redactor


def _renamed(name: str, data: bytes) -> str:
    path = PurePosixPath(name)
    return str(path.with_name(hashlib.sha1(data).hexdigest() + path.suffix))


def _is_hashed_resource(name: str) -> bool:
    path = PurePosixPath(name)
    return path.parts[0] == "resources" and len(path.stem) == 40


def _resource_renames(entries: dict[str, bytes], redactor: Redactor) -> dict[str, str]:
    renames: dict[str, str] = {}
    for name, data in entries.items():
        if _is_hashed_resource(name):
            clean = redactor.mask_bytes(data)
            if clean != data:
                renames[name] = _renamed(name, clean)
    return renames


def _scrub_entries(entries: dict[str, bytes], redactor: Redactor) -> dict[str, bytes]:
    renames = _resource_renames(entries, redactor)
    hashes = {
        PurePosixPath(old).stem.encode(): PurePosixPath(new).stem.encode()
        for old, new in renames.items()
    }
    result: dict[str, bytes] = {}
    for name, data in entries.items():
        clean = redactor.mask_bytes(data)
        if not _is_hashed_resource(name):
            for old_hash, new_hash in hashes.items():
                clean = clean.replace(old_hash, new_hash)
        result[renames.get(name) or redactor.mask(name)] = clean
    return result


def _read(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write(path: Path, entries: dict[str, bytes]) -> None:
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    os.replace(partial, path)


def leaks(path: Path, redactor: Redactor) -> list[str]:
    """Names of the entries of the trace (or the file itself) that still hold a secret."""
    raw = path.read_bytes()
    found = [path.name] if redactor.leaks(raw) else []
    try:
        entries = _read(path)
    except zipfile.BadZipFile:
        return found
    return found + [
        name
        for name, data in entries.items()
        if redactor.leaks(name.encode()) or redactor.leaks(data)
    ]


def scrub_trace(path: Path, redactor: Redactor) -> bool:
    """Mask every secret in the trace at ``path``; False (and no file) if that cannot be proven."""
    if not redactor.active:
        return True
    try:
        _write(path, _scrub_entries(_read(path), redactor))
    except (zipfile.BadZipFile, OSError):
        path.unlink(missing_ok=True)
        return False
    if leaks(path, redactor):
        path.unlink(missing_ok=True)
        return False
    return True
