/* flat.c: the single-file XML forms of the two package formats, read by
 * turning them into the package they stand for (stored members of a zip
 * in memory), so that every reader of this plugin serves them unchanged:
 * Flat OPC (Word and PowerPoint "XML Document": pkg:package of pkg:part
 * elements, [ECMA-376] and the 2006 xmlPackage namespace) and flat ODF
 * (.fodt, .fods, .fodp: one office:document). Binary parts of Flat OPC
 * (pictures, embedded objects) are left out. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ooxml.h"
#include "zipguard.h"
#include "xml.h"
#include "flat.h"

#define OX_FLAT_PARTS 10000
#define OX_PKG_NS "http://schemas.microsoft.com/office/2006/xmlPackage"
#define OX_ODF_MIME "mimetype=\"application/vnd.oasis.opendocument."

/* A zip being written in memory. */
struct zw {
	zip_source_t *src;
	zip_t *za;
};

static int zw_add(struct ox *ox, struct zw *w, const char *name, const void *data, size_t len)
{
	/* An empty part: libzip does not take a buffer of no bytes. */
	void *copy = len ? malloc(len) : NULL;
	zip_source_t *s;
	zip_int64_t idx;

	if (len && !copy) {
		ox->err = QUIRE_ERROR;
		return -1;
	}
	if (len)
		memcpy(copy, data, len);
	s = zip_source_buffer(w->za, copy, len, len > 0);
	if (!s) {
		free(copy);
		ox->err = QUIRE_ERROR;
		return -1;
	}
	idx = zip_file_add(w->za, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
	if (idx < 0) {
		zip_source_free(s);
		return -1;   /* a name libzip refuses: that part is left out */
	}
	zip_set_file_compression(w->za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	return 0;
}

/* Close the archive and take its bytes: new, caller frees; NULL on error. */
static unsigned char *zw_finish(struct ox *ox, struct zw *w, size_t *len)
{
	unsigned char *out = NULL;
	zip_int64_t n;

	if (zip_close(w->za) < 0) {
		zip_discard(w->za);
		w->za = NULL;
		goto out;
	}
	w->za = NULL;
	if (zip_source_open(w->src) < 0)
		goto out;
	if (zip_source_seek(w->src, 0, SEEK_END) == 0 && (n = zip_source_tell(w->src)) > 0 &&
	    zip_source_seek(w->src, 0, SEEK_SET) == 0 && (out = malloc((size_t)n)) != NULL &&
	    zip_source_read(w->src, out, (zip_uint64_t)n) != n) {
		free(out);
		out = NULL;
	} else if (out)
		*len = (size_t)n;
	zip_source_close(w->src);
out:
	if (!out && !ox->err)
		ox->err = QUIRE_CORRUPT;
	zip_source_free(w->src);
	w->src = NULL;
	return out;
}

static int zw_begin(struct ox *ox, struct zw *w)
{
	zip_error_t ze;

	zip_error_init(&ze);
	w->src = zip_source_buffer_create(NULL, 0, 0, &ze);
	if (w->src) {
		zip_source_keep(w->src);
		w->za = zip_open_from_source(w->src, ZIP_TRUNCATE, &ze);
		if (!w->za) {
			zip_source_free(w->src);   /* the keep */
			zip_source_free(w->src);
			w->src = NULL;
		}
	}
	zip_error_fini(&ze);
	if (!w->za)
		ox->err = QUIRE_ERROR;
	return w->za ? 0 : -1;
}

/* s with & < > " escaped for an attribute, appended to b. */
static void attr_escaped(struct ox *ox, struct pbuf *b, const char *s)
{
	for (; *s; s++) {
		const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" :
				*s == '"' ? "&quot;" : NULL;

		ox_buf_add(ox, b, e ? e : s, e ? strlen(e) : 1);
	}
}

/* One pkg:part: its XML data as a member named by pkg:name, its content
 * type as an Override. */
static void opc_part(struct ox *ox, xmlTextReaderPtr r, struct zw *w, struct pbuf *types)
{
	char *name = ox_attr(r, "name"), *ct = ox_attr(r, "contentType");
	int depth = xmlTextReaderDepth(r);
	xmlChar *xml = NULL;

	while (name && name[0] == '/' && ox_xml_next(ox, r, 0) && xmlTextReaderDepth(r) > depth) {
		if (ox_is(r, XML_READER_TYPE_ELEMENT, "xmlData")) {
			xml = xmlTextReaderReadInnerXml(r);
			break;
		}
		if (ox_is(r, XML_READER_TYPE_ELEMENT, "binaryData"))
			break;
	}
	if (xml)
		xmlTextReaderNext(r);   /* past the part's own elements */
	if (xml && zw_add(ox, w, name + 1, xml, strlen((const char *)xml)) == 0 && ct) {
		ox_buf_add(ox, types, "<Override PartName=\"", 20);
		attr_escaped(ox, types, name);
		ox_buf_add(ox, types, "\" ContentType=\"", 15);
		attr_escaped(ox, types, ct);
		ox_buf_add(ox, types, "\"/>", 3);
	}
	xmlFree(xml);
	xmlFree(name);
	xmlFree(ct);
}

static void flat_opc(struct ox *ox, const unsigned char *doc, size_t len, struct zw *w)
{
	static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns="
				   "\"http://schemas.openxmlformats.org/package/2006/content-types\">";
	struct pbuf types = { 0 };
	xmlTextReaderPtr r = xmlReaderForMemory((const char *)doc, (int)len, "flat.xml", NULL,
						XML_PARSE_NONET | XML_PARSE_NOERROR |
						XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	size_t parts = 0;

	if (!r) {
		ox->err = QUIRE_ERROR;
		return;
	}
	ox_buf_add(ox, &types, head, sizeof head - 1);
	while (ox_xml_next(ox, r, 0) && parts < OX_FLAT_PARTS)
		if (ox_is(r, XML_READER_TYPE_ELEMENT, "part") && xmlTextReaderConstNamespaceUri(r) &&
		    strcmp((const char *)xmlTextReaderConstNamespaceUri(r), OX_PKG_NS) == 0) {
			parts++;
			opc_part(ox, r, w, &types);
		}
	ox_buf_add(ox, &types, "</Types>", 8);
	if (!ox->err)
		zw_add(ox, w, "[Content_Types].xml", types.p, types.n);
	pbuf_free(&types);
	xmlFreeTextReader(r);
}

/* Flat ODF: the document is the package's content.xml (styles, master
 * pages and body in one), its office:mimetype the package's mimetype. */
static void flat_odf(struct ox *ox, const unsigned char *doc, size_t len, struct zw *w)
{
	xmlTextReaderPtr r = xmlReaderForMemory((const char *)doc, (int)len, "flat.xml", NULL,
						XML_PARSE_NONET | XML_PARSE_NOERROR |
						XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	char *mime = NULL;

	if (!r) {
		ox->err = QUIRE_ERROR;
		return;
	}
	while (!mime && ox_xml_next(ox, r, 0))
		if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT) {
			mime = ox_attr(r, "mimetype");
			break;
		}
	xmlFreeTextReader(r);
	if (mime && zw_add(ox, w, "mimetype", mime, strlen(mime)) == 0)
		zw_add(ox, w, "content.xml", doc, len);
	xmlFree(mime);
}

int ox_is_flat(const unsigned char *head, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	if (i >= len || head[i] != '<')
		return 0;
	for (size_t k = i; k < len; k++) {
		if (head[k] != 'h' && head[k] != 'm')
			continue;
		if (len - k >= sizeof OX_PKG_NS - 1 && memcmp(head + k, OX_PKG_NS, sizeof OX_PKG_NS - 1) == 0)
			return 1;
		if (len - k >= sizeof OX_ODF_MIME - 1 &&
		    memcmp(head + k, OX_ODF_MIME, sizeof OX_ODF_MIME - 1) == 0)
			return 2;
	}
	return 0;
}

enum quire_result ox_flat_open(struct ox *ox, int fd, unsigned char **pkg)
{
	/* The file, its parts copied out, and the zip of them are all in
	 * memory at once: a lower cap than a zip's. */
	size_t cap = ox->max_inflated < (64u << 20) ? (size_t)ox->max_inflated : 64u << 20;
	unsigned char *doc = NULL, head[65536];
	size_t len = 0, plen = 0;
	struct stat st;
	struct zw w = { 0 };
	ssize_t got;
	int kind;

	if (fstat(fd, &st) < 0)
		return QUIRE_ERROR;
	if ((unsigned long long)st.st_size > cap || st.st_size > 0x7fffffff)
		return QUIRE_TOO_LARGE;
	got = pread(fd, head, sizeof head, 0);
	kind = got > 0 ? ox_is_flat(head, (size_t)got) : 0;
	if (!kind)
		return QUIRE_UNSUPPORTED;
	len = (size_t)st.st_size;
	doc = malloc(len ? len : 1);
	if (!doc)
		return QUIRE_ERROR;
	if (pread(fd, doc, len, 0) != (ssize_t)len) {
		free(doc);
		return QUIRE_CORRUPT;
	}
	ox->inflated += len;
	if (zw_begin(ox, &w) == 0) {
		if (kind == 1)
			flat_opc(ox, doc, len, &w);
		else
			flat_odf(ox, doc, len, &w);
		if (ox->err) {
			zip_discard(w.za);
			zip_source_free(w.src);
		} else
			*pkg = zw_finish(ox, &w, &plen);
	}
	free(doc);
	if (ox->err || !*pkg)
		return ox->err ? ox->err : QUIRE_CORRUPT;
	return ox_zip_open_mem(ox, *pkg, plen);
}
