#!/usr/bin/env bash
# test_backup.sh TROTH: the operator's copies of the store, against a real
# `troth serve` (built with the test routes). A backup taken while a writer
# writes opens, passes SQLite's integrity check and holds every write
# acknowledged before it began; `troth check` is read-only and safe beside
# the server; restore refuses a truncated and a byte-flipped file and
# changes nothing then, and puts a good one in place; a clean stop leaves
# one complete file (no WAL needed beside it); with --backup-dir the server
# takes its own checked backups and keeps only the newest. Prints TAP.
set -uo pipefail
troth="${1:?usage: test_backup.sh PATH/TO/troth}"
dir=$(mktemp -d)
pid=""
writer=""
trap 'stop_all; rm -rf "$dir"' EXIT
db="$dir/troth.db"
. "$(dirname "$0")/lib.sh"

# a missing or empty database is not made anew unless asked
"$troth" serve --db "$db" --listen 127.0.0.1:1 >"$dir/out" 2>"$dir/err"
[ $? = 1 ] && grep -q "there is no database" "$dir/err" && grep -q "troth init" "$dir/err" && [ ! -e "$db" ]
ok "troth serve refuses to start without a database, and says how to make one"
: >"$db"
"$troth" serve --db "$db" --listen 127.0.0.1:1 >"$dir/out" 2>"$dir/err"
[ $? = 1 ] && grep -q "there is no database" "$dir/err" && [ ! -s "$db" ]
ok "troth serve refuses an empty file in its place"
rm -f "$db"
"$troth" init --db "$db" >"$dir/out" 2>"$dir/err" && grep -q "new, empty troth database" "$dir/out"
ok "troth init makes a new database"
"$troth" init --db "$db" >"$dir/out" 2>"$dir/err"
[ $? = 1 ] && grep -q "holds a database already" "$dir/err"
ok "troth init never replaces a database"
rm -f "$db"
start --init
ok "troth serve --init starts on a new database"

# a writer that records every acknowledged number
( i=1; while [ $i -le 100000 ]; do write $i && echo $i >>"$dir/acked"; i=$((i + 1)); done ) &
writer=$!
for i in $(seq 100); do [ -s "$dir/acked" ] && [ "$(wc -l <"$dir/acked")" -ge 50 ] && break; sleep 0.05; done
cp "$dir/acked" "$dir/acked-before"
"$troth" backup "$dir/copy.db" --db "$db" >"$dir/out" 2>"$dir/err"
ok "troth backup exits 0 while a writer writes"
sleep 0.3
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null; writer=""
[ "$(sqlite3 "$dir/copy.db" 'PRAGMA integrity_check')" = ok ]
ok "the backup passes SQLite's integrity check on its own"
[ ! -e "$dir/copy.db-wal" ] || [ ! -s "$dir/copy.db-wal" ]
ok "the backup is one file (no WAL beside it)"
before=$(wc -l <"$dir/acked-before")
missing=$(sqlite3 "$dir/copy.db" "SELECT count(*) FROM harness_record" >/dev/null 2>&1 &&
	comm -23 <(sort -n "$dir/acked-before" | sort) <(sqlite3 "$dir/copy.db" "SELECT n FROM harness_record" | sort) | wc -l)
[ "$before" -ge 50 ] && [ "$missing" = 0 ]
ok "the backup holds all $before writes acknowledged before it began (missing: $missing)"
"$troth" backup "$dir/copy.db" --db "$db" >"$dir/out" 2>"$dir/err"
[ $? = 1 ] && grep -q "exists already" "$dir/err"
ok "a backup never overwrites a file"
"$troth" check --db "$db" >"$dir/out" 2>"$dir/err" && grep -q ": ok" "$dir/out"
ok "troth check says ok beside the running server"
write 999999
ok "the server still writes after the backup and the check"

# a clean stop leaves one complete file
total=$(count_in "$db")
kill -TERM "$pid"; wait "$pid"; st=$?; pid=""
[ "$st" = 0 ]
ok "SIGTERM stops the server cleanly"
[ ! -s "$db-wal" ]
ok "after a clean stop the WAL is empty"
mkdir "$dir/alone" && cp "$db" "$dir/alone/troth.db"
[ "$(sqlite3 "$dir/alone/troth.db" 'PRAGMA integrity_check')" = ok ] &&
	[ "$(count_in "$dir/alone/troth.db")" -ge "$total" ]
ok "the database file alone is complete: integrity ok, every row there"

# restore refuses bad files and changes nothing
sum_before=$(sha256sum "$db" | cut -d' ' -f1)
head -c $(( $(stat -c %s "$dir/copy.db") / 2 )) "$dir/copy.db" >"$dir/truncated.db"
"$troth" restore "$dir/truncated.db" --db "$db" >"$dir/out" 2>"$dir/err"
[ $? = 1 ] && grep -q "cannot be restored" "$dir/err" && grep -q "Nothing was changed" "$dir/err"
ok "restore refuses a truncated file with a clear message"
cp "$dir/copy.db" "$dir/flipped.db"
# flip one byte in the first page's b-tree header (the page type)
printf '\x00' | dd of="$dir/flipped.db" bs=1 seek=100 conv=notrunc status=none
"$troth" restore "$dir/flipped.db" --db "$db" >"$dir/out" 2>"$dir/err"
[ $? = 1 ] && grep -q "cannot be restored" "$dir/err"
ok "restore refuses a byte-flipped file"
echo "not a database at all, just text" >"$dir/text.db"
"$troth" restore "$dir/text.db" --db "$db" >"$dir/out" 2>"$dir/err"
[ $? = 1 ]
ok "restore refuses a file that is not a database"
[ "$(sha256sum "$db" | cut -d' ' -f1)" = "$sum_before" ] && [ ! -e "$db.before-restore" ]
ok "a refused restore leaves the database as it was"

# a good restore puts the copy in place and keeps the old one aside
"$troth" restore "$dir/copy.db" --db "$db" >"$dir/out" 2>"$dir/err"
ok "restore of a sound backup exits 0"
[ "$(count_in "$db")" = "$(count_in "$dir/copy.db")" ] && [ -e "$db.before-restore" ] &&
	[ "$(count_in "$db.before-restore")" -ge "$total" ]
ok "the restored database holds the backup; the one before is kept aside"
"$troth" check --db "$db" >/dev/null 2>&1
ok "troth check passes on the restored database"
start
ok "troth serve starts on the restored database"
write 888888
ok "and writes to it"

# the server's own backups: one at start, checked, and only the newest kept
kill -TERM "$pid"; wait "$pid"; pid=""
mkdir "$dir/backups"
for old in 20240101T000000Z 20250101T000000Z 20260101T000000Z; do cp "$dir/copy.db" "$dir/backups/troth-$old.db"; done
echo "someone else's file" >"$dir/backups/troth-notes.db"
start --backup-dir "$dir/backups" --backup-every 24 --backup-keep 2
for i in $(seq 100); do grep -q "backup: wrote" "$dir/serve.log" && break; sleep 0.1; done
new=$(cd "$dir/backups" && ls troth-2*.db | grep -v -e 20240101 -e 20250101 -e 20260101)
[ -n "$new" ] && [[ "$new" =~ ^troth-[0-9]{8}T[0-9]{6}Z\.db$ ]] && "$troth" check --db "$dir/backups/$new" >/dev/null 2>&1 &&
	[ "$(count_in "$dir/backups/$new")" -ge 1 ]
ok "with --backup-dir the server takes a checked backup at start, named for its UTC instant"
[ "$(cd "$dir/backups" && ls troth-2*.db | sort | tr '\n' ' ')" = "troth-20260101T000000Z.db $new " ] &&
	[ -e "$dir/backups/troth-notes.db" ]
ok "--backup-keep 2 keeps the newest two backups and leaves other files alone"
write 777777
ok "the server serves beside its backups"
kill -TERM "$pid"; wait "$pid"; st=$?; pid=""
[ "$st" = 0 ]
ok "it stops cleanly with its backup thread"
"$troth" serve --db "$db" --listen 127.0.0.1:1 --backup-dir "$dir/no-such-dir" >"$dir/out" 2>"$dir/err"
[ $? = 1 ] && grep -q -- "--backup-dir" "$dir/err"
ok "a backup directory that is not there stops the server at start, saying so"

finish
