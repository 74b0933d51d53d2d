# tests/install/journey.sh: the short journey an installed Quire must
# pass through a front server (source after lib.sh; needs BASE and KEY):
# create a text document, upload a file (extracted by the installed
# quire-extract and text plugin), ask the chat route and get the created
# document cited. 5 checks. (A multipart upload's document does not take
# the X-External-Org-Id scope today, so chat is asked about the JSON one.)
# SPDX-License-Identifier: GPL-3.0-or-later

journey() {
	local label=$1 doc src i
	req POST /api/v1/documents '{"title": "Maintenance notes", "content": "The heat exchanger is flushed every ninety days with a descaling solution."}' \
		-H "X-External-Org-Id: acme"
	doc=$(json "$BODY" 'j["document"]["id"]')
	is "$STATUS" 201 "$label: a text document is created"
	printf 'Employees get thirty days of vacation each year.\n' >"$T/notes.txt"
	req POST /api/v1/documents "" -F "file=@$T/notes.txt" -F "title=Vacation" \
		-H "X-External-Org-Id: acme"
	src=$(json "$BODY" 'j["document"]["id"]')
	[ -n "$src" ] || src=no-document-id
	is "$STATUS" 201 "$label: a file is uploaded"
	for i in $(seq 1 150); do
		curl -s -H "Authorization: Bearer $KEY" "$BASE/api/v1/documents/$doc/embeddings/status" |
			grep -q '"status": *"completed"' && break
		sleep 0.2
	done
	for i in $(seq 1 150); do
		req GET "/api/v1/documents/$src"
		json "$BODY" 'j["document"]["content"]' | grep -q . && break
		sleep 0.2
	done
	like "$(json "$BODY" 'j["document"]["content"]')" '^Employees get thirty days of vacation each year' \
		"$label: the installed quire-extract and text plugin extracted the file"
	AUTH="ApiKey $KEY" req POST /api/ai/chat '{"message": "When is the heat exchanger flushed?"}' \
		-H "X-External-Org-Id: acme" -H "X-External-User-Id: user-456" -H 'X-External-Roles: ["employee"]'
	is "$STATUS" 200 "$label: the chat route answers"
	like "$(json "$BODY" '[c["documentId"] for c in j["citations"]]')" "${doc:-no-document-id}" "$label: the answer cites the document"
}
