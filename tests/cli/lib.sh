# lib.sh: what the shell tests of tests/cli share: TAP output, a
# `troth serve` started on a free port, and one acknowledged test write.
# Source it after setting $troth (the binary), $dir (a scratch folder)
# and $db (the database path).
n=0
failed=0
pid=""
ok() { # description: one TAP line for the status of the last command
	local st=$?
	n=$((n + 1))
	if [ "$st" -eq 0 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=$((failed + 1)); fi
}
start() { # [serve options]: starts troth serve on a free port, waits for /healthz
	for try in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 30000))
		"$troth" serve --db "$db" --listen "127.0.0.1:$port" "$@" >"$dir/serve.log" 2>&1 &
		pid=$!
		for i in $(seq 50); do
			curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	return 1
}
write() { # n: succeeds when the test record n is acknowledged with 201
	[ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
		-d "{\"n\":$1}" "http://127.0.0.1:$port/api/v1/_test/records")" = 201 ]
}
count_in() { # file: rows of the test records' table
	sqlite3 "$1" "SELECT count(*) FROM harness_record" 2>/dev/null
}
lost_in() { # file acked: how many acknowledged numbers are missing from file
	comm -23 <(sort "$2") <(sqlite3 "$1" "SELECT n FROM harness_record" | sort) | wc -l
}
stop_all() { # stops the server and the writer, if any run
	[ -n "${writer:-}" ] && kill "$writer" 2>/dev/null
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	wait 2>/dev/null
}
finish() { # the TAP plan, and the exit status
	echo "1..$n"
	[ "$failed" = 0 ]
}
