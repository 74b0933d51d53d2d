/* jsontext.c: JSON values as text, safe when memory runs out. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/jsontext.h"

#include <stdlib.h>
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

char *q_json_text(const json_t *v, size_t flags, size_t *len)
{
	size_t need = v ? json_dumpb(v, NULL, 0, flags) : 0;
	char *text = need ? malloc(need + 1) : NULL;
	if (!text)
		return NULL;
	if (json_dumpb(v, text, need, flags) != need) {
		free(text);
		return NULL;
	}
	text[need] = '\0';
	if (len)
		*len = need;
	return text;
}
