/* ole.h: the plugins' one OLE2 (compound file) reader, libgsf: set-up,
 * streams found by name without regard to case ([MS-CFB] 2.6.4), and a
 * stream of a compound file held in memory. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OLE_H
#define QUIRE_PLUGINS_OLE_H

#include <stddef.h>

#include <gsf/gsf-infile.h>
#include <quire/plugin.h>

/* Once, before the sandbox: libgsf's set-up, its complaints about broken
 * containers to host->log (debug level) under the plugin's name. */
void pc_ole_init(const struct quire_host *host, const char *plugin);

/* The child of dir called name, compared without regard to case (libgsf
 * compares exactly); a new reference, or NULL. */
GsfInput *pc_ole_child(GsfInfile *dir, const char *name);

/* The stream called name (case-insensitive, anywhere in the tree of
 * storages, at most 8 deep) of the compound file in mem (len bytes,
 * borrowed) into *out (new, free with free()), *outlen bytes. 0; -1 no
 * such stream, or unreadable; -2 larger than cap; -3 not a readable
 * compound file. */
int pc_ole_stream(const unsigned char *mem, size_t len, const char *name, size_t cap,
		  unsigned char **out, size_t *outlen);

#endif
