# tests/api/cgi-host.sh: helpers for the CGI-only host tests (source after
# lib.sh): a site directory with quire.cgi copied in as a user would
# (cgi-bin/.htaccess for Apache, etc/lighttpd/quire-cgi.conf for
# lighttpd), Apache with the prefork MPM and mod_cgi only (no proxy
# module), lighttpd with mod_cgi, the web server's user for everything
# that touches the data directory, and the on-demand quired found (and
# stopped at exit) by the lock it holds.
# SPDX-License-Identifier: GPL-3.0-or-later

WEB_USER=""
[ "$(id -u)" = 0 ] && getent passwd www-data >/dev/null && WEB_USER=www-data
# as_web COMMAND...: run as the user the CGIs run as.
as_web() {
	if [ -n "$WEB_USER" ]; then
		setpriv --reuid="$WEB_USER" --regid="$WEB_USER" --clear-groups -- "$@"
	else
		"$@"
	fi
}

# site_setup MODE [EXTRA_CONF_LINES]: quire_setup, then cgi_mode = MODE,
# a key (KEY, account acme), the site directory $T/www/kb holding a copy
# of quire.cgi and of quire.conf (found beside the program), and the data
# and socket directories handed to the web server's user.
site_setup() {
	quire_setup 2
	fake_chat_start >>"$QUIRE_CONF"
	cat >>"$QUIRE_CONF" <<EOF2
cgi_mode = $1
idle_exit = ${IDLE_EXIT:-4}
max_json_size = 256K
${2:-}
EOF2
	KEY=$(new_key acme) && [ -n "$KEY" ] || bail "quire-admin key create failed"
	mkdir -p "$T/www/kb"
	cp "$top_builddir/cgi-bin/quire.cgi" "$T/www/kb/quire.cgi"
	cp "$top_srcdir/cgi-bin/.htaccess" "$T/www/kb/.htaccess"
	cp "$QUIRE_CONF" "$T/www/kb/quire.conf"
	chmod 755 "$T/www" "$T/www/kb" "$T/www/kb/quire.cgi"
	chmod 644 "$T/www/kb/quire.conf" "$T/www/kb/.htaccess"
	[ -n "$WEB_USER" ] && chown -R "$WEB_USER:" "$T/data" "$T/run"
	export QUIRE_QUIRED_PROGRAM="$top_builddir/src/quired"
	export QUIRE_QUIRE_FCGI_PROGRAM="$top_builddir/src/quire.fcgi"
	OPENAPI_MOUNT=/kb
}

# ondemand_quireds: pids of the quired processes holding this test's data
# directory lock (quired's children hold it too, but are not "quired").
ondemand_quireds() {
	local p
	for p in $(pgrep -x quired); do
		ls -l "/proc/$p/fd" 2>/dev/null | grep -q -- "$T/data/quired.lock" && echo "$p"
	done
}
stop_ondemand() {
	local p i
	[ -n "$T" ] || return 0
	for p in $(ondemand_quireds); do kill -TERM "$p" 2>/dev/null; done
	for i in $(seq 1 150); do [ -z "$(ondemand_quireds)" ] && return 0; sleep 0.1; done
	return 1
}
trap 'stop_ondemand 2>/dev/null; cleanup; [ -z "${OPENAPI_FAILED:-}" ] || exit 1' EXIT

# apache_cgi_start: Apache 2.4, prefork MPM, mod_cgi, mod_rewrite and the
# shipped .htaccess in $T/www/kb (AllowOverride All); no proxy module.
apache_cgi_start() {
	apache_conf prefork "$WEB_USER" mime env rewrite cgi
	cat >>"$T/apache.conf" <<EOF2
TypesConfig /dev/null
StartServers 4
MinSpareServers 2
MaxSpareServers 30
MaxRequestWorkers 40
DocumentRoot "$T/www"
<Directory "$T/www">
	AllowOverride All
	Require all granted
</Directory>
PassEnv QUIRE_QUIRED_PROGRAM QUIRE_QUIRE_FCGI_PROGRAM QUIRE_PLUGIN_DIR QUIRE_QUIRE_EXTRACT_PROGRAM
EOF2
	BASE="http://127.0.0.1:$HTTP_PORT/kb"
	apache_run 20 "$BASE/health" -f
}

# lighttpd_cgi_start: lighttpd with the shipped etc/lighttpd/quire-cgi.conf
# at /kb (mod_cgi), running the CGIs as the web server's user.
lighttpd_cgi_start() {
	[ -x "${LIGHTTPD:-}" ] || LIGHTTPD=$(command -v lighttpd || echo /usr/sbin/lighttpd)
	HTTP_PORT=$(free_port)
	local user=""
	[ -n "$WEB_USER" ] && user="server.username = \"$WEB_USER\"
server.groupname = \"$WEB_USER\""
	[ -n "$WEB_USER" ] && chown "$WEB_USER:" "$T/logs"
	cat >"$T/lighttpd.conf" <<EOF2
server.document-root = "$T/www"
server.bind = "127.0.0.1"
server.port = $HTTP_PORT
server.pid-file = "$T/run/lighttpd.pid"
server.errorlog = "$T/logs/lighttpd-error.log"
server.max-worker = 0
$user
server.modules += ( "mod_setenv" )
setenv.add-environment = (
	"QUIRE_QUIRED_PROGRAM" => "$QUIRE_QUIRED_PROGRAM",
	"QUIRE_QUIRE_FCGI_PROGRAM" => "$QUIRE_QUIRE_FCGI_PROGRAM",
	"QUIRE_PLUGIN_DIR" => "$QUIRE_PLUGIN_DIR",
	"QUIRE_QUIRE_EXTRACT_PROGRAM" => "$QUIRE_QUIRE_EXTRACT_PROGRAM",
)
var.quire_mount = "/kb"
include "$top_srcdir/etc/lighttpd/quire-cgi.conf"
EOF2
	"$LIGHTTPD" -D -f "$T/lighttpd.conf" >>"$T/logs/lighttpd.out" 2>&1 &
	PIDS="$PIDS $!"
	BASE="http://127.0.0.1:$HTTP_PORT/kb"
	wait_for 20 curl -s -f -o /dev/null "$BASE/health" ||
		{ cat "$T/logs/lighttpd-error.log" "$T/logs/lighttpd.out" >&2; bail "lighttpd did not start"; }
}

# doc_status ID: the native embedding status of a document ("" when none).
doc_status() {
	curl -s -m 20 -H "Authorization: Bearer $KEY" "$BASE/api/v1/documents/$1/embeddings/status" |
		python3 -c 'import json,sys; print(json.load(sys.stdin).get("status", ""))' 2>/dev/null
}

# fake_chat_start: the stand-in OpenAI-compatible server (tests/chat/
# fake_chat.py) and the settings that make it the answerer; prints them.
fake_chat_start() {
	FAKE_PORT=$(free_port)
	mkdir -p "$T/fake"
	python3 "$top_srcdir/tests/chat/fake_chat.py" "$FAKE_PORT" "$T/fake" >>"$T/logs/fake.log" 2>&1 &
	PIDS="$PIDS $!"
	wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $FAKE_PORT), 1)" ||
		bail "fake_chat.py did not start"
	printf 'chat_answerer = openai\nchat_base_url = http://127.0.0.1:%s/v1\nchat_model = stand-in\nchat_api_key = sk-test\n' "$FAKE_PORT"
}

# mixed_load LABEL: 20 concurrent mixed requests through the front server.
mixed_load() {
	local out
	out=$(timeout 120 python3 "$top_srcdir/tests/api/cgi_mixed.py" "$BASE" "$KEY" 20 2>&1)
	ok $? "$1: 20 concurrent mixed requests (health, list, create, upload, chat, stream) all answer 2xx"
	printf '%s\n' "$out" | grep -v ' 20[01] ' | head -5 | sed 's/^/#   /'
	diag "$1: slowest of the 20: $(printf '%s\n' "$out" | sort -k3 -n | tail -1)"
}

# stream_checks LABEL: a chat stream through mod_cgi arrives token by
# token: with the stand-in model writing a word every 0.3 s, several events
# reach the client at different times, the first before the model's last.
stream_checks() {
	local out n first last upstream_last
	echo '{"mode": "slow", "delay": 0.3, "count": 1}' >"$T/fake/control.json"
	out=$(timeout 60 python3 "$top_srcdir/tests/chat/sse_client.py" "$BASE/api/ai/chat/stream" "$KEY" \
		acme user-1 '["employee"]' '{"message": "What does the load document say?"}' 50)
	n=$(printf '%s\n' "$out" | grep -c '^event .*"token"')
	first=$(printf '%s\n' "$out" | grep '^event .*"token"' | head -1 | cut -d' ' -f2)
	last=$(printf '%s\n' "$out" | grep '^event .*"token"' | tail -1 | cut -d' ' -f2)
	upstream_last=$(cat "$T/fake/last_chunk" 2>/dev/null || echo 0)
	[ "$n" -ge 4 ]
	ok $? "$1: the stream through mod_cgi carries the model's words as token events ($n)"
	python3 -c "import sys; sys.exit(0 if float('$last') - float('$first') >= 0.6 else 1)"
	ok $? "$1: they reach the client spread over time (first $first, last $last), not at once"
	python3 -c "import sys; sys.exit(0 if float('$first') < float('$upstream_last') - 0.3 else 1)"
	ok $? "$1: the first reached the client before the model wrote its last word ($upstream_last)"
}

# big_bodies LABEL: bodies and answers of several FastCGI records each
# pass the relay whole, and a body over the cap is refused (413) without
# the relay waiting for the worker to read it.
big_bodies() {
	local f="$T/big.json" id
	python3 -c 'import json,sys; print(json.dumps({"title": "Big", "content": "q" * int(sys.argv[1])}))' 150000 >"$f"
	big_post "$f"
	id=$(json "$BODY" 'j["document"]["id"]')
	req GET "/api/v1/documents/$id"
	# (json() takes its text as an argument: too long for one here)
	is "$STATUS/$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["document"]["content"]))' "$T/req.body")" "200/150000" "$1: a 150 kB body and a 150 kB answer pass the relay whole"
	python3 -c 'import json,sys; print(json.dumps({"title": "Too big", "content": "q" * int(sys.argv[1])}))' 600000 >"$f"
	big_post "$f"
	is "$STATUS/$(json "$BODY" 'j["error"]["code"]')" "413/PAYLOAD_TOO_LARGE" "$1: a body over max_json_size is answered 413 through the relay"
}
# big_post FILE: POST FILE as JSON to /api/v1/documents; sets STATUS, BODY.
big_post() {
	local out
	out=$(curl -s -m 30 -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \
		--data-binary "@$1" -D "$T/big.headers" -w '\n%{http_code}' "$BASE/api/v1/documents")
	STATUS=${out##*$'\n'}
	BODY=${out%$'\n'*}
	printf '%s' "$BODY" >"$T/big.body"
	api_record POST /kb/api/v1/documents "$STATUS" "$T/big.headers" "$T/big.body"
}

# upload_slow LABEL: an OCR'd image (seconds of extraction) uploaded
# through the front server; sets UP_ID, UP_TIME and UP_AFTER (the status
# read right after the answer).
upload_slow() {
	local t0 t1
	t0=$(date +%s.%N)
	up_post "$KEY" /api/v1/documents -F "file=@$top_srcdir/tests/fixtures/ocr/dense1.png"
	t1=$(date +%s.%N)
	UP_AFTER=$(doc_status "$(json "$BODY" 'j["document"]["id"]')")
	UP_ID=$(json "$BODY" 'j["document"]["id"]')
	UP_TIME=$(python3 -c "print('%.2f' % ($t1 - $t0))")
	is "$STATUS" 201 "$1: the upload of an image to OCR answers 201"
	diag "$1: the upload answered in $UP_TIME s"
}

# node_seed SCRIPT ARGS...: one of the seeds' own clients (tests/api/seed/)
# against BASE; sets OUT and RC (bounded: 90 s). RC 77 without node.
node_seed() {
	[ -x "${NODE:-}" ] || NODE=$(command -v node || echo /usr/bin/node)
	if [ ! -x "$NODE" ]; then OUT=""; RC=77; return; fi
	OUT=$(QUIRE_BASE="$BASE" QUIRE_KEY="$KEY" timeout 90 "$NODE" "$top_srcdir/tests/api/seed/$1" "${@:2}" 2>&1)
	RC=$?
}

# ondemand_phase START LABEL: cgi_mode = ondemand behind the server START
# (apache_cgi_start or lighttpd_cgi_start) starts.
ondemand_phase() {
	local start=$1 l="$2 (on demand)" c1 c2 n st
	site_setup ondemand
	"$start"
	stop_ondemand || bail "the on-demand quired did not stop"
	# Two cold requests at once: one quired starts, both are answered.
	curl -s -m 60 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$BASE/api/v1/documents" >"$T/c1" &
	c1=$!
	curl -s -m 60 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$BASE/api/v1/documents" >"$T/c2" &
	c2=$!
	wait "$c1" "$c2"
	is "$(cat "$T/c1") $(cat "$T/c2")" "200 200" "$l: two concurrent cold requests are both answered"
	is "$(ondemand_quireds | wc -l | tr -d ' ')" 1 "$l: and exactly one quired was started for them"
	req GET /quire.conf
	! printf '%s' "$BODY" | grep -q datadir && [ "$STATUS" = 403 -o "$STATUS" = 404 ]
	ok $? "$l: the quire.conf beside quire.cgi is not served ($STATUS, not the file)"
	mixed_load "$l"
	big_bodies "$l"
	upload_slow "$l"
	[ -n "$UP_AFTER" ] && [ "$UP_AFTER" != completed ]
	ok $? "$l: it answered before the extraction finished (status right after: $UP_AFTER)"
	wait_for 180 sh -c "curl -s -H 'Authorization: Bearer $KEY' '$BASE/api/v1/documents/$UP_ID/embeddings/status' | grep -q '\"status\": *\"completed\"'"
	ok $? "$l: and quired's ingest processes then processed it (completed)"
	node_seed wait.mjs "$UP_ID"
	if [ "$RC" = 77 ]; then ok 0 "# SKIP node is not installed"; ok 0 "# SKIP node is not installed"; else
		is "$RC $(printf '%s\n' "$OUT" | tail -1)" "0 FINAL completed" "$l: the seed's waitForEmbedding through mod_cgi ends completed"
		node_seed get.mjs "$UP_ID"
		like "$OUT" "^status 200"$'\n'"document .*\"title\":\"dense1.png\"" "$l: the seed's get through mod_cgi returns the upload"
	fi
	stream_checks "$l"
	# Idle: quired stops after idle_exit; the next request starts it again.
	for n in $(seq 1 $(( (IDLE_EXIT + 20) * 5 ))); do [ -z "$(ondemand_quireds)" ] && break; sleep 0.2; done
	is "$(ondemand_quireds | wc -l | tr -d ' ')" 0 "$l: quired stopped after idle_exit ($IDLE_EXIT s) without requests"
	st=$(curl -s -m 60 -o /dev/null -w '%{http_code}' "$BASE/health")
	is "$st/$(ondemand_quireds | wc -l | tr -d ' ')" "200/1" "$l: the next request starts one again"
	stop_ondemand
	cleanup
	T="" PIDS=""
}

# serial_phase START LABEL: cgi_mode = serial: every request served in its
# CGI process, one at a time, no process outliving a request; uploads
# processed by quire-admin cron.
serial_phase() {
	local start=$1 l="$2 (serial)" out rc
	site_setup serial "cron_time = 150"
	"$start"
	mixed_load "$l"
	[ -z "$(ondemand_quireds)" ] && [ ! -S "$T/run/quire.sock" ]
	ok $? "$l: no quired ran (every request was served in its CGI)"
	upload_slow "$l"
	sleep 2
	st=$(doc_status "$UP_ID")
	[ -n "$st" ] && [ "$st" != completed ] && [ "$UP_AFTER" != completed ]
	ok $? "$l: the upload only queued the work ($UP_AFTER, and still $st 2 s later: no cron yet)"
	out=$(cd "$T" && as_web timeout 300 "$QUIRE_ADMIN" cron 2>&1)
	rc=$?
	like "$rc $out" '^0 cron: [1-9][0-9]* documents ingested, [1-9][0-9]* chunks embedded' "$l: quire-admin cron ingests and embeds the queue ($out)"
	is "$(doc_status "$UP_ID")" completed "$l: the upload is processed after the cron run"
	node_seed wait.mjs "$UP_ID"
	if [ "$RC" = 77 ]; then ok 0 "# SKIP node is not installed"; else
		is "$RC $(printf '%s\n' "$OUT" | tail -1)" "0 FINAL completed" "$l: the seed's waitForEmbedding through mod_cgi ends completed"
	fi
	stream_checks "$l"
	if [ -n "$WEB_USER" ] || [ "$(id -u)" != 0 ]; then
		chmod 0555 "$T/data"
		req GET /api/v1/documents
		chmod 0755 "$T/data"
		like "$STATUS $BODY" '^503 .*not writable by the web server' "$l: a data directory the web server may not write is named as such (503)"
		like "$(cat "$T/logs/apache-error.log" "$T/logs/lighttpd-error.log" "$T/logs/lighttpd.out" 2>/dev/null)" "data directory $T/data .*wrong permissions" \
			"$l: and the server's error log says which directory and why"
	else
		ok 0 "# SKIP running as root without a www-data user"
		ok 0 "# SKIP running as root without a www-data user"
	fi
	cleanup
	T="" PIDS=""
}
