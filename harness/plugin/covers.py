"""The ``covers`` marker: writes the features a unit test covers into its JUnit properties.

``@pytest.mark.covers("cart", "checkout")`` on a test (or its class or module) becomes one
``<property name="feature" value="cart"/>`` per feature in the ``--junitxml`` report, which is
how the harness links an app's own unit tests to the features its journeys cover.
"""

from __future__ import annotations

import pytest

MARKER = "covers"
PROPERTY = "feature"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(*features): the feature ids this test covers; the harness links it to the "
        "journeys that cover the same features",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # user_properties, not the record_property fixture: that fixture warns under the default
    # junit_family (xunit2), and an app's suite may turn warnings into errors.
    if not config.getoption("xmlpath", None):
        return
    for item in items:
        for feature in covered_features(item):
            item.user_properties.append((PROPERTY, feature))


def covered_features(item: pytest.Item) -> list[str]:
    """The features named by every ``covers`` marker on the item, each once, in order."""
    features: list[str] = []
    for marker in item.iter_markers(MARKER):
        for feature in _marker_features(item, marker):
            if feature not in features:
                features.append(feature)
    return features


def _marker_features(item: pytest.Item, marker: pytest.Mark) -> tuple[str, ...]:
    if marker.kwargs or not marker.args:
        raise pytest.UsageError(
            f"{item.nodeid}: @pytest.mark.covers takes feature ids as plain arguments, "
            f'e.g. @pytest.mark.covers("cart", "checkout"); got {_show(marker)}'
        )
    for feature in marker.args:
        if not isinstance(feature, str) or not feature.strip():
            raise pytest.UsageError(
                f"{item.nodeid}: @pytest.mark.covers needs non-empty strings as feature ids; "
                f"got {feature!r}"
            )
    return tuple(feature.strip() for feature in marker.args)


def _show(marker: pytest.Mark) -> str:
    parts = [repr(arg) for arg in marker.args]
    parts += [f"{key}={value!r}" for key, value in marker.kwargs.items()]
    return f"covers({', '.join(parts)})"
