/* chatiq_documents.c: the native documents API, shaped exactly as the ChatIQ
 * seed: GET/POST /api/v1/documents, GET/PUT/DELETE /api/v1/documents/:id. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/views.h"
#include "api/util.h"
#include "api/upload.h"
#include "api/chatiq_documents.h"
#include "store/blob.h"
#include "api/scope.h"
#include "api/idempotency.h"
#include "store/docs.h"
#include "base/fault.h"
#include "base/log.h"
#include "pipeline/split.h"
#include "pipeline/chunk_rule.h"
#include "store/store.h"
#include "base/jsonscan.h"
#include "base/util.h"
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TITLE_MAX 1000
#define TAGS_MAX 64
#define TAG_MAX 100
#define URL_MAX 2048

/* Validate a create (create=1) or update body into in. Names the field. */
static enum qstatus parse_input(json_t *body, int create, struct doc_input *in,
				struct qerr *err)
{
	const char *key;
	json_t *v;

	memset(in, 0, sizeof *in);
	json_object_foreach(body, key, v) {
		if (!strcmp(key, "title")) {
			if (!json_is_string(v))
				return qerr_set(err, Q_EINVAL, "title", "title must be a string");
			in->title = json_string_value(v);
			size_t n = json_string_length(v), i = 0;
			while (i < n && strchr(" \t\r\n", in->title[i]))
				i++;
			if (i == n)
				return qerr_set(err, Q_EINVAL, "title", "title must not be empty");
			if (n > TITLE_MAX)
				return qerr_set(err, Q_EINVAL, "title",
						"title must be at most %d bytes", TITLE_MAX);
		} else if (!strcmp(key, "content")) {
			if (!json_is_string(v))
				return qerr_set(err, Q_EINVAL, "content", "content must be a string");
			in->content = json_string_value(v);
			in->content_len = json_string_length(v);
			if (in->content_len == 0)
				return qerr_set(err, Q_EINVAL, "content", "content must not be empty");
		} else if (!strcmp(key, "tags")) {
			size_t i;
			json_t *tag;
			if (!json_is_array(v))
				return qerr_set(err, Q_EINVAL, "tags", "tags must be an array of strings");
			if (json_array_size(v) > TAGS_MAX)
				return qerr_set(err, Q_EINVAL, "tags", "at most %d tags", TAGS_MAX);
			json_array_foreach(v, i, tag) {
				if (!json_is_string(tag))
					return qerr_set(err, Q_EINVAL, "tags",
							"tags[%zu] must be a string", i);
				if (json_string_length(tag) == 0 || json_string_length(tag) > TAG_MAX)
					return qerr_set(err, Q_EINVAL, "tags",
							"tags[%zu] must be 1-%d bytes", i, TAG_MAX);
			}
			in->tags = v;
		} else if (!strcmp(key, "canonical_url")) {
			if (!json_is_null(v) && !json_is_string(v))
				return qerr_set(err, Q_EINVAL, "canonical_url",
						"canonical_url must be a string or null");
			if (json_is_string(v) && json_string_length(v) > URL_MAX)
				return qerr_set(err, Q_EINVAL, "canonical_url",
						"canonical_url must be at most %d bytes", URL_MAX);
			in->canonical_url = v;
		} else if (!strcmp(key, "is_global")) {
			if (!json_is_boolean(v))
				return qerr_set(err, Q_EINVAL, "is_global", "is_global must be true or false");
			in->is_global = v;
		} else if (!strcmp(key, "process_rule")) {
			continue;   /* below, once the loop is done with the object */
		} else {
			return qerr_set(err, Q_EINVAL, key, "unknown field '%.64s'", key);
		}
	}
	json_t *rule = json_object_get(body, "process_rule");
	if (rule) {
		json_t *norm;
		enum qstatus st = split_rule_check(rule, &norm, err);
		if (st != Q_OK)
			return st;
		/* the body owns the normalised rule for the request's lifetime */
		json_object_set_new(body, "\001process_rule", norm);
		in->process_rule = norm;
	}
	if (create && !in->title)
		return qerr_set(err, Q_EINVAL, "title", "title is required");
	if (create && !in->content)
		return qerr_set(err, Q_EINVAL, "content", "content is required");
	return Q_OK;
}

/* ---- create ------------------------------------------------------------ */

struct create_arg {
	struct qctx *c;
	struct doc_input in;
	const char *idem;          /* Idempotency-Key header or NULL */
	char fp[IDEM_HEX];         /* the request's fingerprint (idempotency.h) */
	json_t *doc;               /* out */
	int replayed;
};

/* The document the key's first request created, into a->doc. */
static enum qstatus replay_doc(struct stxn *t, json_t *ids, void *arg, struct qerr *err)
{
	struct create_arg *a = arg;
	const char *prev = json_string_value(json_array_get(ids, 0));
	return doc_get(t, a->c->who.account, prev ? prev : "", 0, &a->doc, err);
}

static enum qstatus create_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct create_arg *a = arg;
	char id[37];
	enum qstatus st;

	/* the job queue's writers one at a time (store.h): a create and a
	 * claim that met on the queue's indexes deadlocked */
	if ((st = store_txn_lock(t, STORE_LOCK_JOBS, err)) != Q_OK)
		return st;
	/* The same key and request from the same account: the first result;
	 * the same key with another request: refused. */
	st = idem_replay(t, a->c->who.account, a->idem, a->fp, replay_doc, a, &a->replayed, err);
	if (st != Q_OK || a->replayed)
		return st;
	/* created first, then the queue counted with it: two creates that
	 * both read the queue's pages before writing them deadlocked */
	if ((st = doc_create(t, a->c->who.account, &a->in, id, &a->doc, err)) != Q_OK ||
	    (st = api_ingest_room(a->c, t, 1, err)) != Q_OK)
		return st;
	if (a->idem) {
		json_t *ids = json_pack("[s]", id);
		st = idem_store(t, a->c->who.account, a->idem, a->fp, ids, err);
		json_decref(ids);
	}
	fault_point("create_txn_mid_kill");   /* docs/reliability.md D2: dies before the commit */
	return st;
}

enum qstatus api_documents_create(struct qctx *c)
{
	const struct qconf *conf = c->app->conf;
	struct create_arg a = {.c = c};
	json_t *body = NULL, *roles = NULL;
	enum qstatus st;

	if (!strncasecmp(c->req->content_type, "multipart/form-data", 19))
		return api_documents_upload(c);
	if ((st = qreq_json(c->req, conf->max_json, conf->max_json_depth, &body, &c->err)))
		return st;
	if ((st = idem_header(c, &a.idem)) != Q_OK)
		goto out;
	if (a.idem) {   /* before parse_input adds its normalised rule */
		char *text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
		idem_fingerprint(c, text ? text : "", text ? strlen(text) : 0, a.fp);
		free(text);
	}
	if ((st = parse_input(body, 1, &a.in, &c->err)) != Q_OK)
		goto out;
	/* chat scope headers: org, folder, allowed roles (api/scope.h) */
	if ((st = chat_doc_scope(c->req, &a.in, &roles, &c->err)) != Q_OK)
		goto out;
	a.in.created_by = c->who.key_id;
	if ((st = store_run_flushed(c->app->store, create_fn, &a, &c->err)) != Q_OK)
		goto out;
	if (!a.replayed)
		fault_point("create_committed_kill");   /* D3: committed, no answer sent */
	qresp_json_new(c->resp, a.replayed ? 200 : 201,
		       json_pack("{s:o}", "document", api_native_doc(a.doc, NULL, 0)));
	if (!a.replayed)
		qresp_after_ingest(c->resp, api_str(a.doc, "id"));
out:
	json_decref(a.doc);
	json_decref(roles);
	json_decref(body);
	return st;
}

/* ---- get --------------------------------------------------------------- */

/* The hot read path: the stored record and text are read into buffers kept
 * from one request to the next (a worker serves one request at a time) and
 * the answer is written from the record's text without parsing it. */
#define GET_KEEP (64u * 1024)   /* larger buffers are released after use */
static struct qbuf get_rec = {NULL, 0, 0, (size_t)1 << 30};
static struct qbuf get_text = {NULL, 0, 0, (size_t)1 << 31};

/* The record's members the answer copies, found by doc_get_text. */
enum { F_ID, F_TITLE, F_TAGS, F_CREATED, F_GLOBAL, F_CANON, F_MAX };
static const char *const get_names[F_MAX] = {"id", "title", "tags", "created_us",
					     "is_global", "canonical_url"};
static struct q_span get_fields[F_MAX];

static enum qstatus get_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct qctx *c = arg;
	const char *id = qctx_param(c, "id");
	enum qstatus st = doc_get_text(t, c->who.account, id, &get_rec, get_names, get_fields,
				       F_MAX, err);
	if (st != Q_OK)
		return st;
	st = store_get_buf(t, T_CONTENT, id, &get_text, err);
	if (st == Q_ENOTFOUND) {   /* no text (yet): an empty one */
		qerr_clear(err);
		qbuf_reset(&get_text);
		st = Q_OK;
	}
	return st;
}

static int add_member(struct qbuf *b, const char *key, struct q_span v)
{
	if (qbuf_adds(b, key) < 0)
		return -1;
	return v.p ? qbuf_add(b, v.p, v.n) : qbuf_add(b, "null", 4);
}

/* api_native_doc(rec) without its closing brace, from the record's members
 * f (as doc_get_text found them): copied as stored (jansson wrote them),
 * created_us becomes created_at. 0, or -1 when memory is out. */
static int render_members(struct qbuf *b, const struct q_span f[F_MAX])
{
	char created[32];

	q_iso8601(q_span_int(f[F_CREATED]), created, sizeof created);
	if (add_member(b, "{\"id\":", f[F_ID]) < 0 ||
	    add_member(b, ",\"title\":", f[F_TITLE]) < 0 ||
	    add_member(b, ",\"tags\":", f[F_TAGS]) < 0 ||
	    qbuf_adds(b, ",\"created_at\":\"") < 0 || qbuf_adds(b, created) < 0 ||
	    qbuf_add(b, "\"", 1) < 0 ||
	    add_member(b, ",\"is_global\":", f[F_GLOBAL]) < 0 ||
	    add_member(b, ",\"canonical_url\":", f[F_CANON]) < 0)
		return -1;
	return 0;
}

/* {"document": api_native_doc(rec, text)} from the record's members f.
 * Text that is not UTF-8 is left out, as json_stringn refuses it. 0, or -1
 * when memory is out. */
static int render_doc_text(struct qbuf *b, const struct q_span f[F_MAX], const struct qbuf *text)
{
	if (qbuf_adds(b, "{\"document\":") < 0 || render_members(b, f) < 0)
		return -1;
	size_t before = b->len;
	if (qbuf_adds(b, ",\"content\":") < 0 ||
	    q_json_escape(b, text->data ? text->data : "", text->len) < 0) {
		b->len = before;
		b->data[before] = '\0';
	}
	return qbuf_adds(b, "}}");
}

static void get_release(struct qbuf *b)
{
	if (b->alloc > GET_KEEP)
		qbuf_free(b);
}

enum qstatus api_documents_get(struct qctx *c)
{
	enum qstatus st = store_run(c->app->store, get_fn, c, &c->err);
	if (st == Q_OK && render_doc_text(qresp_json(c->resp, 200), get_fields, &get_text) < 0) {
		qbuf_reset(&c->resp->headers);   /* the error gets its own */
		st = qerr_set(&c->err, Q_ENOMEM, NULL, "out of memory");
	}
	get_release(&get_rec);
	get_release(&get_text);
	return st;
}

/* ---- update ------------------------------------------------------------ */

struct update_arg {
	struct qctx *c;
	struct doc_input in;
	json_t *doc;
	char *content;
	size_t clen;
};

static enum qstatus update_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct update_arg *a = arg;
	const char *id = qctx_param(a->c, "id");
	json_decref(a->doc);
	a->doc = NULL;
	free(a->content);
	a->content = NULL;
	enum qstatus st = doc_update(t, a->c->who.account, id, &a->in, &a->doc, err);
	if (st != Q_OK)
		return st;
	return doc_content(t, id, &a->content, &a->clen, err);
}

enum qstatus api_documents_update(struct qctx *c)
{
	const struct qconf *conf = c->app->conf;
	struct update_arg a = {.c = c};
	json_t *body = NULL;
	enum qstatus st;

	if ((st = qreq_json(c->req, conf->max_json, conf->max_json_depth, &body, &c->err)))
		return st;
	if ((st = parse_input(body, 0, &a.in, &c->err)) != Q_OK)
		goto out;
	if ((st = store_run(c->app->store, update_fn, &a, &c->err)) != Q_OK)
		goto out;
	qresp_json_new(c->resp, 200, json_pack("{s:o}", "document",
					       api_native_doc(a.doc, a.content, a.clen)));
	if (a.in.content || a.in.process_rule)
		qresp_after_ingest(c->resp, api_str(a.doc, "id"));
out:
	json_decref(a.doc);
	free(a.content);
	json_decref(body);
	return st;
}

/* ---- delete ------------------------------------------------------------ */

struct delete_arg {
	struct qctx *c;
	char orphan[BLOB_HASH_HEX];
};

static enum qstatus delete_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct delete_arg *a = arg;
	return doc_delete(t, a->c->who.account, qctx_param(a->c, "id"), a->orphan, err);
}

enum qstatus api_documents_delete(struct qctx *c)
{
	struct delete_arg a = {c, ""};
	enum qstatus st = store_run(c->app->store, delete_fn, &a, &c->err);
	if (st != Q_OK)
		return st;
	if (a.orphan[0]) {
		fault_point("delete_committed_kill");   /* dies before the sweep */
		doc_blob_sweep(c->app->store, c->app->conf->datadir, a.orphan);
	}
	qresp_json_new(c->resp, 200, json_pack("{s:b}", "success", 1));
	return Q_OK;
}

/* ---- list -------------------------------------------------------------- */

struct list_arg {
	struct qctx *c;
	size_t limit, offset, total;
	json_t *docs;
};

static int list_add(json_t *rec, void *arg)
{
	struct list_arg *a = arg;
	json_array_append_new(a->docs, api_native_doc(rec, NULL, 0));
	return 0;
}

static enum qstatus list_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct list_arg *a = arg;
	json_array_clear(a->docs);
	return doc_list(t, a->c->who.account, a->offset, a->limit, list_add, a, &a->total, err);
}

enum qstatus api_page_params(struct qctx *c, size_t def_limit, size_t max_limit,
			     size_t *limit, size_t *offset)
{
	char v[32];
	unsigned long long n;
	int r;

	*limit = def_limit;
	*offset = 0;
	if ((r = qreq_query(c->req, "limit", v, sizeof v)) != 0) {
		if (r < 0 || q_parse_uint(v, max_limit, &n) < 0 || n == 0)
			return qerr_set(&c->err, Q_EINVAL, "limit",
					"limit must be a number from 1 to %zu", max_limit);
		*limit = (size_t)n;
	}
	if ((r = qreq_query(c->req, "offset", v, sizeof v)) != 0) {
		if (r < 0 || q_parse_uint(v, 1ull << 40, &n) < 0)
			return qerr_set(&c->err, Q_EINVAL, "offset",
					"offset must be a non-negative number");
		*offset = (size_t)n;
	}
	return Q_OK;
}

/* ---- the whole list, streamed -------------------------------------------- */

/* Without limit the seed's list "retrieves all documents": they go out in
 * windows of LIST_WINDOW, newest first, each read in a short transaction
 * of its own and written before the next is read, so memory stays bounded
 * however many there are and no transaction waits on the client.
 * Positions count from the account's oldest document, so documents
 * created meanwhile (newer than the list) are not in it; one deleted
 * meanwhile may leave another out or shift it across a window. */
#define LIST_WINDOW 500

struct stream_arg {
	struct qctx *c;
	size_t end;               /* positions [0, end) are still to send */
	size_t sent;              /* bytes of documents written */
	size_t docs, wdocs;       /* documents written; in the window */
	struct qbuf out;          /* rendered, not yet written */
};

static enum qstatus total_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct stream_arg *a = arg;
	struct store_key k;
	store_key_init(&k);
	store_key_str(&k, a->c->who.account);
	return store_count(t, I_DOCS_BY_ACCOUNT, &k, &a->end, err);
}

static enum qstatus window_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct stream_arg *a = arg;
	struct store_key k;
	struct store_ids ids = {0};
	size_t start = a->end > LIST_WINDOW ? a->end - LIST_WINDOW : 0;
	a->out.len = 0;   /* a rerun after a deadlock starts the window over */
	a->wdocs = 0;
	store_key_init(&k);
	store_key_str(&k, a->c->who.account);
	enum qstatus st = store_scan(t, I_DOCS_BY_ACCOUNT, &k, start, a->end - start, store_collect,
				     &ids, err);
	if (st == Q_OK && ids.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	/* Each document as the GET route writes it: its stored members
	 * copied without a parse (render_members). */
	for (size_t i = ids.n; st == Q_OK && i > 0; i--) {
		st = doc_get_text(t, a->c->who.account, ids.ids[i - 1], &get_rec, get_names,
				  get_fields, F_MAX, err);
		if (st == Q_ENOTFOUND) {   /* deleted since it was listed */
			qerr_clear(err);
			st = Q_OK;
			continue;
		}
		if (st != Q_OK)
			break;
		if ((a->sent + a->out.len > 0 && qbuf_add(&a->out, ",", 1) < 0) ||
		    render_members(&a->out, get_fields) < 0 || qbuf_add(&a->out, "}", 1) < 0)
			st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		a->wdocs++;
	}
	store_ids_free(&ids);
	return st;
}

static int stream_out(struct qctx *c, const char *p, size_t n)
{
	if (!c->resp->write)   /* no writer (the CGI test harness): buffered */
		return qbuf_add(&c->resp->body, p, n);
	return c->resp->write(c->resp->wctx, p, n);
}

static enum qstatus list_all(struct qctx *c)
{
	struct stream_arg a = {.c = c};
	enum qstatus st = store_run(c->app->store, total_fn, &a, &c->err);
	if (st != Q_OK)
		return st;
	qbuf_init(&a.out, (size_t)1 << 30);
	qresp_json(c->resp, 200);
	if (c->resp->write) {
		struct qbuf h;
		qbuf_init(&h, 128 * 1024);
		qbuf_adds(&h, "Status: 200 OK\r\n");
		qbuf_add(&h, c->resp->headers.data ? c->resp->headers.data : "", c->resp->headers.len);
		qbuf_adds(&h, "\r\n");
		c->resp->streaming = 1;   /* from here on the answer is ours to write */
		int rc = h.data ? c->resp->write(c->resp->wctx, h.data, h.len) : -1;
		qbuf_free(&h);
		if (rc < 0)
			goto out;
	}
	if (stream_out(c, "{\"documents\":[", 14) < 0)
		goto out;
	while (a.end > 0) {
		if ((st = store_run(c->app->store, window_fn, &a, &c->err)) != Q_OK) {
			/* Too late for an error answer: cut the JSON short. */
			QLOG_WARN("documents list: %s", c->err.msg);
			st = c->resp->streaming ? Q_OK : st;
			goto out;
		}
		a.sent += a.out.len;
		a.docs += a.wdocs;
		if (a.out.len && stream_out(c, a.out.data, a.out.len) < 0)
			goto out;
		a.end = a.end > LIST_WINDOW ? a.end - LIST_WINDOW : 0;
	}
	char tail[128];
	int n = snprintf(tail, sizeof tail, "],\"pagination\":{\"limit\":%zu,\"offset\":0,\"total\":%zu}}",
			 a.docs, a.docs);
	stream_out(c, tail, (size_t)n);
	if (c->resp->write && c->resp->flush)
		c->resp->flush(c->resp->wctx);
out:
	qbuf_free(&a.out);
	get_release(&get_rec);
	return st;
}

enum qstatus api_documents_list(struct qctx *c)
{
	struct list_arg a = {.c = c};
	if (qreq_query(c->req, "limit", (char[2]){0}, 2) == 0 &&
	    qreq_query(c->req, "offset", (char[2]){0}, 2) == 0)
		return list_all(c);
	enum qstatus st = api_page_params(c, 100, (size_t)c->app->conf->list_limit_max,
					  &a.limit, &a.offset);
	if (st != Q_OK)
		return st;
	a.docs = json_array();
	if ((st = store_run(c->app->store, list_fn, &a, &c->err)) != Q_OK) {
		json_decref(a.docs);
		return st;
	}
	qresp_json_new(c->resp, 200,
		       json_pack("{s:o, s:{s:I, s:I, s:I}}", "documents", a.docs, "pagination",
				 "limit", (json_int_t)a.limit, "offset", (json_int_t)a.offset,
				 "total", (json_int_t)a.total));
	return Q_OK;
}
