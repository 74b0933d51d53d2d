/* compact.c: quire-admin compact. Ingestion leaves the keyword index's
 * pages about a third full (docs/search.md: a term's blocks and head are
 * written among every other term's, so the B-tree splits pages in the
 * middle of its key range), and deleted documents leave pages that
 * Berkeley DB reuses but never gives back. DB->compact merges them and
 * truncates the file; it runs beside the server's readers and writers in
 * its own short transactions (store_compact). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/compact.h"
#include "admin/progress.h"
#include "base/util.h"
#include "store/store.h"

#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct step {
	struct progress *pg;
	size_t before_this;   /* pages freed by the files before this one */
};

static int on_step(void *arg, const struct store_compact *c)
{
	struct step *st = arg;
	progress_set(st->pg, st->before_this + (size_t)c->freed);
	return 0;
}

/* pages of a step in file: db_compact_step_mb in its page size */
static unsigned step_pages(struct store *s, const struct qconf *conf, const char *file)
{
	uint64_t bytes = (uint64_t)conf->db_compact_step_mb << 20;
	unsigned pagesize = store_file_pagesize(s, file);
	unsigned n = (unsigned)(bytes / (pagesize ? pagesize : 4096));
	return n ? n : 1;
}

static int named(const char *file, int argc, char **argv)
{
	if (argc <= 1)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], file))
			return 1;
	return 0;
}

int admin_compact(struct store *s, const struct qconf *conf, int argc, char **argv, FILE *out,
		  FILE *errf)
{
	for (int i = 1; i < argc; i++) {
		size_t j = 0;
		while (store_file_name(j) && strcmp(store_file_name(j), argv[i]))
			j++;
		if (!store_file_name(j)) {
			fprintf(errf, "quire-admin: compact: %s is not a database file "
				"(postings.db, chunks.db, ...; none for all)\n", argv[i]);
			return 2;
		}
	}
	struct progress pg;
	struct step st = {.pg = &pg};
	progress_start(&pg, "compact", "pages freed", 0);
	uint64_t before = 0, after = 0;
	int rc = 0;
	for (size_t i = 0; store_file_name(i); i++) {
		const char *file = store_file_name(i);
		if (!named(file, argc, argv))
			continue;
		struct store_compact c;
		struct qerr err;
		int64_t t0 = q_mono_ms();
		enum qstatus q = store_compact(s, file, step_pages(s, conf, file), on_step, &st, &c,
					       &err);
		st.before_this += (size_t)c.freed;
		before += c.bytes_before;
		after += c.bytes_after;
		if (q != Q_OK) {
			progress_end(&pg);
			fprintf(errf, "quire-admin: compact: %s\n", err.msg);
			rc = 1;
			break;
		}
		fprintf(out, "%s: %" PRIu64 " -> %" PRIu64 " bytes, %" PRIu64 " pages freed, %" PRIu64
			" given back, %u steps, %.1f s\n",
			file, c.bytes_before, c.bytes_after, c.freed, c.truncated, c.steps,
			(double)(q_mono_ms() - t0) / 1000);
	}
	if (!rc) {
		progress_end(&pg);
		fprintf(out, "compact: %" PRIu64 " -> %" PRIu64 " bytes\n", before, after);
	}
	return rc;
}

/* DATADIR/compacted's time made now (the file made when missing) */
static void stamp_touch(const struct qconf *conf)
{
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s/compacted", conf->datadir);
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0) {
		futimens(fd, NULL);
		close(fd);
	}
}

int compact_due(const struct qconf *conf)
{
	char p[PATH_MAX];
	struct stat st;
	if (conf->db_compact_interval <= 0)
		return 0;
	snprintf(p, sizeof p, "%s/compacted", conf->datadir);
	if (stat(p, &st) < 0) {
		if (errno == ENOENT)
			stamp_touch(conf);
		return 0;
	}
	return time(NULL) - st.st_mtime >= conf->db_compact_interval;
}

struct until {
	int64_t deadline_ms;
	int cut;
};

static int until_step(void *arg, const struct store_compact *c)
{
	struct until *u = arg;
	(void)c;
	return u->cut = u->deadline_ms && q_mono_ms() >= u->deadline_ms;
}

int compact_auto(struct store *s, const struct qconf *conf, int64_t deadline_ms)
{
	struct until u = {deadline_ms, 0};
	uint64_t before = 0, after = 0;
	int64_t t0 = q_mono_ms();
	for (size_t i = 0; store_file_name(i) && !u.cut; i++) {
		const char *file = store_file_name(i);
		struct store_compact c;
		struct qerr err;
		if (store_compact(s, file, step_pages(s, conf, file), until_step, &u, &c, &err) != Q_OK) {
			QLOG_WARN("compact: %s (tried again in %d s)", err.msg, conf->db_compact_interval);
			stamp_touch(conf);   /* not again at once */
			return -1;
		}
		before += c.bytes_before;
		after += c.bytes_after;
	}
	QLOG_INFO("compact: the database files %" PRIu64 " -> %" PRIu64 " bytes in %.1f s%s", before,
		  after, (double)(q_mono_ms() - t0) / 1000, u.cut ? " (cut short; the rest next time)" : "");
	if (u.cut)
		return 0;
	stamp_touch(conf);
	return 1;
}
