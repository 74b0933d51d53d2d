/* decrypt.h: opening an encrypted OOXML package (MS-OFFCRYPTO ECMA-376
 * Standard or Agile Encryption) with a password, or without one with
 * Excel's default password ("VelvetSweatshop", used by files that open
 * without a prompt, e.g. protected workbooks). Other schemes (RC4,
 * extensible, certificates) stay QUIRE_ENCRYPTED. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_OOXML_DECRYPT_H
#define QUIRE_OOXML_DECRYPT_H

#include <stddef.h>
#include <quire/plugin.h>

/* info/pkg: the EncryptionInfo and EncryptedPackage streams (borrowed);
 * password UTF-8, NULL for the default one. On QUIRE_OK *out is the plain
 * package (new, caller frees with free()) of *outlen bytes; packages over
 * cap are QUIRE_TOO_LARGE. QUIRE_ENCRYPTED when the password does not
 * open it (or the scheme is not one of the two), else QUIRE_CORRUPT or
 * QUIRE_ERROR. */
enum quire_result ox_decrypt(const unsigned char *info, size_t infolen, const unsigned char *pkg,
			     size_t pkglen, const char *password, unsigned char **out,
			     size_t *outlen, size_t cap);

#endif
