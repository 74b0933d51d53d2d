/* upload_tokens.h: POST /api/v1/upload-tokens, minting a signed token a
 * site puts in a plain HTML form's hidden field (docs/form-upload.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_UPLOAD_TOKENS_H
#define QUIRE_API_UPLOAD_TOKENS_H

#include "api/api.h"

/* POST /api/v1/upload-tokens (upload_tokens.c), POST /forms/upload and
 * GET /forms/status (form_upload.c): docs/form-upload.md. */
enum qstatus api_upload_tokens_create(struct qctx *c);

#endif
