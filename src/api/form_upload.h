/* form_upload.h: uploads from a plain HTML form (docs/form-upload.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_FORM_UPLOAD_H
#define QUIRE_API_FORM_UPLOAD_H

#include "api/api.h"

enum qstatus api_form_upload(struct qctx *c);
enum qstatus api_form_status(struct qctx *c);

#endif
