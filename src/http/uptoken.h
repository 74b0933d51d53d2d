/* uptoken.h: upload tokens for plain HTML forms (docs/form-upload.md).
 * A site mints a token server-side with its API key (POST
 * /api/v1/upload-tokens or quire-admin upload-token) and puts it in a
 * hidden field; the browser posts it with the files to /forms/upload,
 * without a key. The token is "qut1." + base64url(claims JSON) + "." +
 * base64url(HMAC-SHA256("upload-token:" + the claims part)) under the
 * installation's upload token key (upload_token_secret, else
 * DATADIR/upload-token.key). Claims: v, id (random), acct, by (the
 * minting key's id), kb, org, folder, roles, files, bytes, types,
 * redirect, origins, once, exp (Unix seconds). Uses of a single-use
 * token are counted in T_UPLOAD_TOKENS, in the transaction that creates
 * the documents, so one use holds across every worker process. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_UPTOKEN_H
#define QUIRE_UPTOKEN_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>
#include "base/conf.h"
#include "base/status.h"

struct stxn;

#define UPTOKEN_MAX 8192          /* bytes of a token */
#define UPTOKEN_FILES_MAX 16      /* files one form post may carry (upload.c's cap) */
#define UPTOKEN_STATUS_GRACE 86400 /* seconds after expiry the status route still answers */

/* Mint a token for account (key_id: the minting key's display id, or
 * "admin") from req, a JSON object (borrowed) with redirect_url,
 * expires_in, knowledge_base (id or slug), org, folder, allowed_roles,
 * max_files, max_bytes, types, origins, single_use; every member
 * optional, unknown ones refused. Q_EINVAL names the field; Q_ENOTFOUND
 * for an unknown knowledge base. *token is new (free), *claims new. */
enum qstatus uptoken_mint(struct stxn *t, const struct qconf *conf, const char *account,
			  const char *key_id, json_t *req, char **token, json_t **claims,
			  struct qerr *err);
/* The claims of token (new) when its signature holds; Q_EFORBIDDEN for a
 * malformed or forged token (one answer for both). Expiry is not checked. */
enum qstatus uptoken_verify(const struct qconf *conf, const char *token, json_t **claims,
			    struct qerr *err);
/* 1 when claims expired before now. */
int uptoken_expired(json_t *claims, time_t now);
/* The created_by value of documents a token created ("upload-token:" + id)
 * into out (n bytes). */
void uptoken_creator(json_t *claims, char *out, size_t n);
/* 1 when origin ("scheme://host[:port]") may post with the token: it has
 * no origins, or origin is one of them. */
int uptoken_origin_ok(json_t *claims, const char *origin);
/* 1 when a sniffed file (type: "pdf", "docx", ...; mime) is of a type the
 * token allows (no types: every supported type). */
int uptoken_type_ok(json_t *claims, const char *type, const char *mime);
/* Count one use of the token in t: Q_ECONFLICT (field "token") when it is
 * single use and was used. */
enum qstatus uptoken_use(struct stxn *t, json_t *claims, struct qerr *err);
/* Remove the use records of tokens expired over UPTOKEN_STATUS_GRACE
 * seconds before now (a record outlives its token: until then a reused
 * single-use token must still be refused); *removed counts them. */
enum qstatus uptoken_sweep(struct stxn *t, time_t now, size_t *removed, struct qerr *err);

#endif
