/* jsonscan.h: JSON text without a parse, for hot read paths: a checked
 * scan for an object's members, escaping, integers from a span. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_JSONSCAN_H
#define QUIRE_JSONSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

struct q_span {
	const char *p;   /* borrowed from the scanned text; NULL when absent */
	size_t n;
};
/* Find the top-level members names[0..n-1] of the JSON object text s
 * (len bytes): out[i] is the raw text of the value of names[i] (a string
 * keeps its quotes and escapes), {NULL, 0} when absent; for a name that
 * occurs twice, the first. A key written with escapes matches no name.
 * The text is checked as one JSON object (strings valid UTF-8 with valid
 * escapes, numbers and literals as RFC 8259 has them, nesting up to 64
 * levels), so the spans can be copied into a JSON response as they are;
 * the scan stops once every name is found, leaving the rest unread. 0, or
 * -1 when the text read is not such an object. */
int q_json_members(const char *s, size_t len, const char *const names[], struct q_span out[],
		   size_t n);
/* Append s (n bytes, UTF-8) to b as a JSON string literal, quotes
 * included, escaped as jansson's json_dumps escapes it. -1 when s is not
 * valid UTF-8 (b is then left as it was) or b is full. */
int q_json_escape(struct qbuf *b, const char *s, size_t n);
/* The value of a JSON integer (span of q_json_members); 0 for anything
 * else (as json_integer_value). */
int64_t q_span_int(struct q_span v);
/* The value of a JSON string (span of q_json_members) into out (n bytes,
 * truncated to fit, escapes decoded); "" for anything else. */
void q_span_str(struct q_span v, char *out, size_t n);
/* The value of a JSON string (span of q_json_members, which checked it),
 * escapes decoded, as a new string (free) of *len bytes (len may be NULL);
 * "" for anything else; NULL when out of memory. The same text as
 * json_string_value of the parsed value, without a parse. */
char *q_span_strdup(struct q_span v, size_t *len);

#endif
