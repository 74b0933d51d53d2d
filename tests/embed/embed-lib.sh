# tests/embed/embed-lib.sh: helpers for the embedding tests (source after lib.sh).
# SPDX-License-Identifier: GPL-3.0-or-later

# fake_start [DIMS]: the local OpenAI-protocol server on a free port; sets
# FAKE_URL and FAKE_DIR (control.json, count) and points quire.conf at it.
fake_start() {
	FAKE_DIR="$T/fake"
	mkdir -p "$FAKE_DIR"
	FAKE_PORT=$(free_port)
	python3 "$top_srcdir/tests/embed/fake_openai.py" "$FAKE_PORT" "$FAKE_DIR" "${1:-64}" \
		>>"$T/logs/fake.log" 2>&1 &
	PIDS="$PIDS $!"
	FAKE_URL="http://127.0.0.1:$FAKE_PORT/v1"
	wait_for 10 curl -s -o /dev/null -X POST -d '{}' "$FAKE_URL/embeddings" || bail "fake server did not start"
	rm -f "$FAKE_DIR/count" "$FAKE_DIR/requests.jsonl"
	cat >>"$QUIRE_CONF" <<EOF2
embed_backend = openai
embed_base_url = $FAKE_URL
embed_model = fake-embedding
embed_dimensions = ${1:-64}
EOF2
}

# fake_mode MODE [COUNT]: the next COUNT requests (all when omitted) answer MODE.
fake_mode() {
	if [ -n "${2:-}" ]; then
		printf '{"mode": "%s", "count": %s}\n' "$1" "$2" >"$FAKE_DIR/control.json"
	else
		printf '{"mode": "%s"}\n' "$1" >"$FAKE_DIR/control.json"
	fi
}

fake_requests() { cat "$FAKE_DIR/count" 2>/dev/null || echo 0; }

# fake_gate AFTER: let AFTER requests through, then hold every request
# until fake_mode names another mode.
fake_gate() { printf '{"mode": "gate", "after": %s}\n' "$1" >"$FAKE_DIR/control.json"; }

# fake_slow SECONDS: every request answers after SECONDS.
fake_slow() { printf '{"mode": "slow", "delay": %s}\n' "$1" >"$FAKE_DIR/control.json"; }

# fake_log EXPR: a Python expression over r, the list of logged requests
# (fake_openai.py: n, t, mode, authorization, dimensions, inputs).
fake_log() {
	python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; print(eval(sys.argv[2]))' \
		"$FAKE_DIR/requests.jsonl" "$1" 2>/dev/null
}

# call METHOD PATH [BODY]: through the front server when one runs (req),
# else by CGI; sets C_STATUS and C_BODY.
call() {
	if [ -n "${BASE:-}" ]; then
		req "$@"
		C_STATUS=$STATUS C_BODY=$BODY
	else
		cgi "$@"
		C_STATUS=$CGI_STATUS C_BODY=$CGI_BODY
	fi
}

# views ID: the document's status in each face, "dify/display chataid
# oshara chatiq", e.g. "indexing/indexing training PENDING processing".
# KB must hold the account's default knowledge base id.
views() {
	local d c o q
	call GET "/v1/datasets/$KB/documents/$1"
	d=$(json "$C_BODY" 'j["indexing_status"] + "/" + j["display_status"]')
	pos=$(json "$C_BODY" 'j["position"]')   # Oshara's id (a text document has no file link)
	call GET "/external/sources/custom/$1"
	c=$(json "$C_BODY" 'j["data"]["status"]')
	# ChatAid shows only custom sources (docs/api.md): "-" for the others.
	[ "$C_STATUS" = 404 ] && c=-
	call GET "/api/knowledge-base/default/documents/"
	o=$(json "$C_BODY" '[x["status"] for x in j if x["id"] == '"${pos:-0}"'][0]')
	call GET "/api/v1/documents/$1/embeddings/status"
	q=$(json "$C_BODY" 'j["status"]')
	printf '%s %s %s %s\n' "${d:-?}" "${c:-?}" "${o:-?}" "${q:-?}"
}

# job_ids ID: the document's embed job ids, sorted, space-separated.
job_ids() {
	call GET "/api/v1/embeddings/jobs?document_id=$1&limit=100"
	json "$C_BODY" '" ".join(sorted(x["id"] for x in j["jobs"]))'
}

# default_kb ACCOUNT: the id of the account's default knowledge base.
default_kb() { admin kb list --account "$1" | awk -F'\t' '$2 == "default" {print $1}'; }

# long_text N: N paragraphs of ~60 words (several chunks).
long_text() {
	python3 -c 'import json,sys; n=int(sys.argv[1]); print(json.dumps("\n\n".join("Paragraph %d talks about retrieval, vectors and citations. " % i * 6 for i in range(n))))' "$1"
}

# create_doc TITLE N_PARAGRAPHS: create a text document by CGI; prints its id.
create_doc() {
	cgi POST /api/v1/documents "{\"title\": \"$1\", \"content\": $(long_text "$2")}"
	json "$CGI_BODY" 'j["document"]["id"]'
}

# status_of ID: the embedding status JSON of a document (CGI).
status_of() {
	cgi GET "/api/v1/documents/$1/embeddings/status"
	printf '%s' "$CGI_BODY"
}

check_embeddings() { admin check-embeddings; }
