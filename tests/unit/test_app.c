/* test_app.c: app_handle end to end over a store in a scratch directory,
 * with keys made by quire-admin's own admin_run: the native documents API,
 * authentication and scopes, and errors in each family's shape. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/admin.h"
#include "api/api.h"
#include "unit.h"
#include "base/util.h"

#include <string.h>
#include <time.h>

static char dir[PATH_MAX];
static struct store *s;
static struct qconf conf;
static struct app app;
static char key_rw[AUTH_KEY_LEN + 1], key_ro[AUTH_KEY_LEN + 1], key_other[AUTH_KEY_LEN + 1];
static char key_revoked[AUTH_KEY_LEN + 1];

/* ---- admin_run ---------------------------------------------------------- */

/* Run quire-admin words; stdout into out (may be NULL). The exit status. */
static int admin(char *out, size_t outlen, int argc, char **argv)
{
	char *o = NULL, *e = NULL;
	size_t on = 0, en = 0;
	FILE *fo = open_memstream(&o, &on), *fe = open_memstream(&e, &en);
	if (!fo || !fe)
		bail_out("open_memstream");
	int rc = admin_run(s, &conf, 0, argc, argv, fo, fe);
	fclose(fo);
	fclose(fe);
	if (out)
		snprintf(out, outlen, "%s", o);
	if (rc)
		diag("quire-admin %s %s: %d: %s", argv[0], argc > 1 ? argv[1] : "", rc, e);
	free(o);
	free(e);
	return rc;
}

static void make_key(char *key, const char *account, const char *scopes)
{
	char out[256];
	char *argv[] = {"key", "create", "--account", (char *)account, "--scopes",
			(char *)scopes, "--name", "unit test"};
	if (admin(out, sizeof out, 8, argv) != 0)
		bail_out("key create failed");
	out[strcspn(out, "\n")] = '\0';
	snprintf(key, AUTH_KEY_LEN + 1, "%s", out);
}

/* ---- requests ------------------------------------------------------------ */

struct call {
	const char *vars[16][2];
	int nvars;
	const char *body;
	size_t pos;
	char path_buf[1024];
	char auth_buf[128];
	char len_buf[32];
};

static const char *call_param(void *ctx, const char *name)
{
	struct call *c = ctx;
	for (int i = 0; i < c->nvars; i++)
		if (!strcmp(c->vars[i][0], name))
			return c->vars[i][1];
	return NULL;
}

static ssize_t call_read(void *ctx, void *buf, size_t n)
{
	struct call *c = ctx;
	size_t left = c->body ? strlen(c->body) - c->pos : 0;
	if (n > left)
		n = left;
	memcpy(buf, c->body + c->pos, n);
	c->pos += n;
	return (ssize_t)n;
}

static void set(struct call *c, const char *name, const char *value)
{
	if (c->nvars == 16)
		bail_out("too many variables");
	c->vars[c->nvars][0] = name;
	c->vars[c->nvars][1] = value;
	c->nvars++;
}

struct result {
	int status;
	json_t *body;           /* parsed (new), NULL when not JSON */
	char text[4096];        /* the raw body */
	char headers[1024];
	int ningest;
};

static void result_free(struct result *r)
{
	json_decref(r->body);
	r->body = NULL;
}

/* Serve the request c describes into r (release with result_free). */
static void serve_call(struct call *c, struct result *r)
{
	struct qreq req;
	struct qresp resp;
	memset(&req, 0, sizeof req);
	req.param = call_param;
	req.read = call_read;
	req.ctx = c;
	qresp_init(&resp);
	app_handle(&app, &req, &resp);
	r->status = resp.status;
	snprintf(r->text, sizeof r->text, "%s", resp.body.data ? resp.body.data : "");
	snprintf(r->headers, sizeof r->headers, "%s", resp.headers.data ? resp.headers.data : "");
	r->body = json_loads(r->text, 0, NULL);
	r->ningest = resp.ningest;
	qresp_free(&resp);
}

/* A request through PATH_INFO; key NULL or "" sends no Authorization;
 * a body is sent as application/json. */
static const char *req_content_type;   /* set: the body's type instead of JSON */

static void request(const char *method, const char *path, const char *key, const char *body,
		    struct result *r)
{
	struct call c;
	memset(&c, 0, sizeof c);
	set(&c, "REQUEST_METHOD", method);
	const char *q = strchr(path, '?');
	snprintf(c.path_buf, sizeof c.path_buf, "%.*s", (int)(q ? q - path : (long)strlen(path)),
		 path);
	set(&c, "PATH_INFO", c.path_buf);
	set(&c, "SCRIPT_NAME", "/cgi-bin/quire.fcgi");
	set(&c, "QUERY_STRING", q ? q + 1 : "");
	set(&c, "HTTP_HOST", "kb.example");
	if (key && *key) {
		snprintf(c.auth_buf, sizeof c.auth_buf, "Bearer %s", key);
		set(&c, "HTTP_AUTHORIZATION", c.auth_buf);
	}
	if (body) {
		c.body = body;
		snprintf(c.len_buf, sizeof c.len_buf, "%zu", strlen(body));
		set(&c, "CONTENT_LENGTH", c.len_buf);
		set(&c, "CONTENT_TYPE", req_content_type ? req_content_type : "application/json");
	}
	serve_call(&c, r);
}

static const char *jstr(json_t *j, const char *path1, const char *path2)
{
	json_t *v = json_object_get(j, path1);
	if (path2)
		v = json_object_get(v, path2);
	return json_string_value(v);
}

/* ---- tests -------------------------------------------------------------- */

static void test_health(void)
{
	struct result r;
	request("GET", "/health", NULL, NULL, &r);
	is_int(r.status, 200, "health: 200 without a key");
	is_str(jstr(r.body, "status", NULL), "ok", "health: status ok");
	result_free(&r);
	request("POST", "/health", NULL, NULL, &r);
	is_int(r.status, 405, "health: POST is 405");
	is_str(jstr(r.body, "error", "code"), "METHOD_NOT_ALLOWED", "health: native 405 shape");
	result_free(&r);
	request("GET", "/no/such/thing", NULL, NULL, &r);
	is_int(r.status, 404, "route: unknown path is 404");
	is_str(jstr(r.body, "error", "code"), "NOT_FOUND", "route: native 404 shape");
	result_free(&r);
}

static void test_auth(void)
{
	struct result none, unknown, malformed, revoked, bare;
	char fake[AUTH_KEY_LEN + 1], hash[AUTH_HASH_HEX];
	struct qerr err;
	const char *body = "{\"title\":\"t\",\"content\":\"c\"}";

	auth_key_new(fake, hash, &err);
	request("POST", "/api/v1/documents", NULL, body, &none);
	request("POST", "/api/v1/documents", fake, body, &unknown);
	request("POST", "/api/v1/documents", "sk_live_nonsense", body, &malformed);
	request("POST", "/api/v1/documents", key_revoked, body, &revoked);
	is_int(none.status, 401, "auth: no key is 401");
	is_int(unknown.status, 401, "auth: unknown key is 401");
	is_int(malformed.status, 401, "auth: malformed key is 401");
	is_int(revoked.status, 401, "auth: revoked key is 401");
	ok(!strcmp(none.text, unknown.text) && !strcmp(unknown.text, malformed.text) &&
	   !strcmp(malformed.text, revoked.text), "auth: the four 401 bodies are identical");
	is_str(jstr(none.body, "error", "code"), "UNAUTHORIZED", "auth: UNAUTHORIZED");
	ok(strstr(none.headers, "WWW-Authenticate: Bearer") != NULL, "auth: WWW-Authenticate");
	ok(strstr(revoked.headers, "WWW-Authenticate: Bearer") != NULL,
	   "auth: WWW-Authenticate for a revoked key too");
	result_free(&none);
	result_free(&unknown);
	result_free(&malformed);
	result_free(&revoked);

	/* Other header forms. */
	struct call c;
	memset(&c, 0, sizeof c);
	set(&c, "REQUEST_METHOD", "GET");
	set(&c, "PATH_INFO", "/api/v1/documents");
	snprintf(c.auth_buf, sizeof c.auth_buf, "ApiKey %s", key_rw);
	set(&c, "HTTP_AUTHORIZATION", c.auth_buf);
	serve_call(&c, &bare);
	is_int(bare.status, 200, "auth: 'ApiKey KEY' works");
	result_free(&bare);
	memset(&c, 0, sizeof c);
	set(&c, "REQUEST_METHOD", "GET");
	set(&c, "PATH_INFO", "/api/v1/documents");
	set(&c, "HTTP_X_API_KEY", key_rw);
	serve_call(&c, &bare);
	is_int(bare.status, 200, "auth: X-API-Key works");
	result_free(&bare);
	memset(&c, 0, sizeof c);
	set(&c, "REQUEST_METHOD", "GET");
	set(&c, "REQUEST_URI", "/cgi-bin/quire.fcgi/api/v1/documents?limit=1");
	set(&c, "QUERY_STRING", "limit=1");
	set(&c, "HTTP_AUTHORIZATION", key_rw);
	serve_call(&c, &bare);
	is_int(bare.status, 200, "auth: a bare key, routed by REQUEST_URI");
	result_free(&bare);

	/* Keys in URLs are refused outright, valid or not. */
	char path[256];
	struct result q;
	snprintf(path, sizeof path, "/api/v1/documents?api_key=%s", key_rw);
	request("GET", path, NULL, NULL, &q);
	is_int(q.status, 400, "auth: ?api_key= is 400");
	is_str(jstr(q.body, "error", "field"), "api_key", "auth: ... naming api_key");
	result_free(&q);
	request("GET", path, key_rw, NULL, &q);
	is_int(q.status, 400, "auth: ?api_key= is 400 even beside a good header");
	result_free(&q);
	request("GET", "/api/v1/documents?apiKey=x", key_rw, NULL, &q);
	is_int(q.status, 400, "auth: ?apiKey= is 400");
	result_free(&q);

	/* Scopes. */
	request("POST", "/api/v1/documents", key_ro, body, &q);
	is_int(q.status, 403, "scope: a read-only key cannot POST");
	is_str(jstr(q.body, "error", "code"), "FORBIDDEN", "scope: FORBIDDEN");
	ok(strstr(jstr(q.body, "error", "message") ?: "", "write") != NULL,
	   "scope: the message names the write scope");
	result_free(&q);
	request("GET", "/api/v1/documents", key_ro, NULL, &q);
	is_int(q.status, 200, "scope: a read-only key can list");
	result_free(&q);

	/* Families render their own 401. */
	request("GET", "/external/sources/custom", NULL, NULL, &q);
	ok(q.status == 401 && json_is_false(json_object_get(q.body, "ok")),
	   "family: custom 401 is {ok:false}");
	result_free(&q);
	request("GET", "/v1/datasets/x/documents/y", NULL, NULL, &q);
	ok(q.status == 401 && json_integer_value(json_object_get(q.body, "status")) == 401 &&
	   !strcmp(jstr(q.body, "code", NULL) ?: "", "unauthorized"), "family: Dify 401 shape");
	result_free(&q);
	request("GET", "/api/knowledge-base/default/documents", NULL, NULL, &q);
	ok(q.status == 401 && jstr(q.body, "detail", NULL), "family: slug 401 is {detail}");
	result_free(&q);
}

/* The worker's key cache: a hit needs the whole key, and a revocation is
 * seen once the cached entry has lived APP_KEY_CACHE_TTL_MS. */
static void test_key_cache(void)
{
	struct result r;
	char near[AUTH_KEY_LEN + 1], late[AUTH_KEY_LEN + 1];

	request("GET", "/api/v1/documents", key_rw, NULL, &r);
	is_int(r.status, 200, "key cache: a key is accepted (and now cached)");
	result_free(&r);
	/* Bytes outside the 16 that choose the slot, so the cached entry is
	 * the one compared: a secret digit, then a checksum digit. */
	const int pos[] = {40, AUTH_KEY_LEN - 1};
	for (int i = 0; i < 2; i++) {
		memcpy(near, key_rw, sizeof near);
		near[pos[i]] = near[pos[i]] == '0' ? '1' : '0';
		request("GET", "/api/v1/documents", near, NULL, &r);
		is_int(r.status, 401, "key cache: a key one byte (%d) from a cached key is refused",
		       pos[i]);
		result_free(&r);
	}
	request("GET", "/api/v1/documents", key_rw, NULL, &r);
	is_int(r.status, 200, "key cache: the cached key still works after the near misses");
	result_free(&r);

	make_key(late, "acme", "read");
	request("GET", "/api/v1/documents", late, NULL, &r);
	is_int(r.status, 200, "key cache: a new key is accepted (and now cached)");
	result_free(&r);
	char key_id[13], late_hash[AUTH_HASH_HEX];
	auth_key_hash(late, late_hash);
	auth_key_id(late_hash, key_id);
	char *revoke[] = {"key", "revoke", key_id};
	is_int(admin(NULL, 0, 3, revoke), 0, "key cache: the cached key is revoked");
	struct timespec ts = {0, (APP_KEY_CACHE_TTL_MS + 100) * 1000000L};
	while (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	nanosleep(&ts, NULL);
	request("GET", "/api/v1/documents", late, NULL, &r);
	is_int(r.status, 401, "key cache: a revoked key is refused once the TTL has passed");
	result_free(&r);
}

static void test_documents(void)
{
	struct result r;
	char id[64], path[128];

	/* Create. */
	request("POST", "/api/v1/documents", key_rw,
		"{\"title\":\"Handbook\",\"content\":\"Welcome to the team.\","
		"\"tags\":[\"hr\",\"onboarding\"],\"canonical_url\":\"https://example.com/h\"}",
		&r);
	is_int(r.status, 201, "create: 201");
	snprintf(id, sizeof id, "%s", jstr(r.body, "document", "id") ?: "");
	ok(q_uuid_valid(id), "create: document.id is a UUID");
	is_str(jstr(r.body, "document", "title"), "Handbook", "create: title");
	is_int(json_array_size(json_object_get(json_object_get(r.body, "document"), "tags")), 2,
	       "create: tags");
	ok(jstr(r.body, "document", "created_at") &&
	   strlen(jstr(r.body, "document", "created_at")) == 20, "create: created_at ISO 8601");
	ok(json_object_get(json_object_get(r.body, "document"), "content") == NULL,
	   "create: no content in the answer");
	is_int(r.ningest, 1, "create: ingestion queued after the response");
	result_free(&r);

	/* Validation. */
	struct {
		const char *body, *field;
	} bad[] = {
		{"{\"content\":\"c\"}", "title"},
		{"{\"title\":\"t\"}", "content"},
		{"{\"title\":\"   \",\"content\":\"c\"}", "title"},
		{"{\"title\":5,\"content\":\"c\"}", "title"},
		{"{\"title\":\"t\",\"content\":\"\"}", "content"},
		{"{\"title\":\"t\",\"content\":\"c\",\"tags\":\"x\"}", "tags"},
		{"{\"title\":\"t\",\"content\":\"c\",\"tags\":[1]}", "tags"},
		{"{\"title\":\"t\",\"content\":\"c\",\"canonical_url\":3}", "canonical_url"},
		{"{\"title\":\"t\",\"content\":\"c\",\"colour\":\"red\"}", "colour"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		request("POST", "/api/v1/documents", key_rw, bad[i].body, &r);
		is_int(r.status, 400, "create: %s is 400", bad[i].body);
		is_str(jstr(r.body, "error", "field"), bad[i].field, "create: ... field %s",
		       bad[i].field);
		result_free(&r);
	}
	request("POST", "/api/v1/documents", key_rw, "{\"title\":\"t\",", &r);
	ok(r.status == 400 && !strcmp(jstr(r.body, "error", "code") ?: "", "VALIDATION_ERROR"),
	   "create: invalid JSON is 400");
	result_free(&r);
	request("POST", "/api/v1/documents", key_rw, "[]", &r);
	is_int(r.status, 400, "create: a JSON array is 400");
	result_free(&r);

	struct call c;
	memset(&c, 0, sizeof c);
	set(&c, "REQUEST_METHOD", "POST");
	set(&c, "PATH_INFO", "/api/v1/documents");
	snprintf(c.auth_buf, sizeof c.auth_buf, "Bearer %s", key_rw);
	set(&c, "HTTP_AUTHORIZATION", c.auth_buf);
	set(&c, "CONTENT_TYPE", "text/plain");
	c.body = "{\"title\":\"t\",\"content\":\"c\"}";
	serve_call(&c, &r);
	is_int(r.status, 415, "create: text/plain is 415");
	is_str(jstr(r.body, "error", "code"), "UNSUPPORTED_MEDIA_TYPE", "create: ... its code");
	result_free(&r);

	/* Read. */
	snprintf(path, sizeof path, "/api/v1/documents/%s", id);
	request("GET", path, key_rw, NULL, &r);
	is_int(r.status, 200, "get: 200");
	is_str(jstr(r.body, "document", "content"), "Welcome to the team.", "get: content");
	is_str(jstr(r.body, "document", "canonical_url"), "https://example.com/h",
	       "get: canonical_url");
	result_free(&r);

	struct result theirs, missing, garbage;
	char fake[37], fpath[128];
	q_uuid_new(fake);
	snprintf(fpath, sizeof fpath, "/api/v1/documents/%s", fake);
	request("GET", path, key_other, NULL, &theirs);
	request("GET", fpath, key_rw, NULL, &missing);
	request("GET", "/api/v1/documents/not-a-uuid", key_rw, NULL, &garbage);
	is_int(theirs.status, 404, "get: another account's document is 404");
	is_int(missing.status, 404, "get: a missing document is 404");
	is_int(garbage.status, 404, "get: a malformed id is 404");
	ok(!strcmp(theirs.text, missing.text) && !strcmp(missing.text, garbage.text),
	   "get: the three 404 bodies are identical");
	result_free(&theirs);
	result_free(&missing);
	result_free(&garbage);

	/* Update. */
	request("PUT", path, key_rw, "{\"title\":\"Handbook v2\"}", &r);
	is_int(r.status, 200, "update: title");
	is_str(jstr(r.body, "document", "title"), "Handbook v2", "update: new title");
	is_str(jstr(r.body, "document", "content"), "Welcome to the team.",
	       "update: content unchanged");
	is_int(json_array_size(json_object_get(json_object_get(r.body, "document"), "tags")), 2,
	       "update: tags unchanged");
	is_int(r.ningest, 0, "update: a title change queues no ingestion");
	result_free(&r);
	request("PUT", path, key_rw, "{\"content\":\"Welcome aboard.\",\"tags\":[]}", &r);
	is_int(r.status, 200, "update: content");
	is_str(jstr(r.body, "document", "content"), "Welcome aboard.", "update: new content");
	is_int(json_array_size(json_object_get(json_object_get(r.body, "document"), "tags")), 0,
	       "update: tags emptied");
	is_int(r.ningest, 1, "update: a content change queues ingestion");
	result_free(&r);
	request("PUT", path, key_rw, "{\"title\":\"\"}", &r);
	is_int(r.status, 400, "update: empty title is 400");
	result_free(&r);
	request("PUT", path, key_other, "{\"title\":\"mine now\"}", &r);
	is_int(r.status, 404, "update: another account's document is 404");
	result_free(&r);
	request("PUT", path, key_ro, "{\"title\":\"ro\"}", &r);
	is_int(r.status, 403, "update: a read-only key is 403");
	result_free(&r);

	/* List. */
	for (int i = 0; i < 3; i++) {
		char body[96];
		snprintf(body, sizeof body, "{\"title\":\"Extra %d\",\"content\":\"x\"}", i);
		request("POST", "/api/v1/documents", key_rw, body, &r);
		result_free(&r);
	}
	request("GET", "/api/v1/documents?limit=2&offset=1", key_rw, NULL, &r);
	is_int(r.status, 200, "list: 200");
	json_t *docs = json_object_get(r.body, "documents"), *pg = json_object_get(r.body, "pagination");
	is_int(json_array_size(docs), 2, "list: limit 2");
	is_str(jstr(json_array_get(docs, 0), "title", NULL), "Extra 1", "list: newest first, offset 1");
	is_int(json_integer_value(json_object_get(pg, "total")), 4, "list: total");
	is_int(json_integer_value(json_object_get(pg, "limit")), 2, "list: limit echoed");
	is_int(json_integer_value(json_object_get(pg, "offset")), 1, "list: offset echoed");
	result_free(&r);
	request("GET", "/api/v1/documents", key_other, NULL, &r);
	is_int(json_integer_value(json_object_get(json_object_get(r.body, "pagination"), "total")),
	       0, "list: another account sees none");
	result_free(&r);
	static const char *badq[] = {"limit=0", "limit=abc", "limit=1001", "offset=-1",
				     "limit=%zz"};
	for (size_t i = 0; i < sizeof badq / sizeof *badq; i++) {
		char p[128];
		snprintf(p, sizeof p, "/api/v1/documents?%s", badq[i]);
		request("GET", p, key_rw, NULL, &r);
		is_int(r.status, 400, "list: ?%s is 400", badq[i]);
		ok(jstr(r.body, "error", "field") &&
		   !strncmp(badq[i], jstr(r.body, "error", "field"), 5),
		   "list: ... naming the parameter");
		result_free(&r);
	}

	/* Idempotency. */
	struct call ic;
	struct result r1, r2;
	for (int i = 0; i < 2; i++) {
		memset(&ic, 0, sizeof ic);
		set(&ic, "REQUEST_METHOD", "POST");
		set(&ic, "PATH_INFO", "/api/v1/documents");
		snprintf(ic.auth_buf, sizeof ic.auth_buf, "Bearer %s", key_rw);
		set(&ic, "HTTP_AUTHORIZATION", ic.auth_buf);
		set(&ic, "CONTENT_TYPE", "application/json");
		set(&ic, "HTTP_IDEMPOTENCY_KEY", "req-42");
		ic.body = "{\"title\":\"Once\",\"content\":\"only once\"}";
		serve_call(&ic, i ? &r2 : &r1);
	}
	is_int(r1.status, 201, "idempotency: first is 201");
	is_int(r2.status, 200, "idempotency: replay is 200");
	ok(jstr(r1.body, "document", "id") &&
	   !strcmp(jstr(r1.body, "document", "id"), jstr(r2.body, "document", "id") ?: ""),
	   "idempotency: the same document");
	is_int(r2.ningest, 0, "idempotency: a replay queues nothing");
	result_free(&r1);
	result_free(&r2);

	/* Delete. */
	request("DELETE", path, key_other, NULL, &r);
	is_int(r.status, 404, "delete: another account's document is 404");
	result_free(&r);
	request("DELETE", path, key_ro, NULL, &r);
	is_int(r.status, 403, "delete: a read-only key is 403");
	result_free(&r);
	request("DELETE", path, key_rw, NULL, &r);
	is_int(r.status, 200, "delete: 200");
	ok(json_is_true(json_object_get(r.body, "success")), "delete: {success:true}");
	result_free(&r);
	request("GET", path, key_rw, NULL, &r);
	is_int(r.status, 404, "delete: then GET is 404");
	result_free(&r);
	request("DELETE", path, key_rw, NULL, &r);
	is_int(r.status, 404, "delete: twice is 404");
	result_free(&r);
	request("PATCH", path, key_rw, NULL, &r);
	is_int(r.status, 405, "delete: PATCH is 405");
	result_free(&r);

	size_t problems = 99;
	struct qerr err;
	store_check_indexes(s, &problems, &err);
	is_int(problems, 0, "indexes agree after the API calls");
}

/* GET /api/v1/documents/:id is written from the stored record's text
 * without a parse: it must be what jansson would write, field for field
 * and byte for byte, for text that needs every kind of escape. */
static void test_document_text(void)
{
	const char *body =
		"{\"title\": \"T \\\"quoted\\\" \xc3\xa9\", \"tags\": [\"a\", \"b/c\"],"
		" \"canonical_url\": \"https://x.example/a?b=1&c=<d>\","
		" \"content\": \"line1\\nline2\\t\\\"q\\\" \\\\ / \\u0001\\u001f\\u007f \xc3\xa9 "
		"\xf0\x9f\x98\x80 \xe2\x80\xa8 end\"}";
	struct result c, g, other;
	char path[128];
	request("POST", "/api/v1/documents", key_rw, body, &c);
	is_int(c.status, 201, "get text: create");
	json_t *doc = json_object_get(c.body, "document");
	snprintf(path, sizeof path, "/api/v1/documents/%s",
		 json_string_value(json_object_get(doc, "id")) ?: "");
	request("GET", path, key_rw, NULL, &g);
	is_int(g.status, 200, "get text: read back");
	json_t *sent = json_loads(body, 0, NULL), *got = json_object_get(g.body, "document");
	const char *fields[] = {"title", "tags", "canonical_url", "content"};
	for (int i = 0; i < 4; i++)
		ok(json_equal(json_object_get(sent, fields[i]), json_object_get(got, fields[i])),
		   "get text: %s as sent", fields[i]);
	ok(json_equal(json_object_get(doc, "id"), json_object_get(got, "id")) &&
	   json_equal(json_object_get(doc, "created_at"), json_object_get(got, "created_at")) &&
	   json_equal(json_object_get(doc, "is_global"), json_object_get(got, "is_global")) &&
	   json_is_true(json_object_get(got, "is_global")),   /* no org: account-wide */
	   "get text: id, created_at and is_global as at creation");
	char *canon = json_dumps(g.body, JSON_COMPACT);
	is_str(g.text, canon ? canon : "", "get text: byte for byte what json_dumps writes");
	ok(strstr(g.headers, "Content-Type: application/json; charset=utf-8\r\n") != NULL,
	   "get text: JSON content type");
	free(canon);
	request("GET", path, key_other, NULL, &other);
	is_int(other.status, 404, "get text: another account's document is not found");
	json_decref(sent);
	result_free(&c);
	result_free(&g);
	result_free(&other);
}

/* ChatAid's lastTrainingAttemptedAt (training asked for) and
 * lastTrainingStartedAt (it began) record different events: a new source
 * whose ingestion has not run yet (nothing runs it here) has the first
 * and not the second. */
static void test_training_times(void)
{
	const char *body = "--XyZ\r\nContent-Disposition: form-data; name=\"files\"; "
			   "filename=\"note.txt\"\r\nContent-Type: text/plain\r\n\r\n"
			   "The turbine hall is cleaned on Mondays.\r\n--XyZ--\r\n";
	struct result r, g;
	req_content_type = "multipart/form-data; boundary=XyZ";
	request("POST", "/external/sources/custom", key_rw, body, &r);
	req_content_type = NULL;
	is_int(r.status, 200, "ChatAid upload");
	is_int(r.ningest, 1, "... its ingestion left for after the answer");
	request("GET", "/external/sources/custom?pageSize=1", key_rw, NULL, &g);
	json_t *src = json_array_get(json_object_get(g.body, "data"), 0);
	ok(json_is_string(json_object_get(src, "lastTrainingAttemptedAt")) &&
	   json_is_null(json_object_get(src, "lastTrainingStartedAt")),
	   "before its training starts: lastTrainingAttemptedAt set, lastTrainingStartedAt null");
	result_free(&r);
	result_free(&g);
}

int main(void)
{
	struct qerr err;

	unit_tmpdir(dir, "app");
	s = unit_store(dir);
	qconf_defaults(&conf);
	qconf_set(&conf, "datadir", dir, &err);
	app.conf = &conf;
	app.store = s;
	app.routes = quire_routes;

	make_key(key_rw, "acme", "read,write");
	make_key(key_ro, "acme", "read");
	make_key(key_other, "globex", "read,write");
	make_key(key_revoked, "acme", "all");
	ok(auth_key_wellformed(key_rw) && auth_key_wellformed(key_ro) &&
	   auth_key_wellformed(key_other) && auth_key_wellformed(key_revoked),
	   "admin: key create prints well-formed keys");
	char key_id[13], listing[4096], rhash[AUTH_HASH_HEX];
	auth_key_hash(key_revoked, rhash);
	auth_key_id(rhash, key_id);
	char *revoke[] = {"key", "revoke", key_id};
	is_int(admin(NULL, 0, 3, revoke), 0, "admin: key revoke");
	char *list[] = {"key", "list", "--account", "acme"};
	is_int(admin(listing, sizeof listing, 4, list), 0, "admin: key list");
	ok(strstr(listing, key_id) && strstr(listing, "revoked"), "admin: the key shows revoked");
	ok(!strstr(listing, key_rw + 8), "admin: key list never shows a key");
	char head[13];
	snprintf(head, sizeof head, "%.12s", key_rw + 8);
	ok(!strstr(listing, head), "admin: ... nor the first digits of its secret");
	char *bad[] = {"key", "revoke", "000000000000"};
	is_int(admin(NULL, 0, 3, bad), 1, "admin: revoking an unknown key id fails");

	test_health();
	test_auth();
	test_key_cache();
	test_documents();
	test_document_text();
	test_training_times();

	store_close(s);
	unit_rmtree(dir);
	return done_testing();
}
