/* embed.h: marking an embedded document's output (host->embed_begin and
 * embed_end) and the parts outside the body's flow (host->part) through
 * the host; no-ops with a host that predates them. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_EMBED_H
#define QUIRE_PLUGINS_EMBED_H

#include <quire/plugin.h>

/* 0: read the embedded document (of format type) and then call
 * pc_embed_end; non-zero: the host takes no more, skip it. */
static inline int pc_embed_begin(const struct quire_host *h, const char *type)
{
	if (!QUIRE_HOST_HAS(h, embed_end) || !h->embed_begin || !h->embed_end)
		return 0;
	return h->embed_begin(h->sink_ctx, type);
}

static inline void pc_embed_end(const struct quire_host *h)
{
	if (QUIRE_HOST_HAS(h, embed_end) && h->embed_begin && h->embed_end)
		h->embed_end(h->sink_ctx);
}

/* The text that follows is of the part name ("header", "footnotes", ...,
 * "body": include/quire/plugin.h); non-zero: the host takes no more. */
static inline int pc_part(const struct quire_host *h, const char *name)
{
	if (!QUIRE_HOST_HAS(h, part) || !h->part)
		return 0;
	return h->part(h->sink_ctx, name);
}

#endif
