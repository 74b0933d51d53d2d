/* decrypt.h: opening an encrypted OOXML package with Excel's default
 * password ("VelvetSweatshop", used by files that open without a prompt,
 * e.g. protected workbooks). Only ECMA-376 Standard Encryption (AES, SHA-1)
 * is tried; other schemes and other passwords stay QUIRE_ENCRYPTED. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_OOXML_DECRYPT_H
#define QUIRE_OOXML_DECRYPT_H

#include <stddef.h>
#include <quire/plugin.h>

/* info/pkg: the EncryptionInfo and EncryptedPackage streams (borrowed).
 * On QUIRE_OK *out is the plain package (new, caller frees with free()) of
 * *outlen bytes; packages over cap are QUIRE_TOO_LARGE. Otherwise
 * QUIRE_ENCRYPTED, QUIRE_CORRUPT or QUIRE_ERROR. */
enum quire_result ox_decrypt_default(const unsigned char *info, size_t infolen,
				     const unsigned char *pkg, size_t pkglen, unsigned char **out,
				     size_t *outlen, size_t cap);

#endif
