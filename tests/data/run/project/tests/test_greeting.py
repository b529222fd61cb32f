"""Unit tests of the greeting that mock its rendering: they pass whatever the real one does."""

from unittest import mock

from app.greeting import greeting_for


def test_greeting_names_the_visitor():
    render = mock.Mock(side_effect=lambda text: text)
    assert greeting_for("visitor", render) == "Hello, visitor!"


@mock.patch("app.greeting._render", side_effect=lambda text: text)
def test_greeting_says_hello(render):
    assert greeting_for("Ann").startswith("Hello")
    assert render.called
