"""A remote browser: the ``browser`` key of harness.yml and of an environment file, the
``--browser-endpoint`` option and ``HARNESS_BROWSER_ENDPOINT``, resolved to one endpoint.

``ws://``/``wss://`` speak Playwright's own protocol (``npx playwright run-server``,
``launchServer``, Moon, Browserless); ``http(s)://`` connect over CDP (a Chromium with
``--remote-debugging-port``, Selenium Grid 4, Browserless). Nothing here connects to anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from harness.contract import SECRET_MASK
from harness.core.masking import mask
from harness.core.templating import Context, names_in, render
from harness.errors import TemplateError, UsageError

#: Environment variable naming the endpoint; ``--browser-endpoint`` wins over it.
ENDPOINT_ENV = "HARNESS_BROWSER_ENDPOINT"

Protocol = Literal["playwright", "cdp"]
_PROTOCOLS: dict[str, Protocol] = {
    "ws": "playwright",
    "wss": "playwright",
    "http": "cdp",
    "https": "cdp",
}
VALID_ENDPOINTS = (
    "ws://HOST:PORT/PATH or wss://... (Playwright's protocol: run-server, launchServer), "
    "http://HOST:PORT or https://... (CDP: a Chromium with --remote-debugging-port)"
)

#: The ``browser`` mapping in harness.yml and environment files (one schema for both).
BROWSER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "a remote browser to run the journeys in instead of a local one",
    "properties": {
        "endpoint": {
            "type": "string",
            "pattern": r"^(wss?://|https?://|\$\{)",
            "x-expected": VALID_ENDPOINTS,
            "description": "ws(s):// for Playwright's protocol, http(s):// for CDP; "
            "may use ${env.X} and ${secrets.X}",
        },
        "headers": {
            "type": "object",
            "additionalProperties": {"type": "string", "x-expected": "text"},
            "description": "HTTP headers sent when connecting (a token: "
            '"Bearer ${secrets.BROWSER_TOKEN}"); secrets are masked everywhere',
        },
    },
    "additionalProperties": False,
}


@dataclass(frozen=True)
class BrowserConfig:
    """The ``browser`` mapping of one file, unrendered (references stay as written)."""

    endpoint: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> BrowserConfig:
        given = data or {}
        headers = {str(k): str(v) for k, v in (given.get("headers") or {}).items()}
        endpoint = given.get("endpoint")
        return cls(str(endpoint) if endpoint else None, headers)

    def templated_texts(self) -> Iterator[str]:
        yield from (self.endpoint,) if self.endpoint else ()
        yield from self.headers.values()


@dataclass(frozen=True)
class EndpointChoice:
    """Which endpoint a run uses and who named it, still unrendered."""

    endpoint: str
    headers: Mapping[str, str]
    source: str

    def needs_stack(self) -> bool:
        """True when the endpoint names a port of the environment (``${compose.S.P}``,
        ``${port.X}``): it is known only once the stack is up."""
        texts = (self.endpoint, *self.headers.values())
        return any(names_in(t, "compose") or names_in(t, "port") for t in texts)

    def secret_names(self) -> frozenset[str]:
        texts = (self.endpoint, *self.headers.values())
        return frozenset(n for t in texts for n in names_in(t, "secrets"))

    def render(self, context: Context) -> RemoteEndpoint:
        """The endpoint with every reference resolved; a bad one is a UsageError (exit 2)."""
        try:
            url = render(self.endpoint, context)
            headers = {k: render(v, context) for k, v in self.headers.items()}
        except TemplateError as exc:
            raise UsageError(f"the browser endpoint ({self.source}): {exc}") from exc
        secrets = context.secret_values(self.secret_names())
        return RemoteEndpoint.from_url(url, self.source, headers, secrets)


@dataclass(frozen=True)
class RemoteEndpoint:
    """A rendered endpoint: where to connect, with which headers, over which protocol.
    ``secrets`` are the values :meth:`shown` masks."""

    url: str
    protocol: Protocol
    source: str
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    secrets: frozenset[str] = field(default=frozenset(), repr=False)

    @classmethod
    def from_url(
        cls,
        url: str,
        source: str,
        headers: Mapping[str, str] | None = None,
        secrets: frozenset[str] = frozenset(),
    ) -> RemoteEndpoint:
        scheme, sep, rest = url.strip().partition("://")
        protocol = _PROTOCOLS.get(scheme.lower()) if sep else None
        if protocol is None or not rest:
            shown = mask(url, secrets)
            raise UsageError(
                f"{source}: {shown!r} is not a browser endpoint.\n    Valid: {VALID_ENDPOINTS}"
            )
        return cls(url.strip(), protocol, source, dict(headers or {}), secrets)

    def __repr__(self) -> str:  # a traceback or a log must not carry a token
        return f"RemoteEndpoint({self.shown()!r}, {self.protocol!r}, {self.source!r})"

    def shown(self) -> str:
        """The URL as messages may print it: secrets and the query (where services such as
        Browserless take a token) masked."""
        base, sep, _query = self.url.partition("?")
        return mask(base, self.secrets) + (f"?{SECRET_MASK}" if sep else "")


def choose_endpoint(
    option: str | None,
    environment: BrowserConfig,
    project: BrowserConfig,
    *,
    environment_file: str = "the environment file",
    env: Mapping[str, str] | None = None,
) -> EndpointChoice | None:
    """The endpoint a run uses, first found wins: ``--browser-endpoint``,
    ``HARNESS_BROWSER_ENDPOINT``, the environment file's ``browser.endpoint``, harness.yml's.
    Headers come from harness.yml, overridden key by key by the environment file's."""
    variables = os.environ if env is None else env
    headers = {**project.headers, **environment.headers}
    candidates = (
        (option, "--browser-endpoint"),
        (variables.get(ENDPOINT_ENV), ENDPOINT_ENV),
        (environment.endpoint, f"{environment_file}: browser.endpoint"),
        (project.endpoint, "harness.yml: browser.endpoint"),
    )
    for value, source in candidates:
        if value:
            return EndpointChoice(value, headers, source)
    return None
