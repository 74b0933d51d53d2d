/* plain.h: plain text to blocks. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_TEXT_PLAIN_H
#define QUIRE_PLUGINS_TEXT_PLAIN_H

#include "text.h"

/* Each returns QUIRE_OK, QUIRE_TOO_LARGE (the sink asked to stop) or
 * QUIRE_ERROR (out of memory). */
enum quire_result text_plain(struct emit *e, const char *s, size_t n);

#endif
