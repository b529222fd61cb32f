"""The Flask application: pages, the JSON API, sessions and the request's database transaction."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from shop import current, services
from shop.config import Config
from shop.pricing import format_money
from shop.views import api, auth, cart, catalog, checkout, health, orders

NO_SESSION = {"static", "health.healthz"}


def create_app(config: Config | None = None) -> Flask:
    app = Flask(__name__)
    app.config["SHOP"] = config or Config.from_env()
    services.init_app(app)
    for blueprint in (catalog.bp, auth.bp, cart.bp, checkout.bp, orders.bp, api.bp, health.bp):
        app.register_blueprint(blueprint)
    app.before_request(_load_session)
    app.after_request(_finish_request)
    app.context_processor(_template_globals)
    app.add_template_filter(format_money, "money")
    app.register_error_handler(HTTPException, _http_error)
    return app


def _load_session() -> None:
    if request.endpoint not in NO_SESSION:
        current.load_session()


def _finish_request(response: Response) -> Response:
    services.commit_database()
    return current.save_session(response, secure=current_app.config["SHOP"].secure_cookies)


def _template_globals() -> dict[str, Any]:
    if request.endpoint in NO_SESSION:
        return {}
    return {
        "user": current.user(),
        "cart_count": current.cart_count(),
        "flashes": current.pop_flashes(),
    }


def _http_error(error: HTTPException) -> Any:
    if request.path.startswith("/api/"):
        return {"error": error.description}, error.code
    return render_template("error.html", error=error), error.code
