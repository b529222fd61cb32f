"""Secrets masked in the files a run writes and keeps: every file of the run's folder, and every
entry of every zip in it (Playwright traces), then proven gone byte by byte.

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

from harness.core.masking import Redactor

#: Files whose bytes are not text: masking could only corrupt them (a short base64 core can
#: appear in any image), and a secret in their pixels cannot be found by bytes anyway.
BINARY_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webm", ".webp", ".gif", ".sqlite"})


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


def mask_file(path: Path, redactor: Redactor) -> bool:
    """Mask the file in place (a zip entry by entry); False when a zip could not be proven
    clean and was deleted."""
    if zipfile.is_zipfile(path):
        return scrub_trace(path, redactor)
    data = path.read_bytes()
    clean = redactor.mask_bytes(data)
    if clean != data:
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(clean)
        os.replace(partial, path)
    return True


def run_files(folder: Path) -> list[Path]:
    """Every regular file under ``folder`` whose bytes may hold text (symlinks are not followed)."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink() and path.suffix.lower() not in BINARY_SUFFIXES
    )


def mask_folder(folder: Path, redactor: Redactor) -> list[Path]:
    """Mask every text file and zip under ``folder``; the zips deleted because a secret could not
    be removed from them."""
    if not redactor.active or not folder.is_dir():
        return []
    deleted = []
    for path in run_files(folder):
        try:
            if not mask_file(path, redactor):
                deleted.append(path)
        except OSError:  # unreadable or vanished meanwhile: nothing of it can leak from here
            continue
    return deleted
