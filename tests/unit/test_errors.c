/* test_errors.c: the status table and each route family's error shape. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/app.h"
#include "http/errors.h"
#include "tap.h"

#include <string.h>

/* Render st in fam; *body is new (the parsed JSON body). */
static int render(enum family fam, enum qstatus st, const char *field, const char *msg,
		  int retry_after, json_t **body, struct qresp *resp)
{
	struct qerr err;
	json_error_t jerr;
	qerr_set(&err, st, field, "%s", msg);
	qresp_init(resp);
	qresp_header(resp, "X-Stale", "must go");
	family_error(fam, resp, &err, retry_after);
	const char *text = resp->body.data ? resp->body.data : "";
	/* the stream route's errors are one SSE event: "data: JSON\n\n" */
	if (fam == FAM_CHAT_STREAM) {
		size_t n = strlen(text);
		if (strncmp(text, "data: ", 6) || n < 8 || strcmp(text + n - 2, "\n\n"))
			diag("not one SSE event: %s", text);
		else
			text += 6;
	}
	*body = NULL;
	if (fam == FAM_FORM)   /* a browser's page, not JSON (test_form_page) */
		return resp->status;
	*body = json_loads(text, fam == FAM_CHAT_STREAM ? JSON_DISABLE_EOF_CHECK : 0, &jerr);
	if (!*body)
		diag("body does not parse: %s", jerr.text);
	return resp->status;
}

static int has_header(struct qresp *resp, const char *line)
{
	return resp->headers.data && strstr(resp->headers.data, line) != NULL;
}

static void test_shapes(void)
{
	struct qresp resp;
	json_t *b, *e;
	const char *msg = "title is \"required\"";

	is_int(render(FAM_NATIVE, Q_EINVAL, "title", msg, 2, &b, &resp), 400, "native: 400");
	e = json_object_get(b, "error");
	ok(json_is_object(b) && json_object_size(b) == 1 && json_is_object(e),
	   "native: {\"error\": {...}} only");
	is_str(json_string_value(json_object_get(e, "code")), "VALIDATION_ERROR", "native: code");
	is_str(json_string_value(json_object_get(e, "message")), msg, "native: message");
	is_str(json_string_value(json_object_get(e, "field")), "title", "native: field");
	is_int(json_object_size(e), 3, "native: code, message, field");
	ok(has_header(&resp, "Content-Type: application/json"), "native: JSON content type");
	ok(!has_header(&resp, "X-Stale"), "native: earlier headers are dropped");
	ok(!has_header(&resp, "WWW-Authenticate") && !has_header(&resp, "Retry-After"),
	   "native: 400 has neither WWW-Authenticate nor Retry-After");
	json_decref(b);
	qresp_free(&resp);

	render(FAM_NATIVE, Q_ENOTFOUND, NULL, "Document not found", 2, &b, &resp);
	e = json_object_get(b, "error");
	is_int(resp.status, 404, "native: 404");
	is_str(json_string_value(json_object_get(e, "code")), "NOT_FOUND", "native: NOT_FOUND");
	ok(json_object_get(e, "field") == NULL, "native: no field when none is named");
	json_decref(b);
	qresp_free(&resp);

	is_int(render(FAM_DIFY, Q_ENOTFOUND, "id", "Document not found", 2, &b, &resp), 404,
	       "dify: 404");
	is_int(json_object_size(b), 3, "dify: three members");
	is_str(json_string_value(json_object_get(b, "code")), "not_found", "dify: lowercase code");
	is_str(json_string_value(json_object_get(b, "message")), "Document not found",
	       "dify: message");
	is_int(json_integer_value(json_object_get(b, "status")), 404, "dify: status member");
	ok(json_is_integer(json_object_get(b, "status")), "dify: status is a number");
	json_decref(b);
	qresp_free(&resp);

	is_int(render(FAM_CHAT, Q_EFORBIDDEN, NULL, "no chat scope", 2, &b, &resp), 403,
	       "chat: 403");
	is_int(json_object_size(b), 1, "chat: one member");
	is_str(json_string_value(json_object_get(b, "error")), "no chat scope",
	       "chat: error is the message string");
	json_decref(b);
	qresp_free(&resp);

	is_int(render(FAM_CUSTOM, Q_ECONFLICT, NULL, "exists", 2, &b, &resp), 409, "custom: 409");
	is_int(json_object_size(b), 2, "custom: two members");
	ok(json_is_false(json_object_get(b, "ok")), "custom: ok is false (a boolean)");
	is_str(json_string_value(json_object_get(b, "message")), "exists", "custom: message");
	json_decref(b);
	qresp_free(&resp);

	is_int(render(FAM_SLUG, Q_ETOOBIG, NULL, "too big", 2, &b, &resp), 413, "slug: 413");
	is_int(json_object_size(b), 1, "slug: one member");
	is_str(json_string_value(json_object_get(b, "detail")), "too big", "slug: detail");
	json_decref(b);
	qresp_free(&resp);
}

static void test_headers(void)
{
	struct qresp resp;
	json_t *b;

	for (int fam = 0; fam < FAM_MAX; fam++) {
		render((enum family)fam, Q_EAUTH, NULL, "Invalid API key", 2, &b, &resp);
		is_int(resp.status, 401, "401 (family %d)", fam);
		ok(has_header(&resp, "WWW-Authenticate: Bearer\r\n"),
		   "401 adds WWW-Authenticate (family %d)", fam);
		ok(!has_header(&resp, "Retry-After"), "401 has no Retry-After (family %d)", fam);
		if (fam == FAM_FORM)
			ok(strstr(resp.body.data, "<h1>") != NULL, "401 body is an HTML page (forms)");
		else
			ok(b != NULL, "401 body is JSON (family %d; the stream route's as an SSE event)",
			   fam);
		json_decref(b);
		qresp_free(&resp);

		render((enum family)fam, Q_EBUSY, NULL, "busy", 7, &b, &resp);
		is_int(resp.status, 503, "503 (family %d)", fam);
		ok(has_header(&resp, "Retry-After: 7\r\n"), "503 adds Retry-After (family %d)", fam);
		ok(!has_header(&resp, "WWW-Authenticate"), "503 has no WWW-Authenticate (family %d)",
		   fam);
		json_decref(b);
		qresp_free(&resp);
	}
	render(FAM_NATIVE, Q_ERECOVER, NULL, "recovering", 30, &b, &resp);
	ok(resp.status == 503 && has_header(&resp, "Retry-After: 30\r\n"),
	   "Q_ERECOVER: 503 with Retry-After");
	json_decref(b);
	qresp_free(&resp);
	render(FAM_NATIVE, Q_ERATE, NULL, "slow down", 5, &b, &resp);
	ok(resp.status == 429 && has_header(&resp, "Retry-After: 5\r\n"),
	   "Q_ERATE: 429 with Retry-After");
	json_decref(b);
	qresp_free(&resp);
	render(FAM_NATIVE, Q_EDB, NULL, "db", 5, &b, &resp);
	ok(resp.status == 500 && !has_header(&resp, "Retry-After"), "Q_EDB: 500, no Retry-After");
	json_decref(b);
	qresp_free(&resp);
}

static void test_status_table(void)
{
	struct {
		enum qstatus st;
		int http;
		const char *code;
	} t[] = {
		{Q_OK, 200, "OK"},
		{Q_EINVAL, 400, "VALIDATION_ERROR"},
		{Q_EAUTH, 401, "UNAUTHORIZED"},
		{Q_EFORBIDDEN, 403, "FORBIDDEN"},
		{Q_ENOTFOUND, 404, "NOT_FOUND"},
		{Q_EMETHOD, 405, "METHOD_NOT_ALLOWED"},
		{Q_ECONFLICT, 409, "CONFLICT"},
		{Q_ETOOBIG, 413, "PAYLOAD_TOO_LARGE"},
		{Q_EMEDIA, 415, "UNSUPPORTED_MEDIA_TYPE"},
		{Q_ESTATE, 400, "INVALID_STATUS"},
		{Q_ERATE, 429, "RATE_LIMITED"},
		{Q_EDB, 500, "DATABASE_ERROR"},
		{Q_EINTERNAL, 500, "INTERNAL_ERROR"},
		{Q_EBUSY, 503, "BUSY"},
		{Q_ERECOVER, 503, "SERVICE_UNAVAILABLE"},
		{Q_ENOMEM, 503, "OUT_OF_MEMORY"},
		{Q_ENOSPACE, 507, "INSUFFICIENT_STORAGE"},
	};
	is_int(sizeof t / sizeof *t, Q_STATUS_MAX, "status: every status is listed here");
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		is_int(q_http_status(t[i].st), t[i].http, "status: %s is %d", t[i].code, t[i].http);
		is_str(q_status_code(t[i].st), t[i].code, "status: code %s", t[i].code);
		ok(strcmp(q_http_reason(t[i].http), "Unknown") != 0, "status: %d has a reason",
		   t[i].http);
	}
	is_int(q_http_status(Q_STATUS_MAX), 500, "status: out of range is 500");
	is_int(q_http_status((enum qstatus)-1), 500, "status: negative is 500");
	is_str(q_status_code(Q_STATUS_MAX), "INTERNAL_ERROR", "status: out of range code");
	is_str(q_http_reason(404), "Not Found", "reason: 404");
	is_str(q_http_reason(201), "Created", "reason: 201");
	is_str(q_http_reason(999), "Unknown", "reason: unknown status");

	struct qerr err;
	is_int(qerr_set(NULL, Q_EDB, "f", "x"), Q_EDB, "qerr_set: NULL err returns st");
	qerr_set(&err, Q_EINVAL, NULL, "n=%d", 5);
	ok(err.st == Q_EINVAL && !strcmp(err.field, "") && !strcmp(err.msg, "n=5"),
	   "qerr_set: NULL field is \"\", message formatted");
	char longfield[200];
	memset(longfield, 'f', sizeof longfield - 1);
	longfield[sizeof longfield - 1] = '\0';
	qerr_set(&err, Q_EINVAL, longfield, "%s", longfield);
	ok(strlen(err.field) == sizeof err.field - 1, "qerr_set: long field is truncated");
	qerr_clear(&err);
	ok(err.st == Q_OK && !err.field[0] && !err.msg[0], "qerr_clear");
	qerr_clear(NULL);   /* must not crash */
}

/* The form routes' errors: a small HTML page, the message escaped, never
 * JSON, the rate headers kept. */
static void test_form_page(void)
{
	struct qresp resp;
	json_t *b;
	is_int(render(FAM_FORM, Q_ENOTFOUND, NULL, "no <such> route & \"more\"", 2, &b, &resp), 404,
	       "forms: 404");
	ok(has_header(&resp, "Content-Type: text/html; charset=utf-8\r\n"), "forms: text/html");
	ok(has_header(&resp, "Content-Security-Policy: default-src 'none'"), "forms: no script");
	ok(!has_header(&resp, "X-Stale"), "forms: earlier headers dropped");
	ok(strstr(resp.body.data, "<!DOCTYPE html>") == resp.body.data, "forms: a whole page");
	ok(strstr(resp.body.data, "no &lt;such&gt; route &amp; &quot;more&quot;") != NULL,
	   "forms: the message is escaped");
	ok(strstr(resp.body.data, "<such>") == NULL, "forms: no markup from the message");
	ok(resp.body.data[0] != '{', "forms: not JSON");
	qresp_free(&resp);
	render(FAM_FORM, Q_ERATE, NULL, "slow", 9, &b, &resp);
	ok(resp.status == 429 && has_header(&resp, "Retry-After: 9\r\n"), "forms: 429 keeps Retry-After");
	qresp_free(&resp);
}

int main(void)
{
	test_shapes();
	test_form_page();
	test_headers();
	test_status_table();
	return done_testing();
}
