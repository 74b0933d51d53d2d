/* seal.h: a secret that must reach another Quire process but must never be
 * kept (an upload's document password): sealed with AES-256-GCM under a key
 * that exists only in memory. quired makes the key at start and hands it to
 * its children as an inherited memory file (QUIRE_SEAL_FD); a process
 * without quired (a CGI) uses a key of its own. A restart loses the key,
 * and with it every sealed value, so what the database holds is never the
 * secret. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEAL_H
#define QUIRE_SEAL_H

#include <stddef.h>

/* quired: make the key and export it to the children it starts. 0 or -1. */
int seal_owner_init(void);
/* Seal n bytes of plain into out (hex, NUL-terminated; needs 2 * (n + 28)
 * + 1 bytes). 0, or -1 (no key, out too small). */
int seal(const char *plain, size_t n, char *out, size_t cap);
/* Open what seal wrote, into out (NUL-terminated): its length, or -1 when
 * it was sealed under another key (a restart), altered, or does not fit. */
int unseal(const char *in, char *out, size_t cap);

#endif
