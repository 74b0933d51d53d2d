/* vectors.c: one quantised vector per chunk. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "embed/embedder.h"
#include "embed/vectors.h"
#include "embed/embed_builtin.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum qstatus vector_put(struct stxn *t, const char *chunk_key, const char *model,
			const float *v, unsigned dims, struct qerr *err)
{
	size_t mlen = strlen(model) + 1;
	size_t len = mlen + 4 + 4 + dims;
	unsigned char *buf = malloc(len);
	float scale;
	if (!buf)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	memcpy(buf, model, mlen);
	memcpy(buf + mlen, &dims, 4);
	embed_quantize(v, dims, (int8_t *)(buf + mlen + 8), &scale);
	memcpy(buf + mlen + 4, &scale, 4);
	enum qstatus st = store_put_raw(t, T_VECTORS, chunk_key, buf, len, err);
	free(buf);
	return st;
}

enum qstatus vector_get(struct stxn *t, const char *chunk_key, char *model, size_t model_len,
			int8_t **out, unsigned *dims, float *scale, struct qerr *err)
{
	char *raw;
	size_t len;
	enum qstatus st = store_get_raw(t, T_VECTORS, chunk_key, &raw, &len, err);
	if (st != Q_OK)
		return st;
	size_t mlen = strnlen(raw, len) + 1;
	if (mlen + 8 > len) {
		free(raw);
		return qerr_set(err, Q_EDB, NULL, "a stored vector is damaged");
	}
	memcpy(dims, raw + mlen, 4);
	memcpy(scale, raw + mlen + 4, 4);
	if (mlen + 8 + *dims != len || !(*out = malloc(*dims ? *dims : 1))) {
		free(raw);
		return qerr_set(err, Q_EDB, NULL, "a stored vector is damaged");
	}
	memcpy(*out, raw + mlen + 8, *dims);
	snprintf(model, model_len, "%s", raw);
	free(raw);
	return Q_OK;
}
