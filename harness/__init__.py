"""The harness: boots a real stack, runs YAML journeys in real browsers, and flags features
whose unit tests pass while the app is broken."""

__version__ = "0.1.0"
