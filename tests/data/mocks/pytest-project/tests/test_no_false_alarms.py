"""Mocks that stand for no API response: none of them is a response mock."""

from __future__ import annotations

import datetime
import logging
import random
import time
from unittest.mock import MagicMock, patch

from pytest_mock import MockerFixture

import shopclient


def test_clock_and_random(mocker: MockerFixture) -> None:
    mocker.patch("time.time", return_value=1000)
    mocker.patch("random.randint", return_value=4)
    assert shopclient.stamp() == "1000-4"


def test_datetime_now() -> None:
    with patch("shopclient.time") as fake_time:
        fake_time.time.return_value = 5
        fake_time.now.return_value = {"tz": "UTC"}  # a dict, but for a clock
        assert shopclient.stamp().startswith("5-")


def test_logger(mocker: MockerFixture) -> None:
    logger = mocker.patch.object(logging.getLogger("shopclient"), "info", return_value=None)
    shopclient.stamp()
    logger.assert_called_once()


def test_scalars_and_empty_values() -> None:
    api = MagicMock()
    api.count.return_value = 3
    api.name.return_value = "scalar"
    api.list_orders.return_value = []
    api.options.return_value = {}
    api.flags.side_effect = [True, False]
    api.fail.side_effect = ValueError("boom")
    assert shopclient.order_total(api) == 0


def test_patched_clock_with_a_dict() -> None:
    with patch.object(datetime, "datetime", MagicMock(now=MagicMock(return_value={"a": 1}))):
        assert time.time() > 0
    assert random.random() < 1
