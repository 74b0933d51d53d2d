#!/bin/bash
# tests/install/installed.sh: make installcheck. The installed quired (no
# build tree: its own quire.fcgi, quire-extract and plugins) behind
# lighttpd with the installed example snippet runs the journey; the
# installed sample configuration, man pages and unit are in place. Speaks
# TAP; exits non-zero when a check fails. Its data and socket are in a
# temporary directory, so an installed system's own are never touched.
# SPDX-License-Identifier: GPL-3.0-or-later
: "${sbindir:?}" "${bindir:?}" "${pkglibexecdir:?}" "${pkglibdir:?}" "${libdir:?}" "${docdir:?}" "${sysconfdir:?}" "${mandir:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/install/journey.sh"
QUIRED="$sbindir/quired"
QUIRE_FCGI="$pkglibexecdir/quire.fcgi"
QUIRE_ADMIN="$bindir/quire-admin"
missing=""
for f in "$QUIRED" "$QUIRE_FCGI" "$QUIRE_ADMIN" "$bindir/quire-embed" "$pkglibexecdir/quire-extract" \
	"$pkglibdir/text.so" "$sysconfdir/quire/quire.conf" "$docdir/examples/lighttpd/quire.conf" \
	"$docdir/examples/systemd/quired.service" "$docdir/COPYING" \
	"$mandir/man8/quired.8" "$mandir/man5/quire.conf.5" "$mandir/man3/quire-plugin.3"; do
	[ -e "$f" ] || missing="$missing $f"
done
is "$missing" "" "the programs, a plugin, quire.conf, the examples, COPYING and the man pages are installed"
grep -q "^ExecStart=$sbindir/quired\$" "$docdir/examples/systemd/quired.service"
ok $? "the installed unit starts $sbindir/quired"
pc() { PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config "$@" quire-plugin; }
is "$(pc --variable=plugindir)" "$pkglibdir" "quire-plugin.pc: plugindir is where quire-extract loads plugins"
printf '#include <quire/plugin.h>\nint abi = QUIRE_PLUGIN_ABI;\n' >"/tmp/quire-pc-$$.c"
${CC:-cc} $(pc --cflags) -fsyntax-only "/tmp/quire-pc-$$.c"
ok $? "quire/plugin.h compiles with pkg-config --cflags quire-plugin"
rm -f "/tmp/quire-pc-$$.c"
quire_setup 2
# Only what was installed: no build-tree programs or plugins.
unset QUIRE_PLUGIN_DIR QUIRE_QUIRE_EXTRACT_PROGRAM
out=$("$QUIRED" -t 2>&1); rc=$?
ok $rc "quired -t accepts the test's configuration"
[ $rc = 0 ] || diag "$out"
quired_start
KEY=$(new_key acme)
like "$KEY" '^sk_live_' "the installed quire-admin creates a key"
[ -x "${LIGHTTPD:-}" ] || LIGHTTPD=$(command -v lighttpd || echo /usr/sbin/lighttpd)
if [ -x "$LIGHTTPD" ]; then
	LIGHTTPD_SNIPPET="$docdir/examples/lighttpd/quire.conf" lighttpd_start
	journey "installed"
	is "$(admin status | sed -n 's/^recoveries: //p')" 0 "no recovery during the journey"
else
	for _ in 1 2 3 4 5 6; do ok 0 "# SKIP lighttpd is not installed"; done
fi
quired_stop
out=$("$QUIRED" -t -c "$T/missing.conf" 2>&1)
is "$?" 78 "quired -t -c on a missing file fails"
done_testing
exit $tap_failed
