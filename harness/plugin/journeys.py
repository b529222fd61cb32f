"""Collects ``*.journey.yml`` files as pytest items and runs them in a real browser."""
