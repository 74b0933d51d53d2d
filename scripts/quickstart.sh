#!/bin/sh
# scripts/quickstart.sh: install the packages, build, and start Quire with
# its embedded defaults: quired (2 workers) with lighttpd on 127.0.0.1:8080
# and a data directory inside the checkout (var/). Prints the URL, a new API
# key and a curl command that works. Run it again to restart; stop with
# scripts/quickstart.sh stop.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
var="${QUIRE_VAR:-$top/var}"   # QUIRE_VAR: elsewhere (the tests use it)
port="${QUIRE_PORT:-8080}"

stop() {
	for f in "$var/run/lighttpd.pid" "$var/run/quired.pid"; do
		[ -f "$f" ] || continue
		pid=$(cat "$f")
		kill "$pid" 2>/dev/null || true
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		rm -f "$f"
	done
}
if [ "${1:-}" = stop ]; then stop; echo "Quire stopped."; exit 0; fi

sh scripts/deps.sh
mkdir -p "$var/data" "$var/run" "$var/log"
sh scripts/build.sh >"$var/log/build.log" 2>&1 || { tail -30 "$var/log/build.log"; exit 1; }
stop
cat >"$var/quire.conf" <<EOF2
# Written by scripts/quickstart.sh; see etc/quire.conf for every setting.
datadir = $var/data
socket = $var/run/quire.sock
workers = 2
EOF2
export QUIRE_CONF="$var/quire.conf"
# The build tree's quire-extract and plugins (an installed Quire finds them
# in its own directories).
mkdir -p "$var/plugins"
rm -f "$var/plugins"/*.so
for so in "$top"/plugins/*/.libs/*.so; do [ -f "$so" ] && ln -s "$so" "$var/plugins/"; done
export QUIRE_PLUGIN_DIR="$var/plugins"
export QUIRE_QUIRE_EXTRACT_PROGRAM="$top/extract/quire-extract"
nohup "$top/src/quired" -p "$var/run/quired.pid" >>"$var/log/quired.log" 2>&1 &
i=0
while [ ! -S "$var/run/quire.sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$var/run/quire.sock" ] || { cat "$var/log/quired.log"; echo "quired did not start"; exit 1; }
cat >"$var/lighttpd.conf" <<EOF2
server.document-root = "$var"
server.bind = "127.0.0.1"
server.port = $port
server.pid-file = "$var/run/lighttpd.pid"
server.errorlog = "$var/log/lighttpd-error.log"
var.quire_socket = "$var/run/quire.sock"
include "$top/etc/lighttpd/quire.conf"
EOF2
lighttpd=$(command -v lighttpd || echo /usr/sbin/lighttpd)
"$lighttpd" -f "$var/lighttpd.conf"
i=0
until curl -s -o /dev/null "http://127.0.0.1:$port/health" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
key=$("$top/src/quire-admin" key create --account quickstart --scopes all 2>/dev/null)
cat <<EOF2

Quire is running at http://127.0.0.1:$port/ (data in $var/data, logs in $var/log).
API key (shown once): $key

Try:
  curl -s -X POST http://127.0.0.1:$port/api/v1/documents \\
    -H "Authorization: Bearer $key" -H "Content-Type: application/json" \\
    -H "X-External-Org-Id: demo" \\
    -d '{"title": "Hello", "content": "Quire stores this text.", "tags": ["demo"]}'
  curl -s http://127.0.0.1:$port/api/v1/documents -H "Authorization: Bearer $key"
  curl -s -X POST http://127.0.0.1:$port/external/sources/custom \\
    -H "Authorization: Bearer $key" -H "X-External-Org-Id: demo" -F "files=@$top/README.md"
  curl -s -X POST http://127.0.0.1:$port/api/ai/chat \\
    -H "Authorization: ApiKey $key" -H "Content-Type: application/json" \\
    -H "X-External-Org-Id: demo" -H "X-External-User-Id: me" -H "X-External-Roles: []" \\
    -d '{"message": "What does Quire store?"}'
  curl -s -X POST http://127.0.0.1:$port/api/ai/chat \\
    -H "Authorization: ApiKey $key" -H "Content-Type: application/json" \\
    -H "X-External-Org-Id: demo" -H "X-External-User-Id: me" -H "X-External-Roles: []" \\
    -d '{"message": "Where does Quire run?"}'
(A chat sees the documents of its X-External-Org-Id and those created
without an org: docs/api.md, "Visibility". The last one answers from the
uploaded README once it is trained.)

Stop with: sh scripts/quickstart.sh stop
EOF2
