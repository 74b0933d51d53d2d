# tests/chat/chat-lib.sh: helpers for the chat tests (source after lib.sh).
# The caller's scope comes from ORG, USR and ROLES (defaults: the seed's
# acme, user-456, ["employee"]); set one to "" to leave its header out.
# SPDX-License-Identifier: GPL-3.0-or-later

uuid_re='^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'

# chat_cgi PATH BODY: a chat request through the CGI binary (sets CGI_*).
chat_cgi() {
	HTTP_X_EXTERNAL_ORG_ID="${ORG-acme}" HTTP_X_EXTERNAL_USER_ID="${USR-user-456}" \
		HTTP_X_EXTERNAL_ROLES="${ROLES-[\"employee\"]}" cgi POST "$1" "$2"
}

# ask MESSAGE [EXTRA_JSON_MEMBERS]: POST /api/ai/chat by CGI.
ask() {
	chat_cgi /api/ai/chat "{\"message\": $(printf '%s' "$1" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')${2:+, $2}}"
}

# header NAME: a response header's value from CGI_HEADERS.
header() { printf '%s\n' "$CGI_HEADERS" | tr -d '\r' | sed -n "s/^$1: //Ip" | head -1; }

# make_doc TITLE CONTENT [ORG [FOLDER [ALLOWED_ROLES]]]: create a text
# document by CGI (ingested before the call returns); sets DOC to its id.
make_doc() {
	local body
	body=$(python3 -c 'import json,sys; print(json.dumps({"title": sys.argv[1], "content": sys.argv[2]}))' "$1" "$2")
	HTTP_X_EXTERNAL_ORG_ID="${3-acme}" HTTP_X_EXTERNAL_FOLDER_ID="${4:-}" \
		HTTP_X_EXTERNAL_ALLOWED_ROLES="${5:-}" cgi POST /api/v1/documents "$body"
	DOC=$(json "$CGI_BODY" 'j["document"]["id"]')
}

# sse_events BODY: the data lines of an SSE body, one JSON per line.
sse_events() { printf '%s\n' "$1" | tr -d '\r' | sed -n 's/^data: //p'; }
# sse_tokens BODY: the tokens joined.
sse_tokens() {
	sse_events "$1" | python3 -c 'import json,sys; print("".join(json.loads(l).get("token", "") for l in sys.stdin if l.strip()))'
}
# sse_last BODY: the last event.
sse_last() { sse_events "$1" | tail -1; }

# fake_chat_start: the local chat-completions server; points quire.conf's
# openai answerer at it (FAKE_DIR holds control.json, last_request.json).
fake_chat_start() {
	FAKE_DIR="$T/fakechat"
	mkdir -p "$FAKE_DIR"
	FAKE_PORT=$(free_port)
	python3 "$top_srcdir/tests/chat/fake_chat.py" "$FAKE_PORT" "$FAKE_DIR" >>"$T/logs/fakechat.log" 2>&1 &
	PIDS="$PIDS $!"
	FAKE_URL="http://127.0.0.1:$FAKE_PORT/v1"
	wait_for 10 curl -s -o /dev/null -X POST -d '{}' "$FAKE_URL/chat/completions" || bail "fake chat server did not start"
	rm -f "$FAKE_DIR/count"
	cat >>"$QUIRE_CONF" <<EOF2
chat_answerer = openai
chat_base_url = $FAKE_URL
chat_model = fake-chat
EOF2
}

# fake_chat_mode MODE [COUNT [DELAY]]
fake_chat_mode() {
	python3 -c 'import json,sys; c={"mode": sys.argv[1]}; sys.argv[2] and c.update(count=int(sys.argv[2])); sys.argv[3] and c.update(delay=float(sys.argv[3])); json.dump(c, open(sys.argv[4], "w"))' \
		"$1" "${2:-}" "${3:-}" "$FAKE_DIR/control.json"
}
fake_chat_requests() { cat "$FAKE_DIR/count" 2>/dev/null || echo 0; }

# front_chat PATH BODY [CURL_ARGS...]: a chat request through the front
# server (BASE) with the scope headers; sets STATUS, BODY, HEADERS.
front_chat() {
	local p=$1 b=$2
	shift 2
	AUTH="ApiKey $KEY" req POST "$p" "$b" -H "X-External-Org-Id: ${ORG-acme}" \
		-H "X-External-User-Id: ${USR-user-456}" -H "X-External-Roles: ${ROLES-[\"employee\"]}" "$@"
}

# front_doc TITLE CONTENT [ORG]: create a document through the front
# server and wait until it is searchable (embedding completed); prints id.
front_doc() {
	local body id
	body=$(python3 -c 'import json,sys; print(json.dumps({"title": sys.argv[1], "content": sys.argv[2]}))' "$1" "$2")
	req POST /api/v1/documents "$body" -H "X-External-Org-Id: ${3-acme}"
	id=$(json "$BODY" 'j["document"]["id"]')
	wait_for 30 sh -c "curl -s -H 'Authorization: Bearer $KEY' '$BASE/api/v1/documents/$id/embeddings/status' | grep -q '\"status\": *\"completed\"'" \
		|| diag "document $id did not complete"
	printf '%s\n' "$id"
}

HANDBOOK='# Time Off Policies

Full-time employees receive 15 days of paid vacation per year. Vacation days accrue monthly and can be carried over to the next year, up to a maximum of 5 days. Part-time employees receive vacation in proportion to their hours.

# Requesting Time Off

To request time off, submit a request in the HR portal at least two weeks in advance. Your manager approves or declines the request within three business days.'
BENEFITS='# Health Insurance

The company pays 80 percent of health insurance premiums for employees and their families. Dental and vision plans are optional and paid by the employee. To request a new insurance card, contact the benefits team.'
SALARY='# Salary Bands

Engineering salary bands range from 90,000 to 160,000 dollars. The confidential bonus pool is 12 percent of payroll.'
GLOBEX='# Leave

Globex staff receive 30 days of paid vacation per year.'
