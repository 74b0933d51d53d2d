/* auth.h: API keys. A key is "sk_live_" + 64 hex digits (256 random bits)
 * + 8 hex digits of checksum (rejects typos without a database read). Only
 * the SHA-256 of the whole key is stored; the first 12 characters after the
 * prefix name the key in listings. Keys are never logged. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_AUTH_H
#define QUIRE_AUTH_H

#include <stddef.h>
#include "base/status.h"

struct stxn;

#define AUTH_KEY_PREFIX "sk_live_"
#define AUTH_KEY_LEN (8 + 64 + 8)
#define AUTH_HASH_HEX 65

enum auth_scope {
	SCOPE_READ = 1u << 0,
	SCOPE_WRITE = 1u << 1,
	SCOPE_CHAT = 1u << 2,
	SCOPE_ADMIN = 1u << 3,
	SCOPE_ALL = 15u,
	/* A route flag, not a key's scope: a valid signed file link
	 * (http/fileurl.h) may stand in for the key. */
	SCOPE_SIGNED = 1u << 4,
};

struct principal {
	char account[37];     /* account id */
	char key_id[16];      /* display id of the key ("sk_live_" + 12 chars is shown) */
	unsigned scopes;
};

/* New random key into key (>= AUTH_KEY_LEN + 1 bytes) and its stored hash
 * (hex) into hash (>= AUTH_HASH_HEX bytes). */
enum qstatus auth_key_new(char *key, char *hash, struct qerr *err);
/* Hex SHA-256 of key into hash. */
void auth_key_hash(const char *key, char *hash);

/* Start the hashing (OpenSSL's lazy initialisation, this thread's digest
 * context) now, at process start: an allocation that fails inside
 * OpenSSL's own start-up leaves it with NULL locks, and a later request
 * would crash in it. Workers call it before serving. */
void auth_init(void);
/* The key's display id (quire-admin key list, created_by, adminIds): the
 * first AUTH_KEY_ID_LEN hex digits of its stored hash, so the id tells
 * nothing of the secret (it once was the secret's first 12 digits, which
 * left 48 of the 256 random bits in plain sight). out >= 13 bytes. */
#define AUTH_KEY_ID_LEN 12
void auth_key_id(const char *hash, char *out);
/* 1 when key has the right prefix, length, digits and checksum. */
int auth_key_wellformed(const char *key);
/* The key inside an Authorization header value: "Bearer K", "ApiKey K" or a
 * bare "K" (schemes case-insensitive). Borrowed pointer into header, length
 * in *len; NULL when empty. */
const char *auth_header_key(const char *header, size_t *len);
/* Resolve a presented key to its principal. Q_EAUTH for a malformed,
 * unknown or revoked key (one answer for all three). */
enum qstatus auth_lookup(struct stxn *t, const char *key, size_t len,
			 struct principal *who, struct qerr *err);
/* "read,write" <-> bits. parse returns -1 on an unknown scope name. */
int auth_scopes_parse(const char *s, unsigned *out);
void auth_scopes_format(unsigned scopes, char *out, size_t outlen);

#endif
