/* test_docs.c: accounts, knowledge bases and the document model: create
 * with its ingest job, ownership, partial updates, cascading deletes and
 * newest-first listing. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/docs.h"
#include "store/chunks.h"
#include "store/jobs.h"
#include "store/accounts.h"
#include "store/store.h"
#include "unit.h"
#include "base/jsonscan.h"
#include "base/util.h"

#include <string.h>
#include <time.h>

static char dir[PATH_MAX];
static struct store *s;
static char acme[37], other[37];

/* ---- one-call wrappers, each its own transaction ----------------------- */

struct ensure_arg {
	const char *name;
	char id[37];
	int created;
};

static enum qstatus ensure_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct ensure_arg *a = arg;
	return account_ensure(t, a->name, a->id, &a->created, err);
}

struct create_arg {
	const char *account;
	struct doc_input in;
	char id[37];
	json_t *doc;
	enum qstatus then;   /* returned after a successful create */
};

static enum qstatus create_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct create_arg *a = arg;
	json_decref(a->doc);
	a->doc = NULL;
	enum qstatus st = doc_create(t, a->account, &a->in, a->id, &a->doc, err);
	if (st == Q_OK && a->then)
		return qerr_set(err, a->then, NULL, "abort on purpose");
	return st;
}

/* A new text document of account; id (>= 37) receives its id. */
static enum qstatus create(const char *account, const char *title, const char *content,
			   char *id)
{
	struct create_arg a = {.account = account};
	struct qerr err;
	a.in.title = title;
	a.in.content = content;
	a.in.content_len = strlen(content);
	enum qstatus st = store_run(s, create_fn, &a, &err);
	if (st != Q_OK)
		diag("doc_create: %s", err.msg);
	snprintf(id, 37, "%s", a.id);
	json_decref(a.doc);
	return st;
}

struct get_arg {
	const char *account, *id;
	json_t *doc;
	struct qerr err;
};

static enum qstatus get_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct get_arg *a = arg;
	return doc_get(t, a->account, a->id, 0, &a->doc, err);
}

/* The document (new) or NULL; its error in *errout when given. */
static json_t *get(const char *account, const char *id, struct qerr *errout)
{
	struct get_arg a = {.account = account, .id = id};
	struct qerr err;
	qerr_clear(&err);
	store_run(s, get_fn, &a, &err);
	if (errout)
		*errout = err;
	return a.doc;
}

struct update_arg {
	const char *account, *id;
	struct doc_input in;
	json_t *doc;
};

static enum qstatus update_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct update_arg *a = arg;
	json_decref(a->doc);
	a->doc = NULL;
	return doc_update(t, a->account, a->id, &a->in, &a->doc, err);
}

static enum qstatus update(struct update_arg *a)
{
	struct qerr err;
	return store_run(s, update_fn, a, &err);
}

struct del_arg {
	const char *account, *id;
};

static enum qstatus del_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct del_arg *a = arg;
	char orphan[65];
	return doc_delete(t, a->account, a->id, orphan, err);
}

static enum qstatus del(const char *account, const char *id)
{
	struct del_arg a = {account, id};
	struct qerr err;
	return store_run(s, del_fn, &a, &err);
}

/* Job ids of a document (index order) and their count. */
struct jobs_arg {
	const char *doc;
	struct store_ids ids;
};

static enum qstatus jobs_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct jobs_arg *a = arg;
	struct store_key k;
	store_ids_free(&a->ids);
	store_key_init(&k);
	store_key_str(&k, a->doc);
	return store_scan(t, I_JOBS_BY_DOC, &k, 0, 0, store_collect, &a->ids, err);
}

static size_t jobs_of(const char *doc, char first[37])
{
	struct jobs_arg a = {doc, {0}};
	struct qerr err;
	store_run(s, jobs_fn, &a, &err);
	size_t n = a.ids.n;
	if (first)
		snprintf(first, 37, "%s", n ? a.ids.ids[0] : "");
	store_ids_free(&a.ids);
	return n;
}

struct raw_get {
	enum store_table tb;
	const char *pk;
	json_t *rec;
	char *text;
	size_t len;
};

static enum qstatus raw_get_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct raw_get *a = arg;
	if (a->tb == T_CONTENT)
		return doc_content(t, a->pk, &a->text, &a->len, err);
	return store_get(t, a->tb, a->pk, &a->rec, 0, err);
}

/* The stored content of id (new) or NULL. */
static char *content_of(const char *id)
{
	struct raw_get a = {T_CONTENT, id, NULL, NULL, 0};
	struct qerr err;
	return store_run(s, raw_get_fn, &a, &err) == Q_OK ? a.text : NULL;
}

/* Any record (new) or NULL. */
static json_t *record(enum store_table tb, const char *pk)
{
	struct raw_get a = {tb, pk, NULL, NULL, 0};
	struct qerr err;
	return store_run(s, raw_get_fn, &a, &err) == Q_OK ? a.rec : NULL;
}

struct put_arg {
	enum store_table tb;
	const char *pk;
	json_t *rec;
};

static enum qstatus put_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct put_arg *a = arg;
	return store_put(t, a->tb, a->pk, a->rec, err);
}

static int put_record(enum store_table tb, const char *pk, json_t *rec)
{
	struct put_arg a = {tb, pk, rec};
	struct qerr err;
	return store_run(s, put_fn, &a, &err);
}

struct count_arg {
	const char *kind, *status;
	size_t n;
};

static enum qstatus jobs_count_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct count_arg *a = arg;
	return jobs_count(t, a->kind, a->status, &a->n, err);
}

static size_t pending_ingest(void)
{
	struct count_arg a = {"ingest", "pending", 0};
	struct qerr err;
	store_run(s, jobs_count_fn, &a, &err);
	return a.n;
}

/* ---- tests -------------------------------------------------------------- */

struct kb_arg {
	const char *account, *slug;
	char id[37], found[37];
	enum qstatus create_st, find_st;
};

static enum qstatus kb_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct kb_arg *a = arg;
	a->create_st = a->slug ? kb_create(t, a->account, a->slug, "A KB", a->id, err) : Q_OK;
	qerr_clear(err);
	a->find_st = kb_find(t, a->account, a->slug ? a->slug : "default", a->found, err);
	qerr_clear(err);
	if (!a->slug)
		return account_default_kb(t, a->account, a->id, err);
	return Q_OK;
}

static void test_accounts(void)
{
	struct ensure_arg a = {.name = "acme"};
	struct qerr err;

	is_int(store_run(s, ensure_fn, &a, &err), Q_OK, "account: ensure acme");
	ok(a.created, "account: created the first time");
	ok(q_uuid_valid(a.id), "account: id is a UUID");
	snprintf(acme, sizeof acme, "%s", a.id);
	struct ensure_arg again = {.name = "acme"};
	store_run(s, ensure_fn, &again, &err);
	ok(!again.created && !strcmp(again.id, acme), "account: the second ensure finds it");
	struct ensure_arg o = {.name = "other"};
	store_run(s, ensure_fn, &o, &err);
	snprintf(other, sizeof other, "%s", o.id);
	ok(o.created && strcmp(other, acme), "account: a second account");
	struct ensure_arg empty = {.name = ""};
	is_int(store_run(s, ensure_fn, &empty, &err), Q_EINVAL, "account: empty name refused");

	/* The default knowledge base. */
	struct kb_arg k = {.account = acme, .slug = NULL};
	is_int(store_run(s, kb_fn, &k, &err), Q_OK, "kb: default of acme");
	ok(q_uuid_valid(k.id), "kb: account_ensure made a default kb");
	is_int(k.find_st, Q_OK, "kb: its slug is 'default'");
	is_str(k.found, k.id, "kb: slug lookup gives the default kb");
	json_t *kb = record(T_KBS, k.id);
	is_str(json_string_value(json_object_get(kb, "account")), acme, "kb: belongs to acme");
	json_decref(kb);
	struct kb_arg ko = {.account = other, .slug = NULL};
	store_run(s, kb_fn, &ko, &err);
	ok(strcmp(ko.id, k.id) != 0, "kb: each account has its own default kb");

	struct kb_arg dup = {.account = acme, .slug = "default"};
	store_run(s, kb_fn, &dup, &err);
	is_int(dup.create_st, Q_ECONFLICT, "kb: a second 'default' is a conflict");
	struct kb_arg fresh = {.account = acme, .slug = "manuals"};
	store_run(s, kb_fn, &fresh, &err);
	is_int(fresh.create_st, Q_OK, "kb: create 'manuals'");
	is_str(fresh.found, fresh.id, "kb: find 'manuals'");
	struct kb_arg bad = {.account = acme, .slug = "Bad Slug"};
	store_run(s, kb_fn, &bad, &err);
	is_int(bad.create_st, Q_EINVAL, "kb: an invalid slug is refused");

	ok(kb_slug_valid("a") && kb_slug_valid("kb-1_x") && kb_slug_valid("0abc"),
	   "slug: valid slugs");
	ok(!kb_slug_valid("") && !kb_slug_valid("-a") && !kb_slug_valid("_a") &&
	   !kb_slug_valid("A") && !kb_slug_valid("a.b") && !kb_slug_valid("a/b"),
	   "slug: invalid slugs");
	char s64[66];
	memset(s64, 'a', 65);
	s64[64] = '\0';
	ok(kb_slug_valid(s64), "slug: 64 characters");
	s64[64] = 'a';
	s64[65] = '\0';
	ok(!kb_slug_valid(s64), "slug: 65 characters");
}

static void test_create(void)
{
	char id[37];
	struct qerr err;
	size_t pending = pending_ingest();

	is_int(create(acme, "First", "hello  brave\nnew world", id), Q_OK, "create: a document");
	ok(q_uuid_valid(id), "create: id is a UUID");
	json_t *d = get(acme, id, NULL);
	ok(d != NULL, "create: doc_get finds it");
	is_str(json_string_value(json_object_get(d, "title")), "First", "create: title");
	is_str(json_string_value(json_object_get(d, "account")), acme, "create: account");
	is_str(json_string_value(json_object_get(d, "indexing_status")), "waiting",
	       "create: waiting for ingestion");
	is_int(json_integer_value(json_object_get(d, "content_length")), 22, "create: length");
	is_int(json_integer_value(json_object_get(d, "word_count")), 4, "create: word count");
	ok(json_is_array(json_object_get(d, "tags")) &&
	   json_array_size(json_object_get(d, "tags")) == 0, "create: tags default to []");
	ok(json_is_null(json_object_get(d, "canonical_url")), "create: canonical_url null");
	is_str(json_string_value(json_object_get(d, "data_source_type")), "text",
	       "create: data_source_type text");
	is_int(json_integer_value(json_object_get(d, "position")), 1, "create: position 1");
	json_decref(d);
	char *c = content_of(id);
	is_str(c, "hello  brave\nnew world", "create: content stored");
	free(c);

	char job[37];
	is_int(jobs_of(id, job), 1, "create: one job for the document");
	json_t *j = record(T_JOBS, job);
	is_str(json_string_value(json_object_get(j, "kind")), "ingest", "create: an ingest job");
	is_str(json_string_value(json_object_get(j, "status")), "pending", "create: pending");
	is_str(json_string_value(json_object_get(j, "document_id")), id, "create: for the doc");
	is_str(json_string_value(json_object_get(j, "account")), acme, "create: of the account");
	json_decref(j);
	is_int(pending_ingest(), pending + 1, "create: pending ingest jobs grew by one");

	char id2[37];
	create(acme, "Second", "x", id2);
	d = get(acme, id2, NULL);
	is_int(json_integer_value(json_object_get(d, "position")), 2, "create: position 2");
	json_decref(d);

	/* Document, content and job are one transaction: an abort after
	 * doc_create leaves none of them. */
	struct create_arg a = {.account = acme, .then = Q_ECONFLICT};
	a.in.title = "Doomed";
	a.in.content = "doomed text";
	a.in.content_len = 11;
	pending = pending_ingest();
	is_int(store_run(s, create_fn, &a, &err), Q_ECONFLICT, "create: aborted transaction");
	ok(q_uuid_valid(a.id), "create: ... had made id %s", a.id);
	ok(get(acme, a.id, NULL) == NULL, "create: ... the document is not there");
	c = content_of(a.id);
	ok(c == NULL, "create: ... nor its content");
	free(c);
	is_int(jobs_of(a.id, NULL), 0, "create: ... nor its job");
	is_int(pending_ingest(), pending, "create: ... pending count unchanged");
	json_decref(a.doc);

	/* Unknown account: no default kb. */
	struct create_arg u = {.account = "no-such-account"};
	u.in.title = "x";
	u.in.content = "x";
	u.in.content_len = 1;
	is_int(store_run(s, create_fn, &u, &err), Q_ENOTFOUND, "create: unknown account");
	json_decref(u.doc);
}

static void test_ownership(void)
{
	char id[37], fake[37];
	struct qerr e_other, e_missing, e_bad;

	create(acme, "Mine", "secret", id);
	ok(get(other, id, &e_other) == NULL, "owner: another account cannot read it");
	q_uuid_new(fake);
	ok(get(acme, fake, &e_missing) == NULL, "owner: a missing id");
	ok(get(acme, "not-a-uuid", &e_bad) == NULL, "owner: a malformed id");
	is_int(e_other.st, Q_ENOTFOUND, "owner: another account's id is Q_ENOTFOUND");
	is_int(e_missing.st, Q_ENOTFOUND, "owner: a missing id is Q_ENOTFOUND");
	is_int(e_bad.st, Q_ENOTFOUND, "owner: a malformed id is Q_ENOTFOUND");
	ok(!strcmp(e_other.msg, e_missing.msg) && !strcmp(e_other.field, e_missing.field) &&
	   !strcmp(e_bad.msg, e_missing.msg),
	   "owner: the same message for all three (%s)", e_other.msg);

	struct update_arg u = {.account = other, .id = id};
	u.in.title = "stolen";
	is_int(update(&u), Q_ENOTFOUND, "owner: another account cannot update it");
	json_decref(u.doc);
	is_int(del(other, id), Q_ENOTFOUND, "owner: another account cannot delete it");
	json_t *d = get(acme, id, NULL);
	is_str(json_string_value(json_object_get(d, "title")), "Mine", "owner: untouched");
	json_decref(d);
}

struct text_arg {
	const char *account, *id;
	struct qbuf rec;
	struct q_span f[3];
};

static enum qstatus text_fn(struct stxn *t, void *arg, struct qerr *err)
{
	static const char *const names[] = {"title", "id", "no_such_member"};
	struct text_arg *a = arg;
	return doc_get_text(t, a->account, a->id, &a->rec, names, a->f, 3, err);
}

/* doc_get_text: the owner check and the caller's members in one scan. */
static void test_get_text(void)
{
	char id[37], want[64];
	struct qerr err;
	struct text_arg a = {.account = acme, .rec = {NULL, 0, 0, 1 << 20}};

	create(acme, "Spans \"quoted\"", "text", id);
	a.id = id;
	is_int(store_run(s, text_fn, &a, &err), Q_OK, "get text: the owner reads it");
	ok(a.f[0].p && a.f[0].n == 18 && !memcmp(a.f[0].p, "\"Spans \\\"quoted\\\"\"", 18),
	   "get text: title span as stored, quotes and escapes kept");
	snprintf(want, sizeof want, "\"%s\"", id);
	ok(a.f[1].p && a.f[1].n == strlen(want) && !memcmp(a.f[1].p, want, a.f[1].n),
	   "get text: id span");
	ok(a.f[2].p == NULL && a.f[2].n == 0, "get text: an absent member is {NULL, 0}");
	a.account = other;
	is_int(store_run(s, text_fn, &a, &err), Q_ENOTFOUND,
	       "get text: another account's document is not found");
	qbuf_free(&a.rec);
}

static void test_update(void)
{
	char id[37], job1[37], job2[37];
	create(acme, "Before", "original text", id);
	json_t *before = get(acme, id, NULL);
	jobs_of(id, job1);

	/* Title only: nothing else changes, no new job. */
	struct timespec ts = {0, 2000};
	nanosleep(&ts, NULL);
	struct update_arg u = {.account = acme, .id = id};
	u.in.title = "After";
	is_int(update(&u), Q_OK, "update: title only");
	is_str(json_string_value(json_object_get(u.doc, "title")), "After", "update: title set");
	ok(json_equal(json_object_get(u.doc, "tags"), json_object_get(before, "tags")),
	   "update: tags untouched");
	ok(json_equal(json_object_get(u.doc, "canonical_url"),
		      json_object_get(before, "canonical_url")), "update: canonical_url untouched");
	ok(json_equal(json_object_get(u.doc, "created_us"), json_object_get(before, "created_us")),
	   "update: created_us untouched");
	ok(json_integer_value(json_object_get(u.doc, "updated_us")) >
	   json_integer_value(json_object_get(before, "updated_us")), "update: updated_us moves");
	char *c = content_of(id);
	is_str(c, "original text", "update: content untouched");
	free(c);
	is_int(jobs_of(id, job2), 1, "update: still one job");
	is_str(job2, job1, "update: the same job (not re-queued)");
	json_decref(u.doc);

	/* Tags and canonical_url. */
	struct update_arg t = {.account = acme, .id = id};
	t.in.tags = json_pack("[s, s]", "a", "b");
	t.in.canonical_url = json_string("https://example.com/x");
	is_int(update(&t), Q_OK, "update: tags and canonical_url");
	json_t *d = get(acme, id, NULL);
	ok(json_equal(json_object_get(d, "tags"), t.in.tags), "update: tags stored");
	is_str(json_string_value(json_object_get(d, "canonical_url")), "https://example.com/x",
	       "update: canonical_url stored");
	is_str(json_string_value(json_object_get(d, "title")), "After", "update: title kept");
	json_decref(d);
	json_decref(t.in.tags);
	json_decref(t.in.canonical_url);
	json_decref(t.doc);
	struct update_arg n = {.account = acme, .id = id};
	n.in.canonical_url = json_null();
	update(&n);
	d = get(acme, id, NULL);
	ok(json_is_null(json_object_get(d, "canonical_url")), "update: canonical_url to null");
	json_decref(d);
	json_decref(n.doc);
	is_int(jobs_of(id, job2), 1, "update: metadata changes queue nothing");
	is_str(job2, job1, "update: ... same job");

	/* The same content again: no new job. */
	struct update_arg same = {.account = acme, .id = id};
	same.in.content = "original text";
	same.in.content_len = 13;
	is_int(update(&same), Q_OK, "update: identical content");
	jobs_of(id, job2);
	is_str(job2, job1, "update: identical content does not re-queue");
	json_decref(same.doc);

	/* New content: the pending job is replaced by a new one. */
	size_t pending = pending_ingest();
	struct update_arg nc = {.account = acme, .id = id};
	nc.in.content = "brand new words here";
	nc.in.content_len = strlen(nc.in.content);
	is_int(update(&nc), Q_OK, "update: new content");
	is_int(json_integer_value(json_object_get(nc.doc, "content_length")), 20,
	       "update: content_length follows");
	is_int(json_integer_value(json_object_get(nc.doc, "word_count")), 4,
	       "update: word_count follows");
	is_str(json_string_value(json_object_get(nc.doc, "indexing_status")), "waiting",
	       "update: back to waiting");
	c = content_of(id);
	is_str(c, "brand new words here", "update: content stored");
	free(c);
	is_int(jobs_of(id, job2), 1, "update: one job after re-queue");
	ok(strcmp(job2, job1) != 0, "update: a new job replaced the pending one");
	ok(record(T_JOBS, job1) == NULL, "update: the old pending job is gone");
	is_int(pending_ingest(), pending, "update: pending count unchanged (one out, one in)");
	json_decref(nc.doc);

	/* A job already being processed is left alone; a new one is added. */
	json_t *j = record(T_JOBS, job2);
	json_object_set_new(j, "status", json_string("processing"));
	put_record(T_JOBS, job2, j);
	json_decref(j);
	struct update_arg p = {.account = acme, .id = id};
	p.in.content = "third version";
	p.in.content_len = 13;
	update(&p);
	is_int(jobs_of(id, NULL), 2, "update: a processing job stays beside the new one");
	json_decref(p.doc);
	json_decref(before);
}

static enum qstatus chunk_fn(struct stxn *t, void *arg, struct qerr *err)
{
	const char *id = arg;
	json_t *rec = json_pack("{s:s, s:i, s:s}", "document_id", id, "position", 0, "text", "x");
	enum qstatus st = chunk_put(t, id, 0, rec, err);
	json_decref(rec);
	return st;
}

struct chunks_arg {
	const char *id;
	size_t total;
};

static int chunk_seen(json_t *chunk, void *arg)
{
	return 0;
}

static enum qstatus chunks_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct chunks_arg *a = arg;
	return chunks_list(t, a->id, 0, 10, chunk_seen, NULL, &a->total, err);
}

static void test_delete(void)
{
	char id[37], keep[37], job[37];
	struct qerr err;
	create(acme, "Doomed", "to be deleted", id);
	create(acme, "Kept", "stays", keep);
	jobs_of(id, job);
	store_run(s, chunk_fn, id, &err);
	struct chunks_arg ca = {id, 0};
	store_run(s, chunks_fn, &ca, &err);
	is_int(ca.total, 1, "delete: the document has a chunk");

	is_int(del(acme, id), Q_OK, "delete: doc_delete");
	ok(get(acme, id, NULL) == NULL, "delete: the document is gone");
	char *c = content_of(id);
	ok(c == NULL, "delete: its content is gone");
	free(c);
	is_int(jobs_of(id, NULL), 0, "delete: its jobs are gone");
	ok(record(T_JOBS, job) == NULL, "delete: the job record is gone");
	store_run(s, chunks_fn, &ca, &err);
	is_int(ca.total, 0, "delete: its chunks are gone");
	is_int(del(acme, id), Q_ENOTFOUND, "delete: twice is Q_ENOTFOUND");
	json_t *k = get(acme, keep, NULL);
	ok(k != NULL, "delete: other documents stay");
	json_decref(k);
	c = content_of(keep);
	is_str(c, "stays", "delete: ... with their content");
	free(c);
	is_int(jobs_of(keep, NULL), 1, "delete: ... and their jobs");

	size_t problems = 99;
	store_check_indexes(s, &problems, &err);
	is_int(problems, 0, "delete: indexes agree");
}

struct list_arg {
	const char *account;
	size_t offset, limit, total;
	int stop_after;           /* callback stops after this many (0 = never) */
	json_t *titles;
};

static int list_cb(json_t *doc, void *arg)
{
	struct list_arg *a = arg;
	json_array_append(a->titles, json_object_get(doc, "title"));
	return a->stop_after && (int)json_array_size(a->titles) >= a->stop_after;
}

static enum qstatus list_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct list_arg *a = arg;
	json_array_clear(a->titles);
	return doc_list(t, a->account, a->offset, a->limit, list_cb, a, &a->total, err);
}

/* Titles (joined by ',') of a listing into out. */
static enum qstatus list(const char *account, size_t offset, size_t limit, int stop_after,
			 size_t *total, char *out, size_t outlen)
{
	struct list_arg a = {account, offset, limit, 0, stop_after, json_array()};
	struct qerr err;
	enum qstatus st = store_run(s, list_fn, &a, &err);
	size_t i, used = 0;
	json_t *v;
	out[0] = '\0';
	json_array_foreach(a.titles, i, v)
		used += (size_t)snprintf(out + used, outlen - used, "%s%s", i ? "," : "",
					 json_string_value(v));
	json_decref(a.titles);
	*total = a.total;
	return st;
}

static void test_list(void)
{
	struct ensure_arg a = {.name = "lister"};
	struct qerr err;
	char id[37], got[512];
	size_t total = 0;

	store_run(s, ensure_fn, &a, &err);
	is_int(list(a.id, 0, 10, 0, &total, got, sizeof got), Q_OK, "list: empty account");
	is_int(total, 0, "list: total 0");
	is_str(got, "", "list: nothing listed");

	for (int i = 0; i < 25; i++) {
		char title[16];
		struct timespec ts = {0, 2000};
		snprintf(title, sizeof title, "t%02d", i);
		create(a.id, title, "text", id);
		nanosleep(&ts, NULL);   /* distinct creation stamps */
	}
	list(a.id, 0, 5, 0, &total, got, sizeof got);
	is_int(total, 25, "list: total is the account's documents only");
	is_str(got, "t24,t23,t22,t21,t20", "list: newest first");
	list(a.id, 5, 3, 0, &total, got, sizeof got);
	is_str(got, "t19,t18,t17", "list: offset 5 limit 3");
	list(a.id, 22, 10, 0, &total, got, sizeof got);
	is_str(got, "t02,t01,t00", "list: the last page is short");
	list(a.id, 24, 10, 0, &total, got, sizeof got);
	is_str(got, "t00", "list: offset total-1 is the oldest");
	list(a.id, 25, 10, 0, &total, got, sizeof got);
	is_str(got, "", "list: offset total gives nothing");
	is_int(total, 25, "list: ... and still the total");
	list(a.id, 100, 10, 0, &total, got, sizeof got);
	is_str(got, "", "list: offset past the total");
	list(a.id, 0, 0, 0, &total, got, sizeof got);
	is_str(got, "", "list: limit 0 lists nothing");
	is_int(total, 25, "list: ... but counts");
	list(a.id, 0, 100, 0, &total, got, sizeof got);
	ok(strlen(got) == 25 * 4 - 1 && !strncmp(got, "t24,", 4) && !strcmp(got + 96, "t00"),
	   "list: a limit over the total lists all");
	list(a.id, 0, 10, 3, &total, got, sizeof got);
	is_str(got, "t24,t23,t22", "list: the callback can stop early");

	/* The other accounts' documents are not listed. */
	list(other, 0, 100, 0, &total, got, sizeof got);
	is_int(total, 0, "list: 'other' has no documents");
}

static void test_status_views(void)
{
	struct {
		const char *status, *chataid, *oshara;
		int reading;
	} t[] = {
		{"waiting", "pending", "PENDING", 1},    {"parsing", "training", "PENDING", 1},
		{"cleaning", "training", "PENDING", 1},  {"splitting", "training", "PENDING", 1},
		{"indexing", "training", "PENDING", 1},  {"completed", "trained", "PROCESSED", 0},
		{"error", "error", "FAILED", 0},         {"paused", "paused", "PENDING", 0},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		json_t *d = json_object();
		doc_set_status(d, t[i].status);
		char key[32];
		snprintf(key, sizeof key, "%s_us", t[i].status);
		ok(json_integer_value(json_object_get(d, key)) > 0, "status: %s stamps %s",
		   t[i].status, key);
		is_str(doc_status_chataid(d), t[i].chataid, "status: %s is ChatAid %s", t[i].status,
		       t[i].chataid);
		is_str(doc_status_oshara(d), t[i].oshara, "status: %s is Oshara %s", t[i].status,
		       t[i].oshara);
		is_int(doc_status_reading(t[i].status), t[i].reading,
		       "status: %s is %sa state of the ingest pipeline", t[i].status,
		       t[i].reading ? "" : "not ");
		json_decref(d);
	}
	json_t *none = json_object();
	is_str(doc_status_chataid(none), "pending", "status: none is pending");
	json_decref(none);
}

struct progress_arg {
	const char *id;
	int done, failed;
};

static enum qstatus progress_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct progress_arg *a = arg;
	return doc_embed_progress(t, a->id, a->done, a->failed, "boom", err);
}

static const char *status_of(const char *id, char *buf)
{
	json_t *d = get(acme, id, NULL);
	snprintf(buf, 32, "%s", json_string_value(json_object_get(d, "indexing_status")) ?: "?");
	json_decref(d);
	return buf;
}

static void test_embed_progress(void)
{
	char id[37], buf[32];
	struct qerr err;
	create(acme, "Embedded", "text", id);
	json_t *d = get(acme, id, NULL);
	json_object_set_new(d, "embed_total", json_integer(3));
	doc_set_status(d, "indexing");
	put_record(T_DOCS, id, d);
	json_decref(d);

	struct progress_arg p = {id, 2, 0};
	is_int(store_run(s, progress_fn, &p, &err), Q_OK, "embed: 2 of 3 done");
	is_str(status_of(id, buf), "indexing", "embed: still indexing");
	struct progress_arg f = {id, 0, 1};
	store_run(s, progress_fn, &f, &err);
	is_str(status_of(id, buf), "error", "embed: the last one failed: error");
	struct progress_arg r = {id, 0, -1};
	store_run(s, progress_fn, &r, &err);
	is_str(status_of(id, buf), "indexing", "embed: a retry brings it back to indexing");
	struct progress_arg g = {id, 1, 0};
	store_run(s, progress_fn, &g, &err);
	is_str(status_of(id, buf), "completed", "embed: all done: completed");
	char fake[37];
	q_uuid_new(fake);
	struct progress_arg m = {fake, 1, 0};
	is_int(store_run(s, progress_fn, &m, &err), Q_ENOTFOUND, "embed: a deleted document");
}

int main(void)
{
	unit_tmpdir(dir, "docs");
	s = unit_store(dir);
	test_accounts();
	test_create();
	test_ownership();
	test_get_text();
	test_update();
	test_delete();
	test_list();
	test_status_views();
	test_embed_progress();
	store_close(s);
	unit_rmtree(dir);
	return done_testing();
}
