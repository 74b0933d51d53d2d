/* fuzz_conf.c: libFuzzer target for the configuration file parser
 * (qconf_load then qconf_check, as quired reads /etc/quire/quire.conf).
 * Invariants: the result is OK or EINVAL with a message naming the file
 * and line; loading the same file again gives the same settings; every
 * string setting stays NUL-terminated within its buffer. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "fuzz.h"
#include "base/conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[256];


void fuzz_cleanup(void)
{
	if (*path)
		unlink(path);
}

static void setup(void)
{
	if (!*path)
		fuzz_scratch(path, sizeof path, "conf", 0);
}

static enum qstatus load(const uint8_t *data, size_t size, struct qconf *c, struct qerr *err)
{
	FILE *f = fopen(path, "we");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	qconf_defaults(c);
	memset(err, 0, sizeof *err);
	enum qstatus st = qconf_load(c, path, 1, err);
	if (st == Q_OK)
		st = qconf_check(c, err);
	return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct qconf a, b;
	struct qerr ea, eb;
	setup();
	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	enum qstatus sa = load(data, size, &a, &ea), sb = load(data, size, &b, &eb);
	fuzz_status = sa;
	CHECK(sa == Q_OK || sa == Q_EINVAL);
	CHECK(sa == sb);
	if (sa != Q_OK) {
		CHECK(ea.msg[0] != '\0' && memchr(ea.msg, '\0', sizeof ea.msg));
		CHECK(!strcmp(ea.msg, eb.msg));
		return 0;
	}
	CHECK(memchr(a.datadir, '\0', sizeof a.datadir) && a.datadir[0]);
	CHECK(memchr(a.socket, '\0', sizeof a.socket));
	CHECK(memchr(a.base_path, '\0', sizeof a.base_path));
	CHECK(a.workers >= 1);
	CHECK(a.max_body > 0 && a.max_json > 0 && a.max_json_depth > 0);
	CHECK(!memcmp(&a, &b, sizeof a));
	return 0;
}
