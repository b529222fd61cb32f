"""Free TCP ports for ``${port.NAME}``: chosen per run, so parallel runs never collide."""

from __future__ import annotations

import socket
from collections.abc import Iterable


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def allocate(names: Iterable[str]) -> dict[str, str]:
    """A distinct free port for each name."""
    chosen: dict[str, str] = {}
    for name in sorted(set(names)):
        port = free_port()
        while str(port) in chosen.values():
            port = free_port()
        chosen[name] = str(port)
    return chosen
