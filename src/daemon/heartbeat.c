/* heartbeat.c: shared liveness slots. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "daemon/heartbeat.h"
#include "base/util.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#define HB_SIZE (HB_SLOTS * sizeof(struct hb_slot))

struct hb_slot *hb_map(const char *path, int create)
{
	int fd = open(path, (create ? O_RDWR | O_CREAT : O_RDWR) | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	/* Backed by blocks, not a sparse file: a full disk must not turn a
	 * heartbeat store into SIGBUS. */
	if (create && (ftruncate(fd, (off_t)HB_SIZE) < 0 || q_back_file(fd, (off_t)HB_SIZE) < 0)) {
		close(fd);
		return NULL;
	}
	void *p = mmap(NULL, HB_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

void hb_unmap(struct hb_slot *slots)
{
	if (slots)
		munmap(slots, HB_SIZE);
}

void hb_busy(struct hb_slot *slots, int slot)
{
	if (!slots || slot < 0 || slot >= HB_SLOTS)
		return;
	slots[slot].pid = (int32_t)getpid();
	slots[slot].requests++;
	slots[slot].busy_since_ms = q_mono_ms();
}

void hb_idle(struct hb_slot *slots, int slot)
{
	if (!slots || slot < 0 || slot >= HB_SLOTS)
		return;
	slots[slot].busy_since_ms = 0;
}
