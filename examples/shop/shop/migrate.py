"""``python -m shop.migrate``: wait for Postgres, then apply the migrations not yet applied."""

from __future__ import annotations

import sys

from shop import db
from shop.config import Config


def migrate(config: Config) -> list[str]:
    with db.wait_for_database(config.database_url) as conn:
        return db.apply_migrations(conn)


def main() -> int:
    applied = migrate(Config.from_env())
    print(f"migrations applied: {', '.join(applied) or 'none (up to date)'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
