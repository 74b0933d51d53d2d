# tests/api/journey-lib.sh: helpers for the tests that cross route
# families (seams.test, journey.test): uploads through each create route,
# a bounded wait for a final state, every face's view of one document, and
# chat through the front server. Source after lib.sh, with KEY, BASE and
# DS (the account's default knowledge base id) set; every wait is bounded.
# SPDX-License-Identifier: GPL-3.0-or-later

# upload ROUTE FILE [ORG [TITLE]]: create a document from FILE through
# ROUTE (json: native JSON with FILE's text as content; native: native
# multipart; chataid; oshara), with X-External-Org-Id ORG when given;
# sets STATUS, BODY and ID (the new document's id, "" when refused).
upload() {
	local route=$1 file=$2 org=${3:-} title=${4:-} out body
	local h=(-H "Authorization: Bearer $KEY")
	[ -n "$org" ] && h+=(-H "X-External-Org-Id: $org")
	case $route in
	json)
		body=$(python3 -c 'import json,sys; print(json.dumps({"title": sys.argv[2] or sys.argv[1].rsplit("/",1)[-1], "content": open(sys.argv[1], encoding="utf-8").read()}))' "$file" "$title")
		out=$(curl -s -m 30 "${h[@]}" -H "Content-Type: application/json" --data-binary "$body" \
			-w '\n%{http_code}' "$BASE/api/v1/documents") ;;
	native)
		out=$(curl -s -m 30 "${h[@]}" -F "file=@$file" ${title:+-F "title=$title"} \
			-w '\n%{http_code}' "$BASE/api/v1/documents") ;;
	chataid)
		out=$(curl -s -m 30 "${h[@]}" -F "files=@$file" -w '\n%{http_code}' \
			"$BASE/external/sources/custom") ;;
	oshara)
		out=$(curl -s -m 30 "${h[@]}" -F "file=@$file" -w '\n%{http_code}' \
			"$BASE/api/knowledge-base/default/documents/") ;;
	esac
	STATUS=${out##*$'\n'}
	BODY=${out%$'\n'*}
	ID=""
	case $route in
	json|native) ID=$(json "$BODY" 'j["document"]["id"]') ;;
	chataid)   # ChatAid answers no id: the newest custom source is ours
		[ "$STATUS" = 200 ] && ID=$(json "$(curl -s -m 10 "${h[@]}" "$BASE/external/sources/custom?pageSize=1")" 'j["data"][0]["id"]') ;;
	oshara)    # the file URL names the document
		ID=$(json "$BODY" 'j["file"]' | sed -n 's|.*/documents/\([0-9a-f-]\{36\}\)/file.*|\1|p') ;;
	esac
	return 0
}

# get PATH: GET through the front server, prints the body.
get() { curl -s -m 10 -H "Authorization: Bearer $KEY" "$BASE$1"; }

# faces ID: one line with the document's status as every face shows it:
# Dify indexing_status, ChatIQ embedding status, ChatAid status (or "-"
# when it is not a custom source), Oshara status (or "-").
faces() {
	local dify emb aid osh
	local dj; dj=$(get "/v1/datasets/$DS/documents/$1")
	dify=$(json "$dj" 'j["indexing_status"]')
	emb=$(json "$(get "/api/v1/documents/$1/embeddings/status")" 'j["status"]')
	aid=$(json "$(get "/external/sources/custom/$1")" 'j["data"]["status"]' || true)
	# Oshara's id is the document's position (a text document has no file link)
	osh=$(json "$(get "/api/knowledge-base/default/documents/")" '[d["status"] for d in j if d["id"] == '"$(json "$dj" 'j["position"]' || echo 0)"'][0]' || true)
	echo "${dify:--} ${emb:--} ${aid:--} ${osh:--}"
}

# final ID: true when every face shows a final state (asked of them all
# once Dify's face is final: one request a poll while the document waits).
final() {
	case "$(json "$(get "/v1/datasets/$DS/documents/$1")" 'j["indexing_status"]')" in
	completed|error) ;;
	*) return 1 ;;
	esac
	case "$(faces "$1")" in
	completed\ completed\ *) return 0 ;;
	error\ failed\ *) return 0 ;;
	esac
	return 1
}

# wait_final ID [SECONDS]: wait (bounded) until final ID; prints the faces.
wait_final() {
	wait_for "${2:-60}" final "$1"
	faces "$1"
}

# chat ORG MESSAGE [DOC_IDS_JSON]: POST /api/ai/chat in ORG; sets STATUS, BODY.
chat() {
	local body
	body=$(python3 -c 'import json,sys; b={"message": sys.argv[1]}; sys.argv[2] and b.update(documentIds=json.loads(sys.argv[2])); print(json.dumps(b))' "$2" "${3:-}")
	req POST /api/ai/chat "$body" -H "X-External-Org-Id: $1" -H "X-External-User-Id: u1" \
		-H 'X-External-Roles: ["employee"]'
}

# cited ID: the citations of the last chat answer that name document ID,
# as "page|section|excerpt" lines.
cited() {
	json "$BODY" '"\n".join("%s|%s|%s" % (c.get("page"), c.get("section"), c["excerpt"]) for c in j["citations"] if c["documentId"] == "'"$1"'")'
}

# ncited ID: how many citations of the last chat answer name document ID.
ncited() { json "$BODY" 'sum(1 for c in j["citations"] if c["documentId"] == "'"$1"'")'; }

# retrieved ID QUERY [ORG]: how many Dify retrieve records are of document ID.
retrieved() {
	req POST "/v1/datasets/$DS/retrieve" "{\"query\": \"$2\", \"retrieval_model\": {\"search_method\": \"hybrid_search\", \"top_k\": 20}}" \
		${3:+-H "X-External-Org-Id: $3"}
	json "$BODY" 'sum(1 for r in j["records"] if r["segment"]["document_id"] == "'"$1"'")'
}
