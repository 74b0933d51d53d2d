/* ole.c: embedded OLE2 objects that are not packages (Excel, Word and
 * PowerPoint 97-2003 files, MS Graph charts), read by the legacy plugin's
 * readers (plugins/legacy/libpluglegacy.la), the same code that reads
 * such files on their own and inside each other: one reader per format. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "ooxml.h"
#include "ole.h"

#ifdef OX_LEGACY_READERS
#include "../legacy/legacy.h"
#include "../legacy/embed.h"

void ox_ole_object(struct ox *ox, const unsigned char *mem, size_t len)
{
	/* the legacy reader goes on at this package's depth and page; it
	 * marks what it writes as embedded, with the object's format */
	struct lg lg = { .host = ox->host, .depth = (int)ox->depth, .page = ox->page };

	lg_embedded(&lg, mem, len);
	ox->page = lg.page;
	ox->wrote |= lg.wrote;
	if (lg.err == QUIRE_TOO_LARGE || lg.err == QUIRE_ERROR)
		ox->err = lg.err;   /* the host's cap, or no memory: nothing else fails the package */
}
#else
void ox_ole_object(struct ox *ox, const unsigned char *mem, size_t len)
{
	(void)mem;
	(void)len;
	ox->host->log(QUIRE_LOG_INFO, "ooxml: an embedded OLE object is skipped (built without "
		      "the legacy plugin's readers)");
}
#endif
