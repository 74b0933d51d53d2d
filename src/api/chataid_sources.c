/* chataid_sources.c: ChatAid's custom sources: list with filters, get, delete
 * by id, by ids, by filters or all of the organisation. (Uploads are in
 * upload.c.) Shapes: {"ok": true, ...}; errors {"ok": false, "message"}.
 * Every route sees only custom sources (is_custom_source). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/views.h"
#include "api/util.h"
#include "api/chataid_sources.h"
#include "store/blob.h"
#include "store/docs.h"
#include "base/fault.h"
#include "pipeline/ingest.h"
#include "store/store.h"
#include "base/util.h"
#include "http/router.h"

#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <strings.h>

struct source_filter {
	char name[256], status[32], type[32], admin[64], team[128];
	int64_t from, to;          /* microseconds, inclusive */
	int has_from, has_to;
};

/* ChatAid's face of the model: the custom sources of the key's account,
 * i.e. the documents created through POST /external/sources/custom
 * (origin "custom"). Native, Oshara and Dify documents are not custom
 * sources: ChatAid's routes neither list nor delete them (docs/api.md). */
static int is_custom_source(json_t *rec)
{
	return !strcmp(api_str(rec, "origin"), "custom");
}

static json_t *source_json(const struct qconf *conf, json_t *rec, const char *base)
{
	char url[1024] = "";
	const char *team = api_str(rec, "team_id");
	const char *admin = api_str(rec, "created_by");
	json_t *link = api_file_url(conf, rec, base);   /* signed, expiring */
	if (json_is_string(link))
		snprintf(url, sizeof url, "%s", json_string_value(link));
	json_decref(link);
	if (!url[0] && json_is_string(json_object_get(rec, "canonical_url")))
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
			      /* asked for (create, or an update that re-trains) vs
			       * begun (parsing); docs/api.md */
			      "lastTrainingAttemptedAt",
			      api_iso_time(rec, json_object_get(rec, "train_requested_us") ?
							"train_requested_us" : "created_us"),
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
	if (!is_custom_source(rec))
		return 0;
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
	if (f->has_from && created < f->from)
		return 0;
	if (f->has_to && created > f->to)
		return 0;
	return 1;
}

/* An upper bound includes everything up to the end of the precision it is
 * written in: "2024-05-01" the whole day, "...T10:00" the whole minute,
 * "...T10:00:00" the whole second (createdAt is shown to the second, so a
 * source's own createdAt used as createdAtTo includes it); a bound with a
 * fraction is taken as it is. */
static int parse_upper_bound(const char *v, int64_t *us)
{
	if (q_parse_iso8601(v, us) < 0)
		return -1;
	const char *t = strpbrk(v, "T ");
	int64_t step;
	if (!t)
		step = 86400 * INT64_C(1000000);
	else if (strchr(t, '.') || strchr(t, ','))
		step = 1;
	else if (strspn(t + 1, "0123456789") == 2 && t[3] == ':' &&
		 strspn(t + 4, "0123456789") == 2 && t[6] != ':')
		step = 60 * INT64_C(1000000);
	else
		step = INT64_C(1000000);
	*us += step - 1;
	return 0;
}

/* Fill f from a getter (query string or JSON filters object). */
typedef int (*getter)(void *src, const char *name, char *out, size_t n);

static const char *const filter_names[] = {
	"name", "status", "type", "adminId", "teamId", "createdAtFrom", "createdAtTo",
};

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
	for (int i = 0; i < 2; i++) {
		const char *name = filter_names[5 + i];
		int r = get(src, name, v, sizeof v), bad;
		if (r > 0 && v[0]) {
			bad = i ? parse_upper_bound(v, &f->to) : q_parse_iso8601(v, &f->from);
			*(i ? &f->has_to : &f->has_from) = 1;
		} else {
			bad = r < 0;
		}
		if (bad)
			return qerr_set(err, Q_EINVAL, name, "%s must be an ISO 8601 date", name);
	}
	return Q_OK;
}

static int query_get(void *src, const char *name, char *out, size_t n)
{
	out[0] = '\0';
	return qreq_query(src, name, out, n);
}

/* The filters object of a delete: a criterion is a non-empty string, and
 * a key that is not a criterion is refused, so that no typo or wrong type
 * widens a delete to everything. */
static int json_get(void *src, const char *name, char *out, size_t n)
{
	json_t *v = json_object_get(src, name);
	out[0] = '\0';
	if (!v)
		return 0;
	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= n)
		return -1;
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return 1;
}

static enum qstatus filters_check(json_t *filters, struct qerr *err)
{
	const char *key;
	json_t *v;
	if (json_object_size(filters) == 0)
		return qerr_set(err, Q_EINVAL, "filters", "filters must name at least one criterion");
	json_object_foreach(filters, key, v) {
		size_t i = 0;
		while (i < sizeof filter_names / sizeof *filter_names && strcmp(key, filter_names[i]))
			i++;
		if (i == sizeof filter_names / sizeof *filter_names)
			return qerr_set(err, Q_EINVAL, "filters", "unknown filter: %.64s", key);
		if (!json_is_string(v) || json_string_length(v) == 0)
			return qerr_set(err, Q_EINVAL, "filters", "filter %s must be a non-empty string",
					key);
	}
	return Q_OK;
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
		json_array_append_new(a->data, source_json(a->c->app->conf, rec, a->base));
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
	enum qstatus st = doc_get(t, a->c->who.account, qctx_param(a->c, "id"), 0, &a->doc, err);
	if (st == Q_OK && !is_custom_source(a->doc)) {
		json_decref(a->doc);
		a->doc = NULL;
		st = qerr_set(err, Q_ENOTFOUND, NULL, "Custom source not found");
	}
	return st;
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
					       source_json(c->app->conf, a.doc, base)));
	json_decref(a.doc);
	return Q_OK;
}

/* ---- delete ------------------------------------------------------------- */

/* A delete is one transaction: every selected document goes with its
 * content, chunks, postings and jobs, or none does (a process killed
 * mid-way leaves every document whole; the fault point
 * sources_delete_mid_kill shows it). Blobs nobody uses any more are removed
 * after the commit. */
struct del_arg {
	struct qctx *c;
	json_t *ids;                /* borrowed: delete these, or NULL */
	struct source_filter f;     /* else every custom source matching this */
	struct store_ids sel;       /* selected ids (rebuilt on each run) */
	size_t deleted;
	struct store_ids orphans;   /* blobs to remove after the commit */
};

static int select_one(json_t *rec, void *arg)
{
	struct del_arg *d = arg;
	if (filter_match(&d->f, rec))
		store_collect(api_str(rec, "id"), &d->sel);
	return 0;
}

/* Delete id if it is a custom source of the account; *gone is 0 when not. */
static enum qstatus del_one(struct stxn *t, struct del_arg *d, const char *id, int *gone,
			    struct qerr *err)
{
	char orphan[BLOB_HASH_HEX];
	json_t *rec;
	enum qstatus st = doc_get(t, d->c->who.account, id, STORE_RMW, &rec, err);
	*gone = 0;
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		return Q_OK;
	}
	if (st != Q_OK)
		return st;
	int custom = is_custom_source(rec);
	json_decref(rec);
	if (!custom)
		return Q_OK;
	if ((st = doc_delete(t, d->c->who.account, id, orphan, err)) != Q_OK)
		return st;
	*gone = 1;
	if (orphan[0])
		store_collect(orphan, &d->orphans);
	return Q_OK;
}

static enum qstatus del_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct del_arg *d = arg;
	enum qstatus st = Q_OK;
	size_t all;
	d->sel.n = d->orphans.n = 0;   /* a rerun after a deadlock starts over */
	d->deleted = 0;
	if (d->ids) {
		size_t i;
		json_t *v;
		json_array_foreach(d->ids, i, v)
			store_collect(json_string_value(v), &d->sel);
	} else if ((st = doc_list(t, d->c->who.account, 0, (size_t)-1, select_one, d, &all,
				  err)) != Q_OK) {
		return st;
	}
	if (d->sel.oom || d->orphans.oom)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < d->sel.n; i++) {
		int gone;
		if ((st = del_one(t, d, d->sel.ids[i], &gone, err)) != Q_OK)
			return st;
		d->deleted += (size_t)gone;
		if (d->deleted == 1 && d->sel.n > 1)
			fault_point("sources_delete_mid_kill");
	}
	return d->orphans.oom ? qerr_set(err, Q_ENOMEM, NULL, "out of memory") : Q_OK;
}

static enum qstatus delete_run(struct del_arg *d)
{
	/* Deleting drops postings pages: one writer of them at a time, as
	 * for indexing (ingest_index_lock), keeps a large delete and the
	 * indexers from deadlocking each other into retries. */
	int lock = ingest_index_lock(d->c->app->conf);
	enum qstatus st = store_run(d->c->app->store, del_fn, d, &d->c->err);
	ingest_index_unlock(lock);
	if (st == Q_OK)
		for (size_t i = 0; i < d->orphans.n; i++)
			doc_blob_sweep(d->c->app->store, d->c->app->conf->datadir, d->orphans.ids[i]);
	return st;
}

/* Parse the body of a bulk delete into d: {"ids": [strings]} or
 * {"filters": {criteria}} or nothing (every custom source). Anything else
 * is refused: an unknown key, both keys, a wrong type. */
static enum qstatus delete_body(struct qctx *c, json_t *body, struct del_arg *d)
{
	const char *key;
	json_t *v, *ids, *filters;
	json_object_foreach(body, key, v)
		if (strcmp(key, "ids") && strcmp(key, "filters"))
			return qerr_set(&c->err, Q_EINVAL, key, "unknown field: %.64s", key);
	ids = json_object_get(body, "ids");
	filters = json_object_get(body, "filters");
	if (ids && filters)
		return qerr_set(&c->err, Q_EINVAL, "ids", "pass either ids or filters, not both");
	if (ids) {
		size_t i;
		if (!json_is_array(ids))
			return qerr_set(&c->err, Q_EINVAL, "ids", "ids must be an array of strings");
		json_array_foreach(ids, i, v)
			if (!json_is_string(v))
				return qerr_set(&c->err, Q_EINVAL, "ids",
						"ids must be an array of strings");
		d->ids = ids;
		return Q_OK;
	}
	if (!filters)
		return Q_OK;
	if (!json_is_object(filters))
		return qerr_set(&c->err, Q_EINVAL, "filters", "filters must be an object");
	enum qstatus st = filters_check(filters, &c->err);
	return st != Q_OK ? st : filter_parse(&d->f, json_get, filters, &c->err);
}

enum qstatus api_sources_delete_many(struct qctx *c)
{
	const struct qconf *conf = c->app->conf;
	struct del_arg d = {.c = c};
	json_t *body = NULL;
	enum qstatus st = Q_OK;

	/* The router folds a trailing slash, so "DELETE .../custom/" (an empty
	 * id) would land here and mean "everything": it is a missing source. */
	if (strcmp(c->req->path, "/external/sources/custom"))
		return qerr_set(&c->err, Q_ENOTFOUND, NULL, "Custom source not found");
	if (c->req->query && *c->req->query)
		return qerr_set(&c->err, Q_EINVAL, NULL,
				"this delete takes no query parameters: pass ids or filters in "
				"the JSON body");
	/* An empty body means every custom source of the organisation, as the
	 * seed says. */
	if (c->req->content_length > 0 &&
	    (st = qreq_json(c->req, conf->max_json, conf->max_json_depth, &body, &c->err)))
		return st;
	if (body && (st = delete_body(c, body, &d)) != Q_OK)
		goto out;
	if ((st = delete_run(&d)) != Q_OK)
		goto out;
	qresp_json_new(c->resp, 200, json_pack("{s:b, s:I}", "ok", 1, "deletedCount",
					       (json_int_t)d.deleted));
out:
	store_ids_free(&d.sel);
	store_ids_free(&d.orphans);
	json_decref(body);
	return st;
}

enum qstatus api_sources_delete(struct qctx *c)
{
	json_t *ids = json_pack("[s]", qctx_param(c, "id"));
	struct del_arg d = {.c = c, .ids = ids};
	enum qstatus st = ids ? delete_run(&d) : qerr_set(&c->err, Q_ENOMEM, NULL, "out of memory");
	json_decref(ids);
	store_ids_free(&d.sel);
	store_ids_free(&d.orphans);
	if (st != Q_OK)
		return st;
	if (d.deleted == 0)
		return qerr_set(&c->err, Q_ENOTFOUND, NULL, "Custom source not found");
	qresp_json_new(c->resp, 200, json_pack("{s:b}", "ok", 1));
	return Q_OK;
}
