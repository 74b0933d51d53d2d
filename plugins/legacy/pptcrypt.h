/* pptcrypt.h: encrypted PowerPoint 97-2003 presentations ([MS-PPT] 2.3.7).
 */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_PPTCRYPT_H
#define QUIRE_PLUGINS_LEGACY_PPTCRYPT_H

#include "legacy.h"

/* pptcrypt.c: is the presentation encrypted (EncryptedSummary, or the
 * Current User token)? */
int lg_ppt_encrypted(GsfInfile *dir, const struct lg_bytes *cu);
/* The persist objects of an encrypted PowerPoint Document stream s
 * decrypted in place (RC4 CryptoAPI, the CryptSession10Container's key)
 * with the host's password; cu is the Current User stream. */
enum quire_result lg_ppt_decrypt(struct lg *lg, unsigned char *s, size_t n,
				 const struct lg_bytes *cu);

#endif
