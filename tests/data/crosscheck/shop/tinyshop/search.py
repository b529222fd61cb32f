"""Product search by name."""

from tinyshop.catalog import PRODUCTS


def search(query):
    words = query.lower().split()
    return [p for p in PRODUCTS if all(w in p.name.lower() for w in words)]
