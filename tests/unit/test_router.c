/* test_router.c: route patterns, parameters, 404 against 405, families. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/app.h"
#include "http/router.h"
#include "api/api.h"
#include "api/health.h"
#include "api/chatiq_embeddings.h"
#include "api/chatiq_documents.h"
#include "tap.h"

#include <string.h>

static enum qstatus h_a(struct qctx *c) { return Q_OK; }
static enum qstatus h_b(struct qctx *c) { return Q_OK; }
static enum qstatus h_c(struct qctx *c) { return Q_OK; }
static enum qstatus h_d(struct qctx *c) { return Q_OK; }

static const struct route table[] = {
	{"GET", "/static", h_a, FAM_NATIVE, 0},
	{"GET", "/items/:id", h_b, FAM_NATIVE, SCOPE_READ},
	{"PUT", "/items/:id", h_c, FAM_NATIVE, SCOPE_WRITE},
	{"GET", "/items/:id/parts/:part", h_d, FAM_NATIVE, SCOPE_READ},
	{"GET", "/p/:a/:b/:c/:d/:e", h_a, FAM_NATIVE, 0},   /* more than ROUTE_PARAMS */
	{NULL, NULL, NULL, FAM_NATIVE, 0},
};

static const struct route *match(const struct route *routes, const char *method,
				 const char *path, struct qctx *c, enum qstatus *st)
{
	memset(c, 0, sizeof *c);
	*st = Q_EINTERNAL;
	return route_match(routes, method, path, c, st);
}

static void test_match(void)
{
	struct qctx c;
	enum qstatus st;
	const struct route *r;

	r = match(table, "GET", "/static", &c, &st);
	ok(r == &table[0], "match: a static path");
	is_int(st, Q_OK, "match: status Q_OK");
	is_int(c.nparams, 0, "match: no params");

	r = match(table, "GET", "/items/42", &c, &st);
	ok(r == &table[1], "match: GET /items/:id");
	is_int(c.nparams, 1, "match: one param");
	is_str(qctx_param(&c, "id"), "42", "match: id is 42");
	is_str(qctx_param(&c, "i"), "", "match: a prefix of a param name is not it");
	is_str(qctx_param(&c, "idx"), "", "match: a longer name is not it");
	is_str(qctx_param(&c, "part"), "", "match: an absent param is \"\"");

	r = match(table, "PUT", "/items/42", &c, &st);
	ok(r == &table[2], "match: same path, other method, other route");

	r = match(table, "GET", "/items/7/parts/x-y", &c, &st);
	ok(r == &table[3], "match: two params");
	is_str(qctx_param(&c, "id"), "7", "match: first param (name followed by '/')");
	is_str(qctx_param(&c, "part"), "x-y", "match: second param");

	/* Unknown path: 404; known path, wrong method: 405. */
	r = match(table, "GET", "/nothing", &c, &st);
	ok(r == NULL, "404: no route");
	is_int(st, Q_ENOTFOUND, "404: Q_ENOTFOUND");
	r = match(table, "DELETE", "/items/42", &c, &st);
	ok(r == NULL, "405: no route for DELETE");
	is_int(st, Q_EMETHOD, "405: Q_EMETHOD when the path exists");
	is_int(c.nparams, 0, "405: params are cleared");
	r = match(table, "POST", "/static", &c, &st);
	is_int(st, Q_EMETHOD, "405: POST to a GET-only path");
	r = match(table, "get", "/static", &c, &st);
	is_int(st, Q_EMETHOD, "405: methods are case-sensitive");
	r = match(table, "GET", "/items", &c, &st);
	is_int(st, Q_ENOTFOUND, "404: a missing param segment");
	r = match(table, "GET", "/items/1/2", &c, &st);
	is_int(st, Q_ENOTFOUND, "404: one segment too many");
	r = match(table, "GET", "/Static", &c, &st);
	is_int(st, Q_ENOTFOUND, "404: paths are case-sensitive");
	r = match(table, "GET", "/staticx", &c, &st);
	is_int(st, Q_ENOTFOUND, "404: a longer segment is not a match");
	r = match(table, "GET", "/", &c, &st);
	is_int(st, Q_ENOTFOUND, "404: the root");

	/* Slashes: a trailing or doubled slash names the same resource. */
	r = match(table, "GET", "/static/", &c, &st);
	ok(r == &table[0], "slash: trailing slash matches");
	r = match(table, "GET", "/items/42/", &c, &st);
	ok(r == &table[1] && !strcmp(qctx_param(&c, "id"), "42"),
	   "slash: trailing slash after a param, param without the slash");
	r = match(table, "GET", "//items//42", &c, &st);
	ok(r == &table[1], "slash: doubled slashes");
	r = match(table, "PATCH", "/items/42/", &c, &st);
	is_int(st, Q_EMETHOD, "slash: trailing slash and a wrong method is 405");

	/* Params have a length cap and a count cap. */
	char path[400], val[300];
	memset(val, 'v', 255);
	val[255] = '\0';
	snprintf(path, sizeof path, "/items/%s", val);
	r = match(table, "GET", path, &c, &st);
	ok(r == &table[1] && strlen(qctx_param(&c, "id")) == 255, "param: 255 bytes fit");
	memset(val, 'v', 256);
	val[256] = '\0';
	snprintf(path, sizeof path, "/items/%s", val);
	r = match(table, "GET", path, &c, &st);
	ok(r == NULL && st == Q_ENOTFOUND, "param: 256 bytes do not match");
	r = match(table, "GET", "/p/1/2/3/4/5", &c, &st);
	ok(r == NULL, "param: more than ROUTE_PARAMS params never match");
}

static void test_table(void)
{
	struct qctx c;
	enum qstatus st;
	const struct route *r;

	r = match(quire_routes, "GET", "/health", &c, &st);
	ok(r && r->fn == api_health && r->scope == 0, "routes: /health needs no key");
	r = match(quire_routes, "GET", "/api/v1/documents", &c, &st);
	ok(r && r->fn == api_documents_list && r->scope == SCOPE_READ, "routes: list is read");
	r = match(quire_routes, "POST", "/api/v1/documents", &c, &st);
	ok(r && r->fn == api_documents_create && r->scope == SCOPE_WRITE, "routes: create is write");
	r = match(quire_routes, "DELETE", "/api/v1/documents/abc", &c, &st);
	ok(r && r->fn == api_documents_delete && !strcmp(qctx_param(&c, "id"), "abc"),
	   "routes: delete with id");
	r = match(quire_routes, "PATCH", "/api/v1/documents/abc", &c, &st);
	ok(!r && st == Q_EMETHOD, "routes: PATCH a document is 405");
	r = match(quire_routes, "GET", "/api/v1/documents/abc/embeddings/status", &c, &st);
	ok(r && r->fn == api_embeddings_status, "routes: embeddings status");
	r = match(quire_routes, "GET", "/v1/datasets/d1/documents/d2", &c, &st);
	ok(r && r->fam == FAM_DIFY && !strcmp(qctx_param(&c, "dataset_id"), "d1") &&
	   !strcmp(qctx_param(&c, "document_id"), "d2"), "routes: Dify params");
	r = match(quire_routes, "GET", "/api/knowledge-base/kb1/documents", &c, &st);
	ok(r && r->fam == FAM_SLUG && !strcmp(qctx_param(&c, "slug"), "kb1"), "routes: slug");
	r = match(quire_routes, "GET", "/external/sources/custom", &c, &st);
	ok(r && r->fam == FAM_CUSTOM, "routes: custom sources");
	r = match(quire_routes, "GET", "/api/v2/documents", &c, &st);
	ok(!r && st == Q_ENOTFOUND, "routes: unknown version is 404");

	/* Every route: a handler, a known method, a pattern from '/'. */
	int n = 0, good = 1;
	for (const struct route *p = quire_routes; p->method; p++, n++)
		if (!p->fn || p->pattern[0] != '/' || p->fam >= FAM_MAX ||
		    (strcmp(p->method, "GET") && strcmp(p->method, "POST") &&
		     strcmp(p->method, "PUT") && strcmp(p->method, "DELETE")))
			good = 0;
	ok(n > 10 && good, "routes: %d well-formed entries", n);

	/* A route's pattern, its family and route_family of a real path agree. */
	int agree = 1;
	for (const struct route *p = quire_routes; p->method; p++)
		if (route_family(p->pattern) != p->fam) {
			diag("%s %s: family %d, route_family %d", p->method, p->pattern, p->fam,
			     route_family(p->pattern));
			agree = 0;
		}
	ok(agree, "routes: route_family agrees with every route's family");
}

static void test_family(void)
{
	is_int(route_family("/v1/datasets/x/documents"), FAM_DIFY, "family: Dify");
	is_int(route_family("/api/ai/chat"), FAM_CHAT, "family: chat");
	is_int(route_family("/external/sources/custom"), FAM_CUSTOM, "family: custom");
	is_int(route_family("/api/knowledge-base/x/documents"), FAM_SLUG, "family: slug");
	is_int(route_family("/api/v1/documents"), FAM_NATIVE, "family: native");
	is_int(route_family("/nothing/here"), FAM_NATIVE, "family: unknown paths are native");
	is_int(route_family("/"), FAM_NATIVE, "family: root");
}

int main(void)
{
	test_match();
	test_table();
	test_family();
	return done_testing();
}
