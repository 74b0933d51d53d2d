/* heartbeat.h: per-worker (and per-ingest-process) liveness slots in a
 * small shared file (DATADIR/heartbeat). A worker stamps its slot with the monotonic time when
 * a request starts and clears it when the request ends; quired treats a
 * slot that stays busy longer than heartbeat_timeout as a hung worker (a
 * process blocked on a dead process's mutex looks exactly like this). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_HEARTBEAT_H
#define QUIRE_HEARTBEAT_H

#include <stdint.h>
#include <sys/types.h>

#define HB_SLOTS 320
/* Slots HB_INGEST_BASE + n belong to ingest process n (workers use the
 * slots from 0; there are at most 256 workers and 64 ingest processes). */
#define HB_INGEST_BASE 256

struct hb_slot {
	volatile int64_t busy_since_ms;   /* 0 when idle */
	volatile int32_t pid;
	volatile uint32_t requests;
};

/* Map the heartbeat file (created and sized when create is set). NULL on
 * failure. Release with hb_unmap. */
struct hb_slot *hb_map(const char *path, int create);
void hb_unmap(struct hb_slot *slots);
/* Worker side: mark slot busy (now) or idle. slots may be NULL. */
void hb_busy(struct hb_slot *slots, int slot);
void hb_idle(struct hb_slot *slots, int slot);

#endif
