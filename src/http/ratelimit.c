/* ratelimit.c: lock-free per-key request counters in a shared mapped file. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/ratelimit.h"
#include "base/log.h"
#include "base/util.h"
#include "text/text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* One slot: tag (24 bits) | window (20 bits) | count (20 bits). A zero
 * word is free. The window is the minute number modulo 2^20: only equality
 * with the current one matters, and a stale count is simply restarted. */
#define TAG_SHIFT 40
#define WIN_SHIFT 20
#define WIN_MASK 0xfffffu
#define CNT_MASK 0xfffffu
#define RL_SIZE (RL_SLOTS * sizeof(uint64_t))

static struct {
	char path[PATH_MAX];
	uint64_t *slots;
	int warned;
	int64_t full_window;    /* window + 1 of the last "table full" warning */
} map;

static uint64_t *rl_map(const char *path)
{
	if (map.slots && !strcmp(map.path, path))
		return map.slots;
	if (map.slots) {
		munmap(map.slots, RL_SIZE);
		map.slots = NULL;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	struct stat sb;
	/* Every process may size a new file: extending with zeros is
	 * idempotent, and a zero slot is a free one. The blocks are allocated
	 * (q_back_file), so a full disk cannot make a store here SIGBUS. */
	if (fstat(fd, &sb) < 0 || (sb.st_size < (off_t)RL_SIZE && ftruncate(fd, (off_t)RL_SIZE) < 0) ||
	    q_back_file(fd, (off_t)RL_SIZE) < 0) {
		close(fd);
		return NULL;
	}
	void *p = mmap(NULL, RL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	snprintf(map.path, sizeof map.path, "%s", path);
	map.slots = p;
	return map.slots;
}

static uint64_t pack(uint64_t tag, uint64_t win, uint64_t count)
{
	return tag << TAG_SHIFT | (win & WIN_MASK) << WIN_SHIFT | (count & CNT_MASK);
}

/* Count in slot w for (tag, win): the updated word, or 0 when the limit is
 * reached (the word is then left as it is). */
static uint64_t bumped(uint64_t w, uint64_t tag, uint64_t win, unsigned limit)
{
	uint64_t count = ((w >> WIN_SHIFT) & WIN_MASK) == win ? w & CNT_MASK : 0;
	if (count >= limit)
		return 0;
	return pack(tag, win, count + 1);
}

/* Count one hit in slot s, which holds tag (or is being claimed for it
 * when claim is set): 1 counted, 0 refused (the limit is reached), -1 the
 * slot belongs to another key. *count gets the count after the hit. */
static int hit_slot(uint64_t *s, uint64_t tag, uint64_t win, unsigned limit, int claim,
		    unsigned *count)
{
	uint64_t w = __atomic_load_n(s, __ATOMIC_ACQUIRE);
	for (int tries = 0; tries < 1000; tries++) {
		uint64_t owner = w >> TAG_SHIFT;
		int stale = ((w >> WIN_SHIFT) & WIN_MASK) != win;
		if (owner != tag && !(claim && (w == 0 || stale)))
			return -1;
		uint64_t nw = owner == tag ? bumped(w, tag, win, limit) : pack(tag, win, 1);
		if (nw == 0) {
			*count = (unsigned)(w & CNT_MASK);
			return 0;
		}
		if (__atomic_compare_exchange_n(s, &w, nw, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			*count = (unsigned)(nw & CNT_MASK);
			return 1;
		}
	}
	return -1;
}

static void allow_unlimited(struct rl_result *out, unsigned limit, int64_t now)
{
	out->allowed = 1;
	out->limit = limit;
	out->remaining = limit;
	out->reset = now - now % RL_WINDOW_S + RL_WINDOW_S;
	out->retry_after = (int)(out->reset - now);
}

void rl_hit(const char *path, const char *key, unsigned limit, int64_t now,
	    struct rl_result *out)
{
	if (limit > RL_MAX_LIMIT)
		limit = RL_MAX_LIMIT;
	allow_unlimited(out, limit, now);
	if (limit == 0)
		return;
	uint64_t *slots = rl_map(path);
	if (!slots) {
		if (!map.warned++)
			QLOG_WARN("rate limits are off: cannot map %s: %s", path, strerror(errno));
		return;
	}
	uint64_t h = text_hash(key, strlen(key), 0x726c);
	uint64_t tag = (h >> TAG_SHIFT) & 0xffffffu, win = (uint64_t)(now / RL_WINDOW_S) & WIN_MASK;
	if (tag == 0)
		tag = 1;
	size_t first = (size_t)(h % RL_SLOTS);
	unsigned count = 0;
	/* The key's own slot first (it keeps it across windows), then a free
	 * or stale one. */
	for (int claim = 0; claim < 2; claim++)
		for (int i = 0; i < RL_PROBES; i++) {
			uint64_t *s = &slots[(first + (size_t)i) % RL_SLOTS];
			int r = hit_slot(s, tag, win, limit, claim, &count);
			if (r >= 0) {
				out->allowed = r;
				out->remaining = count < limit ? limit - count : 0;
				return;
			}
		}
	if (map.full_window != (int64_t)win + 1) {   /* once a window, not per request */
		map.full_window = (int64_t)win + 1;
		QLOG_WARN("rate limit table full near slot %zu: requests allowed uncounted", first);
	}
}
