/* crypt.h: the keys of Office binary documents ([MS-OFFCRYPTO] 2.3.5,
 * 2.3.6, 2.3.7). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_CRYPT_H
#define QUIRE_PLUGINS_LEGACY_CRYPT_H

#include "legacy.h"

/* p: an EncryptionInfo of n bytes (its version first). QUIRE_OK and k
 * when password (NULL: none) opens it; QUIRE_ENCRYPTED when it does not;
 * QUIRE_UNSUPPORTED for another scheme; QUIRE_CORRUPT when short. */
enum quire_result lg_key_open(const char *password, const unsigned char *p, size_t n,
			      struct lg_key *k);
/* r keyed for block b (RC4: 512 bytes of Word, 1024 of Excel; PowerPoint:
 * a persist object); 0 or -1. */
int lg_key_block(const struct lg_key *k, uint32_t b, struct lg_rc4 *r);
/* XOR obfuscation method 1: QUIRE_OK and the 16-byte array when password
 * gives key and verifier, else QUIRE_ENCRYPTED. */
enum quire_result lg_xor_open(const char *password, uint16_t key, uint16_t verifier,
			      unsigned char array[16]);
/* Undo the obfuscation of n bytes, the first at array index `index`. */
void lg_xor_data(const unsigned char array[16], unsigned char *p, size_t n, size_t index);

#endif
