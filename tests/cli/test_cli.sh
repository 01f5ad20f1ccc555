#!/usr/bin/env bash
# test_cli.sh TROTH: the operator's command line: help, version, demo,
# user list/add/disable/enable/reset-password, invite, check. Prints TAP.
set -uo pipefail
troth="${1:?usage: test_cli.sh PATH/TO/troth}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/demo.db"
n=0
failed=0

ok() { # description, then the test's exit status in $?
	local st=$?
	n=$((n + 1))
	if [ "$st" -eq 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		failed=$((failed + 1))
		[ -s "$dir/out" ] && sed 's/^/# out: /' "$dir/out"
		[ -s "$dir/err" ] && sed 's/^/# err: /' "$dir/err"
	fi
}

# run CMD...: runs troth with the output kept in $dir/out and $dir/err; sets $rc
run() {
	"$troth" "$@" >"$dir/out" 2>"$dir/err"
	rc=$?
}
# with_stdin TEXT CMD...: the same, with TEXT (and a newline) on stdin
with_stdin() {
	local text="$1"
	shift
	printf '%s\n' "$text" | "$troth" "$@" >"$dir/out" 2>"$dir/err"
	rc=$?
}
has() { grep -Eq -- "$1" "$dir/out"; }
has_err() { grep -Eq -- "$1" "$dir/err"; }
# row USER: the list line of USER
row() { grep -E "^ *[0-9]+  $1 " "$dir/out"; }

# help and dispatch
run help
[ $rc = 0 ] && for c in help version serve check user invite demo; do
	grep -Eq "^  $c " "$dir/out" || false
done
ok "help lists every command"
run help user
[ $rc = 0 ] && has "troth user reset-password USERNAME" && has "troth user add USERNAME"
ok "help user shows the subcommands"
for how in "help serve" "serve --help"; do
	# shellcheck disable=SC2086
	run $how
	[ $rc = 0 ] && for o in --db --listen --threads --exit-url --tls --content --idle-minutes \
		--max-hours --public-url --trusted-proxy --max-conns-per-address --backup-dir --backup-every \
		--backup-keep; do
		has "$o" || false
	done
	ok "troth $how shows every serve option"
done
run serve --public-url ftp://example.org/
[ $rc = 2 ] && has_err "--public-url takes" && ! has "serving"
ok "serve refuses a public URL that is not http(s)"
run serve --trusted-proxy not-an-address
[ $rc = 2 ] && has_err "--trusted-proxy takes"
ok "serve refuses a trusted proxy that is not an address"
run serve --max-conns-per-address 0
[ $rc = 2 ] && has_err "--max-conns-per-address takes"
ok "serve refuses a zero connection share"
run serve --backup-every 0
[ $rc = 2 ] && has_err "--backup-every takes 1 to 8784"
ok "serve refuses backups every zero hours"
run serve --backup-keep 1001
[ $rc = 2 ] && has_err "--backup-keep takes 1 to 1000"
ok "serve refuses to keep more than 1000 backups"
run no-such-command
[ $rc = 2 ] && has_err "not a troth command"
ok "an unknown command exits 2"
run
[ $rc = 2 ]
ok "no command exits 2"
run version
[ $rc = 0 ] && has "^troth " && has "^libmicrohttpd " && has "^SQLite " && has "^libsodium " && has "^jansson "
ok "version shows troth and the four libraries"

# the database must exist for user and invite
run user list --db "$dir/missing.db"
[ $rc = 1 ] && has_err "no database" && [ ! -e "$dir/missing.db" ]
ok "user list on a missing database exits 1 and creates nothing"

# demo
run demo --db "$db"
[ $rc = 0 ] && has "sam" && has "alex" && has "operator" && has "http://127.0.0.1:8080/" \
	&& has "sam-demo-pass" && has "alex-demo-pass"
ok "demo makes the accounts and prints the logins"
run demo --db "$db"
[ $rc = 0 ] && has "already" && has "sam-demo-pass"
ok "demo a second time changes nothing and exits 0"
run user list --db "$db"
[ $rc = 0 ] && [ "$(grep -Ec '^ *[0-9]+  ' "$dir/out")" = 4 ] \
	&& row operator | grep -Eq ' yes +no +no +Operator$' \
	&& row sam | grep -Eq ' no +no +yes +Sam$' \
	&& row alex | grep -Eq ' no +no +yes +Alex$' \
	&& row robin | grep -Eq ' no +no +no +Robin Hale$'
ok "user list shows operator, sam and alex in a couple, and their counsellor robin"
run demo --db "$db" --bogus
[ $rc = 2 ]
ok "demo with an unknown option exits 2"
# scenarios (the insights); the findings each shows: tests/http/test_demo_scenarios.c
run demo --db "$dir/stalled.db" --scenario stalled
[ $rc = 0 ] && has "scenario stalled" && has "sam-demo-pass" && run user list --db "$dir/stalled.db" \
	&& row sam | grep -Eq ' yes +Sam$'
ok "demo --scenario stalled makes the demo couple"
run demo --db "$dir/unsafe.db" --scenario unsafe
[ $rc = 0 ] && has "scenario unsafe"
ok "demo --scenario unsafe makes the demo couple"
run demo --db "$dir/both.db" --scenario both_broke
[ $rc = 0 ] && has "scenario both_broke"
ok "demo --scenario both_broke makes the demo couple"
run demo --db "$dir/none.db" --scenario hopeless
[ $rc = 2 ] && has_err "recovering, stalled, unsafe, healing, rug_sweeping and both_broke" && [ ! -s "$dir/none.db" ]
ok "demo with an unknown scenario exits 2 and makes nothing"
run demo --db "$dir/none.db" --scenario
[ $rc = 2 ]
ok "demo --scenario without a name exits 2"
other="$dir/other.db"
run demo --db "$other" && with_stdin "a-good-long-passphrase" user add kim --display-name Kim --db "$other" \
	&& run user disable operator --db "$other"
run demo --db "$other"
[ $rc = 0 ] && has "already"
ok "demo counts a disabled demo operator as there"

fresh="$dir/fresh.db"
: >"$fresh"
with_stdin "a-good-long-passphrase" user add kim --display-name Kim --db "$fresh"
[ $rc = 0 ] && has "operator"
ok "the first account added to an empty database is the operator"
run demo --db "$fresh"
[ $rc = 1 ] && has_err "other accounts" && run user list --db "$fresh" \
	&& [ "$(grep -Ec '^ *[0-9]+  ' "$dir/out")" = 1 ]
ok "demo leaves a database with other accounts alone"

# invite
run invite --db "$db"
[ $rc = 0 ] && has '^Signup code: [0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$' && has "7 days"
ok "invite prints a code XXXX-XXXX-XXXX-XXXX lasting 7 days"
run invite --db "$db" --days 2
[ $rc = 0 ] && has "2 days"
ok "invite --days 2"
run invite --db "$db" --days 0
[ $rc = 2 ]
ok "invite --days 0 is a usage error"

# user subcommands: usage and not found
run user --db "$db"
[ $rc = 2 ]
ok "user without a subcommand exits 2"
run user frobnicate --db "$db"
[ $rc = 2 ] && has_err "usage:"
ok "an unknown user subcommand exits 2 with the usage"
run user disable --db "$db"
[ $rc = 2 ]
ok "user disable without a username exits 2"
run user disable nobody --db "$db"
[ $rc = 1 ] && has_err "no account named"
ok "user disable of an unknown user exits 1"
with_stdin "a-good-long-passphrase" user reset-password nobody --db "$db"
[ $rc = 1 ] && has_err "no account named"
ok "reset-password of an unknown user exits 1"

# reset-password
with_stdin "short" user reset-password sam --db "$db"
[ $rc = 1 ] && ! has "log in now"
ok "reset-password refuses a short password"
with_stdin "qwerty123456" user reset-password sam --db "$db"
[ $rc = 1 ]
ok "reset-password refuses a common password"
run user reset-password sam --db "$db" </dev/null
[ $rc = 1 ]
ok "reset-password with nothing on stdin exits 1"
with_stdin "quiet-river-morning-tea" user reset-password sam --db "$db"
[ $rc = 0 ] && has "new password" && has "recovery code" && has "cannot unlock"
ok "reset-password with a good password succeeds and says what stays locked"

# disable / enable
run user disable alex --db "$db"
[ $rc = 0 ]
ok "user disable alex"
run user list --db "$db"
row alex | grep -Eq ' no +yes +yes +Alex$'
ok "list shows alex disabled"
run user enable alex --db "$db"
run user list --db "$db"
row alex | grep -Eq ' no +no +yes +Alex$'
ok "user enable alex lets alex back in"
run user disable alex --db "$db"

# add
with_stdin "another-good-passphrase" user add jordan --display-name "Jordan" --db "$db"
[ $rc = 0 ] && has '[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}' && has "only"
ok "user add prints a recovery code shown once"
with_stdin "another-good-passphrase" user add root2 --display-name "Root" --operator --db "$db"
run user list --db "$db"
row jordan | grep -Eq ' no +no +no +Jordan$' && row root2 | grep -Eq ' yes +no +no +Root$'
ok "user add makes a plain user, and an operator with --operator"
run user make-operator jordan --db "$db"
run user list --db "$db"
[ $rc = 0 ] && row jordan | grep -Eq ' yes +no +no +Jordan$'
ok "user make-operator makes an existing account an operator"
run user make-operator nobody --db "$db"
[ $rc = 1 ] && has_err "no account named"
ok "user make-operator of an unknown user exits 1"
with_stdin "another-good-passphrase" user add jordan --display-name "Again" --db "$db"
[ $rc = 1 ] && has_err "taken"
ok "user add of a taken username exits 1"
with_stdin "another-good-passphrase" user add newbie --db "$db"
[ $rc = 2 ]
ok "user add without --display-name exits 2"
with_stdin "weak" user add newbie --display-name "New" --db "$db"
run user list --db "$db"
[ $rc = 0 ] && ! grep -q newbie "$dir/out"
ok "user add with a weak password makes nothing"
with_stdin "another-good-passphrase" user add evil --display-name $'Ev\033[31mil' --db "$db"
[ $rc = 1 ]
ok "user add refuses a display name with control characters"

# the database is sound
run check --db "$db"
[ $rc = 0 ]
ok "check on the demo database exits 0"

echo "1..$n"
[ "$failed" -eq 0 ]
