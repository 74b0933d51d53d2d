/* changelog.h: the change log that per-process caches follow (today the
 * search cache, search/vcache.h), written by store.c (its last section) in
 * the writing transaction.
 *
 * In T_STATS: "vseq" holds {epoch, seq}; every change a cache must see
 * appends "vlog:<seq, 16 hex digits>" -> kind byte + key ('v' chunk key: its
 * vector was written or deleted; 'd' document id: its filter fields changed
 * or it was deleted). Sequence numbers are allocated under the write lock of
 * "vseq", so they follow commit order and a reader that sees seq S sees
 * every entry up to S. The log keeps the last CHANGELOG_KEEP entries; a
 * reader further behind (or of another environment: the epoch differs)
 * reloads everything. See docs/search.md. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_CHANGELOG_H
#define QUIRE_CHANGELOG_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "base/status.h"
#include "store/store.h"

#define CHANGELOG_KEEP 65536
#define CHANGELOG_SEQ_KEY "vseq"

#endif
