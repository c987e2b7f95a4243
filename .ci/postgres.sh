# Helpers for CI: make sure a Postgres server answers on 127.0.0.1:5432 with
# trust auth for user postgres, installing and starting it when needed.
PGHOST_CI=127.0.0.1
PGPORT_CI=5432

psql_admin() {
  psql -h "$PGHOST_CI" -p "$PGPORT_CI" -U postgres -d postgres -v ON_ERROR_STOP=1 -q "$@"
}

pg_answers() {
  command -v pg_isready >/dev/null && pg_isready -h "$PGHOST_CI" -p "$PGPORT_CI" -U postgres >/dev/null 2>&1
}

ensure_postgres() {
  if pg_answers; then return 0; fi
  if ! command -v pg_ctlcluster >/dev/null && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "installing postgresql from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql postgresql-client >/dev/null
  fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1 && command -v pg_createcluster >/dev/null; then
    pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -1)" main
  fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  conf=/etc/postgresql/$version/main
  # Trust local connections for the CI user, as on the development machines.
  if ! grep -q "centralita-ci" "$conf/pg_hba.conf"; then
    sed -i '1i host all all 127.0.0.1/32 trust # centralita-ci\nlocal all all trust # centralita-ci' "$conf/pg_hba.conf"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster --skip-systemctl-redirect "$version" main restart
  for _ in $(seq 1 30); do
    if pg_answers; then return 0; fi
    sleep 1
  done
  echo "postgres did not start" >&2
  return 1
}
