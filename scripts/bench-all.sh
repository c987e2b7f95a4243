#!/bin/sh
# Runs every load-tool scenario three times on fresh servers, on SQLite and
# (when POSTGRES_URL is set) on Postgres, and prints each run and its median
# as JSON lines (stdout) and summaries (stderr). The figures of
# BENCHMARKS.md come from this script:
#
#   POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable' \
#     scripts/bench-all.sh > bench-results.jsonl
#
# DURATION (default 20s), REPEAT (3) and INBOX_CONVERSATIONS (1000000 on
# Postgres, 100000 on SQLite) can be set in the environment.
set -eu
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/centralita
go build -o "$bin" ./cmd/centralita
DURATION=${DURATION:-20s}
REPEAT=${REPEAT:-3}

bench() { "$bin" bench "$@" --duration "$DURATION" --repeat "$REPEAT"; }

for db in sqlite postgres; do
  if [ "$db" = postgres ]; then
    [ -n "${POSTGRES_URL:-}" ] || { echo "POSTGRES_URL unset: Postgres skipped" >&2; continue; }
    set -- --postgres "$POSTGRES_URL"
    conversations=${INBOX_CONVERSATIONS:-1000000}
  else
    set --
    conversations=${INBOX_CONVERSATIONS:-100000}
  fi
  for rate in 100 500 1000 2000; do
    bench ingest --rate "$rate" "$@"
    bench ingest --rate "$rate" --batch 50 "$@"
  done
  "$bin" bench ingest --search --rate 100 "$@"
  "$bin" bench ingest --search --rate 100 --batch 50 "$@"
  bench reply --rate 200 "$@"
  bench inbox --rate 50 --conversations "$conversations" --messages-per 10 "$@"
  bench fanout --subscribers 1000 --rate 20 "$@"
done
