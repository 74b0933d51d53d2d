/* ooxml.c: the OOXML extraction plugin (DOCX, PPTX, XLSX, XLSB; ODF text, sheets, slides): descriptor,
 * sniffing, the package's main part and metadata, and the sink helpers.
 *
 * Caps: the zip entry count (from the central directory, before libzip
 * reads it), inflated bytes in total and per entry (inflated:compressed
 * ratio, for entries past 1 MiB), one text buffer at most max_text_bytes.
 * Relationships marked External are never followed; entry names are only
 * lookup keys. */
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

static const char *const ox_mime_types[] = {
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.template",
	"application/vnd.ms-word.document.macroEnabled.12",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"application/vnd.openxmlformats-officedocument.presentationml.template",
	"application/vnd.ms-powerpoint.presentation.macroEnabled.12",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.template",
	"application/vnd.ms-excel.sheet.macroEnabled.12",
	"application/vnd.openxmlformats-officedocument.presentationml.slideshow",
	"application/vnd.ms-powerpoint.slideshow.macroEnabled.12",
	"application/vnd.ms-powerpoint.template.macroEnabled.12",
	"application/vnd.ms-word.template.macroEnabled.12",
	"application/vnd.ms-excel.template.macroEnabled.12",
	"application/vnd.ms-excel.sheet.binary.macroEnabled.12",
	"application/vnd.oasis.opendocument.text",
	"application/vnd.oasis.opendocument.text-template",
	"application/vnd.oasis.opendocument.text-master",
	"application/vnd.oasis.opendocument.spreadsheet",
	"application/vnd.oasis.opendocument.spreadsheet-template",
	"application/vnd.oasis.opendocument.presentation",
	"application/vnd.oasis.opendocument.presentation-template",
	"application/vnd.oasis.opendocument.graphics",
	NULL,
};
static const char *const ox_extensions[] = { "docx", "docm", "dotx", "dotm", "pptx", "pptm",
	"potx", "potm", "ppsx", "ppsm", "xlsx", "xlsm", "xltx", "xltm", "xlsb", "odt", "ott", "odm",
	"ods", "ots", "odp", "otp", "odg", "fodt", "fods", "fodp", "fodg", NULL };

static int mem_has(const unsigned char *h, size_t len, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(h + i, s, n) == 0)
			return 1;
	return 0;
}

static int ox_sniff(const unsigned char *head, size_t len, const char *mime)
{
	int ours = 0;

	for (const char *const *m = ox_mime_types; mime && *m; m++)
		ours |= strcmp(mime, *m) == 0;
	if (ox_is_flat(head, len))
		return 95;
	if (len >= 4 && memcmp(head, "PK\3\4", 4) == 0) {
		if (ours)
			return 95;
		if (len >= 73 && memcmp(head + 30, "mimetypeapplication/vnd.oasis.opendocument.", 43) == 0)
			return 90;
		if (mem_has(head, len, "[Content_Types].xml") || mem_has(head, len, "word/") ||
		    mem_has(head, len, "ppt/") || mem_has(head, len, "xl/"))
			return 90;
		return 10;
	}
	/* An encrypted OOXML file is an OLE2 compound file; say so only when
	 * the detected type points at it. */
	if (len >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0 && mime &&
	    (ours || strcmp(mime, "application/encrypted") == 0))
		return 60;
	return 0;
}

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

/* The password the host passes, NULL when none. */
static const char *host_password(const struct quire_host *h)
{
	return QUIRE_HOST_HAS(h, password) ? h->password : NULL;
}

/* An OLE2 file: an encrypted OOXML package, opened with the host's
 * password, or without one with Excel's default password (protected
 * workbooks open without a prompt); otherwise QUIRE_ENCRYPTED. On QUIRE_OK *pkg is the plain package (new, caller
 * frees with free()) and ox->zip is open on it. */
static enum quire_result open_encrypted(struct ox *ox, int fd, unsigned char **pkg)
{
	size_t cap = ox->max_inflated < (256u << 20) ? (size_t)ox->max_inflated : 256u << 20;
	unsigned char *file = NULL, *info = NULL, *enc = NULL;
	size_t flen = 0, ilen = 0, elen = 0, plen = 0;
	struct stat st;
	enum quire_result r = QUIRE_UNSUPPORTED;
	int have, got;

	if (fstat(fd, &st) < 0)
		return QUIRE_ERROR;
	if ((unsigned long long)st.st_size > cap)
		return QUIRE_TOO_LARGE;
	flen = (size_t)st.st_size;
	file = malloc(flen ? flen : 1);
	if (!file)
		return QUIRE_ERROR;
	if (pread(fd, file, flen, 0) != (ssize_t)flen) {
		free(file);
		return QUIRE_CORRUPT;
	}
	got = pc_ole_stream(file, flen, "EncryptionInfo", 1u << 20, &info, &ilen);
	have = got == 0;
	if (got == -3) {
		free(file);
		return QUIRE_CORRUPT;
	}
	got = have ? pc_ole_stream(file, flen, "EncryptedPackage", cap, &enc, &elen) : -1;
	if (got == 0) {
		const char *pw = host_password(ox->host);

		r = ox_decrypt(info, ilen, enc, elen, pw, pkg, &plen, cap);
		if (r == QUIRE_ENCRYPTED && pw)   /* a protected workbook, given a password */
			r = ox_decrypt(info, ilen, enc, elen, NULL, pkg, &plen, cap);
		if (r == QUIRE_OK) {
			ox->host->log(QUIRE_LOG_INFO, "ooxml: opened with %s password",
				      pw ? "a" : "the default");
			r = ox_zip_open_mem(ox, *pkg, plen);
		} else if (r == QUIRE_ENCRYPTED)
			ox->host->log(QUIRE_LOG_INFO, "ooxml: %s", pw ? "wrong password" :
				      "password required");
	} else if (got == -2)
		r = QUIRE_TOO_LARGE;
	else if (have)
		r = QUIRE_ENCRYPTED;
	free(info);
	free(enc);
	free(file);
	return r;
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

static enum quire_result ox_extract(void *state, const struct quire_host *host, const char *path,
				    int fd, const char *mime)
{
	const struct quire_limits *lim = host->limits;
	struct ox ox = {
		.host = host,
		.max_inflated = lim->max_inflated_bytes ? lim->max_inflated_bytes : 1ULL << 30,
		.max_ratio = lim->max_ratio ? lim->max_ratio : 100,
		.max_text = lim->max_text_bytes ? lim->max_text_bytes : 64u << 20,
	};
	unsigned char *pkg = NULL;
	enum quire_result r;

	if (ox_is_cfb(fd))
		r = open_encrypted(&ox, fd, &pkg);
	else if ((r = ox_flat_open(&ox, fd, &pkg)) == QUIRE_UNSUPPORTED)
		r = ox_zip_open(&ox, fd);
	if (r != QUIRE_OK) {
		free(pkg);
		return r;
	}
	r = ox_read_package(&ox);
	ox_zip_close(&ox);
	free(pkg);
	if (r != QUIRE_OK)
		return r;
	if (ox.err)
		return ox.err;
	return ox.wrote ? QUIRE_OK : QUIRE_EMPTY;
}

static enum quire_result ox_init(const struct quire_host *host, void **state)
{
	/* Before the sandbox: libxml2's one-time setup. No xmlCleanupParser
	 * in fini: other plugins in the process may still use libxml2. */
	xmlInitParser();
	pc_ole_init(host, "ooxml");
	*state = NULL;
	return QUIRE_OK;
}

static const struct quire_plugin ooxml_plugin = {
	.abi = QUIRE_PLUGIN_ABI,
	.size = sizeof(struct quire_plugin),
	.name = "ooxml",
	.version = "1.0",
	.mime_types = ox_mime_types,
	.extensions = ox_extensions,
	.sniff = ox_sniff,
	.init = ox_init,
	.extract = ox_extract,
	.fini = NULL,
};

const struct quire_plugin *quire_plugin_entry(void)
{
	return &ooxml_plugin;
}
