/* rels.c: OPC relationships: which part is where, never following a
 * target outside the package. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "xml.h"
#include "rels.h"

#define OX_MAX_RELS 100000

/* Resolve target against the folder of part; "../" climbs (never above
 * the root: names are lookup keys in the package, never paths), a leading
 * "/" starts at the package root. New string, caller frees; NULL when out
 * of memory. */
static char *resolve(const char *part, const char *target)
{
	size_t plen = strlen(part), tlen = strlen(target);
	char *out = malloc(plen + tlen + 2), *seg, *save = NULL, *tmp;
	size_t n = 0;

	if (!out)
		return NULL;
	tmp = malloc(plen + tlen + 2);
	if (!tmp) {
		free(out);
		return NULL;
	}
	if (target[0] == '/')
		strcpy(tmp, target + 1);
	else {
		const char *slash = strrchr(part, '/');
		size_t dir = slash ? (size_t)(slash - part) + 1 : 0;

		memcpy(tmp, part, dir);
		strcpy(tmp + dir, target);
	}
	for (seg = strtok_r(tmp, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			/* Above the root is the root (RFC 3986, 5.2.4): "../"
			 * from a root relationship names a part at the root. */
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			continue;
		}
		if (n)
			out[n++] = '/';
		memcpy(out + n, seg, strlen(seg));
		n += strlen(seg);
	}
	out[n] = '\0';
	free(tmp);
	return out;
}

static char *rels_name(const char *part)
{
	const char *slash = strrchr(part, '/');
	size_t dir = slash ? (size_t)(slash - part) + 1 : 0;
	char *name = malloc(strlen(part) + 12);

	if (name) {
		memcpy(name, part, dir);
		strcpy(name + dir, "_rels/");
		strcat(name, part + dir);
		strcat(name, ".rels");
	}
	return name;
}

static void add_rel(struct ox *ox, struct ox_rels *rels, const char *part, xmlTextReaderPtr r)
{
	char *id = ox_attr(r, "Id"), *type = ox_attr(r, "Type"), *target = ox_attr(r, "Target");
	char *mode = ox_attr(r, "TargetMode");
	struct ox_rel *v;

	if (!id || !type || !target || (mode && strcmp(mode, "External") == 0) ||
	    rels->n >= OX_MAX_RELS)
		goto out;
	v = realloc(rels->v, (rels->n + 1) * sizeof *v);
	if (!v)
		goto out;
	rels->v = v;
	v[rels->n].target = resolve(part, target);
	if (!v[rels->n].target)
		goto out;
	v[rels->n].id = strdup(id);
	v[rels->n].type = strdup(strrchr(type, '/') ? strrchr(type, '/') + 1 : type);
	rels->n++;
out:
	xmlFree(id);
	xmlFree(type);
	xmlFree(target);
	xmlFree(mode);
}

void ox_rels_load(struct ox *ox, const char *part, struct ox_rels *rels)
{
	char *name = rels_name(part);
	struct ox_entry e;
	xmlTextReaderPtr r;

	memset(rels, 0, sizeof *rels);
	if (!name)
		return;
	r = ox_xml_open(ox, name, &e);
	free(name);
	if (!r)
		return;
	while (ox_xml_next(ox, r, 0))
		if (ox_is(r, XML_READER_TYPE_ELEMENT, "Relationship"))
			add_rel(ox, rels, part, r);
	ox_xml_close(r, &e);
}

void ox_rels_free(struct ox_rels *rels)
{
	for (size_t i = 0; i < rels->n; i++) {
		free(rels->v[i].id);
		free(rels->v[i].type);
		free(rels->v[i].target);
	}
	free(rels->v);
	memset(rels, 0, sizeof *rels);
}

const struct ox_rel *ox_rels_id(const struct ox_rels *rels, const char *id)
{
	for (size_t i = 0; id && i < rels->n; i++)
		if (rels->v[i].id && strcmp(rels->v[i].id, id) == 0)
			return &rels->v[i];
	return NULL;
}

size_t ox_rels_count(const struct ox_rels *rels, const char *type)
{
	size_t n = 0;
	for (size_t i = 0; i < rels->n; i++)
		n += rels->v[i].type && strcmp(rels->v[i].type, type) == 0;
	return n;
}

const struct ox_rel *ox_rels_type(const struct ox_rels *rels, const char *type, size_t from)
{
	for (size_t i = from; i < rels->n; i++)
		if (rels->v[i].type && strcmp(rels->v[i].type, type) == 0)
			return &rels->v[i];
	return NULL;
}

int ox_over_page_cap(struct ox *ox, const struct ox_rels *rels, const char *type)
{
	unsigned cap = ox->host->limits->max_pages;
	size_t n = ox_rels_count(rels, type);
	if (!cap || n <= cap)
		return 0;
	ox->host->log(QUIRE_LOG_WARNING, "ooxml: %zu %ss, over the limit of %u", n, type, cap);
	ox->err = QUIRE_TOO_LARGE;
	return 1;
}
