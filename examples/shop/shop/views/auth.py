"""Sign-up, log-in and log-out."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request

from shop import accounts, current, services
from shop.repositories import EmailTakenError

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """Where to go after logging in: only a path on this site, never another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> Any:
    if request.method == "GET":
        return render_template("signup.html", form={}, errors={})
    form = {key: request.form.get(key, "") for key in ("name", "email", "password")}
    errors = accounts.signup_errors(form["name"], form["email"], form["password"])
    if not errors:
        try:
            account = services.users().create(
                form["email"], form["name"], accounts.hash_password(form["password"])
            )
        except EmailTakenError:
            errors["email"] = "An account with this email already exists. Log in instead."
    if errors:
        form["password"] = ""
        return render_template("signup.html", form=form, errors=errors), 422
    current.log_in(account)
    current.flash(f"Welcome, {account.name}! Your account is ready.")
    return redirect("/")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("login.html", email="", next=target, error=None)
    email, password = request.form.get("email", ""), request.form.get("password", "")
    account = services.users().by_email(email) if email.strip() else None
    if account is None or not accounts.password_matches(account.password_hash, password):
        error = "Email or password is incorrect."
        return render_template("login.html", email=email, next=target, error=error), 401
    current.log_in(account)
    current.flash(f"Welcome back, {account.name}.")
    return redirect(target)


@bp.post("/logout")
def logout() -> Any:
    current.log_out()
    current.flash("You have logged out.")
    return redirect("/")
