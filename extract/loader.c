/* loader.c: dlopen the plugins, check their descriptors, pick by sniffing
 * and by the extensions they list. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *loader_dir(void)
{
	const char *d = getenv("QUIRE_PLUGIN_DIR");
	return d && *d ? d : QUIRE_PLUGINDIR;
}

const char *loader_check(const struct quire_plugin *p)
{
	static char why[128];
	if (!p)
		return "quire_plugin_entry returned NULL";
	if (p->abi != QUIRE_PLUGIN_ABI) {
		snprintf(why, sizeof why, "plugin ABI %u, this quire-extract needs ABI %u", p->abi,
			 QUIRE_PLUGIN_ABI);
		return why;
	}
	if (!PLUGIN_HAS(p, fini)) {
		snprintf(why, sizeof why, "descriptor of %zu bytes is shorter than ABI %u's first "
			 "release", p->size, QUIRE_PLUGIN_ABI);
		return why;
	}
	if (!p->name || !*p->name || !p->extract || !p->sniff)
		return "descriptor lacks a name, sniff or extract";
	return NULL;
}

static int so_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 3 && !strcmp(d->d_name + n - 3, ".so");
}

const char *loader_guess(const char *mime)
{
	static const struct { const char *prefix, *file; } map[] = {
		{ "application/pdf", "pdf.so" },
		{ "application/vnd.openxmlformats", "ooxml.so" },
		{ "application/vnd.oasis.opendocument", "ooxml.so" },
		{ "application/encrypted", "ooxml.so" },
		{ "application/msword", "legacy.so" },
		{ "application/vnd.ms-", "legacy.so" },
		{ "application/x-ole-storage", "legacy.so" },
		{ "application/rtf", "rtf.so" },
		{ "text/html", "html.so" },
		{ "text/", "text.so" },
		{ "image/", "ocr.so" },
	};
	for (size_t i = 0; mime && i < sizeof map / sizeof map[0]; i++)
		if (!strncmp(mime, map[i].prefix, strlen(map[i].prefix)))
			return map[i].file;
	return NULL;
}

int loader_load_file(struct loader *l, const char *dir, const char *name,
		     void (*warn)(const char *path, const char *why))
{
	struct loaded_plugin *lp = &l->v[l->n];
	snprintf(lp->path, sizeof lp->path, "%s/%s", dir, name);
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].path, lp->path))
			return 0;   /* already loaded */
	if (l->n == LOADER_MAX) {
		warn(lp->path, "too many plugins");
		l->refused++;
		return -1;
	}
	lp->handle = dlopen(lp->path, RTLD_NOW | RTLD_LOCAL);
	if (!lp->handle) {
		warn(lp->path, dlerror());
		l->refused++;
		return -1;
	}
	quire_plugin_entry_fn entry;
	*(void **)&entry = dlsym(lp->handle, QUIRE_PLUGIN_ENTRY);
	const char *why = entry ? loader_check(entry()) : "no quire_plugin_entry symbol";
	if (why) {
		warn(lp->path, why);
		dlclose(lp->handle);
		l->refused++;
		return -1;
	}
	lp->p = entry();
	l->n++;
	return 0;
}

int loader_load(struct loader *l, const char *dir,
		void (*warn)(const char *path, const char *why))
{
	struct dirent **names;
	int n = scandir(dir, &names, so_name, alphasort);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		loader_load_file(l, dir, names[i]->d_name, warn);
		free(names[i]);
	}
	free(names);
	return (int)l->n;
}

const char *loader_ext(const char *name)
{
	const char *base = name ? strrchr(name, '/') : NULL;
	base = base ? base + 1 : name;
	const char *dot = base ? strrchr(base, '.') : NULL;
	return dot && dot != base && dot[1] ? dot + 1 : NULL;
}

int loader_lists_ext(const struct quire_plugin *p, const char *ext)
{
	if (!ext || !p->extensions)
		return 0;
	for (const char *const *e = p->extensions; *e; e++)
		if (!strcasecmp(*e, ext))
			return 1;
	return 0;
}

const struct loaded_plugin *loader_pick(const struct loader *l, const unsigned char *head,
					size_t len, const char *mime, const char *ext, int *score)
{
	const struct loaded_plugin *best = NULL;
	int best_listed = 0;
	*score = 0;
	for (size_t i = 0; i < l->n; i++) {
		int s = l->v[i].p->sniff(head, len, mime ? mime : "");
		if (s <= 0)
			continue;   /* a plugin never takes bytes it does not read */
		int listed = loader_lists_ext(l->v[i].p, ext);
		if (listed > best_listed || (listed == best_listed && s > *score)) {
			*score = s;
			best = &l->v[i];
			best_listed = listed;
		}
	}
	return best;
}

const struct loaded_plugin *loader_ocr(const struct loader *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct quire_plugin *p = l->v[i].p;
		if (PLUGIN_HAS(p, ocr_image) && (p->flags & QUIRE_PLUGIN_OCR) && p->ocr_image)
			return &l->v[i];
	}
	return NULL;
}

void loader_close(struct loader *l)
{
	for (size_t i = 0; i < l->n; i++)
		dlclose(l->v[i].handle);
	l->n = 0;
}
