"""A secret that needs escaping in every text encoding, and a search for it (and its base64 at
every alignment) in every byte under a folder, zip entries and file names included."""

from __future__ import annotations

import base64
import io
import secrets
import zipfile
from collections.abc import Iterator
from pathlib import Path

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
