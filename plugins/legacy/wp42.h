/* wp42.h: WordPerfect 4.2 documents (DOS; no signature, often named .doc):
 * ASCII text between function codes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_WP42_H
#define QUIRE_PLUGINS_LEGACY_WP42_H

#include "legacy.h"

/* wp42.c: does this head look like a WordPerfect 4.2 document? Never
 * when the host named another type than Word's (text/plain...). */
int lg_wp42_sniff(const unsigned char *s, size_t n, const char *mime);
/* A WordPerfect 4.2 document (s, n bytes) to the sink. */
enum quire_result lg_wp42(struct lg *lg, const unsigned char *s, size_t n);

#endif
