/* out.h: the legacy plugin's sink helpers (page limit, long blocks cut on
 * UTF-8 boundaries, the host's stop request) and stream reading. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_OUT_H
#define QUIRE_PLUGINS_LEGACY_OUT_H

#include "legacy.h"

/* Each returns non-zero (and sets lg->err) when the reader must stop. */
int lg_page(struct lg *lg);
/* A document (not an embedded one) of n pages of kind what ("sheets")
 * over limits->max_pages: QUIRE_TOO_LARGE before the first is read. */
int lg_over_cap(struct lg *lg, size_t n, const char *what);
int lg_heading(struct lg *lg, unsigned level, const char *s, size_t n);
int lg_para(struct lg *lg, const char *s, size_t n);
int lg_item(struct lg *lg, unsigned level, const char *s, size_t n);
int lg_row(struct lg *lg, const char *const *cells, const size_t *lens, size_t n, int header);
void lg_meta(struct lg *lg, const char *key, const char *s, size_t n);
/* Set the error if none is set yet; returns 1. */
int lg_fail(struct lg *lg, enum quire_result r);

/* Read the stream `name` (ASCII case ignored) of storage `dir` (the
 * file's root when NULL):
 * 0 and *out filled, 1 when there is no such stream, -1 (lg->err set,
 * QUIRE_CORRUPT) when it cannot be read. The size is capped by the file's. */
int lg_stream(struct lg *lg, GsfInfile *dir, const char *name, struct lg_bytes *out);
void lg_bytes_free(struct lg_bytes *b);
/* Is there a child called `name` in `dir` (ASCII case ignored)? */
int lg_has(GsfInfile *dir, const char *name);

#endif
