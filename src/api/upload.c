/* upload.c: file uploads (multipart/form-data) for three route families
 * over one path: parse the body to temporary files (multipart.c), sniff each
 * file's type from its bytes, move it into the content-addressed blob
 * store, then create every document (waiting) and its ingest job in one
 * transaction, answer, and wake quired's ingest processes (docs/ingest.md;
 * an account with ingest_account_queue jobs queued or running gets 429).
 *   ChatAid  POST /external/sources/custom          field files (1..n), ?teamId
 *   Oshara   POST /api/knowledge-base/{slug}/documents/   field file
 *   ChatIQ   POST /api/v1/documents (multipart)     file, title, tags
 * A request is all or nothing: an unsupported file, or (ChatAid, Oshara) a
 * file whose bytes the knowledge base already holds ("already added"),
 * refuses the whole request and nothing is stored. Every route reads the
 * scope headers (org, folder, allowed roles; docs/api.md "Visibility")
 * and honours Idempotency-Key (idempotency.h). Also the original's
 * download, GET /api/v1/documents/:id/file, with a key or a signed link. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/views.h"
#include "api/util.h"
#include "api/upload.h"
#include "api/scope.h"
#include "api/idempotency.h"
#include "store/blob.h"
#include "base/fault.h"
#include "store/docs.h"
#include "store/accounts.h"
#include "http/multipart.h"
#include "http/uptoken.h"
#include "extract/sniff.h"
#include "pipeline/split.h"
#include "pipeline/chunk_rule.h"
#include "queue/queue.h"
#include "store/store.h"
#include "base/util.h"
#include "base/seal.h"
#include "http/router.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define UPLOAD_FILES_MAX 16   /* documents one request may create (qresp's ingest list) */

struct upload_file {
	struct mp_part *part;
	struct sniffed sn;
	char sha[BLOB_HASH_HEX];
	unsigned long long size;
	int new_blob;             /* this request created the blob */
	char id[37];
	json_t *doc;
};

/* The longest document password an upload may carry (quire-extract's cap). */
#define UPLOAD_PASSWORD_MAX 1024

struct upload {
	struct qctx *c;
	struct mp_form form;
	struct upload_file files[UPLOAD_FILES_MAX];
	size_t n;
	const char *kb;           /* NULL: the account's default */
	const char *team;
	const char *origin;       /* ChatAid: "custom" (doc_input.origin) */
	int refuse_duplicates;
	const char *title;        /* native: title field */
	json_t *tags;             /* native: tags */
	json_t *rule;             /* process_rule part, normalised */
	struct doc_input scope;   /* org, folder, allowed roles (scope.h), is_global */
	json_t *roles;            /* X-External-Allowed-Roles, new */
	const char *idem;         /* Idempotency-Key, or NULL */
	char fp[IDEM_HEX];        /* the request's fingerprint */
	int replayed;             /* the key's first result was answered */
	int lock;                 /* blob_lock, shared, from storing the files to the commit; -1 */
	struct upload_form *web;  /* a form upload (form_upload.c): scope and limits
				   * from its token, no headers; NULL for the API */
	char sealed[2 * (UPLOAD_PASSWORD_MAX + 28) + 1]; /* the password field, sealed */
};

static ssize_t body_read(void *ctx, void *buf, size_t n)
{
	struct qreq *r = ctx;
	return r->read(r->ctx, buf, n);
}

/* Parse the multipart body into u->form. */
/* The optional password field (every upload route): the documents'
 * password for quire-extract, sealed at once (base/seal.h) so that only
 * the ingest process that claims the job can read it; never stored,
 * logged or part of the idempotency fingerprint. */
static enum qstatus form_password(struct upload *u)
{
	const struct mp_part *p = mp_get(&u->form, "password");
	if (!p)
		return Q_OK;
	if (!p->value || !*p->value || p->value_len > UPLOAD_PASSWORD_MAX ||
	    strlen(p->value) != p->value_len || strchr(p->value, '\n'))
		return qerr_set(&u->c->err, Q_EINVAL, "password",
				"password must be 1 to %d bytes on one line", UPLOAD_PASSWORD_MAX);
	if (seal(p->value, p->value_len, u->sealed, sizeof u->sealed) < 0)
		return qerr_set(&u->c->err, Q_EINTERNAL, "password", "cannot seal the password");
	return Q_OK;
}

static enum qstatus upload_parse(struct upload *u)
{
	struct qctx *c = u->c;
	const struct qconf *conf = c->app->conf;
	char tmp[PATH_MAX];
	enum qstatus st;
	/* The scope headers, as on the JSON create (every create route); a
	 * form upload takes its scope from its token instead. */
	if (!u->web && (st = chat_doc_scope(c->req, &u->scope, &u->roles, &c->err)) != Q_OK)
		return st;
	if (!u->web && (st = idem_header(c, &u->idem)) != Q_OK)
		return st;
	if (strncasecmp(c->req->content_type, "multipart/form-data", 19))
		return qerr_set(&c->err, Q_EMEDIA, NULL,
				"the body must be multipart/form-data");
	if (c->req->content_length > 0 &&
	    (unsigned long long)c->req->content_length > conf->upload_max)
		return qerr_set(&c->err, Q_ETOOBIG, NULL,
				"the upload is over the limit of %zu bytes", conf->upload_max);
	if ((st = blob_tmpdir(conf->datadir, tmp, &c->err)) != Q_OK)
		return st;
	struct mp_limits lim = {
		.max_total = conf->upload_max,
		.max_parts = (size_t)conf->upload_max_parts,
		.max_header_bytes = 8192,
		.max_field_bytes = 65536,
	};
	if ((st = mp_parse(body_read, c->req, c->req->content_type, &lim, tmp, &u->form,
			   &c->err)) != Q_OK)
		return st;
	return form_password(u);
}

/* The request as idempotency.h compares it: every plain field in form
 * order, then every file by field, name and content hash. */
static void upload_fingerprint(struct upload *u)
{
	struct qbuf b;
	qbuf_init(&b, (size_t)1 << 30);
	for (size_t i = 0; i < u->form.n; i++) {
		const struct mp_part *p = &u->form.parts[i];
		if (p->value && strcmp(p->name, "password"))
			qbuf_printf(&b, "%s=%s\n", p->name, p->value);
	}
	for (size_t i = 0; i < u->n; i++)
		qbuf_printf(&b, "%s:%s:%s\n", u->files[i].part->name,
			    u->files[i].part->filename ? u->files[i].part->filename : "", u->files[i].sha);
	idem_fingerprint(u->c, b.data ? b.data : "", b.len, u->fp);
	qbuf_free(&b);
}

/* The documents the key's first request created, into u->files (same
 * request, so as many); Q_ENOTFOUND when they are gone (create anew). */
static enum qstatus replay(struct stxn *t, json_t *ids, void *arg, struct qerr *err)
{
	struct upload *u = arg;
	enum qstatus st = Q_OK;
	if (json_array_size(ids) != u->n)
		return qerr_set(err, Q_ENOTFOUND, NULL, "replaced");
	for (size_t i = 0; st == Q_OK && i < u->n; i++) {
		struct upload_file *f = &u->files[i];
		json_decref(f->doc);
		f->doc = NULL;
		snprintf(f->id, sizeof f->id, "%s", json_string_value(json_array_get(ids, i)) ?: "");
		st = doc_get(t, u->c->who.account, f->id, 0, &f->doc, err);
	}
	return st;
}

static const char *file_type(const struct upload_file *f);

/* Sniff and store every file part named field; refuse unsupported ones
 * (and, for a form upload, types its token does not allow). */
static enum qstatus upload_files(struct upload *u, const char *field, size_t max)
{
	struct qctx *c = u->c;
	const char *datadir = c->app->conf->datadir;
	for (size_t i = 0; i < u->form.n; i++) {
		struct mp_part *p = &u->form.parts[i];
		if (strcmp(p->name, field))
			continue;
		if (!p->path)
			return qerr_set(&c->err, Q_EINVAL, field, "%s must be a file", field);
		if (u->n == max)
			return qerr_set(&c->err, Q_EINVAL, field,
					"at most %zu files per request", max);
		struct upload_file *f = &u->files[u->n++];
		f->part = p;
		if (p->size == 0)   /* before sniffing: no bytes sniff as no type */
			return qerr_set(&c->err, Q_EINVAL, field, "%s is empty",
					p->filename && *p->filename ? p->filename : "the file");
		if (sniff_file(p->path, &f->sn) < 0)
			return qerr_set(&c->err, Q_EINTERNAL, NULL, "cannot read the upload");
		if (!f->sn.mime)
			return qerr_set(&c->err, Q_EMEDIA, field, "unsupported file type: %s",
					p->filename && *p->filename ? p->filename : "(no name)");
		if (u->web && !uptoken_type_ok(u->web->claims, file_type(f), f->sn.mime))
			return qerr_set(&c->err, Q_EMEDIA, field, "%s: this type of file is not "
					"accepted here", p->filename && *p->filename ? p->filename
										: "(no name)");
	}
	if (u->n == 0)
		return qerr_set(&c->err, Q_EINVAL, field, "%s is required", field);
	/* Only now, with every file acceptable, move them into the store,
	 * holding the blob lock shared until the documents are committed. */
	u->lock = blob_lock(datadir, 0);
	for (size_t i = 0; i < u->n; i++) {
		struct upload_file *f = &u->files[i];
		enum qstatus st = blob_put_file(datadir, f->part->path, f->sha, &f->size,
						&f->new_blob, &c->err);
		free(f->part->path);   /* consumed: never unlink a reused name later */
		f->part->path = NULL;
		if (st != Q_OK)
			return st;
	}
	if (u->idem)
		upload_fingerprint(u);
	if (fault_enabled()) {   /* tests: the files stored, the documents not yet
				  * (X-Quire-Fault-At: the request-start point
				  * reads X-Quire-Fault) */
		const char *f = qreq_param(c->req, "HTTP_X_QUIRE_FAULT_AT");
		if (f && !strcmp(f, "upload_stored_pause"))
			fault_point(f);
	}
	return Q_OK;
}

/* File type for a sniffed OOXML or OLE container refined by the name. */
static const char *file_type(const struct upload_file *f)
{
	const char *t = f->sn.type, *name = f->part->filename ? f->part->filename : "";
	const char *dot = strrchr(name, '.');
	if (!strcmp(t, "txt") && dot) {
		if (!strcasecmp(dot, ".md") || !strcasecmp(dot, ".markdown"))
			return "md";
		if (!strcasecmp(dot, ".csv"))
			return "csv";
	}
	if ((!strcmp(t, "ooxml") || !strcmp(t, "ole")) && dot && strlen(dot) <= 5 && dot[1]) {
		static char ext[8];
		size_t k = 0;
		for (const char *p = dot + 1; *p && k < sizeof ext - 1; p++)
			ext[k++] = (char)tolower((unsigned char)*p);
		ext[k] = '\0';
		return ext;
	}
	return t;
}

static enum qstatus create_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct upload *u = arg;
	struct qctx *c = u->c;
	char kb[37];
	enum qstatus st;
	/* the job queue's writers one at a time (store.h) */
	if ((st = store_txn_lock(t, STORE_LOCK_JOBS, err)) != Q_OK)
		return st;
	st = idem_replay(t, c->who.account, u->idem, u->fp, replay, u, &u->replayed, err);
	if (st != Q_OK || u->replayed)
		return st;
	/* A form upload counts its token's use here, so that a single-use
	 * token creates documents once whichever worker runs the request. */
	if (u->web && (st = uptoken_use(t, u->web->claims, err)) != Q_OK)
		return st;
	if (u->kb)
		snprintf(kb, sizeof kb, "%s", u->kb);
	else if ((st = account_default_kb(t, c->who.account, kb, err)) != Q_OK)
		return st;
	for (size_t i = 0; i < u->n; i++) {
		struct upload_file *f = &u->files[i];
		const char *name = f->part->filename && *f->part->filename ? f->part->filename
									   : "upload";
		json_decref(f->doc);
		f->doc = NULL;
		if (u->refuse_duplicates) {
			char other[37];
			st = doc_find_blob(t, kb, f->sha, u->scope.org, other, err);
			if (st == Q_OK)
				return qerr_set(err, Q_ECONFLICT, "files", "%s: already added", name);
			if (st != Q_ENOTFOUND)
				return st;
			qerr_clear(err);
		}
		struct doc_input in = {
			.title = u->title && *u->title ? u->title : name,
			.tags = u->tags,
			.data_source_type = "upload_file",
			.kb = kb,
			.file_name = name,
			.mime = f->sn.mime,
			.file_type = file_type(f),
			.blob = f->sha,
			.file_size = f->size,
			.team_id = u->team,
			.origin = u->origin,
			.created_by = u->web ? u->web->created_by : c->who.key_id,
			.created_from = u->web ? "web" : NULL,
			.process_rule = u->rule,
			.org = u->scope.org,
			.folder_id = u->scope.folder_id,
			.allowed_roles = u->scope.allowed_roles,
			.is_global = u->scope.is_global,
			.sealed_password = u->sealed[0] ? u->sealed : NULL,
		};
		if ((st = doc_create(t, c->who.account, &in, f->id, &f->doc, err)) != Q_OK)
			return st;
	}
	/* One account's queue of ingestions is bounded (docs/ingest.md):
	 * more is refused and this transaction, which added them, aborted, so
	 * nothing is stored. Counted after the documents are added: two
	 * uploads that both read the queue's pages before writing them
	 * deadlocked. */
	if ((st = api_ingest_room(c, t, u->n, err)) != Q_OK)
		return st;
	if (u->idem) {
		json_t *ids = json_array();
		for (size_t i = 0; i < u->n; i++)
			json_array_append_new(ids, json_string(u->files[i].id));
		st = idem_store(t, c->who.account, u->idem, u->fp, ids, err);
		json_decref(ids);
	}
	return st;
}

/* Store the documents; on failure remove blobs this request created and
 * nobody references. */
static enum qstatus upload_commit(struct upload *u)
{
	struct qctx *c = u->c;
	enum qstatus st = store_run_flushed(c->app->store, create_fn, u, &c->err);
	blob_unlock(u->lock);
	u->lock = -1;
	if (st != Q_OK || u->replayed) {   /* nothing new references a new blob */
		for (size_t i = 0; i < u->n; i++)
			if (u->files[i].new_blob)
				doc_blob_sweep(c->app->store, c->app->conf->datadir, u->files[i].sha);
		if (st == Q_ERATE)
			qresp_header(c->resp, "Retry-After", "30");   /* the queue drains */
		return st;
	}
	for (size_t i = 0; i < u->n; i++)
		qresp_after_ingest(c->resp, u->files[i].id);
	return Q_OK;
}

/* The optional process_rule part (JSON, Dify's shape or flat). */
static enum qstatus form_rule(struct upload *u)
{
	const struct mp_part *p = mp_get(&u->form, "process_rule");
	if (!p)
		return Q_OK;
	json_t *r = p->value ? json_loads(p->value, JSON_REJECT_DUPLICATES, NULL) : NULL;
	enum qstatus st = r ? split_rule_check(r, &u->rule, &u->c->err)
			    : qerr_set(&u->c->err, Q_EINVAL, "process_rule",
				       "process_rule must be a JSON object");
	json_decref(r);
	return st;
}

static void upload_free(struct upload *u)
{
	blob_unlock(u->lock);
	json_decref(u->roles);
	json_decref(u->rule);
	for (size_t i = 0; i < u->n; i++)
		json_decref(u->files[i].doc);
	json_decref(u->tags);
	mp_form_free(&u->form);
}

/* ---- ChatAid ------------------------------------------------------------ */

enum qstatus api_sources_upload(struct qctx *c)
{
	struct upload u = {.c = c, .refuse_duplicates = 1, .lock = -1, .origin = "custom"};
	char team[128];
	enum qstatus st;
	int r = qreq_query(c->req, "teamId", team, sizeof team);
	if (r < 0)
		return qerr_set(&c->err, Q_EINVAL, "teamId", "teamId is not valid");
	u.team = r > 0 && team[0] ? team : NULL;
	if ((st = upload_parse(&u)) != Q_OK || (st = form_rule(&u)) ||
	    (st = upload_files(&u, "files", UPLOAD_FILES_MAX)) ||
	    (st = upload_commit(&u)))
		goto out;
	char msg[128];
	snprintf(msg, sizeof msg, "Started training on %zu source%s successfully.", u.n,
		 u.n == 1 ? "" : "s");
	qresp_json_new(c->resp, 200, json_pack("{s:b, s:s}", "ok", 1, "message", msg));
out:
	/* The seed documents 400 for every refusal ("unsupported file type,
	 * already added, etc."); server faults keep their own status. */
	if (st == Q_EMEDIA || st == Q_ECONFLICT)
		c->err.st = st = Q_EINVAL;
	upload_free(&u);
	return st;
}

/* ---- Oshara ------------------------------------------------------------- */

struct kb_arg {
	struct qctx *c;
	char kb[37];
};

static enum qstatus kb_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct kb_arg *a = arg;
	return kb_find(t, a->c->who.account, qctx_param(a->c, "slug"), a->kb, err);
}

enum qstatus api_kb_documents_upload(struct qctx *c)
{
	struct kb_arg k = {.c = c};
	struct upload u = {.c = c, .refuse_duplicates = 1, .lock = -1};
	enum qstatus st = store_run(c->app->store, kb_fn, &k, &c->err);
	if (st == Q_ENOTFOUND)
		return qerr_set(&c->err, st, NULL, "Not found.");
	if (st != Q_OK)
		return st;
	u.kb = k.kb;
	if ((st = upload_parse(&u)) != Q_OK || (st = form_rule(&u)) ||
	    (st = upload_files(&u, "file", 1)) || (st = upload_commit(&u)))
		goto out;
	char base[512];
	api_base_url(c, base, sizeof base);
	qresp_json_new(c->resp, 201, api_kb_document(c->app->conf, u.files[0].doc, base));
out:
	if (st == Q_EMEDIA || st == Q_ECONFLICT) {
		/* DRF answers 400 with a detail for an invalid upload. */
		c->err.st = st = Q_EINVAL;
		if (!strncmp(c->err.msg, "unsupported", 11))
			snprintf(c->err.msg, sizeof c->err.msg, "Unsupported file type.");
	}
	upload_free(&u);
	return st;
}

/* ---- ChatIQ ------------------------------------------------------------- */

/* tags from the form: a JSON array in one field, or repeated fields, or a
 * comma-separated list. */
static enum qstatus form_tags(struct upload *u)
{
	json_t *tags = json_array();
	for (size_t i = 0; i < u->form.n; i++) {
		struct mp_part *p = &u->form.parts[i];
		if (strcmp(p->name, "tags") && strcmp(p->name, "tags[]"))
			continue;
		if (!p->value)
			goto bad;
		json_t *arr = p->value[0] == '[' ? json_loads(p->value, JSON_REJECT_DUPLICATES, NULL)
						 : NULL;
		if (p->value[0] == '[') {
			size_t k;
			json_t *v;
			if (!json_is_array(arr)) {
				json_decref(arr);
				goto bad;
			}
			json_array_foreach(arr, k, v) {
				if (!json_is_string(v)) {
					json_decref(arr);
					goto bad;
				}
				json_array_append(tags, v);
			}
			json_decref(arr);
			continue;
		}
		for (const char *s = p->value; *s;) {
			size_t n = strcspn(s, ",");
			const char *a = s, *b = s + n;
			while (a < b && *a == ' ')
				a++;
			while (b > a && b[-1] == ' ')
				b--;
			if (b > a)
				json_array_append_new(tags, json_stringn(a, (size_t)(b - a)));
			s += n + (s[n] == ',');
		}
	}
	u->tags = tags;
	return Q_OK;
bad:
	json_decref(tags);
	return qerr_set(&u->c->err, Q_EINVAL, "tags", "tags must be an array of strings");
}

enum qstatus api_documents_upload(struct qctx *c)
{
	struct upload u = {.c = c, .lock = -1};
	enum qstatus st;
	if ((st = upload_parse(&u)) != Q_OK)
		goto out;
	for (size_t i = 0; i < u.form.n; i++) {
		const struct mp_part *p = &u.form.parts[i];
		if (strcmp(p->name, "file") && strcmp(p->name, "title") && strcmp(p->name, "tags") &&
		    strcmp(p->name, "tags[]") && strcmp(p->name, "process_rule") &&
		    strcmp(p->name, "is_global") && strcmp(p->name, "password")) {
			st = qerr_set(&c->err, Q_EINVAL, p->name, "unknown field %s", p->name);
			goto out;
		}
	}
	const struct mp_part *title = mp_get(&u.form, "title");
	if (title) {
		size_t n = title->value ? strspn(title->value, " \t\r\n") : 0;
		if (!title->value || !title->value[n]) {
			st = qerr_set(&c->err, Q_EINVAL, "title", "title must not be empty");
			goto out;
		}
		u.title = title->value;
	}
	const struct mp_part *global = mp_get(&u.form, "is_global");
	if (global) {
		if (!global->value || (strcmp(global->value, "true") && strcmp(global->value, "false"))) {
			st = qerr_set(&c->err, Q_EINVAL, "is_global", "is_global must be true or false");
			goto out;
		}
		u.scope.is_global = !strcmp(global->value, "true") ? json_true() : json_false();
	}
	if ((st = form_tags(&u)) != Q_OK || (st = form_rule(&u)) ||
	    (st = upload_files(&u, "file", 1)) ||
	    (st = upload_commit(&u)))
		goto out;
	qresp_json_new(c->resp, u.replayed ? 200 : 201,   /* as the JSON create */
		       json_pack("{s:o}", "document", api_native_doc(u.files[0].doc, NULL, 0)));
out:
	upload_free(&u);
	return st;
}

/* ---- plain HTML forms (form_upload.c) ------------------------------------ */

enum qstatus api_upload_begin(struct qctx *c, struct upload_form *web, struct upload **out)
{
	struct upload *u = calloc(1, sizeof *u);
	*out = u;
	if (!u)
		return qerr_set(&c->err, Q_ENOMEM, NULL, "out of memory");
	u->c = c;
	u->lock = -1;
	u->web = web;
	return upload_parse(u);
}

const struct mp_form *api_upload_fields(const struct upload *u)
{
	return &u->form;
}

enum qstatus api_upload_store(struct upload *u)
{
	struct upload_form *web = u->web;
	enum qstatus st;
	u->kb = web->kb;
	u->scope.org = web->org;
	u->scope.folder_id = web->folder;
	u->scope.allowed_roles = web->roles;
	if ((st = upload_files(u, "file", web->max_files)) != Q_OK ||
	    (st = upload_commit(u)) != Q_OK)
		return st;
	for (size_t i = 0; i < u->n; i++)
		snprintf(web->ids[i], sizeof web->ids[i], "%s", u->files[i].id);
	web->n = u->n;
	return Q_OK;
}

void api_upload_end(struct upload *u)
{
	if (!u)
		return;
	upload_free(u);
	free(u);
}

/* ---- the original file -------------------------------------------------- */

struct file_arg {
	struct qctx *c;
	json_t *doc;
};

static enum qstatus file_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct file_arg *a = arg;
	const char *id = qctx_param(a->c, "id");
	if (!a->c->signed_link)
		return doc_get(t, a->c->who.account, id, 0, &a->doc, err);
	/* A signed link names this document: whoever holds it may have its
	 * file, whatever account owns it (app.c checked the signature). */
	enum qstatus st = q_uuid_valid(id) ? store_get(t, T_DOCS, id, &a->doc, 0, err) : Q_ENOTFOUND;
	return st == Q_ENOTFOUND ? qerr_set(err, Q_ENOTFOUND, NULL, "Document not found") : st;
}

/* RFC 6266 Content-Disposition with an ASCII fallback and filename*. */
static void disposition(const char *name, char *out, size_t n)
{
	char ascii[256], ext[768];
	size_t a = 0, e = 0;
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (a < sizeof ascii - 1)
			ascii[a++] = (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') ? (char)*p : '_';
		if (e < sizeof ext - 4) {
			if (isalnum(*p) || strchr("!#$&+-.^_`|~", *p)) {
				ext[e++] = (char)*p;
			} else {
				ext[e++] = '%';
				ext[e++] = hex[*p >> 4];
				ext[e++] = hex[*p & 15];
			}
		}
	}
	ascii[a] = ext[e] = '\0';
	snprintf(out, n, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, ext);
}

enum qstatus api_documents_file(struct qctx *c)
{
	struct file_arg a = {.c = c};
	enum qstatus st = store_run(c->app->store, file_fn, &a, &c->err);
	if (st != Q_OK)
		return st;
	const char *sha = api_str(a.doc, "blob");
	char path[PATH_MAX], head[2048];
	int fd = -1;
	struct stat sb;
	if (!blob_hash_valid(sha)) {
		json_decref(a.doc);
		return qerr_set(&c->err, Q_ENOTFOUND, NULL, "this document has no file");
	}
	blob_path(c->app->conf->datadir, sha, path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &sb) < 0) {
		if (fd >= 0)
			close(fd);
		json_decref(a.doc);
		return qerr_set(&c->err, Q_EINTERNAL, NULL, "the stored file is missing");
	}
	char disp[1100];
	disposition(*api_str(a.doc, "file_name") ? api_str(a.doc, "file_name") : "document",
		    disp, sizeof disp);
	int hn = snprintf(head, sizeof head,
			  "Status: 200 OK\r\nContent-Type: %s\r\nContent-Length: %lld\r\n"
			  "Content-Disposition: %s\r\nX-Content-Type-Options: nosniff\r\n"
			  "Cache-Control: private, max-age=0\r\n\r\n",
			  *api_str(a.doc, "mime") ? api_str(a.doc, "mime") : "application/octet-stream",
			  (long long)sb.st_size, disp);
	json_decref(a.doc);
	c->resp->streaming = 1;   /* from here on the answer is ours to write */
	if (hn < 0 || (size_t)hn >= sizeof head || c->resp->write(c->resp->wctx, head, (size_t)hn) < 0) {
		close(fd);
		return Q_OK;
	}
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (c->resp->write(c->resp->wctx, buf, (size_t)n) < 0)
			break;
	close(fd);
	if (c->resp->flush)
		c->resp->flush(c->resp->wctx);
	return Q_OK;
}
