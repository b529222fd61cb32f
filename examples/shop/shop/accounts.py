"""Sign-up rules and password hashing."""

from __future__ import annotations

import re

from werkzeug.security import check_password_hash, generate_password_hash

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8


def signup_errors(name: str, email: str, password: str) -> dict[str, str]:
    """Every problem with a sign-up form at once, by field name."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter your name"
    if not EMAIL.match(email.strip()):
        errors["email"] = "Enter an email address like name@example.com"
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"Use at least {MIN_PASSWORD} characters"
    return errors


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
