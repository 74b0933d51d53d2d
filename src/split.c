/* split.c: glue between extraction, the splitter and ingestion.
 * Interim splitter: paragraphs packed up to max_tokens words; replaced by
 * the structure-aware chunker (chunk.c) when it lands. */
#include "config.h"
#include "split.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void split_result_free(struct split_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].text);
		free(r->v[i].section);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static int add_chunk(struct split_result *r, const char *text, size_t len, size_t start,
		     size_t words)
{
	void *p = realloc(r->v, (r->n + 1) * sizeof *r->v);
	if (!p)
		return -1;
	r->v = p;
	struct split_chunk *c = &r->v[r->n];
	memset(c, 0, sizeof *c);
	c->text = strndup(text, len);
	c->section = strdup("");
	if (!c->text || !c->section)
		return -1;
	c->start = start;
	c->end = start + len;
	c->words = words;
	c->tokens = words + words / 3;
	r->n++;
	return 0;
}

enum qstatus split_text(const char *text, size_t n, json_t *rule, struct split_result *out,
			char *error, size_t errlen)
{
	size_t max_words = 375, start = 0, words = 0;
	json_int_t mt = json_integer_value(json_object_get(rule, "max_tokens"));
	if (mt > 0)
		max_words = (size_t)mt * 3 / 4;
	memset(out, 0, sizeof *out);
	out->lang = text_detect(text, n);
	int in_word = 0;
	size_t last_break = 0;
	for (size_t i = 0; i <= n; i++) {
		int space = i == n || text[i] == ' ' || text[i] == '\n' || text[i] == '\t';
		if (!space && !in_word)
			words++;
		in_word = !space;
		if (i < n && text[i] == '\n' && i + 1 < n && text[i + 1] == '\n')
			last_break = i;
		if (words > max_words || i == n) {
			size_t end = (i < n && last_break > start) ? last_break : i;
			while (start < end && strchr(" \n\t\r", text[start]))
				start++;
			if (end > start && add_chunk(out, text + start, end - start, start, words) < 0) {
				snprintf(error, errlen, "out of memory");
				return Q_ENOMEM;
			}
			start = end;
			i = end;
			words = 0;
			in_word = 0;
			last_break = start;
		}
	}
	return Q_OK;
}

enum qstatus ingest_extract(const struct qconf *conf, json_t *doc, struct split_result *out,
			   int64_t *stage_us, char *error, size_t errlen)
{
	memset(out, 0, sizeof *out);
	snprintf(error, errlen, "extraction of uploaded files is not available in this build");
	return Q_EMEDIA;
}
