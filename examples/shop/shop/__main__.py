"""``python -m shop``: apply the migrations, optionally seed, and serve the shop.

This is the way to run it as a plain process (the ``local`` environment); the container runs the
same app under gunicorn (see the Dockerfile)."""

from __future__ import annotations

import argparse
import os
import sys

from shop import seed
from shop.app import create_app
from shop.config import Config
from shop.defects import UnknownDefectError
from shop.migrate import migrate


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m shop", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--seed", action="store_true", help="load the demo data first")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        config = Config.from_env()
        migrate(config)
        if args.seed:
            seed.seed(config, dict(os.environ))
    except (UnknownDefectError, seed.SeedError) as exc:
        print(f"shop: {exc}", file=sys.stderr)
        return 2
    create_app(config).run(host=args.host, port=args.port, threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
