# tests/lib.sh: shared shell helpers for Quire's TAP tests: TAP output,
# free loopback ports, a private data directory, quired, lighttpd and
# Apache or nginx started on 127.0.0.1 and always torn down. Source it; every
# wait is bounded.
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
QUIRED="$top_builddir/src/quired"
QUIRE_FCGI="$top_builddir/src/quire.fcgi"
QUIRE_ADMIN="$top_builddir/src/quire-admin"

tap_n=0
tap_failed=0
plan() { echo "1..$1"; }
# done_testing: the plan at the end, from the checks that ran (a script
# that stops early never gets there, and the TAP driver says so).
done_testing() { echo "1..$tap_n"; }
ok() {  # ok CONDITION_STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $tap_n - $2"; else echo "not ok $tap_n - $2"; tap_failed=1; fi
}
is() {  # is GOT EXPECTED DESCRIPTION
	if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3"; echo "#   got:      '$1'"; echo "#   expected: '$2'"; fi
}
like() {  # like GOT REGEX DESCRIPTION
	if printf '%s' "$1" | grep -Eq -- "$2"; then ok 0 "$3"; else ok 1 "$3"; echo "#   '$1' does not match /$2/" | head -c 2000; echo; fi
}
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
bail() { echo "Bail out! $1"; exit 1; }
diag() { echo "# $*"; }

# json FILE_OR_STRING EXPR: evaluate a Python expression on the parsed JSON (as j).
# Its line goes out in one write: print's two (the text, then its newline)
# interleave between clients appending to one file when PYTHONUNBUFFERED is set.
json() { python3 -c 'import json,sys; j=json.loads(sys.argv[1]); sys.stdout.write(str(eval(sys.argv[2])) + "\n")' "$1" "$2" 2>/dev/null; }

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_for SECONDS COMMAND...: poll every 0.1 s until COMMAND succeeds.
wait_for() {
	local deadline=$(( $(date +%s) + $1 )); shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.1
	done
	return 0
}

# Every response the helpers below receive (req, cgi, and api_record for
# tests with their own curl) is kept in $T/responses/; at exit the
# whole file is checked against docs/openapi.yaml (tests/openapi_check.py)
# and a response the document does not describe fails the test, so the
# document cannot drift from the code. QUIRE_NO_OPENAPI_CHECK=1 turns it
# off (a test of deliberately malformed HTTP, say).
openapi_py() {
	local p
	for p in python3 /usr/bin/python3; do
		"$p" -c 'import jsonschema, yaml' 2>/dev/null && { echo "$p"; return 0; }
	done
	return 1
}
# api_record METHOD PATH STATUS HEADERS_FILE BODY_FILE: keep one response
# (copies of its files and a line of $T/responses/index.tsv).
# (mktemp names them: helpers also run in subshells, $(cgi ...) say.)
api_record() {
	[ -n "$T" ] && [ -d "$T" ] || return 0
	mkdir -p "$T/responses"
	local f api_n
	f=$(mktemp "$T/responses/r.XXXXXXXX") || return 0
	api_n=${f##*/}
	cp "$4" "$f.h" 2>/dev/null || : >"$f.h"
	cp "$5" "$f.b" 2>/dev/null || : >"$f.b"
	# Paths as the document writes them: relative to the mount.
	local p=$2 m
	for m in /cgi-bin/quire.fcgi /cgi-bin/quire.cgi ${OPENAPI_MOUNT:-}; do
		case $p in "$m"/* | "$m" | "$m"\?*) p=${p#"$m"} ;; esac
	done
	case $p in /*) ;; *) p=/$p ;; esac
	printf '%s\t%s\t%s\t%s\n' "$api_n" "$1" "$p" "${3:-0}" >>"$T/responses/index.tsv"
}
openapi_verify() {
	[ -n "$T" ] && [ -s "$T/responses/index.tsv" ] && [ -z "${QUIRE_NO_OPENAPI_CHECK:-}" ] || return 0
	local py out
	py=$(openapi_py) || { echo "# responses not checked: python3-jsonschema or python3-yaml missing"; return 0; }
	out=$("$py" "$top_srcdir/tests/openapi_check.py" "$top_srcdir/docs/openapi.yaml" "$T/responses" 2>&1)
	local rc=$?
	echo "$out" | sed 's/^/# /'
	if [ $rc -ne 0 ]; then
		echo "Bail out! responses that docs/openapi.yaml does not describe (above)"
		tap_failed=1
		return 1
	fi
	return 0
}

T=""
PIDS=""
# stop_pids: TERM every process of PIDS, give each 5 s, then KILL.
stop_pids() {
	local p
	for p in $PIDS; do [ "$p" -gt 1 ] 2>/dev/null && kill -TERM "$p" 2>/dev/null; done
	for p in $PIDS; do
		[ "$p" -gt 1 ] 2>/dev/null || continue
		for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$p" 2>/dev/null
	done
}
cleanup() {
	openapi_verify || OPENAPI_FAILED=1
	stop_pids
	if [ -n "$T" ] && [ -z "${QUIRE_KEEP_TEST_DIR:-}" ]; then
		# Logs are kept for the canary check of the whole run.
		if [ -n "${QUIRE_TEST_LOGS:-}" ]; then mkdir -p "$QUIRE_TEST_LOGS"; cp -r "$T/logs" "$QUIRE_TEST_LOGS/$(basename "$T")" 2>/dev/null; fi
		rm -rf "$T"
	fi
}
trap 'cleanup; [ -z "${OPENAPI_FAILED:-}" ] || exit 1' EXIT
trap 'exit 1' INT TERM

# plugin_dir DIR: every plugin the build made, linked into DIR, which
# becomes QUIRE_PLUGIN_DIR.
plugin_dir() {
	local so
	mkdir -p "$1"
	for so in "$top_builddir"/plugins/*/.libs/*.so; do
		[ -f "$so" ] && ln -sf "$so" "$1/"
	done
	export QUIRE_PLUGIN_DIR="$1"
}

# test_dir: a private directory for the test in T, removed at exit unless
# QUIRE_KEEP_TEST_DIR is set (cleanup above).
test_dir() {
	T=$(mktemp -d "${QUIRE_TEST_TMP:-/tmp}/quire-test.XXXXXX")
}

# quire_setup [WORKERS]: a private directory with data, socket and config.
quire_setup() {
	test_dir
	chmod 711 "$T"
	mkdir -p "$T/data" "$T/run" "$T/logs"
	chmod 711 "$T/run"
	QUIRE_CONF="$T/quire.conf"
	QUIRE_SOCK="$T/run/quire.sock"
	local group; group=$(id -gn)
	[ "$(id -u)" = 0 ] && getent group www-data >/dev/null && group=www-data
	cat >"$QUIRE_CONF" <<EOF2
datadir = $T/data
socket = $QUIRE_SOCK
workers = ${1:-2}
socket_mode = 0660
socket_group = $group
heartbeat_timeout = ${QUIRE_TEST_HEARTBEAT:-30}
log_level = info
EOF2
	export QUIRE_CONF
	unset QUIRE_DATADIR QUIRE_SOCKET
	# quire-extract and the plugins of the build tree
	plugin_dir "$T/plugins"
	export QUIRE_QUIRE_EXTRACT_PROGRAM="$top_builddir/extract/quire-extract"
}

admin() { "$QUIRE_ADMIN" "$@"; }

# plugin_exports SO: every symbol SO defines in its dynamic table, of any
# kind (T, D, B, R, weak W/V, unique u, absolute A, ...) and any name (C++
# _Z... included), sorted, one space after each; only the symbols the
# linker itself defines in every shared object are left out.
plugin_exports() {
	nm -D --defined-only "$1" | awk 'NF >= 3 {print $NF}' |
		grep -Ev '^(_init|_fini|__bss_start|_edata|_end|__end__|_etext|__data_start|data_start|_IO_stdin_used|__dso_handle|__TMC_END__|_DYNAMIC|_GLOBAL_OFFSET_TABLE_)$' |
		sort | tr '\n' ' '
}

# new_key ACCOUNT [SCOPES]: create a key and print it.
# rl_window_room SECONDS: chat rate limits count in fixed minute windows
# (ratelimit.c: the minute number since the epoch); a test counting down
# one budget waits for the next window when the current one has less than
# SECONDS left, so its requests are not split across two windows.
rl_window_room() {
	_s=$(( $(date +%s) % 60 ))
	[ "$_s" -le $((60 - $1)) ] || sleep $((60 - _s))
}
new_key() { admin key create --account "$1" ${2:+--scopes "$2"} 2>/dev/null; }
# key_id KEY: the id quire-admin lists and revokes by (first 12 hex digits
# of the key's SHA-256).
key_id() { printf '%s' "$1" | sha256sum | cut -c1-12; }

quired_start() {
	"$QUIRED" >>"$T/logs/quired.log" 2>&1 &
	QUIRED_PID=$!
	PIDS="$PIDS $QUIRED_PID"
	wait_for 15 test -S "$QUIRE_SOCK" || { cat "$T/logs/quired.log" >&2; bail "quired did not start"; }
}

quired_stop() {
	kill -TERM "$QUIRED_PID" 2>/dev/null
	local i
	for i in $(seq 1 150); do kill -0 "$QUIRED_PID" 2>/dev/null || break; sleep 0.1; done
	wait "$QUIRED_PID" 2>/dev/null
}

# cgi METHOD PATH [BODY] [CONTENT_TYPE]: run quire.fcgi once as a CGI; sets
# CGI_STATUS, CGI_HEADERS and CGI_BODY. KEY is sent as a Bearer key when set;
# AUTH, when set, is sent as the whole Authorization header instead. Other
# CGI variables (HTTP_IDEMPOTENCY_KEY=...) can be given as prefix assignments.
cgi() {
	local out body="${3:-}" query="" len
	case $2 in *\?*) query=${2#*\?} ;; esac
	len=$(printf '%s' "$body" | wc -c)   # bytes, whatever the locale
	out=$(printf '%s' "$body" | env REQUEST_METHOD="$1" REQUEST_URI="$2" \
		QUERY_STRING="$query" GATEWAY_INTERFACE=CGI/1.1 \
		CONTENT_TYPE="${4-application/json}" CONTENT_LENGTH="$len" \
		HTTP_AUTHORIZATION="${AUTH:-${KEY:+Bearer $KEY}}" \
		"$QUIRE_FCGI" 2>>"$T/logs/cgi.log")
	CGI_HEADERS=$(printf '%s' "$out" | sed -n '1,/^\r\{0,1\}$/p')
	CGI_STATUS=$(printf '%s' "$CGI_HEADERS" | sed -n 's/^Status: \([0-9]*\).*/\1/p' | head -1)
	CGI_BODY=$(printf '%s' "$out" | sed '1,/^\r\{0,1\}$/d')
	printf '%s' "$CGI_HEADERS" >"$T/cgi.headers"
	printf '%s' "$CGI_BODY" >"$T/cgi.body"
	# No Status line is 200; no output at all (a killed CGI) is no answer.
	api_record "$1" "$2" "$([ -n "$out" ] && echo "${CGI_STATUS:-200}" || echo 0)" \
		"$T/cgi.headers" "$T/cgi.body"
}

# lighttpd_start [MOUNT]: lighttpd on a free port with the shipped
# etc/lighttpd/quire.conf (or the snippet LIGHTTPD_SNIPPET names, as an
# installed copy) or, with MOUNT (/kb), quire-subpath.conf.
lighttpd_start() {
	local snip="quire.conf" base=""
	[ -n "${1:-}" ] && snip="quire-subpath.conf" base="var.quire_base = \"$1\""
	[ -x "${LIGHTTPD:-}" ] || LIGHTTPD=$(command -v lighttpd || echo /usr/sbin/lighttpd)
	HTTP_PORT=$(free_port)
	cat >"$T/lighttpd.conf" <<EOF2
server.document-root = "$T"
server.bind = "127.0.0.1"
server.port = $HTTP_PORT
server.pid-file = "$T/run/lighttpd.pid"
server.errorlog = "$T/logs/lighttpd-error.log"
server.modules += ( "mod_accesslog" )
accesslog.filename = "$T/logs/lighttpd-access.log"
var.quire_socket = "$QUIRE_SOCK"
$base
include "${LIGHTTPD_SNIPPET:-$top_srcdir/etc/lighttpd/$snip}"
EOF2
	"$LIGHTTPD" -D -f "$T/lighttpd.conf" >>"$T/logs/lighttpd.out" 2>&1 &
	PIDS="$PIDS $!"
	BASE="http://127.0.0.1:$HTTP_PORT"
	wait_for 10 curl -s -o /dev/null "$BASE${1:-}/health" || bail "lighttpd did not start"
}

# apache_conf MPM USER [MODULE...]: the head of $T/apache.conf, Apache 2.4
# on a free port (HTTP_PORT) with its files under $T: logs, pid, mutex,
# the MPM (event or prefork), mod_authz_core and mod_MODULE.so for each
# MODULE; run as USER unless empty. The test appends what it serves.
apache_conf() {
	local mpm=$1 user="" mods=/usr/lib/apache2/modules m
	[ -n "$2" ] && user="User $2
Group $2"
	shift 2
	[ -x "${APACHE2:-}" ] || APACHE2=$(command -v apache2 || echo /usr/sbin/apache2)
	HTTP_PORT=$(free_port)
	cat >"$T/apache.conf" <<EOF2
ServerRoot "$T"
ServerName 127.0.0.1
Listen 127.0.0.1:$HTTP_PORT
PidFile "$T/run/apache.pid"
ErrorLog "$T/logs/apache-error.log"
LogFormat "%h %l %u %t \"%r\" %>s %b %D" common
CustomLog "$T/logs/apache-access.log" common
LoadModule mpm_${mpm}_module $mods/mod_mpm_$mpm.so
LoadModule authz_core_module $mods/mod_authz_core.so
$user
Mutex file:$T/run
EOF2
	for m in "$@"; do echo "LoadModule ${m}_module $mods/mod_$m.so"; done >>"$T/apache.conf"
}

# apache_run SECONDS URL [CURL_FLAG]: Apache on $T/apache.conf in a
# session of its own (prefork's parent stops its children with killpg()
# on its own process group, which would otherwise be the test's); wait
# SECONDS for URL to answer (with CURL_FLAG -f: with a 2xx).
apache_run() {
	setsid "$APACHE2" -f "$T/apache.conf" -DFOREGROUND >>"$T/logs/apache.out" 2>&1 &
	PIDS="$PIDS $!"
	wait_for "$1" curl -s ${3:-} -o /dev/null "$2" ||
		{ cat "$T/logs/apache-error.log" "$T/logs/apache.out" >&2; bail "apache did not start"; }
}

# apache_start [MOUNT]: Apache 2.4 (event MPM, mod_proxy_fcgi) on a free
# port with the shipped etc/apache/quire.conf or, with MOUNT (/kb),
# quire-subpath.conf.
apache_start() {
	local snip="quire.conf" base="" user=""
	[ -n "${1:-}" ] && snip="quire-subpath.conf" base="Define QUIRE_BASE $1"
	[ "$(id -u)" = 0 ] && user=www-data
	apache_conf event "$user" proxy proxy_fcgi setenvif
	cat >>"$T/apache.conf" <<EOF2
DocumentRoot "$T"
Define QUIRE_SOCKET $QUIRE_SOCK
$base
Include "$top_srcdir/etc/apache/$snip"
EOF2
	BASE="http://127.0.0.1:$HTTP_PORT"
	apache_run 10 "$BASE${1:-}/health"
}

# nginx_snippet [MOUNT]: the built etc/nginx/quire.conf with this test's
# socket; with MOUNT (/kb), changed for a sub-path as its comment says.
nginx_snippet() {
	local snip="$top_builddir/etc/nginx/quire.conf"
	[ -f "$snip" ] || bail "etc/nginx/quire.conf is not built (run make)"
	sed -e "s|fastcgi_pass unix:[^;]*;|fastcgi_pass unix:$QUIRE_SOCK;|" "$snip" |
		if [ -n "${1:-}" ]; then
			sed -e "s|^location / {|location $1/ {|" \
			    -e "s|#\(fastcgi_split_path_info\) ^(/kb)|\1 ^($1)|"
		else
			cat
		fi
}

# nginx_start [MOUNT]: nginx on a free port with the built
# etc/nginx/quire.conf (configure's upload_max as its body limit), at the
# root or, with MOUNT, at that sub-path.
nginx_start() {
	[ -x "${NGINX:-}" ] || NGINX=$(command -v nginx || echo /usr/sbin/nginx)
	HTTP_PORT=$(free_port)
	local user="" tmp="$T/nginx"
	mkdir -p "$tmp"
	if [ "$(id -u)" = 0 ]; then
		user="user www-data www-data;"
		chown www-data "$tmp"
	fi
	nginx_snippet "${1:-}" >"$T/nginx-quire.conf"
	cat >"$T/nginx.conf" <<EOF2
$user
daemon off;
master_process on;
worker_processes 1;
pid $T/run/nginx.pid;
error_log $T/logs/nginx-error.log info;
events { worker_connections 256; }
http {
	access_log $T/logs/nginx-access.log;
	client_body_temp_path $tmp/body;
	fastcgi_temp_path $tmp/fastcgi;
	proxy_temp_path $tmp/proxy;
	uwsgi_temp_path $tmp/uwsgi;
	scgi_temp_path $tmp/scgi;
	server {
		listen 127.0.0.1:$HTTP_PORT;
		server_name 127.0.0.1;
		include $T/nginx-quire.conf;
	}
}
EOF2
	"$NGINX" -p "$T" -c "$T/nginx.conf" >>"$T/logs/nginx.out" 2>&1 &
	PIDS="$PIDS $!"
	BASE="http://127.0.0.1:$HTTP_PORT"
	wait_for 10 curl -s -o /dev/null "$BASE${1:-}/health" ||
		{ cat "$T/logs/nginx-error.log" "$T/logs/nginx.out" >&2; bail "nginx did not start"; }
}

# req METHOD PATH [BODY [CURL_ARGS...]]: curl through the front server; sets
# STATUS, BODY and HEADERS. KEY is sent as a Bearer key; AUTH, when set, is
# sent as the whole Authorization header instead. A BODY goes out as JSON.
req() {
	local out m=$1 p=$2 body=${3:-}
	shift $(( $# < 3 ? $# : 3 ))
	out=$(curl -s -m 20 -X "$m" -H "Authorization: ${AUTH:-Bearer ${KEY:-}}" \
		${body:+-H "Content-Type: application/json" --data-binary "$body"} "$@" \
		-D "$T/req.headers" -w '\n%{http_code}' "$BASE$p")
	STATUS=${out##*$'\n'}
	BODY=${out%$'\n'*}
	HEADERS=$(tr -d '\r' <"$T/req.headers" 2>/dev/null)
	printf '%s' "$BODY" >"$T/req.body"
	api_record "$m" "$p" "$STATUS" "$T/req.headers" "$T/req.body"
}

# up_post KEY PATH CURL_ARGS...: a multipart POST (curl -F ...) through the
# front server as KEY; sets STATUS and BODY, and keeps the response for
# the docs/openapi.yaml check.
up_post() {
	local k=$1 p=$2 out
	shift 2
	out=$(curl -s -m 60 -H "Authorization: Bearer $k" "$@" -D "$T/up.headers" \
		-w '\n%{http_code}' "$BASE$p")
	STATUS=${out##*$'\n'}
	BODY=${out%$'\n'*}
	printf '%s' "$BODY" >"$T/up.body"
	api_record POST "$p" "$STATUS" "$T/up.headers" "$T/up.body"
}
