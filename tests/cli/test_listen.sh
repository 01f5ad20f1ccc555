#!/usr/bin/env bash
# test_listen.sh TROTH: where `troth serve` listens and how it is told.
# A Unix socket for a reverse proxy on the same machine (mode 0660,
# removed at stop, a stale one replaced, a live one "address in use"),
# IPv6 loopback, options from a config file and the environment, and
# JSON log lines that carry the route pattern, never the path. Prints TAP.
set -uo pipefail
troth="${1:?usage: test_listen.sh PATH/TO/troth}"
dir=$(mktemp -d)
trap 'stop_all; rm -rf "$dir"' EXIT
db="$dir/troth.db"
. "$(dirname "$0")/lib.sh"
"$troth" init --db "$db" >/dev/null

sock="$dir/troth.sock"
wait_socket() { # the server at $pid answers /healthz on $sock
	for i in $(seq 50); do
		curl -sf --unix-socket "$sock" http://localhost/healthz >/dev/null 2>&1 && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
"$troth" serve --db "$db" --listen "unix:$sock" >"$dir/serve.log" 2>&1 &
pid=$!
wait_socket
ok "troth serve answers on a Unix socket"
[ "$(stat -c %a "$sock")" = 660 ]
ok "the socket is open to its owner and group only (0660)"
"$troth" serve --db "$db" --listen "unix:$sock" >"$dir/second.log" 2>&1
[ $? = 1 ] && grep -q "address in use" "$dir/second.log"
ok "a second server on the same socket stops at start: address in use"
curl -sf --unix-socket "$sock" http://localhost/healthz >/dev/null
ok "and the first one still answers"
kill -TERM "$pid"; wait "$pid"; st=$?; pid=""
[ "$st" = 0 ] && [ ! -e "$sock" ]
ok "a clean stop removes the socket"
"$troth" serve --db "$db" --listen "unix:$sock" >"$dir/serve.log" 2>&1 &
pid=$!
wait_socket && kill -KILL "$pid"; wait "$pid" 2>/dev/null; pid=""
[ -S "$sock" ]
ok "a killed server leaves its socket behind"
"$troth" serve --db "$db" --listen "unix:$sock" >"$dir/serve.log" 2>&1 &
pid=$!
wait_socket
ok "the next start replaces the stale socket"
kill -TERM "$pid"; wait "$pid"; pid=""

# IPv6 loopback
port=$((20000 + RANDOM % 30000))
"$troth" serve --db "$db" --listen "[::1]:$port" >"$dir/serve.log" 2>&1 &
pid=$!
for i in $(seq 50); do curl -sfg "http://[::1]:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sfg "http://[::1]:$port/healthz" | grep -q '"status":"ok"' && grep -q "serving http://\[::1\]:$port/" "$dir/serve.log"
ok "troth serve answers on [::1]"
kill -TERM "$pid"; wait "$pid"; pid=""

# a config file and the environment
port=$((20000 + RANDOM % 30000))
cat >"$dir/troth.conf" <<CONF
# troth's options, one per line
db = $db
listen = 127.0.0.1:1
log-format = json
CONF
TROTH_CONFIG="$dir/troth.conf" TROTH_LISTEN="localhost:$port" "$troth" serve >"$dir/serve.log" 2>"$dir/json.log" &
pid=$!
for i in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null
ok "the config file names the database, the environment's TROTH_LISTEN wins over the file's listen"
curl -s -o /dev/null "http://127.0.0.1:$port/calendar/secret-feed-token-1234567890"
kill -TERM "$pid"; wait "$pid"; pid=""
/usr/bin/python3 - "$dir/json.log" <<'PY'
import json, re, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
reqs = [l for l in lines if "method" in l]
# every line is stamped as the API writes instants: RFC 3339 in UTC
assert all(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z", l["time"]) for l in lines), lines
assert all({"time", "method", "route", "status", "ms"} <= l.keys() for l in reqs), reqs
assert any(l["route"] == "/healthz" and l["status"] == 200 for l in reqs), reqs
assert any(l["route"] == "/calendar/:token" for l in reqs), reqs
assert any("message" in l for l in lines), lines
PY
ok "with log-format json every log line is one JSON object: an RFC 3339 time, method, route, status, ms"
! grep -q "secret-feed-token" "$dir/json.log"
ok "the log holds the route pattern, never the path's secret"

"$troth" serve --db "$db" --listen 127.0.0.1:80x >"$dir/out" 2>"$dir/err"
[ $? = 2 ] && grep -q -- "--listen takes HOST:PORT, \[IPv6\]:PORT, localhost:PORT or unix:/PATH" "$dir/err"
ok "a bad --listen is a usage error that says what it takes"
"$troth" help serve >"$dir/help1" && "$troth" serve --help >"$dir/help2" && cmp -s "$dir/help1" "$dir/help2" &&
	grep -q "TROTH_PUBLIC_URL" "$dir/help1"
ok "troth help serve and troth serve --help print the same options, with their variables"
finish
