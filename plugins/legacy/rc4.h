/* rc4.h: Office binary RC4 encryption ([MS-OFFCRYPTO] 2.3.6), shared by the
 * Word and Excel readers. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_RC4_H
#define QUIRE_PLUGINS_LEGACY_RC4_H

#include "legacy.h"

/* The host's password, or NULL. */
const char *lg_password(const struct lg *lg);
void lg_rc4_init(struct lg_rc4 *r, const unsigned char *key, size_t n);
void lg_rc4_xor(struct lg_rc4 *r, unsigned char *p, size_t n);
/* The base key H1 of password and salt; 0 or -1. */
int lg_rc4_base(const char *password, const unsigned char salt[16], unsigned char h1[16]);
/* r keyed for block b; 0 or -1. */
int lg_rc4_block(const unsigned char h1[16], uint32_t b, struct lg_rc4 *r);
/* hdr: salt, encrypted verifier and its hash (48 bytes). QUIRE_OK and h1
 * when password (NULL: none) opens it; QUIRE_ENCRYPTED when it does not. */
enum quire_result lg_rc4_open(const char *password, const unsigned char *hdr, unsigned char h1[16]);

#endif
