/* vectors.h: one quantised vector per chunk. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_EMBED_VECTORS_H
#define QUIRE_EMBED_VECTORS_H

#include "embed/embedder.h"

/* Store / read one chunk's vector. */
enum qstatus vector_put(struct stxn *t, const char *chunk_key, const char *model,
			const float *v, unsigned dims, struct qerr *err);
/* *out (new, free) holds dims int8 values; *scale and the model name. */
enum qstatus vector_get(struct stxn *t, const char *chunk_key, char *model, size_t model_len,
			int8_t **out, unsigned *dims, float *scale, struct qerr *err);

#endif
