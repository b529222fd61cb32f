"""A tiny shop: catalog, cart, checkout, search, orders, reviews and a wishlist."""
