/* docs.h: the document model shared by every route family: create (with
 * its ingest job, in one transaction), read, update, delete (cascading to
 * content and jobs), and listing by account. Records are JSON objects; the
 * fields are described in docs/data-model.md. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_DOCS_H
#define QUIRE_DOCS_H

#include <jansson.h>
#include <stddef.h>
#include "base/status.h"

struct stxn;

/* Fields a caller may set on create or update; NULL/-1 = not given. */
struct doc_input {
	const char *title;          /* borrowed */
	const char *content;        /* borrowed, UTF-8 */
	size_t content_len;
	json_t *tags;               /* borrowed array of strings, or NULL */
	json_t *canonical_url;      /* borrowed string or null, or NULL = not given */
	const char *data_source_type;  /* "text" by default; "upload_file" for files */
	/* Uploads (NULL for text documents). */
	const char *kb;             /* knowledge base id; NULL = the account's default */
	const char *file_name;      /* client's file name, already sanitised */
	const char *mime;           /* sniffed MIME type */
	const char *file_type;      /* "pdf", "docx", ... */
	const char *blob;           /* hex SHA-256 of the stored original */
	unsigned long long file_size;
	const char *team_id;        /* ChatAid teamId */
	const char *created_by;     /* key id of the creator */
	const char *created_from;   /* "api" by default */
	const char *origin;         /* route family that created it: "custom" for
				     * ChatAid's custom sources; NULL = not set */
	json_t *process_rule;       /* borrowed, flat (split_rule_check), or NULL */
	const char *sealed_password; /* the upload's password, sealed (base/seal.h), kept
				      * in the ingest job until it is claimed; or NULL */
	/* chat scope (api/scope.h): NULL = not set */
	const char *org;            /* X-External-Org-Id */
	const char *folder_id;      /* X-External-Folder-Id */
	json_t *allowed_roles;      /* borrowed array of strings */
	/* Visibility (docs/api.md): a document without an org is account-wide
	 * (is_global true); one with an org is that org's unless is_global
	 * is true. is_global false needs an org. */
	json_t *is_global;          /* borrowed true/false, or NULL = not given */
};

/* Create a document for account in its default knowledge base, store its
 * content and a pending ingest job. id (>= 37 bytes) receives the new id;
 * *out (may be NULL) the new record. Q_EINVAL (field is_global) for
 * is_global false without an org. */
enum qstatus doc_create(struct stxn *t, const char *account, const struct doc_input *in,
			char *id, json_t **out, struct qerr *err);
/* The record of id if it belongs to account; Q_ENOTFOUND otherwise, exactly
 * as for a missing id. *out is new. flags: STORE_RMW. */
enum qstatus doc_get(struct stxn *t, const char *account, const char *id, unsigned flags,
		     json_t **out, struct qerr *err);
/* Read path of doc_get without a parse: the record of id, if it belongs to
 * account, as stored JSON text in rec (struct qbuf of util.h, reused as by
 * store_get_buf), and the members names[0..n-1] (n <= DOC_TEXT_FIELDS_MAX)
 * found in the same scan that checks the owner: out[i] as q_json_members
 * gives it, borrowed from rec (valid until rec is next written). Q_ENOTFOUND
 * as doc_get; Q_EDB when the record does not scan. */
#define DOC_TEXT_FIELDS_MAX 15
struct qbuf;
struct q_span;
enum qstatus doc_get_text(struct stxn *t, const char *account, const char *id,
			  struct qbuf *rec, const char *const names[], struct q_span *out,
			  size_t n, struct qerr *err);
/* Apply the fields present in in. A content change stores the new text,
 * supersedes pending ingest jobs and queues a new one; on an uploaded
 * document the new text replaces the extracted one from then on
 * ("text_replaced": the ingest job splits the stored text instead of
 * extracting the file, which stays downloadable). Q_EINVAL (field
 * is_global) for is_global false on a document without an org. *out is
 * new. */
enum qstatus doc_update(struct stxn *t, const char *account, const char *id,
			const struct doc_input *in, json_t **out, struct qerr *err);
/* Delete the document, its content, chunks and jobs. When it referenced a
 * blob no other document uses, its hash goes to orphan_blob (>= 65 bytes,
 * may be NULL) for the caller to remove after the commit. */
enum qstatus doc_delete(struct stxn *t, const char *account, const char *id,
			char *orphan_blob, struct qerr *err);
/* Remove the blob sha when no document references it, checked again in a
 * transaction of its own under the blob lock held exclusive (blob.h), so
 * an upload that is reusing the file keeps it. Call after the commit that
 * made it an orphan (doc_delete's orphan_blob). */
struct store;
int doc_blob_sweep(struct store *s, const char *datadir, const char *sha);   /* 1: removed */
/* Every stored blob no document references (left by a process that died
 * between a delete's commit and its sweep), each checked as doc_blob_sweep
 * does, and temporary upload files older than BLOB_TMP_MAX_AGE seconds
 * (an upload cut off mid-body); *blobs and *tmps count the removals. Run
 * by quired at start and after every recovery, and by quire-admin sweep. */
#define BLOB_TMP_MAX_AGE 3600
enum qstatus doc_blob_sweep_all(struct store *s, const char *datadir, size_t *blobs, size_t *tmps,
				struct qerr *err);
/* Id of a document in kb holding the blob that a caller of org (NULL:
 * none) sees: an account-wide document, or one of org's own (docs/api.md
 * "Visibility"); Q_ENOTFOUND when none. Another org's copy is not one:
 * uploading it again makes a document this org's chat sees (sharing the
 * blob), and says nothing of what other orgs hold. At most
 * DOC_BLOB_SCAN_MAX documents of the blob are looked at. */
#define DOC_BLOB_SCAN_MAX 256
enum qstatus doc_find_blob(struct stxn *t, const char *kb, const char *blob, const char *org,
			   char *id, struct qerr *err);

/* One state machine, several views (docs/data-model.md). The truth is
 * Dify's indexing_status: waiting, parsing, cleaning, splitting, indexing,
 * completed, error, paused. */
const char *doc_status_chataid(json_t *doc);   /* pending, training, trained, error, paused */
const char *doc_status_oshara(json_t *doc);    /* PENDING, PROCESSED, FAILED */
/* 1 when status is a state of the ingest pipeline (waiting, parsing,
 * cleaning, splitting, indexing): the document's content is being read,
 * so what it shows of earlier work is not final; 0 for completed, error
 * and paused. */
int doc_status_reading(const char *status);
/* Set indexing_status and stamp "<status>_us" and "updated_us" with now. */
void doc_set_status(json_t *doc, const char *status);
/* The stored content; *out is new (free). */
enum qstatus doc_content(struct stxn *t, const char *id, char **out, size_t *len,
			 struct qerr *err);
/* Documents of account, newest first. cb gets each record (borrowed). */
typedef int (*doc_list_cb)(json_t *doc, void *arg);
enum qstatus doc_list(struct stxn *t, const char *account, size_t offset, size_t limit,
		      doc_list_cb cb, void *arg, size_t *total, struct qerr *err);

/* Embedding progress of a document: add to its embed_done / embed_failed
 * counters; the document completes when every chunk is embedded and is in
 * error when the rest failed. Q_ENOTFOUND when the document is gone. */
enum qstatus doc_embed_progress(struct stxn *t, const char *doc_id, int done, int failed,
				const char *error, struct qerr *err);

#endif
