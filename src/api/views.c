/* views.c: a document as each family shows it, shared by the family's own
 * routes and the upload routes (upload.c), so neither calls the other. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/views.h"
#include "api/util.h"
#include "store/docs.h"
#include "http/fileurl.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

/* ChatIQ's document object; content (when given) adds the text. */
json_t *api_native_doc(json_t *rec, const char *content, size_t clen)
{
	char created[32];
	q_iso8601(json_integer_value(json_object_get(rec, "created_us")), created, sizeof created);
	json_t *d = json_pack("{s:O, s:O, s:O, s:s, s:O, s:O}",
			      "id", json_object_get(rec, "id"),
			      "title", json_object_get(rec, "title"),
			      "tags", json_object_get(rec, "tags"),
			      "created_at", created,
			      "is_global", json_object_get(rec, "is_global"),
			      "canonical_url", json_object_get(rec, "canonical_url"));
	if (d && content)
		json_object_set_new(d, "content", json_stringn(content, clen));
	return d;
}

/* A signed, expiring link to rec's original (http/fileurl.h), or null for
 * a document without a file (or when the link cannot be signed). */
json_t *api_file_url(const struct qconf *conf, json_t *rec, const char *base)
{
	char url[1024];
	struct qerr err;
	if (!*api_str(rec, "blob") ||
	    fileurl_make(conf, base, api_str(rec, "id"), url, sizeof url, &err) != Q_OK)
		return json_null();
	return json_string(url);
}

/* Oshara's document object. */
json_t *api_kb_document(const struct qconf *conf, json_t *rec, const char *base)
{
	return json_pack("{s:I, s:o, s:s, s:s, s:I, s:o}",
			 "id", json_integer_value(json_object_get(rec, "position")),
			 "file", api_file_url(conf, rec, base),
			 "file_type", *api_str(rec, "file_type") ? api_str(rec, "file_type") : "txt",
			 "status", doc_status_oshara(rec),
			 "chunk_count", json_integer_value(json_object_get(rec, "segment_count")),
			 "created_at", api_iso_time(rec, "created_us"));
}
