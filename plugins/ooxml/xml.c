/* xml.c: libxml2's streaming reader over a counted zip entry, and the
 * capped text buffers the walkers fill. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "zipguard.h"
#include "xml.h"

static int xml_read(void *ctx, char *buf, int len)
{
	long got = ox_entry_read(ctx, buf, (size_t)len);

	return got < 0 ? -1 : (int)got;
}

static int xml_close(void *ctx)
{
	return 0;
}

static void xml_quiet(void *arg, const char *msg, xmlParserSeverities s, xmlTextReaderLocatorPtr loc)
{
}

xmlTextReaderPtr ox_xml_open(struct ox *ox, const char *name, struct ox_entry *e)
{
	xmlTextReaderPtr r;

	memset(e, 0, sizeof *e);  /* ox_xml_close is safe whatever happens */
	if (ox->err || ox_entry_open(ox, name, e) < 0)
		return NULL;
	/* No XML_PARSE_NOENT (entities stay references), no DTDLOAD or
	 * DTDATTR, never XML_PARSE_HUGE: libxml2's own size limits hold. */
	r = xmlReaderForIO(xml_read, xml_close, e, name, NULL,
			   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (!r) {
		ox_entry_close(e);
		ox->err = QUIRE_ERROR;
		return NULL;
	}
	xmlTextReaderSetErrorHandler(r, xml_quiet, NULL);
	return r;
}

void ox_xml_close(xmlTextReaderPtr r, struct ox_entry *e)
{
	if (r)
		xmlFreeTextReader(r);
	ox_entry_close(e);
}

int ox_xml_next(struct ox *ox, xmlTextReaderPtr r, int skip)
{
	int ret;

	if (ox->err)
		return 0;
	ret = skip ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
	if (ret == 1 && xmlTextReaderNodeType(r) == XML_READER_TYPE_DOCUMENT_TYPE) {
		ox->host->log(QUIRE_LOG_WARNING, "ooxml: DOCTYPE refused in a part");
		ox->err = QUIRE_CORRUPT;
		return 0;
	}
	if (ret < 0 && !ox->err)
		ox->err = QUIRE_CORRUPT;
	return ret == 1;
}

char *ox_attr(xmlTextReaderPtr r, const char *local)
{
	char *v = NULL;

	if (xmlTextReaderMoveToFirstAttribute(r) != 1)
		return NULL;
	do {
		const char *n = (const char *)xmlTextReaderConstLocalName(r);

		if (n && strcmp(n, local) == 0) {
			v = (char *)xmlTextReaderValue(r);
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(r) == 1);
	xmlTextReaderMoveToElement(r);
	return v;
}

char *ox_attr_rid(xmlTextReaderPtr r)
{
	static const char *const ns[] = {
		"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
		"http://purl.oclc.org/ooxml/officeDocument/relationships",  /* Strict */
	};
	char *v = NULL;

	for (size_t i = 0; i < sizeof ns / sizeof ns[0] && !v; i++)
		v = (char *)xmlTextReaderGetAttributeNs(r, BAD_CAST "id", BAD_CAST ns[i]);
	return v;
}

int ox_is(xmlTextReaderPtr r, int type, const char *local)
{
	const char *n;

	if (xmlTextReaderNodeType(r) != type)
		return 0;
	n = (const char *)xmlTextReaderConstLocalName(r);
	return n && strcmp(n, local) == 0;
}

int ox_buf_add(struct ox *ox, struct pbuf *b, const char *s, size_t n)
{
	int r;

	b->max = ox->max_text ? ox->max_text - 1 : 0;   /* and its NUL */
	r = pbuf_add(b, s, n);
	if (r == PBUF_CAP)
		ox->err = QUIRE_TOO_LARGE;
	else if (r == PBUF_NOMEM)
		ox->err = QUIRE_ERROR;
	return r ? -1 : 0;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int ox_buf_trim(struct pbuf *b)
{
	size_t start = 0;

	while (b->n && is_space((unsigned char)b->p[b->n - 1]))
		b->n--;
	while (start < b->n && is_space((unsigned char)b->p[start]))
		start++;
	if (start) {
		memmove(b->p, b->p + start, b->n - start);
		b->n -= start;
	}
	if (b->p)
		b->p[b->n] = '\0';
	return b->n > 0;
}

int ox_lo_prompt(const struct pbuf *b)
{
	if (b->n < 3 || b->p[0] != '<' || b->p[b->n - 1] != '>')
		return 0;
	for (size_t i = 1; i + 1 < b->n; i++)
		if (!((b->p[i] >= 'a' && b->p[i] <= 'z') || b->p[i] == '/' || b->p[i] == '-'))
			return 0;
	return 1;
}
