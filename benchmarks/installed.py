"""Make the harness's bytecode as an install would: ``pip install`` compiles every module, but
a checkout run with ``PYTHONDONTWRITEBYTECODE`` set (as some CI images and sandboxes do)
compiles the harness from source on every start, about 0.3 s of CPU for ``harness run``. The
benchmarks measure the installed case, on both sides of each comparison."""

from __future__ import annotations

import compileall
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def compile_harness() -> None:
    """Write ``__pycache__`` for every module of the harness (a no-op when it is current)."""
    compileall.compile_dir(ROOT / "harness", quiet=1)
