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

/* json_dump_callback's sink: appends to a qbuf, and remembers a failed
 * append so a text with a part missing is never taken for whole,
 * whatever the dumper does with the callback's -1. */
struct qbuf_dump {
	struct qbuf *b;
	int failed;
};

static int qbuf_append(const char *s, size_t n, void *arg)
{
	struct qbuf_dump *d = arg;
	if (d->failed || qbuf_add(d->b, s, n) < 0) {
		d->failed = 1;
		return -1;
	}
	return 0;
}

int q_json_to_qbuf(const json_t *v, size_t flags, struct qbuf *b)
{
	struct qbuf_dump d = {b, 0};
	size_t before = b->len;
	if (!v || json_dump_callback(v, qbuf_append, &d, flags) != 0 || d.failed ||
	    b->len == before)
		return -1;
	return 0;
}

char *q_json_text(const json_t *v, size_t flags, size_t *len)
{
	struct qbuf b;
	qbuf_init(&b, (size_t)-1 / 2);
	if (q_json_to_qbuf(v, flags, &b) < 0) {
		qbuf_free(&b);
		return NULL;
	}
	if (len)
		*len = b.len;
	return b.data;   /* NUL-terminated, the caller's */
}
