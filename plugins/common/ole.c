/* ole.c: OLE2 compound files through libgsf for the legacy and OOXML
 * plugins (one reader: the OOXML plugin's own was replaced by it). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-utils.h>

#include "ole.h"

#define OLE_MAX_DEPTH 8

static const struct quire_host *log_host;
static const char *log_plugin = "ole";

static void gsf_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
	(void)level;
	(void)data;
	if (log_host)
		log_host->log(QUIRE_LOG_DEBUG, "%s: %s: %s", log_plugin, domain ? domain : "glib", msg);
}

void pc_ole_init(const struct quire_host *host, const char *plugin)
{
	static const char *const domains[] = { "libgsf", "libgsf:msole", "GLib-GObject" };

	log_host = host;
	log_plugin = plugin;
	for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++)
		g_log_set_handler(domains[i], G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL |
				  G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG, gsf_log, NULL);
	gsf_init();
}

GsfInput *pc_ole_child(GsfInfile *dir, const char *name)
{
	GsfInput *in = gsf_infile_child_by_name(dir, name);
	int n = gsf_infile_num_children(dir);

	for (int i = 0; !in && i < n; i++) {
		const char *have = gsf_infile_name_by_index(dir, i);

		if (have && !g_ascii_strcasecmp(have, name))
			in = gsf_infile_child_by_index(dir, i);
	}
	return in;
}

static int is_storage(GsfInput *in)
{
	return GSF_IS_INFILE(in) && gsf_infile_num_children(GSF_INFILE(in)) >= 0;
}

/* The whole stream in into *out. */
static int slurp(GsfInput *in, size_t cap, unsigned char **out, size_t *outlen)
{
	gsf_off_t size = gsf_input_size(in);

	if (size < 0)
		return -1;
	if ((unsigned long long)size > cap)
		return -2;
	*out = malloc(size ? (size_t)size : 1);
	if (!*out)
		return -1;
	if (size && !gsf_input_read(in, (size_t)size, *out)) {
		free(*out);
		*out = NULL;
		return -1;
	}
	*outlen = (size_t)size;
	return 0;
}

/* Depth first through the storages of dir. */
static int find(GsfInfile *dir, const char *name, int depth, size_t cap, unsigned char **out,
		size_t *outlen)
{
	int n = gsf_infile_num_children(dir), r = -1;

	for (int i = 0; i < n && r == -1; i++) {
		const char *have = gsf_infile_name_by_index(dir, i);
		GsfInput *c = gsf_infile_child_by_index(dir, i);

		if (!c)
			continue;
		if (is_storage(c)) {
			if (depth < OLE_MAX_DEPTH)
				r = find(GSF_INFILE(c), name, depth + 1, cap, out, outlen);
		} else if (have && !g_ascii_strcasecmp(have, name)) {
			r = slurp(c, cap, out, outlen);
		}
		g_object_unref(c);
	}
	return r;
}

int pc_ole_stream(const unsigned char *mem, size_t len, const char *name, size_t cap,
		  unsigned char **out, size_t *outlen)
{
	GsfInput *in;
	GsfInfile *ole = NULL;
	int r = -3;

	*out = NULL;
	*outlen = 0;
	if (len < 512 || memcmp(mem, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) != 0)
		return -3;
	in = gsf_input_memory_new(mem, (gsf_off_t)len, FALSE);
	if (in)
		ole = gsf_infile_msole_new(in, NULL);
	if (ole)
		r = find(ole, name, 0, cap, out, outlen);
	if (ole)
		g_object_unref(ole);
	if (in)
		g_object_unref(in);
	return r;
}
