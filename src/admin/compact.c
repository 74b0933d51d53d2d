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

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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
		/* a step's megabytes in this file's pages: store_compact counts
		 * pages, and the files' page sizes differ */
		uint64_t bytes = (uint64_t)conf->db_compact_step_mb << 20;
		unsigned pagesize = store_file_pagesize(s, file);
		unsigned step = (unsigned)(bytes / (pagesize ? pagesize : 4096));
		enum qstatus q = store_compact(s, file, step ? step : 1, on_step, &st, &c, &err);
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
