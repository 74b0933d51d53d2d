/* api_sources.c: ChatAid's custom sources: list with filters, get, delete
 * by id, by ids, by filters or all of the organisation. (Uploads are in
 * api_upload.c.) Shapes: {"ok": true, ...}; errors {"ok": false, "message"}. */
#include "config.h"
#include "api.h"
#include "blob.h"
#include "docs.h"
#include "store.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <strings.h>

struct source_filter {
	char name[256], status[32], type[32], admin[64], team[128];
	int64_t from, to;          /* microseconds; 0 = open */
};

static json_t *source_json(json_t *rec, const char *base)
{
	char url[1024] = "";
	const char *team = api_str(rec, "team_id");
	const char *admin = api_str(rec, "created_by");
	if (*api_str(rec, "blob"))
		snprintf(url, sizeof url, "%s/api/v1/documents/%s/file", base, api_str(rec, "id"));
	else if (json_is_string(json_object_get(rec, "canonical_url")))
		snprintf(url, sizeof url, "%s", api_str(rec, "canonical_url"));
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[], s:[], s:{s:s, s:s}, s:O,"
			      " s:o, s:o, s:o, s:s, s:I, s:I}",
			      "id", api_str(rec, "id"), "name", api_str(rec, "title"),
			      "status", doc_status_chataid(rec),
			      "type", *api_str(rec, "file_type") ? api_str(rec, "file_type") : "text",
			      "url", url, "adminIds", "teamIds",
			      "description", "ai", "", "user", "",
			      "error", json_object_get(rec, "error") ?: json_null(),
			      "createdAt", api_iso_time(rec, "created_us"),
			      "lastTrainingStartedAt", api_iso_time(rec, "parsing_us"),
			      "lastTrainingAttemptedAt", api_iso_time(rec, "parsing_us"),
			      "lastTrainType", "full",
			      "wordCount", json_integer_value(json_object_get(rec, "word_count")),
			      "usageCounts", json_integer_value(json_object_get(rec, "hit_count")));
	if (o && *admin)
		json_array_append_new(json_object_get(o, "adminIds"), json_string(admin));
	if (o && *team)
		json_array_append_new(json_object_get(o, "teamIds"), json_string(team));
	return o;
}

static int ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return n == 0;
}

static int filter_match(const struct source_filter *f, json_t *rec)
{
	const char *type = *api_str(rec, "file_type") ? api_str(rec, "file_type") : "text";
	json_int_t created = json_integer_value(json_object_get(rec, "created_us"));
	if (f->name[0] && !ci_contains(api_str(rec, "title"), f->name))
		return 0;
	if (f->status[0] && strcmp(f->status, doc_status_chataid(rec)))
		return 0;
	if (f->type[0] && strcasecmp(f->type, type))
		return 0;
	if (f->admin[0] && strcmp(f->admin, api_str(rec, "created_by")))
		return 0;
	if (f->team[0] && strcmp(f->team, api_str(rec, "team_id")))
		return 0;
	if (f->from && created < f->from)
		return 0;
	if (f->to && created > f->to)
		return 0;
	return 1;
}

/* Fill f from a getter (query string or JSON filters object). */
typedef int (*getter)(void *src, const char *name, char *out, size_t n);

static enum qstatus filter_parse(struct source_filter *f, getter get, void *src,
				 struct qerr *err)
{
	static const struct { const char *name; size_t off, len; } text[] = {
		{"name", offsetof(struct source_filter, name), sizeof ((struct source_filter *)0)->name},
		{"status", offsetof(struct source_filter, status), sizeof ((struct source_filter *)0)->status},
		{"type", offsetof(struct source_filter, type), sizeof ((struct source_filter *)0)->type},
		{"adminId", offsetof(struct source_filter, admin), sizeof ((struct source_filter *)0)->admin},
		{"teamId", offsetof(struct source_filter, team), sizeof ((struct source_filter *)0)->team},
	};
	char v[64];
	memset(f, 0, sizeof *f);
	for (size_t i = 0; i < sizeof text / sizeof *text; i++)
		if (get(src, text[i].name, (char *)f + text[i].off, text[i].len) < 0)
			return qerr_set(err, Q_EINVAL, text[i].name, "%s is not valid", text[i].name);
	const char *dates[] = {"createdAtFrom", "createdAtTo"};
	for (int i = 0; i < 2; i++) {
		int r = get(src, dates[i], v, sizeof v);
		if (r < 0 || (r > 0 && v[0] && q_parse_iso8601(v, i ? &f->to : &f->from) < 0))
			return qerr_set(err, Q_EINVAL, dates[i], "%s must be an ISO 8601 date", dates[i]);
	}
	return Q_OK;
}

static int query_get(void *src, const char *name, char *out, size_t n)
{
	out[0] = '\0';
	return qreq_query(src, name, out, n);
}

static int json_get(void *src, const char *name, char *out, size_t n)
{
	json_t *v = json_object_get(src, name);
	out[0] = '\0';
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) >= n)
		return -1;
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return 1;
}

/* ---- list --------------------------------------------------------------- */

struct list_arg {
	struct qctx *c;
	struct source_filter f;
	size_t page, page_size, total;
	json_t *data;
	char base[512];
};

static int list_one(json_t *rec, void *arg)
{
	struct list_arg *a = arg;
	if (!filter_match(&a->f, rec))
		return 0;
	size_t idx = a->total++;
	if (idx >= (a->page - 1) * a->page_size && idx < a->page * a->page_size)
		json_array_append_new(a->data, source_json(rec, a->base));
	return 0;
}

static enum qstatus list_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct list_arg *a = arg;
	size_t all;
	json_array_clear(a->data);
	a->total = 0;
	return doc_list(t, a->c->who.account, 0, (size_t)-1, list_one, a, &all, err);
}

enum qstatus api_sources_list(struct qctx *c)
{
	struct list_arg a = {.c = c, .page = 1, .page_size = 100};
	char v[32];
	unsigned long long n;
	int r;
	enum qstatus st;

	if ((r = qreq_query(c->req, "page", v, sizeof v)) != 0) {
		if (r < 0 || q_parse_uint(v, 1u << 30, &n) < 0 || n == 0)
			return qerr_set(&c->err, Q_EINVAL, "page", "page must be a number from 1");
		a.page = (size_t)n;
	}
	if ((r = qreq_query(c->req, "pageSize", v, sizeof v)) != 0) {
		if (r < 0 || q_parse_uint(v, 1000, &n) < 0 || n == 0)
			return qerr_set(&c->err, Q_EINVAL, "pageSize", "pageSize must be from 1 to 1000");
		a.page_size = (size_t)n;
	}
	if ((st = filter_parse(&a.f, query_get, c->req, &c->err)) != Q_OK)
		return st;
	api_base_url(c, a.base, sizeof a.base);
	a.data = json_array();
	if ((st = store_run(c->app->store, list_fn, &a, &c->err)) != Q_OK) {
		json_decref(a.data);
		return st;
	}
	qresp_json_new(c->resp, 200,
		       json_pack("{s:b, s:o, s:I, s:I, s:I, s:I}", "ok", 1, "data", a.data,
				 "page", (json_int_t)a.page, "pageSize", (json_int_t)a.page_size,
				 "total", (json_int_t)a.total,
				 "totalPages", (json_int_t)((a.total + a.page_size - 1) / a.page_size)));
	return Q_OK;
}

/* ---- get ---------------------------------------------------------------- */

struct get_arg {
	struct qctx *c;
	json_t *doc;
};

static enum qstatus get_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct get_arg *a = arg;
	return doc_get(t, a->c->who.account, qctx_param(a->c, "id"), 0, &a->doc, err);
}

enum qstatus api_sources_get(struct qctx *c)
{
	struct get_arg a = {c, NULL};
	char base[512];
	enum qstatus st = store_run(c->app->store, get_fn, &a, &c->err);
	if (st == Q_ENOTFOUND)
		return qerr_set(&c->err, st, NULL, "Custom source not found");
	if (st != Q_OK)
		return st;
	api_base_url(c, base, sizeof base);
	qresp_json_new(c->resp, 200, json_pack("{s:b, s:o}", "ok", 1, "data",
					       source_json(a.doc, base)));
	json_decref(a.doc);
	return Q_OK;
}

/* ---- delete ------------------------------------------------------------- */

#define DELETE_BATCH 100

struct del_arg {
	struct qctx *c;
	struct store_ids ids;       /* candidates (already filtered) */
	size_t next, deleted;
	struct store_ids orphans;   /* blobs to remove after each commit */
};

static enum qstatus del_batch_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct del_arg *a = arg;
	size_t end = a->next + DELETE_BATCH < a->ids.n ? a->next + DELETE_BATCH : a->ids.n;
	a->orphans.n = 0;
	a->deleted = 0;
	for (size_t i = a->next; i < end; i++) {
		char orphan[BLOB_HASH_HEX];
		enum qstatus st = doc_delete(t, a->c->who.account, a->ids.ids[i], orphan, err);
		if (st == Q_ENOTFOUND) {
			qerr_clear(err);
			continue;
		}
		if (st != Q_OK)
			return st;
		a->deleted++;
		if (orphan[0])
			store_collect(orphan, &a->orphans);
	}
	return Q_OK;
}

/* Delete every id in a->ids in batches; *count gets how many existed. */
static enum qstatus delete_ids(struct del_arg *a, size_t *count)
{
	*count = 0;
	for (a->next = 0; a->next < a->ids.n; a->next += DELETE_BATCH) {
		enum qstatus st = store_run(a->c->app->store, del_batch_fn, a, &a->c->err);
		if (st != Q_OK)
			return st;
		*count += a->deleted;
		for (size_t i = 0; i < a->orphans.n; i++)
			doc_blob_sweep(a->c->app->store, a->c->app->conf->datadir, a->orphans.ids[i]);
	}
	return Q_OK;
}

struct select_arg {
	struct del_arg *d;
	struct source_filter f;
};

static int select_one(json_t *rec, void *arg)
{
	struct select_arg *s = arg;
	if (filter_match(&s->f, rec))
		store_collect(api_str(rec, "id"), &s->d->ids);
	return 0;
}

static enum qstatus select_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct select_arg *s = arg;
	size_t all;
	s->d->ids.n = 0;
	return doc_list(t, s->d->c->who.account, 0, (size_t)-1, select_one, s, &all, err);
}

enum qstatus api_sources_delete_many(struct qctx *c)
{
	const struct qconf *conf = c->app->conf;
	struct del_arg d = {.c = c};
	struct select_arg s = {.d = &d};
	json_t *body = NULL, *ids, *filters;
	enum qstatus st = Q_OK;
	size_t count = 0;

	/* An empty body means "everything of the organisation", as the seed says. */
	if (c->req->content_length > 0 &&
	    (st = qreq_json(c->req, conf->max_json, conf->max_json_depth, &body, &c->err)))
		return st;
	ids = body ? json_object_get(body, "ids") : NULL;
	filters = body ? json_object_get(body, "filters") : NULL;
	if (ids && !json_is_array(ids)) {
		st = qerr_set(&c->err, Q_EINVAL, "ids", "ids must be an array of strings");
		goto out;
	}
	if (filters && !json_is_object(filters)) {
		st = qerr_set(&c->err, Q_EINVAL, "filters", "filters must be an object");
		goto out;
	}
	if (ids) {
		size_t i;
		json_t *v;
		json_array_foreach(ids, i, v) {
			if (!json_is_string(v)) {
				st = qerr_set(&c->err, Q_EINVAL, "ids", "ids must be an array of strings");
				goto out;
			}
			store_collect(json_string_value(v), &d.ids);
		}
	} else {
		if (filters && (st = filter_parse(&s.f, json_get, filters, &c->err)) != Q_OK)
			goto out;
		if ((st = store_run(c->app->store, select_fn, &s, &c->err)) != Q_OK)
			goto out;
	}
	if ((st = delete_ids(&d, &count)) != Q_OK)
		goto out;
	qresp_json_new(c->resp, 200, json_pack("{s:b, s:I}", "ok", 1, "deletedCount",
					       (json_int_t)count));
out:
	store_ids_free(&d.ids);
	store_ids_free(&d.orphans);
	json_decref(body);
	return st;
}

enum qstatus api_sources_delete(struct qctx *c)
{
	struct del_arg d = {.c = c};
	size_t count = 0;
	enum qstatus st = Q_OK;
	store_collect(qctx_param(c, "id"), &d.ids);
	st = delete_ids(&d, &count);
	store_ids_free(&d.ids);
	store_ids_free(&d.orphans);
	if (st != Q_OK)
		return st;
	if (count == 0)
		return qerr_set(&c->err, Q_ENOTFOUND, NULL, "Custom source not found");
	qresp_json_new(c->resp, 200, json_pack("{s:b}", "ok", 1));
	return Q_OK;
}
