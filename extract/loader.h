/* loader.h: finding and loading extraction plugins (include/quire/plugin.h).
 * Every shared object in the plugin directory is opened; one whose ABI or
 * descriptor size the host does not accept is refused with a message that
 * names the file, and never called. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_LOADER_H
#define QUIRE_LOADER_H

#include <stddef.h>
#include <quire/plugin.h>

#define LOADER_MAX 32

struct loaded_plugin {
	const struct quire_plugin *p;
	void *handle;
	char path[4096];
};

struct loader {
	struct loaded_plugin v[LOADER_MAX];
	size_t n;
	unsigned refused;
};

/* Directory to load from: $QUIRE_PLUGIN_DIR when set, else the installed
 * plugin directory. */
const char *loader_dir(void);
/* The plugin file that usually reads mime ("pdf.so"), or NULL. */
const char *loader_guess(const char *mime);
/* Load every *.so of dir (in name order). Refusals are reported through
 * warn (file name and reason) and counted. Returns the number loaded, or -1
 * when dir cannot be read. */
int loader_load(struct loader *l, const char *dir,
		void (*warn)(const char *path, const char *why));
/* Load one file (dir/name) into l; 0, or -1 (reported through warn). */
int loader_load_file(struct loader *l, const char *dir, const char *name,
		     void (*warn)(const char *path, const char *why));
/* Validate one descriptor; NULL when acceptable, else why not. */
const char *loader_check(const struct quire_plugin *p);
/* The extension of a file name ("srt" of "talk.en.srt"), or NULL when the
 * last path component has none. Borrowed from name. */
const char *loader_ext(const char *name);
/* 1 when p's descriptor lists ext among its extensions (ASCII case
 * ignored). */
int loader_lists_ext(const struct quire_plugin *p, const char *ext);
/* The plugin for these bytes, MIME type and file extension (ext may be
 * NULL), or NULL; *score gets its sniff score. Only plugins whose sniff
 * score is > 0 take part; among them one that lists ext in its
 * descriptor's extensions wins over one that does not, so a plugin for a
 * text format (.srt) is chosen over the generic text plugin that also
 * reads it; then the highest score wins (the first loaded on a tie). */
const struct loaded_plugin *loader_pick(const struct loader *l, const unsigned char *head,
					size_t len, const char *mime, const char *ext, int *score);
/* The first plugin that provides OCR of images, or NULL. */
const struct loaded_plugin *loader_ocr(const struct loader *l);
/* 1 when plugin p (of the given descriptor size) has field f. */
#define PLUGIN_HAS(p, f) ((p)->size >= offsetof(struct quire_plugin, f) + sizeof((p)->f))
void loader_close(struct loader *l);

#endif
