/* input.h: the file a plugin reads, mapped into memory read-only (no copy;
 * the sandbox allows mmap but no new files). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGIN_INPUT_H
#define QUIRE_PLUGIN_INPUT_H

#include <stddef.h>

struct input {
	const unsigned char *p;
	size_t len;        /* bytes mapped (at most the cap) */
	int capped;        /* the file is longer than the cap */
	void *map;
	size_t maplen;
};

/* Map the file open on fd, at most cap bytes of it (0: all). Returns 0, or
 * -1 with errno set; an empty file maps to len 0. input_unmap() releases. */
int input_map(int fd, size_t cap, struct input *in);
void input_unmap(struct input *in);

#endif
