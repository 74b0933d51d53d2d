/* reindex.c: quire-admin reindex, the keyword index rebuilt from the
 * stored chunks (after a change of the text analysis, LEXICAL_VERSION). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/admin.h"
#include "admin/reindex.h"
#include "admin/progress.h"
#include "base/fault.h"
#include "store/docs.h"
#include "store/chunks.h"
#include "store/lexical.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

/* Chunks per transaction: a few thousand postings each, so one rebuild
 * step never holds the locks or the log space of a whole collection. */
#define REINDEX_BATCH 64

struct reindex {
	struct store_ids keys;
	size_t from, to, postings, added, skipped, orphans;
};

static enum qstatus clear_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct reindex *r = arg;
	return lexical_clear(t, &r->postings, err);
}

static enum qstatus keys_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct reindex *r = arg;
	store_ids_free(&r->keys);
	enum qstatus st = store_scan_table(t, T_CHUNKS, store_collect, &r->keys, err);
	if (st == Q_OK && r->keys.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	return st;
}

static enum qstatus batch_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct reindex *r = arg;
	size_t added = 0, skipped = 0, orphans = 0;
	for (size_t i = r->from; i < r->to; i++) {
		json_t *rec;
		enum qstatus st = store_get(t, T_CHUNKS, r->keys.ids[i], &rec, 0, err);
		if (st == Q_ENOTFOUND) {   /* deleted since the list was read */
			qerr_clear(err);
			continue;
		}
		if (st != Q_OK)
			return st;
		int did, orphan;
		st = chunk_reindex(t, r->keys.ids[i], rec, &did, &orphan, err);
		json_decref(rec);
		if (st != Q_OK)
			return st;
		if (orphan) {   /* its document is gone: never searched */
			orphans++;
			continue;
		}
		did ? added++ : skipped++;
	}
	/* counted here, not as we go: a rerun after a deadlock starts over */
	r->added += added;
	r->skipped += skipped;
	r->orphans += orphans;
	return Q_OK;
}

static enum qstatus built_fn(struct stxn *t, void *arg, struct qerr *err)
{
	(void)arg;
	return lexical_mark_built(t, err);
}

int admin_reindex(struct store *s, FILE *out, FILE *errf)
{
	struct reindex r;
	struct qerr err;
	memset(&r, 0, sizeof r);
	enum qstatus st = store_run(s, clear_fn, &r, &err);
	if (st == Q_OK)
		st = store_run(s, keys_fn, &r, &err);
	struct progress pg;
	progress_start(&pg, "reindex", "chunks", r.keys.n);
	for (r.from = 0; st == Q_OK && r.from < r.keys.n; r.from = r.to) {
		r.to = r.from + REINDEX_BATCH < r.keys.n ? r.from + REINDEX_BATCH : r.keys.n;
		st = store_run(s, batch_fn, &r, &err);
		fault_point("reindex_batch_slow");   /* tests: a long run to watch */
		progress_set(&pg, r.to);
	}
	progress_end(&pg);
	if (st == Q_OK)   /* whole: until now status says unfinished, and
			   * quired's next start (or cron) rebuilds again */
		st = store_run(s, built_fn, NULL, &err);
	if (st == Q_OK)
		fprintf(out, "reindex: %zu postings removed; %zu chunks indexed, %zu indexed meanwhile "
			"by writers, %zu without a document left out; index version %d\n",
			r.postings, r.added, r.skipped, r.orphans, LEXICAL_VERSION);
	else
		fprintf(errf, "quire-admin: reindex: %s (run it again: it starts over)\n", err.msg);
	store_ids_free(&r.keys);
	return st == Q_OK ? 0 : 1;
}

static enum qstatus version_fn(struct stxn *t, void *arg, struct qerr *err)
{
	return lexical_version(t, arg, err);
}

enum qstatus admin_index_version(struct store *s, int *version, struct qerr *err)
{
	return store_run(s, version_fn, version, err);
}
