#!/bin/sh
# Initialise the cluster on first start (as the public postgres image does), then run postgres
# as the postgres user, listening on every address of the container.
set -eu

POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
INIT_SOCKET=/tmp/postgres-init  # not the default socket: pg_isready stays "no" until we are done

as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

check_password() {
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
    echo "error: POSTGRES_PASSWORD is not set (or set POSTGRES_HOST_AUTH_METHOD=trust)" >&2
    exit 1
  fi
}

init_cluster() {
  pwfile="$(mktemp)"
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
  chown postgres "$pwfile"
  as_postgres initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 \
    --auth-local=trust --auth-host="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >/dev/null
  rm -f "$pwfile"
  printf 'host all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >>"$PGDATA/pg_hba.conf"
}

run_init_scripts() {
  mkdir -p "$INIT_SOCKET" && chown postgres "$INIT_SOCKET"
  as_postgres pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -k $INIT_SOCKET" start >/dev/null
  psql_init() { as_postgres psql -v ON_ERROR_STOP=1 -h "$INIT_SOCKET" -U "$POSTGRES_USER" -q "$@"; }
  if [ "$POSTGRES_DB" != postgres ]; then
    psql_init -d postgres -c "CREATE DATABASE \"$POSTGRES_DB\""
  fi
  for script in /docker-entrypoint-initdb.d/*.sql; do
    [ -f "$script" ] && psql_init -d "$POSTGRES_DB" -f "$script"
  done
  as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
}

if [ "${1:-postgres}" = postgres ] || [ "${1#-}" != "${1:-}" ]; then
  [ "${1:-}" = postgres ] && shift
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    check_password
    init_cluster
    run_init_scripts
    echo "database $POSTGRES_DB initialised for user $POSTGRES_USER"
  fi
  exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
