"""The shop's settings, read once from environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass

from shop import defects


@dataclass(frozen=True)
class Config:
    database_url: str
    redis_url: str
    defects: frozenset[str]
    secure_cookies: bool = False

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("DATABASE_URL", "postgresql://shop:shop@127.0.0.1:5432/shop"),
            redis_url=env.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            defects=defects.parse(env.get("SHOP_DEFECT", "")),
            secure_cookies=env.get("SHOP_SECURE_COOKIES", "") == "1",
        )
