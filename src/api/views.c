/* views.c: a document as each family shows it, shared by the family's own
 * routes and the upload routes (upload.c), so neither calls the other. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "store/docs.h"
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

/* Oshara's document object. */
json_t *api_kb_document(json_t *rec, const char *base)
{
	char url[1024];
	snprintf(url, sizeof url, "%s/api/v1/documents/%s/file", base, api_str(rec, "id"));
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:o}",
			 "id", json_integer_value(json_object_get(rec, "position")),
			 "file", url,
			 "file_type", *api_str(rec, "file_type") ? api_str(rec, "file_type") : "txt",
			 "status", doc_status_oshara(rec),
			 "chunk_count", json_integer_value(json_object_get(rec, "segment_count")),
			 "created_at", api_iso_time(rec, "created_us"));
}
