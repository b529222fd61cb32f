"""Real traffic from a HAR file (HTTP Archive 1.2), as a browser's developer tools or
Playwright's ``record_har_path`` export it (also its ``.zip`` form: the HAR and its bodies in one
archive): each JSON response as an :class:`Exchange`, so that ``harness drift`` can compare the
unit tests' mocks with traffic recorded anywhere."""

from __future__ import annotations

import base64
import binascii
import json
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from harness.core.traffic import MAX_BODY_BYTES, Exchange, Shape, is_json_type


class HarError(ValueError):
    """The file is not a HAR this reader understands; the message says what is wrong."""


#: Reads a body that Playwright kept in a file of its own (``content._file``), by that name.
BodyFile = Callable[[str], bytes | None]


def read_har(path: Path) -> tuple[Exchange, ...]:
    """Every response of the HAR, JSON bodies with their shape (bodies Playwright kept in
    separate files, ``content._file``, are read from beside the HAR, or from its archive)."""
    if zipfile.is_zipfile(path):
        return _read_archive(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HarError(f"{path}: not a readable JSON file ({exc})") from exc
    return _exchanges(text, path, lambda name: _beside(path.parent, name))


def _read_archive(path: Path) -> tuple[Exchange, ...]:
    """Playwright's ``record_har_path="x.zip"``: one ``.har`` and the bodies it names."""
    try:
        with zipfile.ZipFile(path) as archive:
            hars = [n for n in archive.namelist() if n.endswith(".har") and "/" not in n]
            if len(hars) != 1:
                raise HarError(f"{path}: a zip holding one .har file is a HAR; found {len(hars)}")
            text = archive.read(hars[0]).decode("utf-8")
            return _exchanges(text, path, lambda name: _archived(archive, name))
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
        raise HarError(f"{path}: not a readable HAR archive ({exc})") from exc


def _exchanges(text: str, path: Path, body_file: BodyFile) -> tuple[Exchange, ...]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise HarError(f"{path}: not a readable JSON file ({exc})") from exc
    entries = data.get("log", {}).get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise HarError(f"{path}: not a HAR file: no log.entries list")
    return tuple(
        exchange
        for number, entry in enumerate(entries, start=1)
        if (exchange := _exchange(entry, body_file, f"{path}: entry {number}")) is not None
    )


def _beside(folder: Path, name: str) -> bytes | None:
    file = (folder / name).resolve()
    inside = file.is_relative_to(folder.resolve())
    if not inside or not file.is_file() or file.stat().st_size > MAX_BODY_BYTES:
        return None
    return file.read_bytes()


def _archived(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    return None if info.file_size > MAX_BODY_BYTES else archive.read(info)


def _exchange(entry: Any, body_file: BodyFile, where: str) -> Exchange | None:
    if not isinstance(entry, Mapping):
        raise HarError(f"{where}: not an object")
    request, response = entry.get("request"), entry.get("response")
    if not isinstance(request, Mapping) or not isinstance(response, Mapping):
        raise HarError(f"{where}: needs a request and a response")
    status = response.get("status")
    if not isinstance(status, int) or status <= 0:  # 0: the request never got an answer
        return None
    found = response.get("content")
    content: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    content_type = str(content.get("mimeType") or _header(response, "content-type"))
    body = _body(content, body_file) if is_json_type(content_type) else None
    shape, note = _shape(body) if body is not None else (None, "not JSON or no body")
    return Exchange(
        method=str(request.get("method") or "GET").upper(),
        url=str(request.get("url") or ""),
        status=status,
        content_type=content_type,
        shape=shape,
        source="har",
        note=note,
    )


def _header(response: Mapping[str, Any], name: str) -> str:
    for header in response.get("headers") or ():
        if isinstance(header, Mapping) and str(header.get("name", "")).lower() == name:
            return str(header.get("value") or "")
    return ""


def _body(content: Mapping[str, Any], body_file: BodyFile) -> bytes | None:
    name = content.get("_file")
    if isinstance(name, str):
        return body_file(name)
    text = content.get("text")
    if not isinstance(text, str):
        return None
    if content.get("encoding") == "base64":
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return None
    return text.encode("utf-8", "surrogatepass")


def _shape(body: bytes) -> tuple[Shape | None, str]:
    if len(body) > MAX_BODY_BYTES:
        return None, "body over the size limit"
    try:
        return Shape.of(json.loads(body)), ""
    except ValueError:
        return None, "body is not valid JSON"
