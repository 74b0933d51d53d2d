/* xlscrypt.h: encrypted Excel 97-2003 workbooks ([MS-XLS] 2.2.10, 2.4.117
 * FilePass). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_XLSCRYPT_H
#define QUIRE_PLUGINS_LEGACY_XLSCRYPT_H

#include "legacy.h"

/* xlscrypt.c: an encrypted workbook stream (FILEPASS: XOR, RC4 or RC4
 * CryptoAPI) decrypted in place with the host's password, or Excel's
 * default one; *decrypted set. QUIRE_OK also when it is not encrypted. */
enum quire_result lg_xls_decrypt(struct lg *lg, unsigned char *s, size_t n, int *decrypted);

#endif
