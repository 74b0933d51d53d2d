/* jsontext.h: JSON values as text, safe when memory runs out. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_JSONTEXT_H
#define QUIRE_JSONTEXT_H

#include <jansson.h>
#include <stddef.h>

#include "base/util.h"

/* v as JSON text (jansson flags): new, caller frees; *len its length.
 * NULL when memory runs out. Safe where json_dumps is not: jansson's
 * dumper ignores a failed append inside a string, so json_dumps can
 * return malformed text when an allocation fails (seen: a stored
 * document record that no longer parsed). This writes the text in one
 * pass into a buffer of its own and returns NULL when any append failed,
 * so it never returns a text with a part missing. */
char *q_json_text(const json_t *v, size_t flags, size_t *len);

/* v as JSON text appended to b in one pass (q_json_text's safety: an
 * append that failed, out of memory or past b's cap, is remembered): 0,
 * or -1 with b holding a part of the text the caller must not use. */
int q_json_to_qbuf(const json_t *v, size_t flags, struct qbuf *b);

/* Make jansson's allocations never fail: one that does ends the process
 * (exit status 75, after a line on stderr) instead of returning NULL.
 * jansson's parser drops characters from a string whose growth fails and
 * goes on (seen: a key's stored hash read back one digit short, so a
 * valid key was refused), and a record read that way and written back
 * would be stored damaged. A process that ends is restarted by quired
 * after a recovery; its transaction was never committed. Call once at
 * process start, before any JSON value exists. */
void q_json_alloc_strict(void);

#endif
