"""``GET /healthz``: 200 when Postgres and Redis both answer, 503 naming what does not."""

from __future__ import annotations

from typing import Any

import psycopg
import redis
from flask import Blueprint, current_app

from shop import db, services

bp = Blueprint("health", __name__)


def _database_ok() -> bool:
    try:
        with db.connect(current_app.config["SHOP"].database_url, timeout=2) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def _redis_ok() -> bool:
    try:
        return bool(services.redis_client().ping())
    except redis.RedisError:
        return False


@bp.get("/healthz")
def healthz() -> Any:
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    body = {
        "status": "ok" if all(checks.values()) else "unavailable",
        "checks": {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
    }
    return body, 200 if all(checks.values()) else 503
