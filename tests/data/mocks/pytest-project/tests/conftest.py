from __future__ import annotations

import sys
from pathlib import Path
from unittest.mock import MagicMock

import pytest
import responses

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@pytest.fixture
def api() -> MagicMock:
    client = MagicMock()
    client.get_user.return_value = {"id": 1, "name": "Conftest"}  # mock: unittest.mock
    return client


@pytest.fixture
def user_endpoint():
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.GET,
            "http://api.test/api/users/5",
            json={"id": 5, "name": "Routed"},  # mock: responses GET http://api.test/api/users/5 200
            status=200,
        )
        yield rsps


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.time", lambda: 1_700_000_000)
