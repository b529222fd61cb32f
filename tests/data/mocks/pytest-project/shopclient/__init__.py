"""A tiny API client whose tests mock its HTTP calls in every common way."""

from __future__ import annotations

import logging
import random
import time
from typing import Any

import httpx
import requests

BASE = "http://api.test"
log = logging.getLogger(__name__)


def get_user(user_id: int) -> Any:
    response = requests.get(f"{BASE}/api/users/{user_id}", timeout=5)
    response.raise_for_status()
    return response.json()


def get_cart() -> Any:
    return httpx.get(f"{BASE}/api/cart").json()


def greeting(api: Any) -> str:
    return f"Hello, {api.get_user(1)['name']}"


def order_total(api: Any) -> int:
    return sum(order["total"] for order in api.list_orders())


def stamp() -> str:
    log.info("stamping")
    return f"{int(time.time())}-{random.randint(0, 9)}"
