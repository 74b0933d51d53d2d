/* bench_list.c: listing documents stays fast at 100,000 documents: creates
 * N text documents in one account (1,000 per transaction), then times
 * doc_list pages at several offsets. Prints milliseconds per page. With
 * QUIRE_BENCH_KEEP set the data directory is kept and its path printed
 * ("datadir PATH", account "bench") for tests/bench/list-all.sh. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/docs.h"
#include "store/accounts.h"
#include "store/store.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fill {
	const char *account;
	size_t n;
};

static enum qstatus fill_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct fill *f = arg;
	for (size_t i = 0; i < f->n; i++) {
		char id[37], title[64];
		snprintf(title, sizeof title, "Document %zu", i);
		struct doc_input in = {.title = title, .content = "Some short text to store.",
				       .content_len = 25};
		enum qstatus st = doc_create(t, f->account, &in, id, NULL, err);
		if (st != Q_OK)
			return st;
	}
	return Q_OK;
}

struct acc {
	char id[37];
};

static enum qstatus account_fn(struct stxn *t, void *arg, struct qerr *err)
{
	int created;
	return account_ensure(t, "bench", ((struct acc *)arg)->id, &created, err);
}

struct page {
	const char *account;
	size_t offset, got, total;
};

static int count_one(json_t *doc, void *arg)
{
	((struct page *)arg)->got++;
	return 0;
}

static enum qstatus page_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct page *p = arg;
	p->got = 0;
	return doc_list(t, p->account, p->offset, 100, count_one, p, &p->total, err);
}

int main(int argc, char **argv)
{
	size_t ndocs = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	char dir[] = "/tmp/quire-bench-list.XXXXXX";
	struct store *s;
	struct qerr err;
	struct acc a;

	if (!mkdtemp(dir) || store_open(&s, dir, STORE_OWNER, &err) != Q_OK ||
	    store_run(s, account_fn, &a, &err) != Q_OK) {
		fprintf(stderr, "setup failed: %s\n", err.msg);
		return 1;
	}
	int64_t t0 = q_now_us();
	for (size_t done = 0; done < ndocs; done += 1000) {
		struct fill f = {a.id, ndocs - done < 1000 ? ndocs - done : 1000};
		if (store_run(s, fill_fn, &f, &err) != Q_OK) {
			fprintf(stderr, "fill: %s\n", err.msg);
			return 1;
		}
	}
	printf("created %zu documents in %.1f s (1,000 per transaction)\n", ndocs,
	       (double)(q_now_us() - t0) / 1e6);
	size_t offsets[] = {0, ndocs / 2, ndocs > 100 ? ndocs - 100 : 0};
	for (int i = 0; i < 3; i++) {
		struct page p = {a.id, offsets[i], 0, 0};
		int reps = 50;
		t0 = q_now_us();
		for (int r = 0; r < reps; r++)
			if (store_run(s, page_fn, &p, &err) != Q_OK) {
				fprintf(stderr, "list: %s\n", err.msg);
				return 1;
			}
		printf("list limit=100 offset=%zu of %zu: %.2f ms per page (%zu returned)\n",
		       offsets[i], p.total, (double)(q_now_us() - t0) / 1e3 / reps, p.got);
	}
	store_close(s);
	if (getenv("QUIRE_BENCH_KEEP")) {
		printf("datadir %s\n", dir);
		return 0;
	}
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) != 0;
}
