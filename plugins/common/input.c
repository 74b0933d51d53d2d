/* input.c: a read-only mapping of the file being extracted. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "input.h"

int input_map(int fd, size_t cap, struct input *in)
{
	struct stat st;
	size_t len;

	memset(in, 0, sizeof *in);
	if (fstat(fd, &st) != 0)
		return -1;
	if (st.st_size <= 0)
		return 0;
	len = (unsigned long long)st.st_size > (size_t)-1 ? (size_t)-1 : (size_t)st.st_size;
	if (cap && len > cap) {
		len = cap;
		in->capped = 1;
	}
	in->map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (in->map == MAP_FAILED) {
		in->map = NULL;
		return -1;
	}
	in->p = in->map;
	in->len = in->maplen = len;
	return 0;
}

void input_unmap(struct input *in)
{
	if (in->map)
		munmap(in->map, in->maplen);
	memset(in, 0, sizeof *in);
}
