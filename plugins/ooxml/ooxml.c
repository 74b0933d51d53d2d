/* ooxml.c: the OOXML readers (DOCX, PPTX, XLSX, XLSB; ODF text, sheets,
 * slides) over an open package: its main part and metadata, and the sink
 * helpers. The plugin itself (descriptor, sniffing, opening the file) is
 * plugin.c; the legacy plugin reads packages embedded in its files through
 * these readers too (libplugooxml.la). The caps are plugin.c's. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decrypt.h"
#include "ooxml.h"
#include "xlsb.h"
#include "flat.h"
#include "zipguard.h"
#include "xml.h"
#include "xlsx.h"
#include "rels.h"
#include "pptx.h"
#include "odt.h"
#include "docx.h"
#include "../common/ole.h"

/* --- sink helpers --------------------------------------------------------- */

int ox_page(struct ox *ox)
{
	if (ox->err)
		return 1;
	if (ox->host->sink->page(ox->host->sink_ctx, ++ox->page)) {
		ox->err = QUIRE_TOO_LARGE;
		return 1;
	}
	return 0;
}

void ox_emit(struct ox *ox, int kind, unsigned level, const char *s, size_t n)
{
	const struct quire_sink *k = ox->host->sink;
	int stop;

	if (ox->err || !n)
		return;
	if (kind == OX_HEADING)
		stop = k->heading(ox->host->sink_ctx, level > 6 ? 6 : level, s, n);
	else if (kind == OX_LIST)
		stop = k->list_item(ox->host->sink_ctx, level, s, n);
	else
		stop = k->paragraph(ox->host->sink_ctx, s, n);
	ox->wrote = 1;
	if (stop)
		ox->err = QUIRE_TOO_LARGE;
}

void ox_row(struct ox *ox, struct pbuf *cells, size_t n, int header)
{
	const char **v = calloc(n ? n : 1, sizeof *v);
	size_t *lens = calloc(n ? n : 1, sizeof *lens);

	if (!v || !lens)
		ox->err = QUIRE_ERROR;
	else if (!ox->err) {
		for (size_t i = 0; i < n; i++) {
			v[i] = cells[i].p ? cells[i].p : "";
			lens[i] = cells[i].n;
		}
		ox->wrote = 1;
		if (ox->host->sink->table_row(ox->host->sink_ctx, v, lens, n, header))
			ox->err = QUIRE_TOO_LARGE;
	}
	free(v);
	free(lens);
}

/* --- the package ---------------------------------------------------------- */

/* Core properties into meta: title, author, subject, keywords, language. */
static void core_meta(struct ox *ox, const char *part)
{
	static const char *const map[][2] = { { "title", "title" }, { "creator", "author" },
		{ "subject", "subject" }, { "keywords", "keywords" }, { "language", "language" } };
	struct ox_entry e;
	xmlTextReaderPtr r = ox_xml_open(ox, part, &e);
	const char *key = NULL;

	while (r && ox_xml_next(ox, r, 0)) {
		int type = xmlTextReaderNodeType(r);

		if (type == XML_READER_TYPE_ELEMENT) {
			const char *n = (const char *)xmlTextReaderConstLocalName(r);

			key = NULL;
			for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
				if (strcmp(n, map[i][0]) == 0)
					key = map[i][1];
		} else if (type == XML_READER_TYPE_TEXT && key) {
			const char *v = (const char *)xmlTextReaderConstValue(r);

			if (ox->host->sink->meta(ox->host->sink_ctx, key, v, strlen(v)))
				ox->err = QUIRE_TOO_LARGE;
		} else if (type == XML_READER_TYPE_END_ELEMENT)
			key = NULL;
	}
	ox_xml_close(r, &e);
}

enum ox_kind { OX_NONE, OX_DOCX, OX_PPTX, OX_XLSX, OX_XLSB };

/* The kind a content type names: the document, template, macro-enabled
 * and show variants of each application ("...wordprocessingml.template.main+xml",
 * "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml"). */
static enum ox_kind type_kind(const char *ct)
{
	if (strstr(ct, "wordprocessingml") || strstr(ct, "ms-word"))
		return OX_DOCX;
	if (strstr(ct, "presentationml") || strstr(ct, "ms-powerpoint"))
		return OX_PPTX;
	if (strstr(ct, "binary") && (strstr(ct, "spreadsheetml") || strstr(ct, "ms-excel")))
		return OX_XLSB;
	if (strstr(ct, "spreadsheetml") || strstr(ct, "ms-excel"))
		return OX_XLSX;
	return OX_NONE;
}

/* Override and Default compare without case, as OPC compares part names. */
char *ox_content_type(struct ox *ox, const char *part)
{
	const char *ext = strrchr(part, '.');
	char *over = NULL, *def = NULL;
	struct ox_entry e;
	xmlTextReaderPtr r = ox_xml_open(ox, "[Content_Types].xml", &e);

	while (r && !over && ox_xml_next(ox, r, 0)) {
		int o = ox_is(r, XML_READER_TYPE_ELEMENT, "Override");
		char *key = o ? ox_attr(r, "PartName") :
			    ox_is(r, XML_READER_TYPE_ELEMENT, "Default") ? ox_attr(r, "Extension") : NULL;

		if (key && o && ox_part_eq(key, part))
			over = ox_attr(r, "ContentType");
		else if (key && !o && !def && ext && strcasecmp(key, ext + 1) == 0)
			def = ox_attr(r, "ContentType");
		xmlFree(key);
	}
	ox_xml_close(r, &e);
	if (over) {
		xmlFree(def);
		return over;
	}
	return def;
}

/* What the officeDocument relationship points at: by its content type,
 * never by the folder it is in (producers put the main part anywhere);
 * the folder only when [Content_Types].xml does not say. */
static enum ox_kind main_kind(struct ox *ox, const char *part)
{
	char *ct = ox_content_type(ox, part);
	enum ox_kind k = ct ? type_kind(ct) : OX_NONE;

	xmlFree(ct);
	if (k != OX_NONE || ox->err)
		return k;
	if (strncasecmp(part, "word/", 5) == 0)
		return OX_DOCX;
	if (strncasecmp(part, "ppt/", 4) == 0)
		return OX_PPTX;
	if (strncasecmp(part, "xl/", 3) == 0)
		return OX_XLSX;
	return OX_NONE;
}

enum quire_result ox_read_package(struct ox *ox)
{
	struct ox_rels root;
	const struct ox_rel *main, *core;
	enum quire_result r = QUIRE_OK;
	enum ox_kind k;

	ox_rels_load(ox, "", &root);
	main = ox_rels_type(&root, "officeDocument", 0);
	/* Core properties where the package's relationship says, else at
	 * Office's path. */
	core = ox_rels_type(&root, "core-properties", 0);
	if (!ox->depth && (core || ox_has_entry(ox, "docProps/core.xml")))
		core_meta(ox, core ? core->target : "docProps/core.xml");
	k = main && !ox->err ? main_kind(ox, main->target) : OX_NONE;
	if (ox->err)
		r = ox->err;
	else if (!main && ox_is_odt(ox))
		ox_odt(ox);
	else if (k == OX_DOCX)
		ox_docx(ox, main->target);
	else if (k == OX_PPTX)
		ox_pptx(ox, main->target);
	else if (k == OX_XLSX)
		ox_xlsx(ox, main->target);
	else if (k == OX_XLSB)
		ox_xlsb(ox, main->target);
	else
		r = QUIRE_UNSUPPORTED;
	ox_rels_free(&root);
	return r;
}

void ox_readers_init(const struct quire_host *host, const char *who)
{
	/* Before the sandbox: libxml2's one-time setup. No xmlCleanupParser
	 * in fini: other plugins in the process may still use libxml2. */
	xmlInitParser();
	pc_ole_init(host, who);
}
