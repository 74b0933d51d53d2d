/* test_http.c: URL decoding, query strings, CGI paths, capped bodies, JSON
 * bodies and responses, driven through the qreq callbacks. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/http.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A fake front end: CGI variables and a body handed out in small pieces. */
struct fake {
	const char *vars[16][2];
	const char *body;
	size_t body_len, pos;
	size_t piece;       /* bytes per read call */
	int reads;          /* read calls made */
	int fail_read;      /* read returns -1 */
};

static const char *fake_param(void *ctx, const char *name)
{
	struct fake *f = ctx;
	for (int i = 0; i < 16 && f->vars[i][0]; i++)
		if (!strcmp(f->vars[i][0], name))
			return f->vars[i][1];
	return NULL;
}

static ssize_t fake_read(void *ctx, void *buf, size_t n)
{
	struct fake *f = ctx;
	f->reads++;
	if (f->fail_read)
		return -1;
	size_t left = f->body_len - f->pos;
	if (n > left)
		n = left;
	if (f->piece && n > f->piece)
		n = f->piece;
	memcpy(buf, f->body + f->pos, n);
	f->pos += n;
	return (ssize_t)n;
}

static void fake_set(struct fake *f, const char *name, const char *value)
{
	int i = 0;
	while (f->vars[i][0] && strcmp(f->vars[i][0], name))
		i++;
	if (i >= 15)
		bail_out("too many fake variables");
	f->vars[i][0] = name;
	f->vars[i][1] = value;
}

static void fake_body(struct fake *f, const char *body, size_t piece)
{
	f->body = body;
	f->body_len = strlen(body);
	f->pos = 0;
	f->piece = piece;
	f->reads = 0;
}

static void req_bind(struct qreq *r, struct fake *f)
{
	memset(r, 0, sizeof *r);
	r->param = fake_param;
	r->read = fake_read;
	r->ctx = f;
}

static void test_url_decode(void)
{
	char out[64];

	struct {
		const char *in;
		int plus;
		const char *want;
	} good[] = {
		{"plain", 0, "plain"},
		{"a%20b", 0, "a b"},
		{"a+b", 1, "a b"},
		{"a+b", 0, "a+b"},
		{"%41%4a%4A", 0, "AJJ"},
		{"%2B", 1, "+"},
		{"%e2%82%ac", 0, "\xe2\x82\xac"},
		{"", 0, ""},
		{"%25", 0, "%"},
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		memset(out, 'x', sizeof out);
		int rc = q_url_decode(good[i].in, strlen(good[i].in), out, sizeof out, good[i].plus);
		is_int(rc, 0, "url_decode: '%s' (plus %d)", good[i].in, good[i].plus);
		is_str(out, good[i].want, "url_decode: '%s' value", good[i].in);
	}
	static const char *bad[] = {"%", "%4", "a%", "a%2", "%zz", "%4g", "%g4", "%00", "a%00b",
				    "%%41"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		is_int(q_url_decode(bad[i], strlen(bad[i]), out, sizeof out, 1), -1,
		       "url_decode: '%s' refused", bad[i]);
	/* n bounds the input: a '%' escape cut by n is bad even if text follows. */
	is_int(q_url_decode("a%41", 3, out, sizeof out, 0), -1, "url_decode: escape cut by n");
	is_int(q_url_decode("abcdef", 3, out, sizeof out, 0), 0, "url_decode: n bytes only");
	is_str(out, "abc", "url_decode: n bytes only value");
	/* out must hold the text and its terminator. */
	is_int(q_url_decode("abc", 3, out, 4, 0), 0, "url_decode: exact fit");
	is_int(q_url_decode("abcd", 4, out, 4, 0), -1, "url_decode: one byte too many");
	is_int(q_url_decode("%41%42%43", 9, out, 4, 0), 0, "url_decode: escapes count decoded");
	is_int(q_url_decode("", 0, out, 0, 0), -1, "url_decode: no room for the terminator");
}

static void test_query(void)
{
	struct fake f = {0};
	struct qreq r;
	char out[32];

	req_bind(&r, &f);
	r.query = "a=1&b=hello%20world&flag&d=&e=x+y&%61%62=z&bad=%zz&ab_c=2&long=0123456789012345678901234567890123456789";
	is_int(qreq_query(&r, "a", out, sizeof out), 1, "query: a found");
	is_str(out, "1", "query: a value");
	is_int(qreq_query(&r, "b", out, sizeof out), 1, "query: b found");
	is_str(out, "hello world", "query: percent-decoded");
	is_int(qreq_query(&r, "flag", out, sizeof out), 1, "query: a name without '=' is found");
	is_str(out, "", "query: ... with an empty value");
	is_int(qreq_query(&r, "d", out, sizeof out), 1, "query: empty value found");
	is_str(out, "", "query: empty value");
	is_int(qreq_query(&r, "e", out, sizeof out), 1, "query: e found");
	is_str(out, "x y", "query: '+' is a space");
	is_int(qreq_query(&r, "ab", out, sizeof out), 1, "query: an encoded name matches");
	is_str(out, "z", "query: encoded name value");
	is_int(qreq_query(&r, "bad", out, sizeof out), -1, "query: bad escape in value is -1");
	is_int(qreq_query(&r, "long", out, sizeof out), -1, "query: too long for out is -1");
	is_int(qreq_query(&r, "missing", out, sizeof out), 0, "query: absent is 0");
	is_int(qreq_query(&r, "fla", out, sizeof out), 0, "query: a prefix of a name is not it");
	is_int(qreq_query(&r, "ab_", out, sizeof out), 0, "query: ... nor is a longer prefix");
	is_int(qreq_query(&r, "", out, sizeof out), 0, "query: the empty name is absent");

	r.query = "";
	is_int(qreq_query(&r, "a", out, sizeof out), 0, "query: empty query string");
	r.query = "&&a=2&";
	is_int(qreq_query(&r, "a", out, sizeof out), 1, "query: stray '&' are skipped");
	is_str(out, "2", "query: stray '&' value");
	r.query = "a=1&a=2";
	is_int(qreq_query(&r, "a", out, sizeof out), 1, "query: repeated name");
	is_str(out, "1", "query: the first of a repeated name wins");
}

static enum qstatus init_with(struct fake *f, struct qreq *r, struct qerr *err)
{
	req_bind(r, f);
	qerr_clear(err);
	return qreq_init(r, NULL, err);
}

static void test_init(void)
{
	struct qreq r;
	struct qerr err;

	struct {
		const char *path_info, *request_uri, *want;
	} paths[] = {
		{"/api/v1/documents", NULL, "/api/v1/documents"},
		{"/api/v1/documents", "/elsewhere/entirely?x=1", "/api/v1/documents"},
		{NULL, "/api/v1/documents?limit=5", "/api/v1/documents"},
		{NULL, "/api/v1/documents#frag", "/api/v1/documents"},
		{NULL, "/cgi-bin/quire.fcgi/api/v1/documents?x=1", "/api/v1/documents"},
		{NULL, "/cgi-bin/quire.fcgi", "/"},
		{NULL, "/cgi-bin/quire.fcgi?x=1", "/"},
		{NULL, "/cgi-bin/quire.cgi/health", "/health"},
		{NULL, "/cgi-bin/quire.fcgix/health", "/cgi-bin/quire.fcgix/health"},
		{NULL, "/api/v1/documents/a%20b", "/api/v1/documents/a b"},
		{NULL, "/api/knowledge-base/my%2Dkb/documents", "/api/knowledge-base/my-kb/documents"},
		{"/quire.fcgi/health", NULL, "/health"},
		{NULL, "*", "/"},
		{NULL, "", "/"},
		{NULL, NULL, "/"},
	};
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		struct fake f = {0};
		if (paths[i].path_info)
			fake_set(&f, "PATH_INFO", paths[i].path_info);
		if (paths[i].request_uri)
			fake_set(&f, "REQUEST_URI", paths[i].request_uri);
		is_int(init_with(&f, &r, &err), Q_OK, "init: PATH_INFO %s, REQUEST_URI %s",
		       paths[i].path_info ? paths[i].path_info : "-",
		       paths[i].request_uri ? paths[i].request_uri : "-");
		is_str(r.path, paths[i].want, "init: ... route path");
	}

	/* Without REQUEST_URI, SCRIPT_NAME is the path (lighttpd mounted at /). */
	struct fake f = {0};
	fake_set(&f, "SCRIPT_NAME", "/health");
	init_with(&f, &r, &err);
	is_str(r.path, "/health", "init: SCRIPT_NAME when no REQUEST_URI");

	/* Paths that do not decode. */
	static const char *badpaths[] = {"/a%00b", "/a%zz", "/a%2"};
	for (size_t i = 0; i < sizeof badpaths / sizeof *badpaths; i++) {
		struct fake g = {0};
		fake_set(&g, "REQUEST_URI", badpaths[i]);
		is_int(init_with(&g, &r, &err), Q_EINVAL, "init: REQUEST_URI %s refused",
		       badpaths[i]);
	}
	char longpath[3000];
	memset(longpath, 'a', sizeof longpath - 1);
	longpath[0] = '/';
	longpath[sizeof longpath - 1] = '\0';
	struct fake g = {0};
	fake_set(&g, "PATH_INFO", longpath);
	is_int(init_with(&g, &r, &err), Q_EINVAL, "init: PATH_INFO longer than path[] refused");
	struct fake h = {0};
	fake_set(&h, "REQUEST_URI", longpath);
	is_int(init_with(&h, &r, &err), Q_EINVAL, "init: REQUEST_URI longer than path[] refused");

	/* Method, query, type and length. */
	struct fake m = {0};
	fake_set(&m, "PATH_INFO", "/x");
	is_int(init_with(&m, &r, &err), Q_OK, "init: minimal request");
	is_str(r.method, "GET", "init: method defaults to GET");
	is_str(r.query, "", "init: query defaults to \"\"");
	is_str(r.content_type, "", "init: content type defaults to \"\"");
	is_int(r.content_length, -1, "init: no CONTENT_LENGTH is -1");
	fake_set(&m, "REQUEST_METHOD", "DELETE");
	fake_set(&m, "QUERY_STRING", "a=1");
	fake_set(&m, "CONTENT_TYPE", "application/json");
	fake_set(&m, "CONTENT_LENGTH", "12");
	init_with(&m, &r, &err);
	is_str(r.method, "DELETE", "init: REQUEST_METHOD");
	is_str(r.query, "a=1", "init: QUERY_STRING");
	is_str(r.content_type, "application/json", "init: CONTENT_TYPE");
	is_int(r.content_length, 12, "init: CONTENT_LENGTH");
	static const char *badlen[] = {"abc", "-1", "1 2", "99999999999999999999"};
	for (size_t i = 0; i < sizeof badlen / sizeof *badlen; i++) {
		fake_set(&m, "CONTENT_LENGTH", badlen[i]);
		is_int(init_with(&m, &r, &err), Q_EINVAL, "init: CONTENT_LENGTH '%s' refused",
		       badlen[i]);
	}
	is_str(qreq_param(&r, "NOPE"), "", "param: absent variable is \"\"");
}

static void test_body(void)
{
	struct fake f = {0};
	struct qreq r;
	struct qerr err;
	struct qbuf b;

	/* Content-Length above the cap: refused before reading anything. */
	fake_set(&f, "CONTENT_LENGTH", "100");
	fake_body(&f, "short", 0);
	init_with(&f, &r, &err);
	qbuf_init(&b, 10);
	is_int(qreq_body(&r, &b, 10, &err), Q_ETOOBIG, "body: Content-Length over the cap is 413");
	is_int(f.reads, 0, "body: ... decided before reading");
	is_int(q_http_status(err.st), 413, "body: ... maps to HTTP 413");
	qbuf_free(&b);

	/* No Content-Length: the cap is enforced while reading. */
	struct fake g = {0};
	fake_body(&g, "0123456789ABCDEF", 3);
	init_with(&g, &r, &err);
	qbuf_init(&b, 10);
	is_int(qreq_body(&r, &b, 10, &err), Q_ETOOBIG, "body: chunked body over the cap is 413");
	ok(b.len <= 10, "body: ... and the buffer stayed within the cap");
	qbuf_free(&b);

	/* Exactly the cap, in small pieces. */
	fake_body(&g, "0123456789", 3);
	init_with(&g, &r, &err);
	qbuf_init(&b, 10);
	is_int(qreq_body(&r, &b, 10, &err), Q_OK, "body: exactly the cap is fine");
	is_str(b.data, "0123456789", "body: pieces are joined");
	ok(g.reads >= 4, "body: read until EOF (%d calls)", g.reads);
	qbuf_free(&b);

	/* Shorter than announced. */
	struct fake h = {0};
	fake_set(&h, "CONTENT_LENGTH", "10");
	fake_body(&h, "12345", 0);
	init_with(&h, &r, &err);
	qbuf_init(&b, 100);
	is_int(qreq_body(&r, &b, 100, &err), Q_EINVAL, "body: short body is Q_EINVAL");
	ok(strstr(err.msg, "incomplete") != NULL, "body: ... 'incomplete body' (%s)", err.msg);
	qbuf_free(&b);

	/* Exactly as announced. */
	fake_set(&h, "CONTENT_LENGTH", "5");
	fake_body(&h, "12345", 2);
	init_with(&h, &r, &err);
	qbuf_init(&b, 100);
	is_int(qreq_body(&r, &b, 100, &err), Q_OK, "body: body of Content-Length bytes");
	is_str(b.data, "12345", "body: content");
	qbuf_free(&b);

	/* A read error. */
	struct fake e = {0};
	fake_body(&e, "abc", 0);
	e.fail_read = 1;
	init_with(&e, &r, &err);
	qbuf_init(&b, 100);
	is_int(qreq_body(&r, &b, 100, &err), Q_EINVAL, "body: read error is Q_EINVAL");
	qbuf_free(&b);

	/* Empty body, no length. */
	struct fake z = {0};
	fake_body(&z, "", 0);
	init_with(&z, &r, &err);
	qbuf_init(&b, 100);
	is_int(qreq_body(&r, &b, 100, &err), Q_OK, "body: empty body");
	is_int(b.len, 0, "body: empty body length");
	qbuf_free(&b);
}

/* qreq_json over body with content type ct; returns the status. */
static enum qstatus json_with(const char *ct, const char *body, size_t cap, int depth,
			      json_t **out, struct qerr *err)
{
	struct fake f = {0};
	struct qreq r;
	char len[32];
	if (ct)
		fake_set(&f, "CONTENT_TYPE", ct);
	snprintf(len, sizeof len, "%zu", strlen(body));
	fake_set(&f, "CONTENT_LENGTH", len);
	fake_body(&f, body, 7);
	init_with(&f, &r, err);
	*out = (json_t *)1;
	return qreq_json(&r, cap, depth, out, err);
}

static void test_json(void)
{
	json_t *j;
	struct qerr err;

	is_int(json_with("application/json", "{\"a\":1}", 100, 4, &j, &err), Q_OK, "json: object");
	ok(json_is_object(j) && json_integer_value(json_object_get(j, "a")) == 1,
	   "json: parsed value");
	json_decref(j);

	static const char *types[] = {"application/json; charset=utf-8", "Application/JSON",
				      "application/json ; charset=UTF-8", "application/json\t"};
	for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
		is_int(json_with(types[i], "{}", 100, 4, &j, &err), Q_OK, "json: type '%s'",
		       types[i]);
		json_decref(j);
	}
	static const char *badtypes[] = {"text/plain", "", "application/jsonx",
					 "application/json-patch+json", "multipart/form-data",
					 "application/x-www-form-urlencoded", NULL};
	for (size_t i = 0; i < sizeof badtypes / sizeof *badtypes; i++) {
		is_int(json_with(badtypes[i], "{}", 100, 4, &j, &err), Q_EMEDIA,
		       "json: type '%s' is 415", badtypes[i] ? badtypes[i] : "(none)");
		ok(j == NULL, "json: ... *out is NULL");
	}
	is_int(q_http_status(Q_EMEDIA), 415, "json: Q_EMEDIA is HTTP 415");

	struct {
		const char *body, *what;
		enum qstatus want;
	} cases[] = {
		{"{\"a\":\"\xff\"}", "invalid UTF-8 (0xff)", Q_EINVAL},
		{"{\"a\":\"\xc3\x28\"}", "invalid UTF-8 (bad continuation)", Q_EINVAL},
		{"{\"a\":\"\xed\xa0\x80\"}", "invalid UTF-8 (surrogate)", Q_EINVAL},
		{"{\"a\":\"\xc3\xa9\"}", "valid UTF-8", Q_OK},
		{"{\"a\":1,\"a\":2}", "duplicate keys", Q_EINVAL},
		{"{\"a\":{\"b\":1,\"b\":1}}", "nested duplicate keys", Q_EINVAL},
		{"[1,2]", "an array", Q_EINVAL},
		{"\"text\"", "a string", Q_EINVAL},
		{"42", "a number", Q_EINVAL},
		{"null", "null", Q_EINVAL},
		{"", "an empty body", Q_EINVAL},
		{"{\"a\":", "truncated JSON", Q_EINVAL},
		{"{\"a\":1} x", "trailing garbage", Q_EINVAL},
		{"{\"a\":[[1]]}", "depth 3 with cap 3", Q_OK},
		{"{\"a\":[[[1]]]}", "depth 4 with cap 3", Q_EINVAL},
		{"{\"a\":\"[[[[[[\"}", "brackets inside strings do not nest", Q_OK},
		{"{\"a\":\"\\\"[[[[\"}", "escaped quote keeps the string open", Q_OK},
		{"{\"a\":\"\\\\\",\"b\":[[[1]]]}", "escaped backslash closes the string", Q_EINVAL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		qerr_clear(&err);
		enum qstatus st = json_with("application/json", cases[i].body, 1000, 3, &j, &err);
		is_int(st, cases[i].want, "json: %s", cases[i].what);
		if (cases[i].want == Q_OK)
			ok(json_is_object(j), "json: ... gives an object");
		else
			ok(j == NULL && err.msg[0], "json: ... no object, a message (%s)", err.msg);
		json_decref(j);
	}

	/* Deep nesting is refused before jansson recurses into it. */
	size_t deep = 100000;
	char *d = malloc(2 * deep + 1);
	memset(d, '[', deep);
	memset(d + deep, ']', deep);
	d[0] = '{';
	d[2 * deep - 1] = '}';
	d[2 * deep] = '\0';
	is_int(json_with("application/json", d, 4 * deep, 32, &j, &err), Q_EINVAL,
	       "json: 100000 levels refused");
	ok(strstr(err.msg, "nested") != NULL, "json: ... as too deeply nested (%s)", err.msg);
	free(d);

	is_int(json_with("application/json", "{\"a\":\"0123456789\"}", 10, 4, &j, &err),
	       Q_ETOOBIG, "json: body over the cap is 413");
}

static int sink_write(void *ctx, const void *p, size_t n)
{
	return qbuf_add(ctx, p, n);
}

static void test_resp(void)
{
	struct qresp resp;
	struct qbuf out;

	qresp_init(&resp);
	is_int(resp.status, 200, "resp: status defaults to 200");
	qresp_header(&resp, "X-Test", "a\r\nSet-Cookie: evil\r\n");
	is_str(resp.headers.data, "X-Test: aSet-Cookie: evil\r\n",
	       "resp: CR and LF are dropped from header values");
	qbuf_reset(&resp.headers);
	qresp_json_new(&resp, 201, json_pack("{s:s}", "k", "v"));
	is_int(resp.status, 201, "resp: json status");
	is_str(resp.body.data, "{\"k\":\"v\"}", "resp: compact JSON body");
	ok(strstr(resp.headers.data, "Content-Type: application/json") != NULL,
	   "resp: JSON content type");
	{
		/* a body past the buffer's cap: a 500 without a body, never a
		 * part of it (the dump's failed append is remembered) */
		struct qresp small;
		char big[300];
		memset(big, 'x', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		qresp_init(&small);
		small.body.cap = 100;
		qresp_json_new(&small, 200, json_pack("{s:s}", "k", big));
		is_int(small.status, 500, "resp: a body over the cap is a 500");
		is_int(small.body.len, 0, "resp: ... and has no part of the body");
		qresp_json_new(&small, 200, json_pack("{s:s}", "k", "fits"));
		is_int(small.status, 200, "resp: a body under the cap after one over it");
		is_str(small.body.data, "{\"k\":\"fits\"}", "resp: ... whole");
		qresp_json_new(&small, 200, NULL);
		is_int(small.status, 500, "resp: no body value is a 500");
		qresp_free(&small);
	}

	qbuf_init(&out, 1 << 16);
	resp.write = sink_write;
	resp.wctx = &out;
	is_int(qresp_send(&resp), 0, "resp: send");
	is_str(out.data,
	       "Status: 201 Created\r\n"
	       "Content-Type: application/json; charset=utf-8\r\n"
	       "Content-Length: 9\r\n\r\n"
	       "{\"k\":\"v\"}",
	       "resp: CGI response text");
	qbuf_free(&out);

	for (int i = 0; i < 20; i++)
		qresp_after_ingest(&resp, "0123abcd-ef01-4567-89ab-cdef01234567");
	is_int(resp.ningest, 16, "resp: after_ingest keeps at most 16 ids");
	is_str(resp.ingest[15], "0123abcd-ef01-4567-89ab-cdef01234567", "resp: ingest id kept");
	qresp_free(&resp);
}

/* Sub-paths: quire.conf's base_path removed from the front of the path,
 * or the front server's SCRIPT_NAME taken as the mount when it and
 * PATH_INFO make the requested path. */
static void test_mount(void)
{
	struct {
		const char *base, *path_info, *script, *request_uri, *want_path, *want_mount;
	} c[] = {
		{"/kb", NULL, NULL, "/kb/api/v1/documents?x=1", "/api/v1/documents", "/kb"},
		{"/kb", NULL, NULL, "/kb", "/", "/kb"},
		{"/kb", NULL, NULL, "/kbx/api/v1/documents", "/kbx/api/v1/documents", ""},
		{"/kb", NULL, NULL, "/api/v1/documents", "/api/v1/documents", ""},
		{"/a/kb", NULL, NULL, "/a/kb/cgi-bin/quire.fcgi/health", "/health", "/a/kb"},
		{NULL, "/api/v1/documents", "/kb", "/kb/api/v1/documents?x=1", "/api/v1/documents", "/kb"},
		{NULL, "/api/v1/documents", "/cgi-bin/quire.fcgi",
		 "/cgi-bin/quire.fcgi/api/v1/documents", "/api/v1/documents", "/cgi-bin/quire.fcgi"},
		/* SCRIPT_NAME that is the whole path (nginx without a split) */
		{NULL, "/api/v1/documents", "/api/v1/documents", "/api/v1/documents",
		 "/api/v1/documents", ""},
		{NULL, "/api/v1/documents", "/kb", "/elsewhere/api/v1/documents", "/api/v1/documents", ""},
		{NULL, "/api/v1/documents", "", "/api/v1/documents", "/api/v1/documents", ""},
		/* base_path given and a server that splits anyway */
		{"/kb", "/api/v1/documents", "/kb", "/kb/api/v1/documents", "/api/v1/documents", "/kb"},
		{"/kb", "/kb/api/v1/documents", "", "/kb/api/v1/documents", "/api/v1/documents", "/kb"},
	};
	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		struct fake f = {0};
		struct qreq r;
		struct qerr err;
		if (c[i].path_info)
			fake_set(&f, "PATH_INFO", c[i].path_info);
		if (c[i].script)
			fake_set(&f, "SCRIPT_NAME", c[i].script);
		if (c[i].request_uri)
			fake_set(&f, "REQUEST_URI", c[i].request_uri);
		req_bind(&r, &f);
		qerr_clear(&err);
		is_int(qreq_init(&r, c[i].base, &err), Q_OK, "mount: base %s, PATH_INFO %s, "
		       "SCRIPT_NAME %s, REQUEST_URI %s", c[i].base ? c[i].base : "-",
		       c[i].path_info ? c[i].path_info : "-", c[i].script ? c[i].script : "-",
		       c[i].request_uri);
		is_str(r.path, c[i].want_path, "mount: ... route path");
		is_str(r.mount, c[i].want_mount, "mount: ... mount");
	}
}

int main(void)
{
	test_url_decode();
	test_query();
	test_init();
	test_mount();
	test_body();
	test_json();
	test_resp();
	return done_testing();
}
