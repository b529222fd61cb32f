"""The visitor of the current request: their session, whether they are logged in, their cart."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import Response, g, redirect, request

from shop import services
from shop.cart import Cart, build_cart
from shop.models import User
from shop.sessions import COOKIE, TTL_SECONDS

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Session:
    sid: str | None
    data: dict[str, Any] = field(default_factory=dict)
    modified: bool = False
    dropped: str | None = None  # an id to delete from the store when the response leaves

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value
        self.modified = True


def load_session() -> None:
    sid = request.cookies.get(COOKIE)
    data = services.sessions().load(sid) if sid else None
    g.session = Session(sid if data is not None else None, data or {})


def session() -> Session:
    if "session" not in g:
        g.session = Session(None)
    return g.session  # type: ignore[no-any-return]


def save_session(response: Response, secure: bool) -> Response:
    current = g.get("session")
    if current is None:
        return response
    if current.dropped:
        services.sessions().delete(current.dropped)
    if current.modified:
        current.sid = current.sid or services.sessions().new_id()
        services.sessions().save(current.sid, current.data)
        response.set_cookie(
            COOKIE, current.sid, max_age=TTL_SECONDS, httponly=True, samesite="Lax", secure=secure
        )
    return response


def user() -> dict[str, Any] | None:
    """The logged-in user as the session remembers them (id, email, name), or None."""
    return session().data.get("user")


def logged_in_user() -> dict[str, Any]:
    """The logged-in user; only for views behind ``login_required``."""
    found = user()
    assert found is not None, "logged_in_user() outside login_required"
    return found


def user_id() -> int:
    return int(logged_in_user()["id"])


def log_in(account: User) -> None:
    """Remember the user under a fresh session id (so an id seen before log-in is worthless)."""
    current = session()
    current.dropped, current.sid = current.sid, None
    current.set("user", {"id": account.id, "email": account.email, "name": account.name})


def log_out() -> None:
    current = session()
    current.dropped, current.sid = current.sid, None
    current.data = {}
    current.modified = True


def login_required(view: F) -> F:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if user() is None:
            if request.path.startswith("/api/"):
                return {"error": "log in first"}, 401
            return redirect(f"/login?{urlencode({'next': request.full_path.rstrip('?')})}")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def cart_id() -> str | None:
    """The visitor's cart, if they have one yet."""
    return session().data.get("cart_id")


def ensure_cart_id() -> str:
    """The visitor's cart, made now if they have none."""
    current = session()
    if "cart_id" not in current.data:
        current.set("cart_id", secrets.token_urlsafe(16))
    return str(current.data["cart_id"])


def cart() -> Cart:
    """The visitor's cart, priced from the catalog as it is now."""
    cid = cart_id()
    quantities = services.carts().quantities(cid) if cid else {}
    products = services.products().by_skus(quantities) if quantities else {}
    return build_cart(quantities, products)


def cart_count() -> int:
    cid = cart_id()
    return services.carts().count(cid) if cid else 0


def flash(message: str) -> None:
    current = session()
    current.set("flashes", [*current.data.get("flashes", []), message])


def pop_flashes() -> list[str]:
    current = session()
    flashes: list[str] = current.data.get("flashes", [])
    if flashes:
        current.set("flashes", [])
    return flashes


def take(key: str) -> Any:
    """Read a one-time value from the session and forget it."""
    current = session()
    if key not in current.data:
        return None
    current.modified = True
    return current.data.pop(key)
