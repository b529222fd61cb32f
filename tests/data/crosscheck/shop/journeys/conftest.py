"""When the journeys run as plain pytest items (``pytest journeys --base-url URL``), a shop
that does not answer is an environment failure: every journey errors in setup, and the
cross-check calls its features inconclusive instead of broken."""

import urllib.error
import urllib.request

import pytest


@pytest.fixture(scope="session", autouse=True)
def shop_answers(pytestconfig):
    url = f"{pytestconfig.getoption('base_url')}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=5):
            pass
    except (urllib.error.URLError, OSError) as exc:
        raise RuntimeError(f"the shop does not answer at {url}: {exc}") from exc
