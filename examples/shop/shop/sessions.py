"""Sessions in Redis: the browser holds only a random id in a cookie; the data stays server-side."""

from __future__ import annotations

import json
import secrets
from typing import Any

import redis

COOKIE = "shop_session"
TTL_SECONDS = 7 * 24 * 3600


class SessionStore:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @staticmethod
    def key(sid: str) -> str:
        return f"session:{sid}"

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(24)

    def load(self, sid: str) -> dict[str, Any] | None:
        raw = self.client.get(self.key(sid))
        return json.loads(raw) if raw else None

    def save(self, sid: str, data: dict[str, Any]) -> None:
        self.client.set(self.key(sid), json.dumps(data), ex=TTL_SECONDS)

    def delete(self, sid: str) -> None:
        self.client.delete(self.key(sid))
