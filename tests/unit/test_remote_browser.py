"""Remote browser configuration: which endpoint wins, which protocol a URL means, what a message
may show of it, and the mistakes in harness.yml and environment files, located."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.core.environment import Environment, load_environment
from harness.core.project import load_project_file
from harness.core.remote_browser import (
    ENDPOINT_ENV,
    BrowserConfig,
    EndpointChoice,
    RemoteEndpoint,
    choose_endpoint,
)
from harness.core.templating import Context
from harness.errors import SourceError, UsageError

PROJECT = BrowserConfig("ws://project:3000/", {"Authorization": "Bearer ${secrets.T}", "X": "p"})
ENVIRONMENT = BrowserConfig("http://env:9222", {"X": "e"})


def _source(chosen: EndpointChoice | None) -> tuple[str, str] | None:
    return None if chosen is None else (chosen.endpoint, chosen.source)


def test_the_option_wins_then_the_variable_then_the_environment_then_harness_yml() -> None:
    env = {ENDPOINT_ENV: "ws://variable:1/"}
    chosen = choose_endpoint("ws://option:1/", ENVIRONMENT, PROJECT, env=env)
    assert _source(chosen) == ("ws://option:1/", "--browser-endpoint")
    chosen = choose_endpoint(None, ENVIRONMENT, PROJECT, env=env)
    assert _source(chosen) == ("ws://variable:1/", ENDPOINT_ENV)
    chosen = choose_endpoint(None, ENVIRONMENT, PROJECT, environment_file="env/ci.yml", env={})
    assert _source(chosen) == ("http://env:9222", "env/ci.yml: browser.endpoint")
    chosen = choose_endpoint(None, BrowserConfig(), PROJECT, env={})
    assert _source(chosen) == ("ws://project:3000/", "harness.yml: browser.endpoint")
    assert choose_endpoint(None, BrowserConfig(), BrowserConfig(), env={}) is None


def test_headers_merge_with_the_environment_file_winning_key_by_key() -> None:
    chosen = choose_endpoint("ws://o:1/", ENVIRONMENT, PROJECT, env={})
    assert chosen is not None
    assert dict(chosen.headers) == {"Authorization": "Bearer ${secrets.T}", "X": "e"}


@pytest.mark.parametrize(
    ("url", "protocol"),
    [
        ("ws://127.0.0.1:3000/", "playwright"),
        ("WSS://grid.example/playwright", "playwright"),
        ("http://127.0.0.1:9222", "cdp"),
        ("https://chrome.example", "cdp"),
    ],
)
def test_the_scheme_picks_the_protocol(url: str, protocol: str) -> None:
    assert RemoteEndpoint.from_url(url, "test").protocol == protocol


@pytest.mark.parametrize("url", ["tcp://host:1", "127.0.0.1:3000", "ws://", ""])
def test_anything_else_is_bad_input_naming_what_is_valid(url: str) -> None:
    with pytest.raises(UsageError) as caught:
        RemoteEndpoint.from_url(url, "--browser-endpoint")
    assert "is not a browser endpoint" in str(caught.value)
    assert "ws://HOST:PORT/PATH" in str(caught.value)


def test_rendering_resolves_secrets_and_messages_show_neither_them_nor_the_query() -> None:
    choice = EndpointChoice(
        "wss://grid.example/chromium?token=${secrets.T}",
        {"Authorization": "Bearer ${secrets.T}"},
        "harness.yml: browser.endpoint",
    )
    endpoint = choice.render(Context(env={"T": "tok-123"}))
    assert endpoint.url == "wss://grid.example/chromium?token=tok-123"
    assert endpoint.headers == {"Authorization": "Bearer tok-123"}
    assert endpoint.shown() == "wss://grid.example/chromium?***"
    assert "tok-123" not in repr(endpoint)


def test_an_unset_secret_is_bad_input_naming_the_variable() -> None:
    choice = EndpointChoice("ws://h:1/?t=${secrets.MISSING}", {}, "--browser-endpoint")
    with pytest.raises(UsageError, match="MISSING is not set"):
        choice.render(Context(env={}))


def test_an_endpoint_on_a_port_of_the_stack_waits_for_it() -> None:
    assert EndpointChoice("ws://127.0.0.1:${compose.pw.3000}/", {}, "x").needs_stack()
    assert EndpointChoice("ws://127.0.0.1:${port.browser}/", {}, "x").needs_stack()
    assert not EndpointChoice("ws://${env.HOST}:3000/", {}, "x").needs_stack()


def _environment(tmp_path: Path, text: str) -> Environment:
    path = tmp_path / "remote.yml"
    path.write_text(text)
    return load_environment(path, tmp_path, display="environments/remote.yml")


def test_an_environment_gives_browser_urls_and_an_endpoint(tmp_path: Path) -> None:
    env = _environment(
        tmp_path,
        "processes:\n"
        "  - {name: pw, command: [node, server.js, '${port.pw}']}\n"
        "urls: {web: 'http://127.0.0.1:8000'}\n"
        "browser_urls: {web: 'http://web:8000'}\n"
        "browser: {endpoint: 'ws://127.0.0.1:${port.pw}/', headers: {X-Token: '${secrets.T}'}}\n",
    )
    assert env.browser_urls == {"web": "http://web:8000"}
    assert env.browser == BrowserConfig("ws://127.0.0.1:${port.pw}/", {"X-Token": "${secrets.T}"})
    assert env.secret_names() == frozenset({"T"})


def test_a_browser_url_for_no_url_and_a_bad_endpoint_are_located(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        _environment(
            tmp_path,
            "urls: {web: 'http://127.0.0.1:1'}\n"
            "browser_urls:\n"
            "  wbe: http://web:8000\n"
            "browser:\n"
            "  endpoint: tcp://pw:3000\n",
        )
    text = str(caught.value)
    assert "environments/remote.yml:3:3: browser_urls.wbe names no url of this environment. " in (
        text
    )
    assert "Did you mean 'web'?" in text
    assert "environments/remote.yml:5:13:" in text
    assert "ws://HOST:PORT/PATH" in text


def test_harness_yml_headers_may_use_env_and_secrets_only(tmp_path: Path) -> None:
    path = tmp_path / "harness.yml"
    path.write_text("browser:\n  endpoint: ws://h:1/\n  headers: {X: '${urls.web}'}\n")
    with pytest.raises(SourceError) as caught:
        load_project_file(path, display="harness.yml")
    assert "harness.yml:3:" in str(caught.value)
    path.write_text("browser:\n  endpoint: ws://h:1/\n  headers: {X: '${secrets.T}'}\n")
    assert load_project_file(path).browser.headers == {"X": "${secrets.T}"}
