/* docs.c: documents: create with content and ingest job, read, update,
 * delete with everything that hangs off them, list by account. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/docs.h"
#include "store/chunks.h"
#include "store/jobs.h"
#include "store/accounts.h"
#include "store/blob.h"
#include "base/log.h"
#include "store/store.h"
#include "base/jsonscan.h"
#include "base/util.h"

#define BLOB_HEX 65

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static size_t count_words(const char *s, size_t n)
{
	size_t words = 0;
	int in = 0;
	for (size_t i = 0; i < n; i++) {
		int space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r';
		if (!space && !in)
			words++;
		in = !space;
	}
	return words;
}

static void set_content_fields(json_t *rec, const struct doc_input *in)
{
	json_object_set_new(rec, "content_length", json_integer((json_int_t)in->content_len));
	json_object_set_new(rec, "word_count",
			    json_integer(in->content ? (json_int_t)count_words(in->content,
									       in->content_len) : 0));
	json_object_set_new(rec, "indexing_status", json_string("waiting"));
	json_object_set_new(rec, "error", json_null());
	json_object_set_new(rec, "completed_us", json_null());
}

/* 1 when some document in any knowledge base still uses blob. Blobs are
 * shared across knowledge bases, so every index range is checked. */
static int blob_referenced(struct stxn *t, const char *blob, char *id, struct qerr *err);

enum qstatus doc_create(struct stxn *t, const char *account, const struct doc_input *in,
			char *id, json_t **out, struct qerr *err)
{
	char kb[37], job[37];
	enum qstatus st;
	json_t *rec = NULL;

	json_t *kbrec = NULL;
	json_int_t position;

	if (in->is_global && !json_is_true(in->is_global) && !in->org)
		return qerr_set(err, Q_EINVAL, "is_global",
				"is_global false needs an org (X-External-Org-Id)");
	if (in->kb)
		snprintf(kb, sizeof kb, "%s", in->kb);
	else if ((st = account_default_kb(t, account, kb, err)) != Q_OK)
		return st;
	/* Position: the knowledge base's counter (Dify's position, Oshara's id). */
	if ((st = store_get(t, T_KBS, kb, &kbrec, STORE_RMW, err)) != Q_OK)
		return st;
	position = json_integer_value(json_object_get(kbrec, "next_position"));
	if (position < 1)
		position = 1;
	json_object_set_new(kbrec, "next_position", json_integer(position + 1));
	st = store_put(t, T_KBS, kb, kbrec, err);
	if (st != Q_OK)
		goto out;
	if (q_uuid_new(id) < 0) {
		st = qerr_set(err, Q_EINTERNAL, NULL, "no random bytes");
		goto out;
	}
	json_int_t now = (json_int_t)q_now_us();
	json_t *tags = in->tags ? json_incref(in->tags) : json_array();
	rec = json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:I, s:b, s:O, s:s, s:s, s:b, s:b,"
			" s:i, s:O}",
			"id", id, "account", account, "kb", kb, "title", in->title,
			"tags", tags, "created_us", now, "updated_us", now, "position", position,
			"is_global", in->is_global ? json_is_true(in->is_global) : !in->org,
			"canonical_url", in->canonical_url ? in->canonical_url : json_null(),
			"data_source_type", in->data_source_type ? in->data_source_type : "text",
			"created_from", in->created_from ? in->created_from : "api",
			"enabled", 1, "archived", 0, "hit_count", 0,
			"process_rule", in->process_rule ? in->process_rule
					: json_object_get(kbrec, "process_rule") ?: json_null());
	if (!rec) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (in->created_by)
		json_object_set_new(rec, "created_by", json_string(in->created_by));
	/* Dify's data_source_info.upload_file_id: an id of its own for the
	 * stored original (the file, or the text a document was created
	 * with), as Dify makes an upload file for both. */
	char upload_id[37];
	if (q_uuid_new(upload_id) == 0)
		json_object_set_new(rec, "upload_file_id", json_string(upload_id));
	/* ChatAid's lastTrainingAttemptedAt: when training was last asked for
	 * (here, and when an update queues it again). */
	json_object_set_new(rec, "train_requested_us", json_integer(now));
	if (in->blob) {
		json_object_set_new(rec, "blob", json_string(in->blob));
		json_object_set_new(rec, "file_name", json_string(in->file_name ? in->file_name : ""));
		json_object_set_new(rec, "mime", json_string(in->mime ? in->mime : ""));
		json_object_set_new(rec, "file_type", json_string(in->file_type ? in->file_type : ""));
		json_object_set_new(rec, "file_size", json_integer((json_int_t)in->file_size));
	}
	if (in->team_id)
		json_object_set_new(rec, "team_id", json_string(in->team_id));
	if (in->origin)
		json_object_set_new(rec, "origin", json_string(in->origin));
	/* chat scope: org, folder and allowed roles (search.c filters on them) */
	if (in->org)
		json_object_set_new(rec, "org", json_string(in->org));
	if (in->folder_id)
		json_object_set_new(rec, "folder_id", json_string(in->folder_id));
	if (in->allowed_roles)
		json_object_set(rec, "allowed_roles", in->allowed_roles);
	set_content_fields(rec, in);
	doc_set_status(rec, "waiting");
	if ((st = store_put(t, T_DOCS, id, rec, err)) != Q_OK)
		goto out;
	if (in->content &&
	    (st = store_put_raw(t, T_CONTENT, id, in->content, in->content_len, err)) != Q_OK)
		goto out;
	st = job_create(t, "ingest", account, id, job, err);
	if (st == Q_OK && in->sealed_password)
		st = job_set_str(t, job, "sealed_password", in->sealed_password, err);
out:
	if (st == Q_OK && out)
		*out = json_incref(rec);
	json_decref(rec);
	json_decref(kbrec);
	return st;
}

enum qstatus doc_get(struct stxn *t, const char *account, const char *id, unsigned flags,
		     json_t **out, struct qerr *err)
{
	json_t *rec;
	enum qstatus st;

	*out = NULL;
	if (!q_uuid_valid(id))
		return qerr_set(err, Q_ENOTFOUND, NULL, "Document not found");
	st = store_get(t, T_DOCS, id, &rec, flags, err);
	if (st == Q_ENOTFOUND)
		return qerr_set(err, Q_ENOTFOUND, NULL, "Document not found");
	if (st != Q_OK)
		return st;
	const char *owner = json_string_value(json_object_get(rec, "account"));
	if (!owner || strcmp(owner, account)) {
		json_decref(rec);
		return qerr_set(err, Q_ENOTFOUND, NULL, "Document not found");
	}
	*out = rec;
	return Q_OK;
}

/* 1 when v, the span of the record's "account" member, names account as
 * the owner, 0 when not. */
static int owned_by(struct q_span v, const char *account)
{
	size_t alen = strlen(account);
	if (!v.p || v.p[0] != '"')
		return 0;
	if (!memchr(v.p, '\\', v.n))   /* the common case: compare the bytes */
		return v.n == alen + 2 && !memcmp(v.p + 1, account, alen);
	json_t *s = json_loadb(v.p, v.n, JSON_DECODE_ANY, NULL);
	int same = json_is_string(s) && json_string_length(s) == alen &&
		   !memcmp(json_string_value(s), account, alen);
	json_decref(s);
	return same;
}

enum qstatus doc_get_text(struct stxn *t, const char *account, const char *id,
			  struct qbuf *rec, const char *const names[], struct q_span *out,
			  size_t n, struct qerr *err)
{
	const char *all[1 + DOC_TEXT_FIELDS_MAX] = {"account"};
	struct q_span v[1 + DOC_TEXT_FIELDS_MAX];
	if (n > DOC_TEXT_FIELDS_MAX)
		return qerr_set(err, Q_EINTERNAL, NULL, "doc_get_text: too many fields");
	if (!q_uuid_valid(id))
		return qerr_set(err, Q_ENOTFOUND, NULL, "Document not found");
	enum qstatus st = store_get_buf(t, T_DOCS, id, rec, err);
	if (st == Q_ENOTFOUND)
		return qerr_set(err, Q_ENOTFOUND, NULL, "Document not found");
	if (st != Q_OK)
		return st;
	/* The owner and the caller's fields in one scan of the record. */
	memcpy(all + 1, names, n * sizeof *names);
	if (q_json_members(rec->data, rec->len, all, v, n + 1) < 0) {
		QLOG_ERR("documents.db: record %s does not scan as JSON", id);
		return qerr_set(err, Q_EDB, NULL, "a stored record is damaged");
	}
	if (!owned_by(v[0], account))
		return qerr_set(err, Q_ENOTFOUND, NULL, "Document not found");
	memcpy(out, v + 1, n * sizeof *out);
	return Q_OK;
}

enum qstatus doc_content(struct stxn *t, const char *id, char **out, size_t *len,
			 struct qerr *err)
{
	return store_get_raw(t, T_CONTENT, id, out, len, err);
}

enum qstatus doc_update(struct stxn *t, const char *account, const char *id,
			const struct doc_input *in, json_t **out, struct qerr *err)
{
	json_t *rec;
	enum qstatus st = doc_get(t, account, id, STORE_RMW, &rec, err);
	char job[37];

	if (st != Q_OK)
		return st;
	if (in->title)
		json_object_set_new(rec, "title", json_string(in->title));
	if (in->tags)
		json_object_set(rec, "tags", in->tags);
	if (in->canonical_url)
		json_object_set(rec, "canonical_url", in->canonical_url);
	if (in->is_global) {
		if (!json_is_true(in->is_global) && !json_string_value(json_object_get(rec, "org"))) {
			st = qerr_set(err, Q_EINVAL, "is_global",
				      "is_global false needs an org: this document has none");
			goto out;
		}
		json_object_set_new(rec, "is_global", json_boolean(json_is_true(in->is_global)));
	}
	int requeue = 0;
	if (in->process_rule && !json_equal(in->process_rule, json_object_get(rec, "process_rule"))) {
		json_object_set(rec, "process_rule", in->process_rule);
		requeue = 1;   /* the chunks follow the new rule */
	}
	if (in->content) {
		char *old = NULL;
		size_t oldlen = 0;
		if ((st = doc_content(t, id, &old, &oldlen, err)) != Q_OK)
			goto out;
		int changed = oldlen != in->content_len || memcmp(old, in->content, oldlen);
		free(old);
		if (changed) {
			set_content_fields(rec, in);
			/* An upload's text is now this content, not its file's. */
			if (json_object_get(rec, "blob"))
				json_object_set_new(rec, "text_replaced", json_true());
			if ((st = store_put_raw(t, T_CONTENT, id, in->content, in->content_len,
						err)) != Q_OK)
				goto out;
			requeue = 1;
		}
	}
	if (requeue && ((st = jobs_delete_for_doc(t, id, "ingest", 1, err)) != Q_OK ||
			(st = job_create(t, "ingest", account, id, job, err)) != Q_OK))
		goto out;
	if (requeue)
		json_object_set_new(rec, "train_requested_us", json_integer((json_int_t)q_now_us()));
	json_object_set_new(rec, "updated_us", json_integer((json_int_t)q_now_us()));
	st = store_put(t, T_DOCS, id, rec, err);
out:
	if (st == Q_OK && out)
		*out = json_incref(rec);
	json_decref(rec);
	return st;
}

enum qstatus doc_delete(struct stxn *t, const char *account, const char *id,
			char *orphan_blob, struct qerr *err)
{
	json_t *rec;
	char blob[BLOB_HEX] = "", kb[37] = "", other[37];
	enum qstatus st = doc_get(t, account, id, STORE_RMW, &rec, err);
	if (st != Q_OK)
		return st;
	snprintf(blob, sizeof blob, "%s", json_string_value(json_object_get(rec, "blob")) ?: "");
	snprintf(kb, sizeof kb, "%s", json_string_value(json_object_get(rec, "kb")) ?: "");
	json_decref(rec);
	if (orphan_blob)
		orphan_blob[0] = '\0';
	if ((st = jobs_delete_for_doc(t, id, NULL, 0, err)) != Q_OK ||
	    (st = chunks_delete_for_doc(t, id, err)) != Q_OK)
		return st;
	st = store_del(t, T_CONTENT, id, err);
	if (st != Q_OK && st != Q_ENOTFOUND)
		return st;
	if ((st = store_del(t, T_DOCS, id, err)) != Q_OK)
		return st;
	if (blob[0] && orphan_blob && !blob_referenced(t, blob, other, err))
		snprintf(orphan_blob, BLOB_HEX, "%s", blob);
	return Q_OK;
}

enum qstatus doc_find_blob(struct stxn *t, const char *kb, const char *blob, const char *org,
			   char *id, struct qerr *err)
{
	struct store_key k;
	struct store_ids ids = {0};
	store_key_init(&k);
	store_key_str(&k, blob);
	store_key_str(&k, kb);
	enum qstatus st = store_scan(t, I_DOCS_BY_BLOB, &k, 0, DOC_BLOB_SCAN_MAX, store_collect,
				     &ids, err);
	if (st == Q_OK && ids.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	int found = 0;
	for (size_t i = 0; st == Q_OK && !found && i < ids.n; i++) {
		json_t *rec;
		st = store_get(t, T_DOCS, ids.ids[i], &rec, 0, err);
		if (st == Q_ENOTFOUND) {
			qerr_clear(err);
			st = Q_OK;
			continue;
		}
		if (st != Q_OK)
			break;
		const char *its = json_string_value(json_object_get(rec, "org"));
		json_t *global = json_object_get(rec, "is_global");
		found = (global ? json_is_true(global) : !its) || (org && its && !strcmp(org, its));
		if (found)
			snprintf(id, 37, "%s", ids.ids[i]);
		json_decref(rec);
	}
	if (st == Q_OK && !found)
		st = qerr_set(err, Q_ENOTFOUND, NULL, "no document with that content");
	store_ids_free(&ids);
	return st;
}

static int blob_referenced(struct stxn *t, const char *blob, char *id, struct qerr *err)
{
	struct store_key k;
	size_t n = 1;
	store_key_init(&k);
	store_key_str(&k, blob);
	if (store_count(t, I_DOCS_BY_BLOB, &k, &n, err) != Q_OK)
		return 1;   /* when in doubt, keep the file */
	return n > 0;
}

struct sweep {
	const char *sha;
	int used;
};

static enum qstatus sweep_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct sweep *w = arg;
	char other[37];
	w->used = blob_referenced(t, w->sha, other, err);
	return Q_OK;
}

int doc_blob_sweep(struct store *s, const char *datadir, const char *sha)
{
	struct sweep w = {sha, 1};
	struct qerr err;
	int removed = 0;
	if (!sha || !*sha)
		return 0;
	int fd = blob_lock(datadir, 1);
	if (store_run(s, sweep_fn, &w, &err) == Q_OK && !w.used)
		removed = blob_remove(datadir, sha) == 0;
	blob_unlock(fd);
	return removed;
}

static void sweep_tmp(const char *dir, size_t *tmps)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	time_t now = time(NULL);
	while (d && (e = readdir(d))) {
		char path[PATH_MAX];
		struct stat sb;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && now - sb.st_mtime > BLOB_TMP_MAX_AGE &&
		    unlink(path) == 0)
			(*tmps)++;
	}
	if (d)
		closedir(d);
}

enum qstatus doc_blob_sweep_all(struct store *s, const char *datadir, size_t *blobs, size_t *tmps,
				struct qerr *err)
{
	char root[PATH_MAX];
	*blobs = *tmps = 0;
	snprintf(root, sizeof root, "%s/blobs", datadir);
	DIR *d = opendir(root);
	if (!d)
		return errno == ENOENT ? Q_OK
				       : qerr_set(err, Q_EINTERNAL, NULL, "cannot read %s: %s", root, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d))) {
		char sub[PATH_MAX];
		if (!strcmp(e->d_name, "tmp")) {
			snprintf(sub, sizeof sub, "%s/tmp", root);
			sweep_tmp(sub, tmps);
			continue;
		}
		if (strlen(e->d_name) != 2 || e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s/%s", root, e->d_name);
		DIR *b = opendir(sub);
		struct dirent *f;
		while (b && (f = readdir(b)))
			if (blob_hash_valid(f->d_name) && !strncmp(f->d_name, e->d_name, 2))
				*blobs += (size_t)doc_blob_sweep(s, datadir, f->d_name);
		if (b)
			closedir(b);
	}
	closedir(d);
	return Q_OK;
}

const char *doc_status_chataid(json_t *doc)
{
	const char *s = json_string_value(json_object_get(doc, "indexing_status")) ?: "waiting";
	if (!strcmp(s, "completed"))
		return "trained";
	if (!strcmp(s, "error") || !strcmp(s, "paused"))
		return s;
	if (!strcmp(s, "waiting"))
		return "pending";
	return "training";
}

int doc_status_reading(const char *status)
{
	static const char *const reading[] = {"waiting", "parsing", "cleaning", "splitting",
					      "indexing"};
	for (size_t i = 0; i < sizeof reading / sizeof *reading; i++)
		if (!strcmp(status, reading[i]))
			return 1;
	return 0;
}

const char *doc_status_oshara(json_t *doc)
{
	const char *s = json_string_value(json_object_get(doc, "indexing_status")) ?: "waiting";
	if (!strcmp(s, "completed"))
		return "PROCESSED";
	if (!strcmp(s, "error"))
		return "FAILED";
	return "PENDING";
}

void doc_set_status(json_t *doc, const char *status)
{
	char key[32];
	json_int_t now = (json_int_t)q_now_us();
	json_object_set_new(doc, "indexing_status", json_string(status));
	snprintf(key, sizeof key, "%s_us", status);
	json_object_set_new(doc, key, json_integer(now));
	json_object_set_new(doc, "updated_us", json_integer(now));   /* Dify's updated_at */
}

struct list_ctx {
	struct stxn *t;
	doc_list_cb cb;
	void *arg;
	enum qstatus st;
	struct qerr *err;
};

static int list_one(const char *pk, void *arg)
{
	struct list_ctx *l = arg;
	json_t *rec;
	l->st = store_get(l->t, T_DOCS, pk, &rec, 0, l->err);
	if (l->st != Q_OK)
		return 1;
	int stop = l->cb(rec, l->arg);
	json_decref(rec);
	return stop;
}

enum qstatus doc_list(struct stxn *t, const char *account, size_t offset, size_t limit,
		      doc_list_cb cb, void *arg, size_t *total, struct qerr *err)
{
	struct store_key k;
	struct list_ctx l = {t, cb, arg, Q_OK, err};
	enum qstatus st;

	store_key_init(&k);
	store_key_str(&k, account);
	if ((st = store_count(t, I_DOCS_BY_ACCOUNT, &k, total, err)) != Q_OK)
		return st;
	if (offset >= *total || limit == 0)
		return Q_OK;
	/* Newest first: the index is oldest first, so read the mirrored window. */
	size_t end = *total - offset;
	size_t start = end > limit ? end - limit : 0;
	struct store_ids ids = {0};
	st = store_scan(t, I_DOCS_BY_ACCOUNT, &k, start, end - start, store_collect, &ids, err);
	if (st == Q_OK && ids.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = ids.n; st == Q_OK && i > 0; i--) {
		if (list_one(ids.ids[i - 1], &l))
			break;
		st = l.st;
	}
	if (st == Q_OK)
		st = l.st;
	store_ids_free(&ids);
	return st;
}

enum qstatus doc_embed_progress(struct stxn *t, const char *doc_id, int done, int failed,
				const char *error, struct qerr *err)
{
	json_t *rec;
	enum qstatus st = store_get(t, T_DOCS, doc_id, &rec, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	json_int_t total = json_integer_value(json_object_get(rec, "embed_total"));
	json_int_t d = json_integer_value(json_object_get(rec, "embed_done")) + done;
	json_int_t f = json_integer_value(json_object_get(rec, "embed_failed")) + failed;
	if (f < 0)
		f = 0;
	json_object_set_new(rec, "embed_done", json_integer(d));
	json_object_set_new(rec, "embed_failed", json_integer(f));
	const char *status = json_string_value(json_object_get(rec, "indexing_status")) ?: "";
	if (d >= total && strcmp(status, "completed")) {
		doc_set_status(rec, "completed");
		json_object_set_new(rec, "completed_us", json_integer((json_int_t)q_now_us()));
		json_object_set_new(rec, "error", json_null());
	} else if (d < total && f > 0 && d + f >= total) {
		doc_set_status(rec, "error");
		json_object_set_new(rec, "error", json_string(error ? error : "embedding failed"));
	} else if (d + f < total && (!strcmp(status, "error") || !strcmp(status, "completed"))) {
		doc_set_status(rec, "indexing");   /* a retry brought jobs back */
		json_object_set_new(rec, "error", json_null());
	}
	st = store_put(t, T_DOCS, doc_id, rec, err);
	json_decref(rec);
	return st;
}
