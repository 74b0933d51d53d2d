/* embed.h: marking an embedded document's output through the host
 * (host->embed_begin/embed_end), a no-op with a host that predates them. */
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

#endif
