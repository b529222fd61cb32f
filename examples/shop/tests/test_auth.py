"""Sign-up, log-in and log-out, with the user repository and the session store mocked."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from flask.testing import FlaskClient
from shop.accounts import hash_password, password_matches, signup_errors
from shop.models import User
from shop.repositories import EmailTakenError
from shop.views.auth import safe_next

pytestmark = pytest.mark.covers("auth")

DANA = User(7, "dana@example.test", "Dana", hash_password("correct horse"))


def test_signup_rules() -> None:
    assert signup_errors("Dana", "dana@example.test", "long enough") == {}
    assert set(signup_errors("", "not-an-email", "short")) == {"name", "email", "password"}


def test_passwords_are_hashed() -> None:
    hashed = hash_password("correct horse")
    assert "correct horse" not in hashed
    assert password_matches(hashed, "correct horse")
    assert not password_matches(hashed, "wrong horse")


def test_signup_creates_the_account_and_logs_in(
    client: FlaskClient, mocks: SimpleNamespace
) -> None:
    mocks.users.create.return_value = DANA
    response = client.post(
        "/signup", data={"name": "Dana", "email": "dana@example.test", "password": "correct horse"}
    )
    assert response.status_code == 302
    email, name, password_hash = mocks.users.create.call_args.args
    assert (email, name) == ("dana@example.test", "Dana")
    assert password_matches(password_hash, "correct horse")
    assert mocks.sessions.save.call_args.args[1]["user"]["id"] == 7


def test_signup_with_a_taken_email(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.users.create.side_effect = EmailTakenError("dana@example.test")
    response = client.post(
        "/signup", data={"name": "Dana", "email": "dana@example.test", "password": "correct horse"}
    )
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_signup_errors_are_shown(client: FlaskClient, mocks: SimpleNamespace) -> None:
    response = client.post("/signup", data={"name": "", "email": "x", "password": "123"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter your name" in page
    assert "Use at least 8 characters" in page
    mocks.users.create.assert_not_called()


def test_login_remembers_the_user_under_a_new_session(
    client: FlaskClient, mocks: SimpleNamespace, logged_in: dict[str, Any]
) -> None:
    mocks.users.by_email.return_value = DANA
    response = client.post(
        "/login", data={"email": "dana@example.test", "password": "correct horse", "next": "/cart"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/cart"
    mocks.sessions.delete.assert_called_once_with("sid-1")
    sid, data = mocks.sessions.save.call_args.args
    assert sid == "new-sid"
    assert data["cart_id"] == "cart-1"


def test_login_with_a_wrong_password(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.users.by_email.return_value = DANA
    response = client.post("/login", data={"email": "dana@example.test", "password": "nope"})
    assert response.status_code == 401
    assert "Email or password is incorrect." in response.get_data(as_text=True)
    mocks.sessions.save.assert_not_called()


def test_login_with_an_unknown_email(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.users.by_email.return_value = None
    response = client.post("/login", data={"email": "who@example.test", "password": "x"})
    assert response.status_code == 401


def test_logout_forgets_the_session(
    client: FlaskClient, mocks: SimpleNamespace, logged_in: dict[str, Any]
) -> None:
    response = client.post("/logout")
    assert response.status_code == 302
    mocks.sessions.delete.assert_called_once_with("sid-1")
    assert "user" not in mocks.sessions.save.call_args.args[1]


@pytest.mark.parametrize(
    ("target", "safe"),
    [("/orders", "/orders"), ("//evil.example", "/"), ("https://evil.example", "/"), (None, "/")],
)
def test_only_local_redirects_after_login(target: str | None, safe: str) -> None:
    assert safe_next(target) == safe
