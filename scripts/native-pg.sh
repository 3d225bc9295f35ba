#!/usr/bin/env bash
# A throwaway PostgreSQL cluster with pgvector, for `make test-native`.
#
#   scripts/native-pg.sh start DIR PORT   install what is missing, start a fresh cluster in DIR on
#                                         127.0.0.1:PORT and print its URL
#   scripts/native-pg.sh stop DIR         stop it and remove DIR
#
# Installs, when missing (Debian, as root or with sudo): PostgreSQL 15, its server headers, and
# pgvector built from third_party/pgvector. Postgres refuses to run as root, so as root the cluster
# runs as the `postgres` user.
set -euo pipefail
cd "$(dirname "$0")/.."

PGVER=15
PGVECTOR=pgvector-0.8.6
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
BINDIR=/usr/lib/postgresql/$PGVER/bin

log() { echo "native-pg: $*" >&2; }

ensure() {
	if [ ! -x "$BINDIR/postgres" ] || ! command -v pg_config >/dev/null || [ ! -f "/usr/include/postgresql/$PGVER/server/postgres.h" ]; then
		log "installing postgresql-$PGVER and postgresql-server-dev-$PGVER (Debian)"
		$SUDO apt-get update -qq >&2
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$PGVER" "postgresql-server-dev-$PGVER" >&2
	fi
	local pgconfig="$BINDIR/pg_config"
	[ -x "$pgconfig" ] || pgconfig=$(command -v pg_config)
	if [ ! -f "$("$pgconfig" --pkglibdir)/vector.so" ]; then
		log "building $PGVECTOR from third_party/pgvector"
		local build
		build=$(mktemp -d)
		tar xzf "third_party/pgvector/$PGVECTOR.tar.gz" -C "$build"
		make -s -C "$build/$PGVECTOR" PG_CONFIG="$pgconfig" with_llvm=no >&2
		$SUDO make -s -C "$build/$PGVECTOR" PG_CONFIG="$pgconfig" with_llvm=no install >&2
		rm -rf "$build"
	fi
}

# as_owner runs a command as the cluster's owner: postgres when we are root, else ourselves.
as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

start() {
	local dir=$1 port=$2
	ensure
	rm -rf "$dir"
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	[ "$(id -u)" = 0 ] && chown postgres "$dir"
	as_owner "$BINDIR/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	# Durability is not what is tested: fsync off makes the suite faster.
	as_owner "$BINDIR/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >&2 || { cat "$dir/postgres.log" >&2; exit 1; }
	echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
}

stop() {
	local dir=$1
	if [ -d "$dir/data" ]; then
		as_owner "$BINDIR/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
	fi
	rm -rf "$dir"
}

case "${1:-}" in
start) start "$2" "$3" ;;
stop) stop "$2" ;;
*)
	echo "usage: $0 start DIR PORT | stop DIR" >&2
	exit 2
	;;
esac
