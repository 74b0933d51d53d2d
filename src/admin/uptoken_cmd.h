/* uptoken_cmd.h: quire-admin upload-token, minting a form upload token for
 * an account from the command line (the same token as POST
 * /api/v1/upload-tokens; docs/form-upload.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_ADMIN_UPTOKEN_CMD_H
#define QUIRE_ADMIN_UPTOKEN_CMD_H

#include "admin/admin.h"

/* upload-token --account NAME [...]: mint a form upload token
 * (uptoken_cmd.c); the token on out, a summary on err. */
int admin_upload_token(struct store *s, const struct qconf *conf, int argc, char **argv,
		       FILE *out, FILE *errf);
/* sweep's part for form uploads: the use records of tokens long expired
 * (a line on out when there were any). */
int admin_upload_token_sweep(struct store *s, FILE *out, FILE *errf);

#endif
