/* jsontext.c: JSON values as text, safe when memory runs out. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/jsontext.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

static void *strict_malloc(size_t n)
{
	void *p = malloc(n);
	if (!p && n) {
		static const char msg[] =
			"out of memory inside jansson: exiting rather than risk a damaged value\n";
		if (write(2, msg, sizeof msg - 1) < 0)
			(void)0;
		_exit(EX_TEMPFAIL);
	}
	return p;
}

void q_json_alloc_strict(void)
{
	json_set_alloc_funcs(strict_malloc, free);
}

/* The text built in one pass (json_dump_callback) into a buffer that
 * doubles as it fills. A failed allocation is remembered (failed), so a
 * text with a part missing is never returned, whatever the dumper does
 * with the callback's -1. */
struct textbuf {
	char *p;
	size_t len, cap;
	int failed;
};

static int text_append(const char *s, size_t n, void *arg)
{
	struct textbuf *b = arg;
	if (b->failed)
		return -1;
	if (n >= b->cap - b->len) {   /* room for the text and its '\0' */
		size_t cap = b->cap;
		while (n >= cap - b->len) {
			if (cap > (size_t)-1 / 2) {
				b->failed = 1;
				return -1;
			}
			cap *= 2;
		}
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return -1;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

char *q_json_text(const json_t *v, size_t flags, size_t *len)
{
	struct textbuf b = {.cap = 1024};
	if (!v || !(b.p = malloc(b.cap)))
		return NULL;
	if (json_dump_callback(v, text_append, &b, flags) != 0 || b.failed || !b.len) {
		free(b.p);
		return NULL;
	}
	b.p[b.len] = '\0';
	if (len)
		*len = b.len;
	return b.p;
}
