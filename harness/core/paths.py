"""Paths as users see them: from the folder they are about (the project root, the run's folder,
the current directory) when they lie inside it, else as they were given."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from harness.contract import JOURNEY_SUFFIXES


@functools.lru_cache(maxsize=4096)
def _real(path: str) -> str:
    return os.path.realpath(path)


def relative_path(path: Path | str, folder: Path | str) -> str:
    """``path`` from ``folder`` (POSIX, symlinks resolved), or as it is when it lies elsewhere.
    A relative ``path`` is taken from the current directory."""
    real, base = _real(os.path.abspath(path)), _real(os.path.abspath(folder))
    if real == base:
        return "."
    if real.startswith(base.rstrip(os.sep) + os.sep):
        return Path(os.path.relpath(real, base)).as_posix()
    return Path(path).as_posix()


def display_path(path: Path | str) -> str:
    """``path`` as messages show it: from the current directory when it lies inside."""
    return relative_path(path, os.getcwd())


def inside(path: Path | str, root: Path | str) -> bool:
    """True when ``path`` lies in ``root``, both with every symlink resolved now (never cached:
    a link a journey names may point anywhere, and may change)."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


_FILE_URL = re.compile(r"\s*file:", re.IGNORECASE)


def is_file_url(url: str) -> bool:
    """``file:///etc/passwd`` (any case, leading blanks): a URL journeys may never open."""
    return _FILE_URL.match(url) is not None


def without_journey_suffix(name: str) -> str:
    """``journeys/cart/add.journey.yml`` -> ``journeys/cart/add``; other names as they are."""
    for suffix in JOURNEY_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def journey_folder(run_dir: Path, journey_id: str) -> Path:
    """``journeys/cart/add.journey.yml`` keeps its evidence in ``<run>/journeys/cart/add/``
    (under ``harness run`` and as a pytest item alike)."""
    name = without_journey_suffix(journey_id)
    parts = [re.sub(r"[^A-Za-z0-9._-]+", "-", p) for p in name.split("/") if p not in ("", "..")]
    return run_dir.joinpath(*(parts or ["journey"]))
