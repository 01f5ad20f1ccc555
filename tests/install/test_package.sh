#!/usr/bin/env bash
# test_package.sh: the Debian package, end to end, as TAP. Builds the .deb,
# checks it with lintian, installs it into a clean Debian 12 root made by
# debootstrap, runs `troth serve` there the way its systemd unit does (the
# unit's ExecStart line, as the troth user, with the unit's UMask and
# LimitMEMLOCK, in a network namespace of its own so port 8080 is never
# someone else's), asks /healthz, then checks that `apt-get remove` keeps
# /var/lib/troth and `apt-get purge` removes it.
#
# Needs root (chroot, mount, unshare). The debootstrap root is made once and
# kept as a tarball in build-chroot/ (ignored by git); each run unpacks a
# fresh copy and deletes it at the end, whatever happens.
#   TROTH_CHROOT_CACHE=DIR   where the tarball lives (default build-chroot)
set -uo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/sbin:/sbin"

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { # description, lines to show under it...
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	[ $# -eq 0 ] || printf '%s\n' "$@" | sed 's/^/#   /'
}
check() { # description, command...
	local d="$1"
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
bail() { echo "Bail out! $1"; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
	echo "1..0 # SKIP needs root for debootstrap, chroot and mount"
	exit 0
fi
echo "1..12"

cache="${TROTH_CHROOT_CACHE:-build-chroot}"
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
tarball="$cache/bookworm.tar"
root=""
cleanup() {
	[ -n "$root" ] || return 0
	for m in dev proc; do
		mountpoint -q "$root/$m" && { umount "$root/$m" 2>/dev/null || umount -l "$root/$m"; }
	done
	# never delete a root that still has something mounted in it
	if ! grep -q " $root/" /proc/mounts; then
		rm -rf --one-file-system "$root"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# the Debian mirror this machine uses (deb822 .sources files or sources.list)
mirror() {
	local u
	u=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '{print $2}' | grep -E '/debian/?$' | head -1)
	[ -n "$u" ] || u=$(grep -hsE '^deb +(\[[^]]*\] +)?https?://[^ ]+/debian/? +bookworm' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		grep -Eo 'https?://[^ ]+' | head -1)
	echo "${u:-http://deb.debian.org/debian}"
}

# 1. the package builds
deb=$(scripts/build-deb 2>&1 | tail -1)
if [ -f "$deb" ]; then ok "dpkg-buildpackage builds $(basename "$deb")"; else
	not_ok "dpkg-buildpackage builds the package" "$deb"
	bail "no package to install"
fi

# 2. lintian finds no errors (its warnings are listed in the output)
lint=$(lintian --fail-on error "$deb" 2>&1)
lrc=$?
echo "$lint" | grep -E '^[EW]:' | sed 's/^/# lintian: /'
if [ $lrc -eq 0 ]; then ok "lintian reports no errors"; else not_ok "lintian reports no errors"; fi

# 3. the unit's exposure figure is 2.5 or lower
unit=debian/troth.service
exposure=$(systemd-analyze security --offline=yes "$unit" 2>/dev/null |
	grep -Eo 'Overall exposure level for [^:]+: [0-9.]+' | grep -Eo '[0-9.]+$')
echo "# systemd-analyze security: ${exposure:-?}"
check "systemd-analyze security of the unit is at most 2.5 (${exposure:-none})" \
	awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 2.5) }'

# 4. a clean Debian 12 root (made once, then unpacked from the cache)
if [ ! -f "$tarball" ]; then
	echo "# making the Debian 12 root with debootstrap (once, a few minutes)"
	new="$cache/bookworm.new"
	rm -rf --one-file-system "$new"
	if debootstrap --variant=minbase --include=ca-certificates bookworm "$new" "$(mirror)" \
		>"$cache/debootstrap.log" 2>&1; then
		tar -C "$new" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
	else
		tail -5 "$cache/debootstrap.log" | sed 's/^/# /'
	fi
	rm -rf --one-file-system "$new"
fi
root=$(mktemp -d "$cache/root.XXXXXX")
if [ -f "$tarball" ] && tar -C "$root" -xf "$tarball"; then ok "a clean Debian 12 root"; else
	not_ok "a clean Debian 12 root" "see $cache/debootstrap.log"
	bail "no root to install into"
fi
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# this machine's own certificate authorities, for a mirror behind TLS
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
	mkdir -p "$root/usr/local/share/ca-certificates"
	cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
	chroot "$root" update-ca-certificates >/dev/null 2>&1 || echo "# update-ca-certificates failed in the root"
fi
in_root() { chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }

# 5. apt installs the package and what it depends on
cp "$deb" "$root/tmp/"
log="$cache/apt.log"
if in_root apt-get update -q >"$log" 2>&1 &&
	in_root sh -c "cd /tmp && apt-get install -y -q --no-install-recommends ./$(basename "$deb")" >>"$log" 2>&1; then
	ok "apt-get install ./$(basename "$deb")"
else
	not_ok "apt-get install ./$(basename "$deb")" "$(tail -5 "$log")"
	bail "the package does not install"
fi

# 6. what the package put in place
st=$(in_root stat -c '%U:%G %a' /var/lib/troth 2>&1)
problems=()
[ -x "$root/usr/bin/troth" ] || problems+=("no /usr/bin/troth")
in_root getent passwd troth >/dev/null || problems+=("no troth user")
[ "$st" = "troth:troth 750" ] || problems+=("/var/lib/troth is '$st', not 'troth:troth 750'")
[ -f "$root/lib/systemd/system/troth.service" ] || problems+=("no troth.service")
[ -f "$root/usr/share/man/man1/troth.1.gz" ] || problems+=("no man page")
[ -f "$root/usr/share/doc/troth/operating.md.gz" ] || [ -f "$root/usr/share/doc/troth/operating.md" ] ||
	problems+=("no operating.md")
if [ ${#problems[@]} -eq 0 ]; then ok "binary, troth user, /var/lib/troth troth:troth 0750, unit, man page, docs"; else
	not_ok "binary, troth user, /var/lib/troth troth:troth 0750, unit, man page, docs" "${problems[@]}"
fi

# the service exactly as the installed unit describes it
installed="$root/lib/systemd/system/troth.service"
execstart=$(sed -n 's/^ExecStart=//p' "$installed")
umask_unit=$(sed -n 's/^UMask=//p' "$installed")
memlock=$(sed -n 's/^LimitMEMLOCK=//p' "$installed")
memlock_bytes=$(numfmt --from=iec "$memlock" 2>/dev/null || echo 0)
echo "# ExecStart=$execstart (UMask=$umask_unit, LimitMEMLOCK=$memlock)"
# a container may not let even root raise the hard limit: then the test runs
# under this machine's (lower, so stricter) limit, and says so
hard=$(ulimit -Hl)
if [ "$hard" != unlimited ] && [ $((hard * 1024)) -lt "$memlock_bytes" ]; then
	memlock_bytes=$((hard * 1024))
	echo "# this machine caps locked memory at ${hard} KiB: the server runs under that"
fi
memlock_shown=$(numfmt --to=iec "$memlock_bytes")
as_troth_exec() { # command... : becomes it, run as the unit runs it, in the root
	exec prlimit --memlock="$memlock_bytes:$memlock_bytes" -- \
		chroot --userspec=troth:troth "$root" env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 sh -c "umask $umask_unit; cd /var/lib/troth; exec \"\$@\"" sh "$@"
}
as_troth() { # command... : runs it as the unit would, in the root
	(as_troth_exec "$@")
}

# 7. the command line works as the troth user within the unit's limits:
# `troth demo` makes accounts, which seals keys in sodium_malloc's locked memory
if as_troth /usr/bin/troth demo --db /var/lib/troth/limits.db >"$cache/demo.log" 2>&1 &&
	as_troth /usr/bin/troth check --db /var/lib/troth/limits.db >>"$cache/demo.log" 2>&1; then
	ok "troth demo and troth check run as troth with locked memory limited to $memlock_shown"
else
	not_ok "troth demo and troth check run as troth with locked memory limited to $memlock_shown" "$(tail -3 "$cache/demo.log")"
fi
rm -f "$root"/var/lib/troth/limits.db*

# 8-10. serve as the unit does, on loopback in a network namespace of its
# own, ask /healthz, and stop it with SIGTERM as systemd would
serve_log="$cache/serve.log"
export -f as_troth_exec
export root memlock_bytes umask_unit
read -r -a argv <<<"$execstart"
results=$(unshare --net bash -c '
	ip link set lo up
	as_troth_exec "$@" >"'"$serve_log"'" 2>&1 &
	pid=$!
	code=000
	for _ in $(seq 100); do
		code=$(curl -s -o /dev/null -w "%{http_code}" --max-time 2 http://127.0.0.1:8080/healthz)
		[ "$code" = 200 ] && break
		sleep 0.1
	done
	body=$(curl -s --max-time 2 http://127.0.0.1:8080/healthz)
	kill -TERM $pid 2>/dev/null
	for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
	wait $pid
	rc=$?
	echo "$code $rc $body"
' bash "${argv[@]}")
read -r code rc body <<<"$results"
if [ "$code" = 200 ]; then ok "GET /healthz answers 200 as troth with locked memory limited to $memlock_shown ($body)"; else
	not_ok "GET /healthz answers 200" "got ${code:-nothing}" "$(tail -3 "$serve_log")"
fi
check "troth serve stops cleanly on SIGTERM (exit ${rc:-?})" test "${rc:-1}" = 0
db_st=$(in_root stat -c '%U %a' /var/lib/troth/troth.db 2>&1)
check "the database is /var/lib/troth/troth.db, owned by troth, mode 0600 ($db_st)" test "$db_st" = "troth 600"

# 11. remove keeps the database, purge deletes it
in_root apt-get remove -y -q troth >>"$log" 2>&1
if [ ! -e "$root/usr/bin/troth" ] && [ -f "$root/var/lib/troth/troth.db" ]; then
	ok "apt-get remove takes the program away and keeps /var/lib/troth/troth.db"
else
	not_ok "apt-get remove takes the program away and keeps /var/lib/troth/troth.db" "$(ls -la "$root/var/lib/troth" 2>&1)"
fi
in_root apt-get purge -y -q troth >>"$log" 2>&1
if [ ! -e "$root/var/lib/troth" ]; then ok "apt-get purge removes /var/lib/troth"; else
	not_ok "apt-get purge removes /var/lib/troth" "$(ls -la "$root/var/lib/troth" 2>&1)"
fi

[ "$failed" -eq 0 ]
