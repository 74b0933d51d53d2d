/* cron.c: quire-admin cron, the one command a CGI-only site runs from
 * cron: rebuild a keyword index an upgrade left stale, ingest the queued
 * uploads, embed the queued chunks, checkpoint, sweep, within cron_time
 * seconds (the rebuild, once after an upgrade, runs to its end). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/admin.h"
#include "admin/cron.h"
#include "admin/reindex.h"
#include "admin/compact.h"
#include "embed/embedder.h"
#include "pipeline/ingest.h"
#include "store/docs.h"
#include "store/lexical.h"
#include "store/store.h"
#include "base/util.h"

#include <string.h>
#include <unistd.h>

/* Ingest and embed until nothing is due or the deadline passes. The
 * figures are added to *ingested and *embedded. */
static enum qstatus work(struct store *s, const struct qconf *conf, int64_t deadline,
			 size_t *ingested, size_t *embedded, struct qerr *err)
{
	enum qstatus st = Q_OK;
	struct embed_backend *b = embed_backend_new(conf, err);
	if (!b)
		return err->st;
	while (q_mono_ms() < deadline) {
		size_t in = 0, em = 0;
		if ((st = ingest_take_over(s, conf, &in, err)) != Q_OK && err->st != Q_EBUSY)
			break;
		if ((st = embedder_step(s, conf, b, &em, err)) != Q_OK && err->st != Q_EBUSY)
			break;
		st = Q_OK;
		*ingested += in;
		*embedded += em;
		if (!in && !em)
			break;
	}
	b->free(b);
	return st;
}

int admin_cron(struct store *s, const struct qconf *conf, int joined, FILE *out, FILE *errf)
{
	struct qerr err;
	size_t ingested = 0, embedded = 0, blobs = 0, tmps = 0;
	int64_t t0 = q_mono_ms();
	if (joined) {
		/* quired's ingest processes, embedder and checkpoints do it all. */
		fprintf(out, "cron: quired runs and does this work itself\n");
		return 0;
	}
	/* An upgrade that changed the index's format leaves keyword search
	 * finding nothing until the index is rebuilt: quired does it at
	 * start; with no quired, the first cron after the upgrade does. */
	int v;
	if (admin_index_version(s, &v, &err) != Q_OK) {
		fprintf(errf, "quire-admin cron: %s\n", err.msg);
		return 1;
	}
	char why[128];
	if (admin_index_stale(v, why, sizeof why)) {
		fprintf(out, "cron: %s: rebuilding it\n", why);
		if (admin_reindex(s, out, errf) != 0)
			return 1;
	}
	int64_t deadline = t0 + (int64_t)conf->cron_time * 1000;
	if (work(s, conf, deadline, &ingested, &embedded, &err) != Q_OK)
		goto fail;
	/* the automatic compaction, in what is left of cron_time */
	int compacted = q_mono_ms() < deadline && compact_due(conf) ? compact_auto(s, conf, deadline) : -2;
	if (store_checkpoint(s, 1, &err) != Q_OK ||
	    doc_blob_sweep_all(s, conf->datadir, &blobs, &tmps, &err) != Q_OK) {
fail:
		fprintf(errf, "quire-admin cron: %s\n", err.msg);
		return 1;
	}
	fprintf(out, "cron: %zu documents ingested, %zu chunks embedded, %zu files swept%s in %.1f s%s\n",
		ingested, embedded, blobs + tmps,
		compacted == 1 ? ", the database compacted" : compacted == 0 ? ", the database compacted in part" : "",
		(double)(q_mono_ms() - t0) / 1000,
		q_mono_ms() - t0 >= (int64_t)conf->cron_time * 1000 ? " (cron_time reached; "
		"the rest next time)" : "");
	return 0;
}
