#!/usr/bin/env bash
# markup.sh: markup must never travel as a %s argument of html(), where it
# is escaped and shows as text ("<a href=...>" or aria-current=&quot;page&quot;
# on the page). Finds a conditional that hands a string literal holding a
# tag or an attribute to a format: write such markup with html_unsafe_raw
# or html_attr instead. TAP output.
cd "$(dirname "$0")/../.."
hits=$(grep -rnE '\? *"[^"]*(<[a-zA-Z/]|[a-z-]+=\\")' src --include='*.c' || true)
echo "1..1"
if [ -n "$hits" ]; then
	echo "not ok 1 - markup passed as a %s argument"
	echo "$hits" | sed 's/^/# /'
	exit 1
fi
echo "ok 1 - no markup passed as a %s argument"
