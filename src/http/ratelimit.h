/* ratelimit.h: request counters per API key shared by every process that
 * serves the data directory (FastCGI workers, a CGI run by hand), in fixed
 * one-minute windows aligned to the wall clock.
 *
 * The counters live in a small file, DATADIR/ratelimit, mapped shared by
 * each process: RL_SLOTS 64-bit words, each one key's {tag, window, count}
 * packed so that one compare-and-swap updates it. Nothing is locked, so a
 * process killed at any instant leaves every counter consistent, and a
 * request costs no fsync (a Berkeley DB record would cost a durable commit
 * before the first token). Counts are lost only with the file; losing them
 * is harmless (a fresh window). See docs/chat.md. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_RATELIMIT_H
#define QUIRE_RATELIMIT_H

#include <stdint.h>

#define RL_SLOTS 16384          /* 128 KiB file */
#define RL_PROBES 8             /* slots tried per key */
#define RL_WINDOW_S 60          /* window length in seconds */
#define RL_MAX_LIMIT 1000000    /* counts are 20 bits */

struct rl_result {
	int allowed;            /* 1: go on; 0: over the limit */
	unsigned limit;
	unsigned remaining;     /* requests left in this window */
	int64_t reset;          /* Unix time the window ends */
	int retry_after;        /* seconds until then, >= 1 */
};

/* Count one request of key (any bytes naming the caller, e.g. account and
 * key id) against limit per window in the file at path (created when
 * missing; the mapping is kept for the life of the process). limit 0
 * disables counting. When the file cannot be used, or every slot a key may
 * use is held by other keys this window, the request is allowed and the
 * problem logged: the limiter never takes the service down. now is the
 * Unix time (pass time(NULL); tests pass their own). */
void rl_hit(const char *path, const char *key, unsigned limit, int64_t now,
	    struct rl_result *out);

#endif
