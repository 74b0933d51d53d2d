/* emit.h: writing blocks to the host's sink for the text, HTML and RTF
 * plugins: text is trimmed, empty blocks are dropped, and a sink that asks
 * to stop is remembered so the plugin can return QUIRE_TOO_LARGE. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGIN_EMIT_H
#define QUIRE_PLUGIN_EMIT_H

#include <stddef.h>

#include <quire/plugin.h>

struct emit {
	const struct quire_host *host;
	int stopped;    /* the sink returned non-zero: stop, QUIRE_TOO_LARGE */
	int wrote;      /* at least one non-empty block was written */
};

void emit_init(struct emit *e, const struct quire_host *host);
/* Each returns 0, or -1 once the sink has asked to stop. */
int emit_para(struct emit *e, const char *s, size_t n);
int emit_heading(struct emit *e, unsigned level, const char *s, size_t n);
int emit_item(struct emit *e, unsigned level, const char *s, size_t n);
/* A row whose cells are all empty is dropped. Cells are trimmed. */
int emit_row(struct emit *e, const char *const *cells, const size_t *lens, size_t ncells,
	     int header);
int emit_meta(struct emit *e, const char *key, const char *s, size_t n);

/* s[0..*n) without leading and trailing ASCII white space. */
const char *emit_trim(const char *s, size_t *n);

#endif
