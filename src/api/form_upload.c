/* form_upload.c: uploads from a plain HTML form (docs/form-upload.md).
 *   POST /forms/upload   multipart/form-data: token (upload_tokens.c),
 *                        file (one or more); no key, no script
 *   GET  /forms/status   ?token=&documents=id,id[&format=json]: progress
 * The token is checked (signature, expiry, origin, file count, bytes,
 * types, use count) and the files are stored by upload.c as the API
 * stores them. Success: 303 See Other to the token's redirect URL with
 * status=ok&documents=ids, or a small page. Failure: nothing is stored,
 * and the browser gets 303 to the redirect URL with status=error&error=
 * CODE&message=..., or, when there is no trusted redirect (no token, a
 * forged one), a readable page; never JSON. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/util.h"
#include "api/upload.h"
#include "api/form_upload.h"
#include "http/html.h"
#include "http/multipart.h"
#include "http/uptoken.h"
#include "store/store.h"
#include "base/util.h"
#include "http/errors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What went wrong, as the redirect's error code and the page says it. */
struct form_fail {
	const char *code;
	int http;
	const char *title;
};

static const struct form_fail F_BAD_REQUEST = {"bad_request", 400, "The upload could not be read"};
static const struct form_fail F_NO_TOKEN = {"missing_token", 400, "This upload form has no token"};
static const struct form_fail F_BAD_TOKEN = {"bad_token", 403, "This upload form is not valid"};
static const struct form_fail F_EXPIRED = {"expired", 403, "This upload form has expired"};
static const struct form_fail F_REUSED = {"reused", 409, "This upload form was already used"};
static const struct form_fail F_ORIGIN = {"wrong_origin", 403,
					   "This upload form was sent from another site"};
static const struct form_fail F_NO_FILE = {"no_file", 400, "No file was chosen"};
static const struct form_fail F_TOO_MANY = {"too_many_files", 413, "Too many files"};
static const struct form_fail F_TOO_LARGE = {"too_large", 413, "The upload is too large"};
static const struct form_fail F_TYPE = {"wrong_type", 415, "This type of file is not accepted"};
static const struct form_fail F_BUSY = {"busy", 429, "Too many uploads are waiting"};
static const struct form_fail F_SERVER = {"server_error", 500, "The upload failed"};

/* Append "name=value" (value percent-encoded) to b, after sep. */
static void query_add(struct qbuf *b, char sep, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	qbuf_printf(b, "%c%s=", sep, name);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~,", *p))
			qbuf_add(b, (const char *)p, 1);
		else
			qbuf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
	}
}

/* 303 See Other to url with query appended (before a #fragment). */
static void see_other(struct qctx *c, const char *url, const char *query)
{
	struct qbuf b;
	size_t frag = strcspn(url, "#");
	qbuf_init(&b, 1 << 16);
	qbuf_add(&b, url, frag);
	qbuf_printf(&b, "%c%s", memchr(url, '?', frag) ? '&' : '?', query);
	qbuf_adds(&b, url + frag);
	c->resp->status = 303;
	qbuf_reset(&c->resp->body);
	qresp_header(c->resp, "Location", b.data);
	qresp_header(c->resp, "Cache-Control", "no-store");
	qresp_header(c->resp, "Referrer-Policy", "no-referrer");
	qbuf_free(&b);
}

/* The failure f (detail: c->err's message or "") as a redirect when the
 * token is trusted and names one, else as a page. Always Q_OK: the
 * answer is written. */
static enum qstatus form_fail(struct qctx *c, json_t *claims, const struct form_fail *f)
{
	const char *redirect = json_string_value(json_object_get(claims, "redirect"));
	const char *detail = c->err.msg[0] ? c->err.msg : f->title;
	struct qbuf b;
	qbuf_init(&b, 1 << 16);
	if (redirect) {
		qbuf_adds(&b, "status=error");
		query_add(&b, '&', "error", f->code);
		query_add(&b, '&', "message", detail);
		see_other(c, redirect, b.data);
	} else {
		qbuf_adds(&b, "<p role=\"alert\">");
		html_escape(&b, detail);
		qbuf_printf(&b, "</p>\n<p>Nothing was stored. Error code: <code>%s</code>.</p>\n"
			       "<p>Go back, check the files and try again, or ask the site for a "
			       "new upload form.</p>\n", f->code);
		html_page(c->resp, f->http, f->title, b.data, 0);
	}
	qbuf_free(&b);
	return Q_OK;
}

/* The posting page's origin: Origin, else the Referer's ("null" and
 * absent headers count as none). */
static const char *post_origin(struct qctx *c)
{
	const char *o = qreq_param(c->req, "HTTP_ORIGIN");
	if (*o && strcmp(o, "null"))
		return o;
	o = qreq_param(c->req, "HTTP_REFERER");
	return *o ? o : NULL;
}

/* The file parts' count and bytes, against the token's limits. */
static const struct form_fail *form_limits(struct qctx *c, const struct mp_form *form,
					   json_t *claims)
{
	size_t files = 0, nonempty = 0;
	unsigned long long bytes = 0;
	for (size_t i = 0; i < form->n; i++) {
		const struct mp_part *p = &form->parts[i];
		if (strcmp(p->name, "file") || !p->path)
			continue;
		files++;
		nonempty += p->size > 0;
		bytes += p->size;
	}
	if (!nonempty) {
		qerr_set(&c->err, Q_EINVAL, "file", "Choose at least one file to upload.");
		return &F_NO_FILE;
	}
	json_int_t max_files = json_integer_value(json_object_get(claims, "files"));
	if ((json_int_t)files > max_files) {
		qerr_set(&c->err, Q_EINVAL, "file", "At most %lld file%s may be sent at once; "
			 "%zu were chosen.", (long long)max_files, max_files == 1 ? "" : "s", files);
		return &F_TOO_MANY;
	}
	json_int_t max_bytes = json_integer_value(json_object_get(claims, "bytes"));
	if (bytes > (unsigned long long)max_bytes) {
		qerr_set(&c->err, Q_ETOOBIG, "file", "The files come to %llu bytes; at most %lld "
			 "bytes are accepted.", bytes, (long long)max_bytes);
		return &F_TOO_LARGE;
	}
	return NULL;
}

/* The checks a trusted token needs before anything is stored. */
static const struct form_fail *form_check(struct qctx *c, const struct mp_form *form,
					  json_t *claims)
{
	if (uptoken_expired(claims, time(NULL))) {
		qerr_set(&c->err, Q_EFORBIDDEN, "token", "This upload form has expired. Reload "
			 "the page to get a new one.");
		return &F_EXPIRED;
	}
	if (!uptoken_origin_ok(claims, post_origin(c))) {
		qerr_set(&c->err, Q_EFORBIDDEN, "token", "This upload form may only be sent from "
			 "the site that made it.");
		return &F_ORIGIN;
	}
	return form_limits(c, form, claims);
}

/* A failed store, as the browser is told. */
static const struct form_fail *store_failure(struct qctx *c, enum qstatus st)
{
	switch (st) {
	case Q_EMEDIA: return &F_TYPE;
	case Q_ECONFLICT:
		if (!strcmp(c->err.field, "token"))
			return &F_REUSED;
		return &F_BAD_REQUEST;
	case Q_ETOOBIG: return &F_TOO_LARGE;
	case Q_ERATE: return &F_BUSY;
	case Q_EINVAL: return &F_BAD_REQUEST;
	default:
		qerr_set(&c->err, st, NULL, "The upload could not be stored; please try again "
			 "later.");
		return &F_SERVER;
	}
}

/* Success: 303 to the redirect URL, or a page listing the documents with
 * a link to their progress. */
static void form_done(struct qctx *c, json_t *claims, const char *token,
		      const struct upload_form *web)
{
	const char *redirect = json_string_value(json_object_get(claims, "redirect"));
	struct qbuf ids, b;
	qbuf_init(&ids, 1 << 12);
	qbuf_init(&b, 1 << 16);
	for (size_t i = 0; i < web->n; i++)
		qbuf_printf(&ids, "%s%s", i ? "," : "", web->ids[i]);
	if (redirect) {
		qbuf_adds(&b, "status=ok");
		query_add(&b, '&', "documents", ids.data);
		see_other(c, redirect, b.data);
		goto out;
	}
	char base[512];
	api_base_url(c, base, sizeof base);
	qbuf_printf(&b, "<p role=\"status\">%zu file%s received; %s being processed.</p>\n<ul>\n",
		    web->n, web->n == 1 ? "" : "s", web->n == 1 ? "it is" : "they are");
	for (size_t i = 0; i < web->n; i++)
		qbuf_printf(&b, "<li>Document <code>%s</code></li>\n", web->ids[i]);
	qbuf_printf(&b, "</ul>\n<p><a href=\"%s/forms/status?documents=%s&amp;token=", base,
		    ids.data);
	html_escape(&b, token);
	qbuf_adds(&b, "\">Follow the processing</a></p>\n");
	html_page(c->resp, 201, "Upload received", b.data, 0);
out:
	qbuf_free(&ids);
	qbuf_free(&b);
}

enum qstatus api_form_upload(struct qctx *c)
{
	struct upload_form web = {0};
	struct upload *u = NULL;
	json_t *claims = NULL;
	const struct form_fail *f = NULL;
	char creator[64];
	enum qstatus st = api_upload_begin(c, &web, &u);
	if (st != Q_OK) {
		f = st == Q_ETOOBIG ? &F_TOO_LARGE : st == Q_EINVAL || st == Q_EMEDIA ? &F_BAD_REQUEST
										    : &F_SERVER;
		goto out;
	}
	const struct mp_part *tp = mp_get(api_upload_fields(u), "token");
	if (!tp || !tp->value || !*tp->value) {
		qerr_set(&c->err, Q_EINVAL, "token", "The form has no token field.");
		f = &F_NO_TOKEN;
		goto out;
	}
	if ((st = uptoken_verify(c->app->conf, tp->value, &claims, &c->err)) != Q_OK) {
		f = st == Q_EFORBIDDEN ? &F_BAD_TOKEN : &F_SERVER;
		goto out;
	}
	if ((f = form_check(c, api_upload_fields(u), claims)))
		goto out;
	/* From here the token stands in for the key that minted it. */
	snprintf(c->who.account, sizeof c->who.account, "%s",
		 json_string_value(json_object_get(claims, "acct")));
	uptoken_creator(claims, creator, sizeof creator);
	web.claims = claims;
	web.kb = json_string_value(json_object_get(claims, "kb"));
	web.org = json_string_value(json_object_get(claims, "org"));
	web.folder = json_string_value(json_object_get(claims, "folder"));
	web.roles = json_array_size(json_object_get(claims, "roles"))
		? json_object_get(claims, "roles") : NULL;
	web.created_by = creator;
	web.max_files = (size_t)json_integer_value(json_object_get(claims, "files"));
	if ((st = api_upload_store(u)) != Q_OK) {
		f = store_failure(c, st);
		goto out;
	}
	form_done(c, claims, tp->value, &web);
out:
	if (f)
		form_fail(c, f == &F_BAD_TOKEN || f == &F_NO_TOKEN ? NULL : claims, f);
	api_upload_end(u);
	json_decref(claims);
	return Q_OK;
}

/* ---- progress ------------------------------------------------------------- */

struct status_arg {
	json_t *claims;
	char ids[UPTOKEN_FILES_MAX][37];
	size_t n;
	json_t *docs;   /* out: [{id, name, status, error, done}] */
};

/* A document the token created, or a "not_found" entry. */
static enum qstatus status_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct status_arg *a = arg;
	char creator[64];
	uptoken_creator(a->claims, creator, sizeof creator);
	json_decref(a->docs);
	a->docs = json_array();
	for (size_t i = 0; i < a->n; i++) {
		json_t *rec = NULL;
		enum qstatus st = store_get(t, T_DOCS, a->ids[i], &rec, 0, err);
		if (st != Q_OK && st != Q_ENOTFOUND)
			return st;
		qerr_clear(err);
		if (st == Q_OK &&
		    (strcmp(api_str(rec, "account"), json_string_value(json_object_get(a->claims,
										      "acct"))) ||
		     strcmp(api_str(rec, "created_by"), creator))) {
			json_decref(rec);
			rec = NULL;
		}
		const char *s = rec ? api_str(rec, "indexing_status") : "not_found";
		json_array_append_new(a->docs, json_pack(
			"{s:s, s:s, s:s, s:O, s:b}", "id", a->ids[i],
			"name", rec ? api_str(rec, "file_name") : "", "status", s,
			"error", rec && json_is_string(json_object_get(rec, "error"))
				 ? json_object_get(rec, "error") : json_null(),
			"done", !strcmp(s, "completed") || !strcmp(s, "error") ||
				!strcmp(s, "not_found")));
		json_decref(rec);
	}
	return Q_OK;
}

/* documents=id,id (1..16 UUIDs) into a. */
static int status_ids(const char *list, struct status_arg *a)
{
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		if (n != 36 || a->n == UPTOKEN_FILES_MAX)
			return -1;
		memcpy(a->ids[a->n], p, 36);
		a->ids[a->n][36] = '\0';
		if (!q_uuid_valid(a->ids[a->n++]))
			return -1;
		p += n + (p[n] == ',');
	}
	return a->n ? 0 : -1;
}

static void status_html(struct qctx *c, json_t *docs, int done)
{
	struct qbuf b;
	size_t i;
	json_t *d;
	qbuf_init(&b, 1 << 16);
	qbuf_printf(&b, "<p role=\"status\" aria-live=\"polite\">%s</p>\n",
		    done ? "Processing has finished." : "Processing; this page updates itself.");
	qbuf_adds(&b, "<table>\n<thead><tr><th scope=\"col\">File</th><th scope=\"col\">Document"
		      "</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n");
	json_array_foreach(docs, i, d) {
		qbuf_adds(&b, "<tr><td>");
		html_escape(&b, api_str(d, "name"));
		qbuf_printf(&b, "</td><td><code>%s</code></td><td>", api_str(d, "id"));
		html_escape(&b, api_str(d, "status"));
		if (json_is_string(json_object_get(d, "error"))) {
			qbuf_adds(&b, ": ");
			html_escape(&b, api_str(d, "error"));
		}
		qbuf_adds(&b, "</td></tr>\n");
	}
	qbuf_adds(&b, "</tbody>\n</table>\n");
	html_page(c->resp, 200, done ? "Upload processed" : "Upload processing", b.data,
		  done ? 0 : 2);
	qbuf_free(&b);
}

/* A status failure: JSON in the native shape when asked for JSON, else a page. */
static enum qstatus status_fail(struct qctx *c, int json, enum qstatus st)
{
	if (json) {   /* a page's script asked: the native JSON error */
		family_error(FAM_NATIVE, c->resp, &c->err, c->app->conf->retry_after);
		return Q_OK;
	}
	struct qbuf b;
	qbuf_init(&b, 1 << 12);
	qbuf_adds(&b, "<p role=\"alert\">");
	html_escape(&b, c->err.msg);
	qbuf_adds(&b, "</p>\n");
	html_page(c->resp, q_http_status(st), "Progress is not available", b.data, 0);
	qbuf_free(&b);
	return Q_OK;
}

enum qstatus api_form_status(struct qctx *c)
{
	struct status_arg a = {0};
	char fmt[8] = "", list[16 * 37 + 1];
	char *token = malloc(UPTOKEN_MAX + 1);
	enum qstatus st = Q_OK;
	int json = qreq_query(c->req, "format", fmt, sizeof fmt) > 0 && !strcmp(fmt, "json");
	if (!token) {
		st = qerr_set(&c->err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (qreq_query(c->req, "token", token, UPTOKEN_MAX + 1) <= 0 ||
	    (st = uptoken_verify(c->app->conf, token, &a.claims, &c->err)) != Q_OK) {
		st = qerr_set(&c->err, Q_EFORBIDDEN, "token", "the upload token is not valid");
		goto out;
	}
	if (uptoken_expired(a.claims, time(NULL) - UPTOKEN_STATUS_GRACE)) {
		st = qerr_set(&c->err, Q_EFORBIDDEN, "token", "the upload token expired too long ago");
		goto out;
	}
	if (qreq_query(c->req, "documents", list, sizeof list) <= 0 || status_ids(list, &a) < 0) {
		st = qerr_set(&c->err, Q_EINVAL, "documents",
			      "documents must list 1-%d document ids, comma separated",
			      UPTOKEN_FILES_MAX);
		goto out;
	}
	if ((st = store_run(c->app->store, status_fn, &a, &c->err)) != Q_OK)
		goto out;
	int done = 1;
	size_t i;
	json_t *d;
	json_array_foreach(a.docs, i, d)
		done &= json_is_true(json_object_get(d, "done"));
	if (json)
		qresp_json_new(c->resp, 200, json_pack("{s:O, s:b}", "documents", a.docs,
						       "done", done));
	else
		status_html(c, a.docs, done);
out:
	if (st != Q_OK)
		st = status_fail(c, json, st);
	free(token);
	json_decref(a.claims);
	json_decref(a.docs);
	return st;
}
