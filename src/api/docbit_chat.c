/* docbit_chat.c: DocBit's chat routes, shaped exactly as its seed:
 * POST /api/ai/chat (one JSON answer) and POST /api/ai/chat/stream
 * (Server-Sent Events: {"token"} events as the answer is produced, then
 * {"conversationId", "citations", "confidence"}, or {"error"}).
 *
 * Order of checks: the key (app.c, scope chat), the per-key rate limit
 * (429 "Rate limit exceeded" with Retry-After; X-RateLimit-* headers on
 * every answer), the scope headers (400 "Missing required header"), the
 * body (400 "Message is required"), the conversation (404 "Conversation not
 * found"). Until the stream has begun, the stream route answers errors
 * like the other one (their HTTP status and {"error": "..."}); after it,
 * with an error event. An answer-model failure is 502 {"error": "..."}. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/docbit_chat.h"
#include "chat/chat.h"
#include "chat/chat_terms.h"
#include "api/scope.h"
#include "base/log.h"
#include "http/ratelimit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define IDS_MAX 1000            /* documentIds, folderIds */

struct chat_input {
	const char *org, *user;
	json_t *roles;             /* new */
	json_t *body;              /* new */
	const char *message;       /* borrowed from body */
	const char *conversation;  /* borrowed from body, NULL = new */
	json_t *doc_ids, *folder_ids;   /* borrowed from body, NULL = any */
};

/* ---- checks ---------------------------------------------------------------- */

static enum qstatus rate_limit(struct qctx *c)
{
	const struct qconf *conf = c->app->conf;
	char path[PATH_MAX], key[64], v[32];
	struct rl_result rl;
	if (conf->chat_rate_limit <= 0)
		return Q_OK;
	qconf_datapath(conf, "ratelimit", path);
	snprintf(key, sizeof key, "%s:%s", c->who.account, c->who.key_id);
	rl_hit(path, key, (unsigned)conf->chat_rate_limit, (int64_t)time(NULL), &rl);
	snprintf(v, sizeof v, "%u", rl.limit);
	qresp_header(c->resp, "X-RateLimit-Limit", v);
	snprintf(v, sizeof v, "%u", rl.remaining);
	qresp_header(c->resp, "X-RateLimit-Remaining", v);
	snprintf(v, sizeof v, "%lld", (long long)rl.reset);
	qresp_header(c->resp, "X-RateLimit-Reset", v);
	if (rl.allowed)
		return Q_OK;
	snprintf(v, sizeof v, "%d", rl.retry_after);
	qresp_header(c->resp, "Retry-After", v);
	return qerr_set(&c->err, Q_ERATE, NULL, "Rate limit exceeded");
}

/* An optional array of id strings: NULL when absent, null or empty. */
static enum qstatus id_list(json_t *body, const char *name, json_t **out, struct qerr *err)
{
	json_t *v = json_object_get(body, name), *id;
	size_t i;
	*out = NULL;
	if (!v || json_is_null(v))
		return Q_OK;
	if (!json_is_array(v) || json_array_size(v) > IDS_MAX)
		return qerr_set(err, Q_EINVAL, name, "%s must be an array of at most %d strings", name,
				IDS_MAX);
	json_array_foreach(v, i, id)
		if (!json_is_string(id) || json_string_length(id) > SCOPE_ID_MAX)
			return qerr_set(err, Q_EINVAL, name, "%s must be an array of strings", name);
	*out = json_array_size(v) ? v : NULL;
	return Q_OK;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(" \t\r\n", s[i]))
			return 0;
	return 1;
}

static enum qstatus parse_body(struct qctx *c, struct chat_input *in)
{
	const struct qconf *conf = c->app->conf;
	enum qstatus st = qreq_json(c->req, conf->max_json, conf->max_json_depth, &in->body, &c->err);
	if (st != Q_OK)
		return st;
	json_t *m = json_object_get(in->body, "message");
	json_t *cid = json_object_get(in->body, "conversationId");
	if (!m || json_is_null(m) || (json_is_string(m) && blank(json_string_value(m),
								 json_string_length(m))))
		return qerr_set(&c->err, Q_EINVAL, "message", "Message is required");
	if (!json_is_string(m))
		return qerr_set(&c->err, Q_EINVAL, "message", "Message must be a string");
	if (json_string_length(m) > conf->chat_max_message)
		return qerr_set(&c->err, Q_EINVAL, "message", "Message is too long (at most %zu bytes)",
				conf->chat_max_message);
	if (memchr(json_string_value(m), '\0', json_string_length(m)))
		return qerr_set(&c->err, Q_EINVAL, "message", "Message must not contain NUL");
	in->message = json_string_value(m);
	if (cid && !json_is_null(cid) && !json_is_string(cid))
		return qerr_set(&c->err, Q_EINVAL, "conversationId", "conversationId must be a string");
	in->conversation = json_string_value(cid);
	if (in->conversation && !*in->conversation)
		in->conversation = NULL;   /* "" starts one, like null */
	if ((st = id_list(in->body, "documentIds", &in->doc_ids, &c->err)) != Q_OK)
		return st;
	return id_list(in->body, "folderIds", &in->folder_ids, &c->err);
}

static enum qstatus prepare(struct qctx *c, struct chat_input *in)
{
	enum qstatus st;
	memset(in, 0, sizeof *in);
	if ((st = rate_limit(c)) != Q_OK)
		return st;
	if ((st = chat_scope_headers(c->req, &in->org, &in->user, &in->roles, &c->err)) != Q_OK)
		return st;
	return parse_body(c, in);
}

static void input_free(struct chat_input *in)
{
	json_decref(in->roles);
	json_decref(in->body);
}

static void request_init(struct qctx *c, struct chat_input *in, struct chat_request *r)
{
	memset(r, 0, sizeof *r);
	r->conf = c->app->conf;
	r->store = c->app->store;
	r->account = c->who.account;
	r->org = in->org;
	r->user = in->user;
	r->roles = in->roles;
	r->doc_ids = in->doc_ids;
	r->folder_ids = in->folder_ids;
	r->message = in->message;
	r->conversation_id = in->conversation;
}

/* ---- POST /api/ai/chat ------------------------------------------------------- */

enum qstatus api_chat(struct qctx *c)
{
	struct chat_input in;
	struct chat_request r;
	enum qstatus st = prepare(c, &in);
	if (st != Q_OK)
		goto out;
	request_init(c, &in, &r);
	st = chat_run(&r, &c->err);
	if (st == Q_OK) {
		json_t *content = json_stringn(r.answer.content.data ? r.answer.content.data : "",
					       r.answer.content.len);
		qresp_json_new(c->resp, 200, json_pack("{s:s, s:o, s:O, s:s}",
						       "conversationId", r.conversation,
						       "content", content ? content : json_string(""),
						       "citations", r.citations,
						       "confidence", chat_confidence_name(r.confidence)));
	} else if (r.answer.upstream) {
		/* Logged by the answerer; the seed's error shape with 502. */
		qresp_json_new(c->resp, 502, json_pack("{s:s}", "error", c->err.msg));
		st = Q_OK;
	}
	chat_request_free(&r);
out:
	input_free(&in);
	return st;
}

/* ---- POST /api/ai/chat/stream -------------------------------------------------- */

struct sse {
	struct qresp *resp;
	int buffered;     /* no writer (a test harness): events collect in the body */
	int failed;       /* the client is gone */
};

static int sse_write(struct sse *s, const char *p, size_t n)
{
	struct qresp *resp = s->resp;
	if (s->failed)
		return -1;
	if (s->buffered)
		return qbuf_add(&resp->body, p, n);
	if (resp->write(resp->wctx, p, n) < 0 || (resp->flush && resp->flush(resp->wctx) < 0)) {
		s->failed = 1;
		return -1;
	}
	return 0;
}

/* The status line and headers; from here on errors are events. */
static int sse_begin(void *arg)
{
	struct sse *s = arg;
	struct qresp *resp = s->resp;
	qresp_header(resp, "Content-Type", "text/event-stream");
	qresp_header(resp, "Cache-Control", "no-cache");
	qresp_header(resp, "X-Accel-Buffering", "no");
	resp->status = 200;
	if (!resp->write) {
		s->buffered = 1;
		return 0;
	}
	struct qbuf h;
	qbuf_init(&h, 128 * 1024);
	qbuf_adds(&h, "Status: 200 OK\r\n");
	qbuf_add(&h, resp->headers.data ? resp->headers.data : "", resp->headers.len);
	qbuf_adds(&h, "\r\n");
	resp->streaming = 1;
	int rc = sse_write(s, h.data ? h.data : "", h.len);
	qbuf_free(&h);
	return rc;
}

/* One event, in one write so it travels as one FastCGI record. Steals ev. */
static int sse_event(struct sse *s, json_t *ev)
{
	char *j = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	json_decref(ev);
	if (!j)
		return 0;   /* not valid UTF-8 (cannot happen for our tokens): skip */
	struct qbuf e;
	qbuf_init(&e, (size_t)1 << 26);
	qbuf_printf(&e, "data: %s\n\n", j);
	free(j);
	int rc = e.data ? sse_write(s, e.data, e.len) : -1;
	qbuf_free(&e);
	return rc;
}

static int on_token(void *arg, const char *text, size_t len)
{
	json_t *tok = json_stringn(text, len);
	return sse_event(arg, tok ? json_pack("{s:o}", "token", tok) : NULL);
}

/* The end of a stream that has begun: the closing event, or the error as
 * an event; st as the answer counts it (Q_OK when answered in-band or the
 * client went away). */
static enum qstatus sse_end(struct sse *s, struct chat_request *r, enum qstatus st,
			    const struct qerr *err)
{
	if (s->failed || r->answer.gone) {
		QLOG_DEBUG("chat stream: the client went away");
		return Q_OK;
	}
	if (st == Q_OK) {
		sse_event(s, json_pack("{s:s, s:O, s:s}", "conversationId", r->conversation,
				       "citations", r->citations,
				       "confidence", chat_confidence_name(r->confidence)));
		return Q_OK;
	}
	sse_event(s, json_pack("{s:s}", "error", err->msg));
	if (s->buffered || r->answer.upstream)
		st = Q_OK;   /* answered in-band (the answerer logged it) */
	return st;
}

enum qstatus api_chat_stream(struct qctx *c)
{
	struct chat_input in;
	struct chat_request r;
	struct sse s = {c->resp, 0, 0};
	enum qstatus st = prepare(c, &in);
	if (st != Q_OK)
		goto out;
	request_init(c, &in, &r);
	r.emit = on_token;
	r.begin = sse_begin;
	r.emit_arg = &s;
	st = chat_run(&r, &c->err);
	if (r.begun)   /* else nothing was sent: an ordinary error answer */
		st = sse_end(&s, &r, st, &c->err);
	chat_request_free(&r);
out:
	input_free(&in);
	return st;
}
