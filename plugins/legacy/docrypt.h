/* docrypt.h: Word 97-2003 documents encrypted with RC4 or RC4 CryptoAPI
 * ([MS-DOC] 2.2.6.2-2.2.6.3, crypt.c), opened with the host's password. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_DOCRYPT_H
#define QUIRE_PLUGINS_LEGACY_DOCRYPT_H

#include "doc.h"

/* docrypt.c: an RC4-encrypted document (fEncrypted) opened with the host's
 * password: w (WordDocument) and t (the table stream) decrypted in place
 * and fEncrypted cleared. QUIRE_ENCRYPTED when there is no password, it is
 * wrong or the scheme is another; QUIRE_ERROR when hashing fails. */
enum quire_result doc_decrypt(struct doc *d, unsigned char *w, size_t wn, unsigned char *t,
			      size_t tn);

#endif
