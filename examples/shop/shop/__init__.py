"""A small web shop: server-rendered pages, a JSON API its pages call with ``fetch``, Postgres for
products, users and orders, Redis for sessions and carts."""
