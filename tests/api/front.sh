# tests/api/front.sh: the documents API through a real front server, shared
# by lighttpd.test, apache.test and nginx.test. Source after tests/lib.sh; then
# front_main SERVER (lighttpd, apache or nginx): quired with two workers and the
# server on a free loopback port with its shipped etc/ configuration, every
# documents endpoint driven with curl through both mounts (/api/v1/... and
# /cgi-bin/quire.fcgi/api/v1/...), each with an error case.
# SPDX-License-Identifier: GPL-3.0-or-later

FRONT_PER_MOUNT=26
FRONT_ONCE=4
front_plan() { plan $((2 * FRONT_PER_MOUNT + FRONT_ONCE)); }

code() { json "$BODY" 'j["error"]["code"]'; }
field() { json "$BODY" 'j["error"].get("field")'; }
doc() { json "$BODY" "j[\"document\"][\"$1\"]"; }

# front_mount PREFIX LABEL: the endpoints under one mount.
front_mount() {
	local p=$1 l=$2 id id2 created
	# create
	req POST "$p/api/v1/documents" '{"title": "Via front", "content": "served through the front server", "tags": ["front", "x"]}'
	is "$STATUS" 201 "$l: create answers 201"
	like "$HEADERS" '(^|[[:space:]])Content-Type: application/json' "$l: create answers JSON"
	created=$BODY
	id=$(doc id)
	like "$id" "$uuid" "$l: the id is a UUID"
	is "$(json "$created" 'sorted(j["document"].keys())')/$(json "$created" '[j["document"]["title"], j["document"]["tags"], j["document"]["is_global"], j["document"]["canonical_url"]]')" \
		"$seed_keys/['Via front', ['front', 'x'], True, None]" "$l: create answers the seed's fields and values"
	like "$(json "$created" 'j["document"]["created_at"]')" "$iso" "$l: created_at is ISO 8601 UTC"
	req POST "$p/api/v1/documents" '{"title": ""}'
	is "$STATUS/$(code)/$(field)" "400/VALIDATION_ERROR/title" "$l: create error names the field"
	req POST "$p/api/v1/documents" "" -H "Content-Type: text/plain" --data-binary '{"title": "t", "content": "x"}'
	is "$STATUS/$(code)" "415/UNSUPPORTED_MEDIA_TYPE" "$l: a wrong content type is 415"
	# get
	req GET "$p/api/v1/documents/$id"
	is "$STATUS/$(doc content)/$(doc title)" "200/served through the front server/Via front" "$l: get answers the content"
	req GET "$p/api/v1/documents/00000000-0000-4000-8000-000000000000"
	is "$STATUS/$(code)" "404/NOT_FOUND" "$l: get error: a missing id is 404"
	# update
	req PUT "$p/api/v1/documents/$id" '{"tags": ["y"]}'
	is "$STATUS/$(doc tags)/$(doc title)/$(doc content)" "200/['y']/Via front/served through the front server" \
		"$l: update changes only the fields present"
	req PUT "$p/api/v1/documents/$id" '{"tags": "y"}'
	is "$STATUS/$(code)/$(field)" "400/VALIDATION_ERROR/tags" "$l: update error names the field"
	req PATCH "$p/api/v1/documents/$id" '{"tags": ["z"]}'
	is "$STATUS/$(code)" "405/METHOD_NOT_ALLOWED" "$l: PATCH is 405"
	# list
	req POST "$p/api/v1/documents" '{"title": "Second", "content": "two"}'
	id2=$(doc id)
	req GET "$p/api/v1/documents?limit=1&offset=1"
	is "$STATUS/$(json "$BODY" '[d["id"] for d in j["documents"]]')/$(json "$BODY" '[j["pagination"]["limit"], j["pagination"]["offset"]]')" \
		"200/['$id']/[1, 1]" "$l: list pages newest first (query string passed through)"
	req GET "$p/api/v1/documents"
	is "$(json "$BODY" '[d["id"] for d in j["documents"]][:2]')/$(json "$BODY" 'j["pagination"]["total"] == len(j["documents"])')" \
		"['$id2', '$id']/True" "$l: list counts what it shows"
	req GET "$p/api/v1/documents?limit=0"
	is "$STATUS/$(code)/$(field)" "400/VALIDATION_ERROR/limit" "$l: list error names limit"
	# delete
	req DELETE "$p/api/v1/documents/$id"
	is "$STATUS $BODY" '200 {"success":true}' "$l: delete answers {\"success\":true}"
	req DELETE "$p/api/v1/documents/$id"
	is "$STATUS/$(code)" "404/NOT_FOUND" "$l: delete error: deleting again is 404"
	req GET "$p/api/v1/documents/$id"
	is "$STATUS" 404 "$l: the deleted document is gone"
	req DELETE "$p/api/v1/documents/$id2"
	# keys and headers reach Quire
	local missing
	missing=$(curl -s -m 20 "$BASE$p/api/v1/documents" -w ' %{http_code}')
	like "$missing" '^\{"error":\{"code":"UNAUTHORIZED".* 401$' "$l: no Authorization header is 401"
	is "$(curl -s -m 20 -H "Authorization: Bearer sk_live_$(printf '%072d' 0)" "$BASE$p/api/v1/documents" -w ' %{http_code}')" \
		"$missing" "$l: an unknown key gets the same 401 body"
	AUTH="ApiKey $KEY" req GET "$p/api/v1/documents"
	is "$STATUS" 200 "$l: Authorization: ApiKey KEY reaches Quire"
	AUTH="$KEY" req GET "$p/api/v1/documents"
	is "$STATUS" 200 "$l: Authorization: KEY (bare) reaches Quire"
	local idem="idem-$RANDOM-${#p}"
	req POST "$p/api/v1/documents" '{"title": "Once", "content": "once"}' -H "Idempotency-Key: $idem"
	local first="$STATUS $(doc id)"
	req POST "$p/api/v1/documents" '{"title": "Once", "content": "once"}' -H "Idempotency-Key: $idem"
	is "$first/$STATUS $(doc id)" "201 ${first#* }/200 ${first#* }" "$l: Idempotency-Key reaches Quire (replay, same id)"
	req DELETE "$p/api/v1/documents/${first#* }"
	# bodies: large ones pass, ones over max_json_size are Quire's 413
	python3 -c 'import json; print(json.dumps({"title": "Big", "content": "lorem ipsum " * 20000}))' >"$T/big.json"
	req POST "$p/api/v1/documents" "" -H "Content-Type: application/json" --data-binary "@$T/big.json"
	local big; big=$(doc id)
	req GET "$p/api/v1/documents/$big"
	is "$STATUS/$(printf '%s' "$BODY" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["document"]["content"]))')" \
		"200/240000" "$l: a 240 kB body arrives whole"
	req DELETE "$p/api/v1/documents/$big"
	python3 -c 'import json; print(json.dumps({"title": "Too big", "content": "x" * 400000}))' >"$T/big.json"
	req POST "$p/api/v1/documents" "" -H "Content-Type: application/json" --data-binary "@$T/big.json"
	is "$STATUS/$(code)" "413/PAYLOAD_TOO_LARGE" "$l: a body over max_json_size is Quire's 413"
	req GET "$p/api/v1/nowhere"
	is "$STATUS/$(code)" "404/NOT_FOUND" "$l: an unknown route is 404 in the native shape"
}

# front_main SERVER
front_main() {
	local server=$1 bin
	case $server in
	lighttpd) bin=${LIGHTTPD:-}; [ -x "$bin" ] || bin=$(command -v lighttpd || echo /usr/sbin/lighttpd) ;;
	apache) bin=${APACHE2:-}; [ -x "$bin" ] || bin=$(command -v apache2 || echo /usr/sbin/apache2) ;;
	nginx) bin=${NGINX:-}; [ -x "$bin" ] || bin=$(command -v nginx || echo /usr/sbin/nginx) ;;
	esac
	[ -x "$bin" ] || skip_all "$server is not installed"
	uuid='^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
	iso='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
	seed_keys="['canonical_url', 'created_at', 'id', 'is_global', 'tags', 'title']"
	front_plan
	quire_setup 2
	echo "max_json_size = 300K" >>"$QUIRE_CONF"
	quired_start
	KEY=$(new_key acme)
	OTHER=$(new_key globex)
	[ -n "$KEY" ] && [ -n "$OTHER" ] || bail "quire-admin key create failed"
	"${server}_start"

	front_mount "" "$server at /"
	front_mount "/cgi-bin/quire.fcgi" "$server at /cgi-bin/quire.fcgi/"

	# Both mounts are one service; tenancy holds through the server.
	req POST /api/v1/documents '{"title": "Shared", "content": "one store"}'
	local id; id=$(doc id)
	req GET "/cgi-bin/quire.fcgi/api/v1/documents/$id"
	is "$STATUS/$(doc title)" "200/Shared" "$server: a document created at / is read at /cgi-bin/quire.fcgi/"
	KEY=$OTHER req GET "/api/v1/documents/$id"; local other="$STATUS $BODY"
	KEY=$OTHER req GET /api/v1/documents/00000000-0000-4000-8000-000000000000
	is "$other" "$STATUS $BODY" "$server: another account's id answers exactly like a missing one"
	req GET /health
	is "$STATUS" 200 "$server: health"
	# Revoked while quired runs: refused within the workers' key-cache TTL.
	admin key revoke "$(key_id "$KEY")" >/dev/null 2>&1
	wait_for 10 sh -c "curl -s -m 5 -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $KEY' '$BASE/api/v1/documents' | grep -qx 401"
	ok $? "$server: a key revoked under a running quired is refused (401)"
}
