/* metrics.c: the shared counters behind /metrics (metrics.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/metrics.h"
#include "base/util.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define QM_MAGIC 0x51554952454d3031ull   /* "QUIREM01" */

const int64_t qm_bucket_us[QM_BUCKETS] = {
	5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 5000000, 10000000, INT64_MAX,
};

static struct qm_shared *qm;

int qm_attach(const char *path, int reset)
{
	int rc = -1;
	qm_detach();
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	struct stat sb;
	if (fstat(fd, &sb) < 0)
		goto out;
	/* A file of another size is an older layout: start it again. */
	if (reset || sb.st_size != (off_t)sizeof *qm) {
		if (ftruncate(fd, 0) < 0 || ftruncate(fd, (off_t)sizeof *qm) < 0)
			goto out;
	}
	/* Blocks, not holes: a counter store must not SIGBUS on a full disk. */
	if (q_back_file(fd, (off_t)sizeof *qm) < 0)
		goto out;
	void *p = mmap(NULL, sizeof *qm, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		goto out;
	qm = p;
	uint64_t zero = 0;
	/* The first process to see a fresh (zeroed) file stamps it. */
	int64_t now = q_now_us();
	if (__atomic_compare_exchange_n(&qm->magic, &zero, QM_MAGIC, 0, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST))
		__atomic_store_n(&qm->started_us, now, __ATOMIC_SEQ_CST);
	rc = 0;
out:
	close(fd);
	return rc;
}

const struct qm_shared *qm_get(void)
{
	return qm;
}

void qm_detach(void)
{
	if (qm)
		munmap(qm, sizeof *qm);
	qm = NULL;
}

void qm_request(int fam, int status, int64_t us)
{
	if (!qm || fam < 0 || fam >= QM_FAMILIES)
		return;
	struct qm_family *f = &qm->fam[fam];
	if (status >= QM_STATUS_MIN && status <= QM_STATUS_MAX)
		__atomic_add_fetch(&f->status[status - QM_STATUS_MIN], 1, __ATOMIC_RELAXED);
	if (us < 0)
		us = 0;
	int b = 0;
	while (b < QM_BUCKETS - 1 && us > qm_bucket_us[b])
		b++;
	__atomic_add_fetch(&f->bucket[b], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&f->sum_us, (uint64_t)us, __ATOMIC_RELAXED);
	__atomic_add_fetch(&f->count, 1, __ATOMIC_RELAXED);
}

void qm_add(enum qm_counter c, uint64_t n)
{
	if (qm && c < QM_COUNTER_MAX)
		__atomic_add_fetch(&qm->counter[c], n, __ATOMIC_RELAXED);
}

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void qm_clock_start(struct qm_clock *c, uint64_t commit_us)
{
	c->us = mono_us();
	c->commit_us = commit_us;
}

void qm_stage(struct qm_clock *c, enum qm_counter stage, uint64_t commit_us)
{
	int64_t now = mono_us();
	uint64_t spent = (uint64_t)(now - c->us), commits = commit_us - c->commit_us;
	qm_add(stage, spent > commits ? spent - commits : 0);
	qm_add(QM_STAGE_COMMIT_US, commits);
	c->us = now;
	c->commit_us = commit_us;
}
