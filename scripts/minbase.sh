#!/bin/sh
# scripts/minbase.sh: make (once) the minimal Debian root that
# tests/install/portable.test runs the portable bundle in:
# debootstrap --variant=minbase of this machine's release, from the
# mirror apt uses (QUIRE_MINBASE_MIRROR another), into
# ${QUIRE_MINBASE_ROOT:-/var/cache/quire-tests/minbase-SUITE}. It fetches
# from the network, so it belongs with installing the dependencies
# (scripts/test.sh runs it before the tests, as root); the test itself
# never fetches anything and skips when the root is not there.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
[ "$(id -u)" = 0 ] || { echo "minbase.sh: needs root (debootstrap)"; exit 0; }
command -v debootstrap >/dev/null || { echo "minbase.sh: debootstrap is missing"; exit 0; }
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
root=${QUIRE_MINBASE_ROOT:-/var/cache/quire-tests/minbase-$suite}
[ -x "$root/bin/sh" ] && exit 0
mirror=${QUIRE_MINBASE_MIRROR:-$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
	awk '$1 == "deb" {print $2; exit}')}
[ -n "$mirror" ] || mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
	awk '$1 == "URIs:" && $2 !~ /security/ {print $2; exit}')
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
mkdir -p "$(dirname "$root")"
rm -rf "$root.tmp"
if timeout 900 debootstrap --variant=minbase "$suite" "$root.tmp" "$mirror" >"$root.log" 2>&1; then
	mv "$root.tmp" "$root"
	echo "minbase.sh: made $root"
else
	tail -5 "$root.log"
	rm -rf "$root.tmp"
	echo "minbase.sh: debootstrap from $mirror failed; tests/install/portable.test will skip"
fi
