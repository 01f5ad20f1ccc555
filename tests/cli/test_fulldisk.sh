#!/usr/bin/env bash
# test_fulldisk.sh TROTH: a full disk under a real `troth serve` (built
# with the test routes). The store lives on a small tmpfs in a private
# mount namespace, filled to the last byte by a filler file. Nothing
# acknowledged is lost while the disk is full; once space is back, SIGTERM
# leaves one complete database file that passes SQLite's integrity check
# on its own; a stop while the disk is still full says so loudly, exits
# non-zero, and leaves the database and its WAL complete together.
# Prints TAP.
set -uo pipefail
troth="${1:?usage: test_fulldisk.sh PATH/TO/troth}"
if [ -z "${TROTH_FULLDISK_NS:-}" ]; then
	# a mount namespace of our own (as an unprivileged user, with a user
	# namespace too), so the tmpfs vanishes with the test
	if [ "$(id -u)" = 0 ]; then ns=(unshare --mount --propagation private)
	else ns=(unshare --user --map-root-user --mount --propagation private); fi
	exec env TROTH_FULLDISK_NS=1 "${ns[@]}" bash "$0" "$@"
fi
dir=$(mktemp -d)
out=$(mktemp -d)
trap 'stop_all; umount "$dir" 2>/dev/null; rm -rf "$dir" "$out"' EXIT
db="$dir/troth.db"
. "$(dirname "$0")/lib.sh"

mount -t tmpfs -o size=3m,mode=700 tmpfs "$dir"
ok "a 3 MB file system for the store"
fill() { dd if=/dev/zero of="$dir/filler" bs=4k 2>/dev/null; [ "$(df --output=avail "$dir" | tail -1)" -lt 8 ]; }
writes() { # from to: tries each write, records the acknowledged ones in $out/acked
	local i
	for i in $(seq "$1" "$2"); do write "$i" && echo "$i" >>"$out/acked"; done
}

start --init
ok "troth serve starts on the small file system"
writes 1 40
[ "$(wc -l <"$out/acked")" = 40 ]
ok "40 writes acknowledged while there is room"
fill
ok "the disk is full"
writes 41 240
refused=$((200 - $(wc -l <"$out/acked") + 40))
[ "$refused" -gt 0 ]
ok "writes are refused while the disk is full ($refused of 200 refused)"
code=$(curl -s -o "$out/body" -w '%{http_code}' -H 'Content-Type: application/json' \
	-d '{"n":999}' "http://127.0.0.1:$port/api/v1/_test/records")
[ "$code" = 503 ] && grep -q '"error"' "$out/body"
ok "a refused write is answered 503 with an error, not acknowledged (got $code)"
kill -0 "$pid"
ok "the server keeps running on a full disk"
rm -f "$dir/filler"
writes 241 260
[ "$(tail -1 "$out/acked")" = 260 ]
ok "writes are acknowledged again once there is room"
kill -TERM "$pid"; wait "$pid"; st=$?; pid=""
[ "$st" = 0 ]
ok "SIGTERM after the full disk stops the server cleanly"
[ ! -s "$db-wal" ]
ok "after the stop the WAL is empty"
cp "$db" "$out/alone.db"
[ "$(sqlite3 "$out/alone.db" 'PRAGMA integrity_check')" = ok ]
ok "the database file alone passes the integrity check"
lost=$(lost_in "$out/alone.db" "$out/acked")
[ "$lost" = 0 ]
ok "the file alone holds all $(wc -l <"$out/acked") acknowledged writes (lost: $lost)"

# a stop while the disk is still full
start
ok "troth serve starts again"
writes 1001 1200
fill
writes 1201 1300
kill -TERM "$pid"; wait "$pid"; st=$?; pid=""
[ "$st" != 0 ] || [ ! -s "$db-wal" ]
ok "a stop on a full disk either empties the WAL or exits non-zero (status $st)"
[ ! -s "$db-wal" ] || grep -q "keep .*-wal" "$dir/serve.log"
ok "when the WAL could not be emptied, the log says to keep it"
cp "$db" "$out/both.db"
[ -e "$db-wal" ] && cp "$db-wal" "$out/both.db-wal"
[ "$(sqlite3 "$out/both.db" 'PRAGMA integrity_check')" = ok ]
ok "the database with its WAL passes the integrity check"
lost=$(lost_in "$out/both.db" "$out/acked")
[ "$lost" = 0 ]
ok "and holds every acknowledged write (lost: $lost)"
rm -f "$dir/filler"
start
ok "troth serve starts once there is room again"
kill -TERM "$pid"; wait "$pid"; st=$?; pid=""
[ "$st" = 0 ] && [ ! -s "$db-wal" ] && [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ]
ok "and a clean stop then leaves one complete file"
finish
