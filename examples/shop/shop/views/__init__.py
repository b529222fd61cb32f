"""The shop's pages and API, one blueprint per feature."""
