/* errors.c: one function renders an error in each route family's shape.
 *   native (ChatIQ): {"error": {"code": "NOT_FOUND", "message": "...", "field": "title"}}
 *   Dify:            {"code": "not_found", "message": "...", "status": 404}
 *   chat (DocBit):   {"error": "..."}
 *   chat stream:     the same as an SSE event, data: {"error": "..."}
 *   ChatAid:         {"ok": false, "message": "..."}
 *   Oshara:          {"detail": "..."}
 *   forms:           a small HTML page saying what went wrong (html.h) */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/app.h"
#include "http/router.h"
#include "http/errors.h"
#include "http/html.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static json_t *native_error(const struct qerr *err)
{
	json_t *e = json_pack("{s:s, s:s}", "code", q_status_code(err->st), "message", err->msg);
	if (err->field[0])
		json_object_set_new(e, "field", json_string(err->field));
	return json_pack("{s:o}", "error", e);
}

static json_t *dify_error(const struct qerr *err, int http)
{
	char code[64];
	const char *src = q_status_code(err->st);
	size_t i = 0;
	for (; src[i] && i < sizeof code - 1; i++)
		code[i] = (char)tolower((unsigned char)src[i]);
	code[i] = '\0';
	return json_pack("{s:s, s:s, s:i}", "code", code, "message", err->msg, "status", http);
}

/* Rate-limit headers a handler set (chat: X-RateLimit-*, and Retry-After
 * with the seconds to the window's end) survive the error answer. */
static int keep_rate_headers(struct qresp *resp)
{
	struct qbuf kept;
	int has_retry = 0;
	qbuf_init(&kept, resp->headers.cap);
	for (const char *p = resp->headers.data; p && *p;) {
		size_t n = strcspn(p, "\n");
		if (p[n] == '\n')
			n++;
		int retry = !strncasecmp(p, "Retry-After:", 12);
		if (retry || !strncasecmp(p, "X-RateLimit-", 12))
			qbuf_add(&kept, p, n);
		has_retry |= retry;
		p += n;
	}
	qbuf_reset(&resp->headers);
	if (kept.len)
		qbuf_add(&resp->headers, kept.data, kept.len);
	qbuf_free(&kept);
	return has_retry;
}

/* The stream route's clients read events, whatever the status (the
 * seed's streamChat parses "data: " lines): the error as the one event
 * of a text/event-stream body. Steals body. */
static void sse_error(struct qresp *resp, int http, json_t *body)
{
	char *j = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	resp->status = http;
	qbuf_reset(&resp->body);
	qresp_header(resp, "Content-Type", "text/event-stream");
	qresp_header(resp, "Cache-Control", "no-cache");
	qbuf_printf(&resp->body, "data: %s\n\n", j ? j : "{\"error\": \"error\"}");
	free(j);
}

/* The form routes' error: a small page with the message (html.h). */
static void form_error(struct qresp *resp, int http, const struct qerr *err)
{
	struct qbuf b;
	qbuf_init(&b, 65536);
	qbuf_adds(&b, "<p role=\"alert\">");
	html_escape(&b, err->msg);
	qbuf_adds(&b, "</p>\n");
	html_page(resp, http, "The request could not be completed", b.data ? b.data : "", 0);
	qbuf_free(&b);
}

void family_error(enum family fam, struct qresp *resp, const struct qerr *err, int retry_after)
{
	int http = q_http_status(err->st);
	json_t *body;

	switch (fam) {
	case FAM_DIFY:
		body = dify_error(err, http);
		break;
	case FAM_CHAT:
	case FAM_CHAT_STREAM:
		body = json_pack("{s:s}", "error", err->msg);
		break;
	case FAM_CUSTOM:
		body = json_pack("{s:b, s:s}", "ok", 0, "message", err->msg);
		break;
	case FAM_SLUG:
		body = json_pack("{s:s}", "detail", err->msg);
		break;
	case FAM_FORM:
		body = NULL;   /* an HTML page, below */
		break;
	default:
		body = native_error(err);
		break;
	}
	int has_retry = keep_rate_headers(resp);
	if (http == 401)
		qresp_header(resp, "WWW-Authenticate", "Bearer");
	if ((http == 503 || http == 429) && !has_retry) {
		char v[16];
		snprintf(v, sizeof v, "%d", retry_after);
		qresp_header(resp, "Retry-After", v);
	}
	if (fam == FAM_CHAT_STREAM) {
		sse_error(resp, http, body);
		return;
	}
	if (fam == FAM_FORM) {   /* a browser's page: never raw JSON */
		form_error(resp, http, err);
		return;
	}
	qresp_json_new(resp, http, body);
}

static int fd_write(void *ctx, const void *p, size_t n)
{
	return q_write_all(*(int *)ctx, p, n);
}

static const char *env_param(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

int family_error_cgi(int fd, const char *base_path, const struct qerr *err, int retry_after)
{
	struct qreq r;
	struct qresp resp;
	struct qerr perr;
	memset(&r, 0, sizeof r);
	r.param = env_param;
	const char *path = qreq_init(&r, base_path, &perr) == Q_OK ? r.path : "/";
	qresp_init(&resp);
	resp.write = fd_write;
	resp.wctx = &fd;
	family_error(route_family(path), &resp, err, retry_after);
	int rc = resp.streaming ? 0 : qresp_send(&resp);
	qresp_free(&resp);
	return rc;
}
