/* test_split.c: the structure-aware chunker (src/pipeline/split.c, chunk_*.c):
 * section paths, pages, tables split with their header repeated, no cut
 * inside a word, sentence-first cuts, whole-sentence overlap, exact
 * offsets, token and word counts, pre-processing, rule validation, CJK,
 * caps and error paths. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "tap.h"
#include "pipeline/split.h"
#include "pipeline/chunk_text.h"
#include "pipeline/chunk_rule.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct qerr qe;

#define PLAIN(r) ((r).plain ? (r).plain : "")

static json_t *rule(int max_tokens, int overlap)
{
	return json_pack("{s:s, s:i, s:i, s:b, s:b}", "separator", "\n\n", "max_tokens", max_tokens,
			 "chunk_overlap", overlap, "remove_extra_spaces", 1, "remove_urls_emails", 0);
}

static int blocks(const char *jsonl, json_t *r, struct split_result *out)
{
	int st = split_blocks(jsonl, strlen(jsonl), r, out, &qe);
	json_decref(r);
	return st;
}

static int text(const char *s, json_t *r, struct split_result *out)
{
	int st = split_text(s, strlen(s), r, out, &qe);
	json_decref(r);
	return st;
}

/* Chunk i, or an empty one when there is no such chunk (a failing check,
 * not a crash). */
static const struct split_chunk *at(const struct split_result *r, size_t i)
{
	static const struct split_chunk none = { .text = "", .section = "" };
	return i < r->n ? &r->v[i] : &none;
}

/* Byte offset of every code point of plain, and of its end (new). */
static size_t *cp_index(const char *plain, size_t n)
{
	size_t *ix = malloc((n + 1) * sizeof *ix), c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)plain[i] & 0xc0) != 0x80)
			ix[c++] = i;
	ix[c] = n;
	return ix;
}

/* What a split result should always satisfy. */
struct props {
	int exact;       /* text is plain[start, end) (after a repeated header) */
	int whole;       /* no chunk starts or ends inside a word */
	int within;      /* tokens within max (no long rows in these inputs) */
	int counted;     /* tokens and words as split_count gives for the text */
	int covered;     /* every character of plain is in some chunk */
	int ordered;     /* chunks start in order */
};

/* ASCII letters and digits: the generated texts' words (an ideograph is a
 * word of its own, so any cut between two is whole). */
static int word_char(char c)
{
	return isalnum((unsigned char)c);
}

static struct props check(const struct split_result *r, size_t max)
{
	struct props p = {1, 1, 1, 1, 1, 1};
	size_t *ix = cp_index(r->plain, r->plain_len), reach = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct split_chunk *c = &r->v[i];
		size_t a = ix[c->start], b = ix[c->end], len = strlen(c->text), t, w;
		p.exact &= len >= b - a && !memcmp(c->text + len - (b - a), r->plain + a, b - a);
		p.exact &= len == b - a || c->text[len - (b - a) - 1] == '\n';
		p.whole &= (a == 0 || !word_char(r->plain[a - 1]) || !word_char(r->plain[a])) &&
			   (b == r->plain_len || !word_char(r->plain[b]) || !word_char(r->plain[b - 1]));
		p.within &= c->tokens <= max;
		split_count(c->text, len, &t, &w);
		p.counted &= t == c->tokens && w == c->words;
		for (size_t k = reach; k < a; k++)
			if (!isspace((unsigned char)r->plain[k]))
				p.covered = 0, diag("chunk %zu: byte %zu not covered", i, k);
		if (b > reach)
			reach = b;
		p.ordered &= i == 0 || c->start > r->v[i - 1].start;
	}
	if (reach != r->plain_len)
		diag("covered up to %zu of %zu", reach, r->plain_len);
	p.covered &= reach == r->plain_len;
	free(ix);
	return p;
}

static void is_props(struct props p, const char *what)
{
	if (!(p.exact && p.whole && p.within && p.counted && p.covered && p.ordered))
		diag("%s: exact %d whole %d within %d counted %d covered %d ordered %d", what,
		     p.exact, p.whole, p.within, p.counted, p.covered, p.ordered);
	ok(p.exact, "%s: each chunk's text is plain[start, end)", what);
	ok(p.whole && p.within, "%s: no chunk starts or ends inside a word, all within max", what);
	ok(p.counted && p.covered && p.ordered,
	   "%s: counts match the text, chunks in order, nothing lost", what);
}

/* ---- structure ------------------------------------------------------------- */

/* Page headers, footnotes and embedded documents: their text is cited under
 * the part's name or its own headings, never under the body's last
 * heading, and the body's headings come back after them. */
static void test_parts(void)
{
	struct split_result r;
	const char *in =
		"{\"t\":\"page\",\"n\":1}\n"
		"{\"t\":\"h\",\"level\":1,\"text\":\"Report\"}\n"
		"{\"t\":\"p\",\"text\":\"Body of the report.\"}\n"
		"{\"t\":\"h\",\"level\":2,\"text\":\"Results\"}\n"
		"{\"t\":\"p\",\"text\":\"The results in short.\"}\n"
		"{\"t\":\"embed\",\"depth\":1,\"type\":\"xls\"}\n"
		"{\"t\":\"page\",\"n\":3}\n"
		"{\"t\":\"h\",\"level\":1,\"text\":\"Sheet1\"}\n"
		"{\"t\":\"row\",\"cells\":[\"a\",\"1\"],\"header\":false}\n"
		"{\"t\":\"embed_end\",\"depth\":1}\n"
		"{\"t\":\"p\",\"text\":\"After the embedded sheet.\"}\n"
		"{\"t\":\"part\",\"name\":\"header\"}\n"
		"{\"t\":\"p\",\"text\":\"Running header of page one.\"}\n"
		"{\"t\":\"part\",\"name\":\"footnotes\"}\n"
		"{\"t\":\"p\",\"text\":\"A footnote's text.\"}\n"
		"{\"t\":\"part\",\"name\":\"body\"}\n"
		"{\"t\":\"p\",\"text\":\"A chart's title, back in the body.\"}\n";
	is_int(blocks(in, rule(500, 0), &r), Q_OK, "blocks with parts and an embed split");
	is_int((long long)r.n, 7, "each part and each return starts a chunk (7 chunks)");
	is_str(at(&r, 1)->section, "Report > Results", "body text under its headings");
	is_str(at(&r, 2)->section, "Sheet1", "an embedded document's text under its own heading");
	is_str(at(&r, 3)->section, "Report > Results",
	       "the embedding's headings come back after the embedded document");
	is_str(at(&r, 3)->text, "After the embedded sheet.", "and its text starts a chunk");
	is_int(at(&r, 2)->page, 3, "the embedded workbook's sheet is its page");
	is_int(at(&r, 3)->page, 1, "the embedding's page comes back after it");
	is_str(at(&r, 4)->section, "Header", "a page header is not under the last heading");
	is_str(at(&r, 4)->text, "Running header of page one.", "the header alone in its chunk");
	is_str(at(&r, 5)->section, "Footnotes", "footnotes under their own name");
	is_str(at(&r, 6)->section, "Report > Results", "the body's headings back after the parts");
	is_props(check(&r, 500), "parts");
	split_result_free(&r);

	is_int(blocks("{\"t\":\"part\"}\n", NULL, &r), Q_EINVAL, "a part without a name is refused");
	split_result_free(&r);
	is_int(blocks("{\"t\":\"embed\",\"depth\":1}\n{\"t\":\"part\",\"name\":\"header\"}\n"
		      "{\"t\":\"p\",\"text\":\"Header of an embedded doc.\"}\n"
		      "{\"t\":\"embed_end\",\"depth\":1}\n{\"t\":\"embed_end\",\"depth\":1}\n"
		      "{\"t\":\"part\",\"name\":\"body\"}\n{\"t\":\"p\",\"text\":\"Tail.\"}\n",
		      NULL, &r), Q_OK, "an embedded document's part, an unmatched end, a stray body");
	ok(r.n >= 1 && !strcmp(at(&r, 0)->section, ""),
	   "an embedded document's parts keep the embedding's section (%s)", at(&r, 0)->section);
	split_result_free(&r);
}

static void test_sections_pages(void)
{
	struct split_result r;
	const char *in =
		"{\"t\":\"doc\",\"mime\":\"x\",\"plugin\":\"x\",\"size\":1}\n"
		"{\"t\":\"meta\",\"key\":\"title\",\"value\":\"Pump\"}\n"
		"{\"t\":\"page\",\"n\":1}\n"
		"{\"t\":\"h\",\"level\":1,\"text\":\"Manual\"}\n"
		"{\"t\":\"p\",\"text\":\"Intro text about the pump.\"}\n"
		"{\"t\":\"h\",\"level\":2,\"text\":\"Install\"}\n"
		"{\"t\":\"p\",\"text\":\"Bolt it down.\"}\n"
		"{\"t\":\"page\",\"n\":2}\n"
		"{\"t\":\"h\",\"level\":3,\"text\":\"Wiring\"}\n"
		"{\"t\":\"li\",\"level\":1,\"text\":\"red to L1\"}\n"
		"{\"t\":\"li\",\"level\":2,\"text\":\"blue to N\"}\n"
		"{\"t\":\"ocr\",\"confidence\":93}\n"
		"{\"t\":\"h\",\"level\":2,\"text\":\"Service\"}\n"
		"{\"t\":\"h\",\"level\":3,\"text\":\"Yearly\"}\n"
		"{\"t\":\"p\",\"text\":\"Every year.\"}\n"
		"{\"t\":\"end\",\"result\":\"ok\",\"truncated\":false,\"bytes\":10}\n";
	is_int(blocks(in, rule(500, 0), &r), Q_OK, "blocks split");
	is_int((long long)r.n, 4, "a heading after content starts a chunk (4 chunks)");
	is_str(at(&r, 0)->section, "Manual", "first chunk: section Manual");
	is_str(at(&r, 1)->section, "Manual > Install", "second: Manual > Install");
	is_str(at(&r, 2)->section, "Manual > Install > Wiring", "third: nested path");
	is_str(at(&r, 3)->section, "Manual > Service > Yearly",
	       "a level-2 heading replaces levels 2 and 3; headings in a row stay together");
	ok(!strcmp(at(&r, 3)->text, "Service\n\nYearly\n\nEvery year."),
	   "the two headings lead their chunk");
	is_int(at(&r, 0)->page, 1, "page of the first chunk");
	is_int(at(&r, 1)->page, 1, "page of the second chunk");
	is_int(at(&r, 2)->page, 2, "page of the third chunk (after a page break)");
	ok(strstr(at(&r, 2)->text, "- red to L1\n  - blue to N") != NULL,
	   "list items: one per line, nested ones indented");
	ok(strstr(PLAIN(r), "Manual\n\nIntro text about the pump.\n\nInstall") != NULL,
	   "plain text: blocks joined by blank lines");
	is_props(check(&r, 500), "sections");
	split_result_free(&r);

	const char *md = "# Title\n\nSome text.\n\n## Part\n\n- one\n- two\n\n# Next\n## Sub\n\nMore.";
	is_int(text(md, NULL, &r), Q_OK, "markdown-ish plain text");
	ok(r.n == 3 && !strcmp(at(&r, 1)->section, "Title > Part") &&
	   !strcmp(at(&r, 1)->text, "Part\n\n- one\n- two"), "'#' headings and '-' items (%s)",
	   r.n > 1 ? at(&r, 1)->text : "");
	ok(r.n == 3 && !strcmp(at(&r, 2)->section, "Next > Sub"), "plain text: heading levels by '#'");
	is_int(at(&r, 0)->page, 0, "plain text has no pages: page 0");
	split_result_free(&r);

	const char *fence = "Code:\n\n```\n# not a heading\n```\n\nAfter.";
	is_int(text(fence, NULL, &r), Q_OK, "a fenced block");
	ok(r.n == 1 && !strcmp(at(&r, 0)->section, "") && strstr(at(&r, 0)->text, "# not a heading"),
	   "'#' inside ``` is text, not a heading");
	split_result_free(&r);
}

static char *table_doc(int rows, int header)
{
	char *in = malloc((size_t)rows * 120 + 400);
	size_t o = 0;
	o += (size_t)sprintf(in + o, "{\"t\":\"p\",\"text\":\"Parts list follows.\"}\n");
	o += (size_t)sprintf(in + o, "{\"t\":\"row\",\"cells\":[\"Part\",\"Qty\",\"Note\"],"
			     "\"header\":%s}\n", header ? "true" : "false");
	for (int i = 0; i < rows; i++)
		o += (size_t)sprintf(in + o, "{\"t\":\"row\",\"cells\":[\"gasket %d\",\"%d\",\"replace "
				     "every service interval\"],\"header\":false}\n", i, i);
	sprintf(in + o, "{\"t\":\"p\",\"text\":\"After the table.\"}\n");
	return in;
}

static void test_table(void)
{
	struct split_result r;
	char *in = table_doc(80, 1);
	is_int(blocks(in, rule(60, 20), &r), Q_OK, "table splits");
	ok(r.n >= 8, "a long table makes several chunks (%zu)", r.n);
	int headers = 1, whole = 1, rows_seen = 0, overlap_rows = 0;
	for (size_t i = 0; i < r.n; i++) {
		if (!strstr(r.v[i].text, "gasket"))
			continue;
		rows_seen++;
		headers &= !strncmp(r.v[i].text, "Part | Qty | Note\n", 18) ||
			   strstr(r.v[i].text, "\n\nPart | Qty | Note\n") != NULL;
		/* every line with "gasket" is a whole row */
		for (char *p = r.v[i].text; (p = strstr(p, "gasket")); p++) {
			char *eol = strchr(p, '\n');
			size_t len = eol ? (size_t)(eol - p) : strlen(p);
			whole &= (p == r.v[i].text || p[-1] == '\n') && len > 20 &&
				 !strncmp(p + len - 8, "interval", 8);
		}
		if (i > 0 && r.v[i].start < r.v[i - 1].end)
			overlap_rows++;
	}
	ok(rows_seen >= 7, "rows spread over chunks");
	ok(headers, "each chunk of the table repeats its header row");
	ok(whole, "no row is cut: rows are whole lines");
	ok(overlap_rows > 0, "overlap repeats whole rows (%d chunks)", overlap_rows);
	ok(strstr(at(&r, r.n - 1)->text, "After the table.") != NULL, "text after the table kept");
	ok(strstr(PLAIN(r), "Part | Qty | Note\ngasket 0 | 0 | replace") != NULL,
	   "plain text: rows on lines, cells joined by ' | '");
	is_props(check(&r, 60), "table");
	split_result_free(&r);
	free(in);

	in = table_doc(80, 0);
	is_int(blocks(in, rule(60, 0), &r), Q_OK, "a table without a header row");
	int repeated = 0;
	for (size_t i = 1; i < r.n; i++)
		repeated += strstr(r.v[i].text, "Part | Qty") != NULL;
	is_int(repeated, 0, "no header row: nothing repeated");
	split_result_free(&r);
	free(in);

	const char *two = "{\"t\":\"row\",\"cells\":[\"A\",\"B\"],\"header\":true}\n"
			  "{\"t\":\"row\",\"cells\":[\"1\",\"2\"],\"header\":false}\n"
			  "{\"t\":\"row\",\"cells\":[\"C\",\" \\n D \"],\"header\":true}\n"
			  "{\"t\":\"row\",\"cells\":[\"\",\"\"],\"header\":false}\n"
			  "{\"t\":\"row\",\"cells\":[\"3\",\"4\"],\"header\":false}\n";
	is_int(blocks(two, rule(500, 0), &r), Q_OK, "two tables in a row");
	is_str(r.plain, "A | B\n1 | 2\n\nC | D\n3 | 4",
	       "a header after body rows starts a new table; empty rows dropped, cells trimmed");
	split_result_free(&r);
}

/* ---- long text: words, sentences, overlap -------------------------------- */

static const char *words[] = { "pump", "valve", "pressure", "seal", "bearing", "impeller",
			       "casing", "rotation", "maintenance", "inspection" };

static char *long_text(int sentences, unsigned seed)
{
	char *s = malloc((size_t)sentences * 200 + 1);
	size_t o = 0;
	for (int i = 0; i < sentences; i++) {
		int n = 5 + (int)(seed % 9);
		for (int w = 0; w < n; w++) {
			seed = seed * 1103515245u + 12345u;
			o += (size_t)sprintf(s + o, "%s%s", w ? " " : (i ? " " : ""),
					     words[(seed >> 16) % 10]);
		}
		o += (size_t)sprintf(s + o, "%s", i % 17 == 16 ? ".\n\n" : i % 5 == 4 ? "?" : ".");
	}
	s[o] = '\0';
	return s;
}

static void test_long_text(void)
{
	char *t = long_text(400, 7);
	int maxes[] = { 50, 80, 120, 300, 1000 }, all = 1, ends = 1, total = 0;
	for (int m = 0; m < 5; m++) {
		struct split_result r;
		if (text(t, rule(maxes[m], maxes[m] / 5), &r) != Q_OK) {
			all = 0;
			continue;
		}
		struct props p = check(&r, (size_t)maxes[m]);
		all &= p.exact && p.whole && p.within && p.counted && p.covered && p.ordered;
		for (size_t i = 0; i < r.n; i++) {
			char last = r.v[i].text[strlen(r.v[i].text) - 1];
			ends &= last == '.' || last == '?';
		}
		total += (int)r.n;
		split_result_free(&r);
	}
	ok(total > 20, "long text split with five max_tokens (%d chunks)", total);
	ok(all, "exact offsets, whole words, within max, nothing lost: every max_tokens");
	ok(ends, "cuts fall at sentence ends when sentences fit");

	/* the same text with every second sentence far too long for max */
	size_t n = strlen(t);
	char *joined = strdup(t);
	for (size_t i = 0; i < n; i++)
		if ((joined[i] == '.' || joined[i] == '?') && (i / 200) % 2)
			joined[i] = ',';
	for (int m = 0; m < 3; m++) {
		struct split_result r;
		is_int(text(joined, rule(maxes[m], maxes[m] / 4), &r), Q_OK,
		       "run-on sentences, max_tokens %d", maxes[m]);
		struct props p = check(&r, (size_t)maxes[m]);
		ok(p.exact && p.whole && p.within && p.counted && p.covered,
		   "run-on sentences cut at spaces, never inside a word (max %d, %zu chunks)",
		   maxes[m], r.n);
		split_result_free(&r);
	}
	free(joined);

	struct split_result r;
	is_int(text(t, rule(60, 20), &r), Q_OK, "overlap run");
	size_t *ix = cp_index(r.plain, r.plain_len);
	int overlaps = 0, sentence = 1, budget = 1;
	for (size_t i = 1; i < r.n; i++) {
		if (r.v[i].start >= r.v[i - 1].end)
			continue;
		overlaps++;
		/* the repeated part starts a sentence and ends where the previous chunk does */
		size_t a = ix[r.v[i].start], b = ix[r.v[i - 1].end], tok, w;
		sentence &= r.v[i].start > r.v[i - 1].start &&
			    (r.plain[a - 1] == ' ' || r.plain[a - 1] == '\n') &&
			    (r.plain[a - 2] == '.' || r.plain[a - 2] == '?' || r.plain[a - 2] == '\n');
		sentence &= r.plain[b - 1] == '.' || r.plain[b - 1] == '?';
		split_count(r.plain + a, b - a, &tok, &w);
		budget &= tok <= 20;
	}
	ok(overlaps > (int)r.n / 2, "most chunks repeat the previous one's end (%d of %zu)",
	   overlaps, r.n);
	ok(sentence, "the overlap is whole sentences");
	ok(budget, "the overlap is at most chunk_overlap tokens");
	free(ix);
	split_result_free(&r);

	is_int(text(t, rule(60, 0), &r), Q_OK, "no overlap run");
	int none = 1;
	for (size_t i = 1; i < r.n; i++)
		none &= r.v[i].start >= r.v[i - 1].end;
	ok(none, "chunk_overlap 0: chunks do not overlap");
	split_result_free(&r);
	free(t);

	/* Sentences of about 30 tokens, so max 50 holds one: a cut inside one
	 * (after "e.g.", "Dr.", an initial or in "3.14") would show as a chunk
	 * starting elsewhere. */
	const char *abbr[] = {
		"Replace the seal with a new part of the same size, e.g. the red one from the "
		"kit in the drawer under the bench.",
		"Ask Dr. Smith or J. Doe for the key to the store room before you start any work "
		"on the pump in the basement.",
		"The ratio is 3.14 to one for this model, and the seal must sit flat on the "
		"casing before you say \"done.\"",
	};
	char *many = malloc(20000);
	many[0] = '\0';
	for (int i = 0; i < 30; i++)
		strcat(many, abbr[i % 3]), strcat(many, " ");
	is_int(text(many, rule(50, 0), &r), Q_OK, "sentences with abbreviations");
	int clean_cuts = r.n == 30;
	for (size_t i = 0; i < r.n; i++)
		clean_cuts &= !strcmp(r.v[i].text, abbr[i % 3]);
	ok(clean_cuts, "one sentence a chunk: no cut after 'e.g.', 'Dr.', 'J.' or inside '3.14'; "
	   "a closing quote stays with its sentence (%zu chunks)", r.n);
	split_result_free(&r);
	free(many);
}

static void test_long_word_and_counts(void)
{
	struct split_result r;
	char *s = malloc(5001);
	memset(s, 'a', 5000);
	s[5000] = '\0';
	is_int(text(s, rule(50, 0), &r), Q_OK, "one 5000-letter word");
	size_t sum = 0;
	for (size_t i = 0; i < r.n; i++)
		sum += strlen(r.v[i].text);
	ok(r.n > 1 && sum == 5000, "cut at character boundaries, nothing lost (%zu chunks)", r.n);
	struct props lw = check(&r, 50);
	ok(lw.exact && lw.within && lw.counted && lw.covered, "long word: exact, within max, "
	   "nothing lost");
	split_result_free(&r);
	free(s);

	size_t t, w;
	split_count("The pump's seal, replaced.", 26, &t, &w);
	is_int((long long)w, 4, "words: white-space separated (The, pump's, seal, replaced)");
	is_int((long long)t, 9, "tokens: 4 short words and 's', 'replaced' (8 letters) 2, 3 marks");
	split_count("internationalization", 20, &t, &w);
	is_int((long long)t, 4, "a 20-letter word counts 1 + 19/6 tokens");
	split_count("a | b - c", 9, &t, &w);
	is_int((long long)w, 3, "marks standing alone are not words");
	split_count("東京都三鷹市", strlen("東京都三鷹市"), &t, &w);
	is_int((long long)w, 6, "CJK: one word per ideograph");
	is_int((long long)t, 6, "CJK: one token per ideograph");
	split_count("Tokyo東京", strlen("Tokyo東京"), &t, &w);
	is_int((long long)w, 3, "a Latin word before ideographs: three words");
}

static void test_cjk(void)
{
	struct split_result r;
	char t[8192] = "";
	for (int i = 0; i < 60; i++)
		strcat(t, "東京都三鷹市に住んでいます。");
	is_int(text(t, rule(50, 10), &r), Q_OK, "CJK text splits");
	int ends = 1;
	for (size_t i = 0; i < r.n; i++) {
		size_t len = strlen(r.v[i].text);
		ends &= len >= 3 && !strcmp(r.v[i].text + len - 3, "。");
	}
	ok(r.n > 3 && ends, "CJK chunks end at 。 (%zu chunks)", r.n);
	is_props(check(&r, 50), "CJK");
	is_int((long long)at(&r, 0)->words, (long long)at(&r, 0)->tokens - (long long)at(&r, 0)->tokens / 14,
	       "CJK words: one per character, the 。 not a word");
	split_result_free(&r);

	char *nopunct = malloc(3 * 3000 + 1);
	for (int i = 0; i < 3000; i++)
		memcpy(nopunct + 3 * i, "語", 3);
	nopunct[9000] = '\0';
	is_int(text(nopunct, rule(100, 0), &r), Q_OK, "3000 ideographs, no punctuation");
	ok(r.n == 30, "cut every 100 characters on character boundaries (%zu chunks)", r.n);
	is_props(check(&r, 100), "CJK run");
	split_result_free(&r);
	free(nopunct);
}

/* ---- rules ---------------------------------------------------------------- */

static void test_preprocessing(void)
{
	struct split_result r;
	const char *t = "Write to   help@example.com or see https://example.com/x   now.";
	is_int(text(t, json_pack("{s:b, s:b}", "remove_extra_spaces", 1, "remove_urls_emails", 1),
		    &r), Q_OK, "pre-processing on");
	is_str(at(&r, 0)->text, "Write to or see now.", "URLs, e-mail and extra spaces removed");
	split_result_free(&r);
	text(t, json_pack("{s:b, s:b}", "remove_extra_spaces", 0, "remove_urls_emails", 0), &r);
	is_str(at(&r, 0)->text, t, "pre-processing off: text unchanged");
	split_result_free(&r);
	text(t, json_pack("{s:b, s:b}", "remove_extra_spaces", 1, "remove_urls_emails", 0), &r);
	is_str(at(&r, 0)->text, "Write to help@example.com or see https://example.com/x now.",
	       "only extra spaces removed");
	split_result_free(&r);

	const char *sp = "tabs\t\tand\u00a0\u00a0spaces\nline\n\n\n\n\nfar";
	json_t *dify = json_loads("{\"mode\":\"custom\",\"rules\":{\"pre_processing_rules\":"
				  "[{\"id\":\"remove_extra_spaces\",\"enabled\":true}],"
				  "\"segmentation\":{\"separator\":\"###\",\"max_tokens\":100,"
				  "\"chunk_overlap\":0}}}", 0, NULL);
	is_int(text(sp, dify, &r), Q_OK, "a Dify rule used directly");
	is_str(at(&r, 0)->text, "tabs and spaces\nline\n\nfar",
	       "runs of spaces to one, 3+ newlines to 2 (one block: the separator is ###)");
	split_result_free(&r);

	const char *links = "See (https://x.org/a) and <me@x.org>, or www.x.org.";
	text(links, json_pack("{s:b, s:b}", "remove_extra_spaces", 1, "remove_urls_emails", 1), &r);
	is_str(at(&r, 0)->text, "See () and <>, or .", "URLs in brackets end at the bracket");
	split_result_free(&r);

	const char *custom = "alpha|||beta|||gamma";
	text(custom, json_pack("{s:s, s:i, s:i}", "separator", "|||", "max_tokens", 50,
			       "chunk_overlap", 0), &r);
	ok(r.n == 1 && !strcmp(at(&r, 0)->text, "alpha\n\nbeta\n\ngamma"),
	   "a custom separator cuts the text into paragraphs");
	split_result_free(&r);

	/* Dify's order: pieces at the separator, merged up to max_tokens */
	char para[4000] = "";
	for (int i = 0; i < 12; i++)
		strcat(para, "one two three four five six seven eight nine ten.\n");
	is_int(text(para, json_pack("{s:s, s:i, s:i}", "separator", "\n", "max_tokens", 50,
				    "chunk_overlap", 0), &r), Q_OK, "separator \\n");
	ok(r.n == 3 && at(&r, 0)->tokens == 44, "12 lines of 11 tokens merged 4 a chunk (%zu chunks)",
	   r.n);
	split_result_free(&r);

	const char *crlf = "Line one.\r\n\r\nLine two.\r\n";
	is_int(text(crlf, NULL, &r), Q_OK, "CR LF text");
	is_str(r.plain, "Line one.\n\nLine two.", "CR LF line ends as LF");
	split_result_free(&r);

	const char *kb = "<h1>not parsed</h1>\n\nDie Pumpe ist nicht mit dem Netz verbunden und "
			 "wird von der Wartung geprüft, weil sie auf dem Dach steht.";
	is_int(text(kb, NULL, &r), Q_OK, "German text");
	is_int(r.lang, LANG_DE, "language detected: German");
	split_result_free(&r);
}

static void test_rules(void)
{
	json_t *n = NULL;
	json_t *d = json_loads("{\"mode\":\"custom\",\"rules\":{\"pre_processing_rules\":"
			       "[{\"id\":\"remove_urls_emails\",\"enabled\":true}],"
			       "\"segmentation\":{\"separator\":\"\\\\n\",\"max_tokens\":300,"
			       "\"chunk_overlap\":30}}}", 0, NULL);
	is_int(split_rule_check(d, &n, &qe), 0, "a Dify rule is accepted");
	is_str(json_string_value(json_object_get(n, "separator")), "\n", "literal \\n unescaped");
	is_int(json_integer_value(json_object_get(n, "max_tokens")), 300, "max_tokens kept");
	ok(json_is_true(json_object_get(n, "remove_urls_emails")) &&
	   json_is_false(json_object_get(n, "remove_extra_spaces")),
	   "pre-processing list: listed ones as given, the others off");
	json_t *back = split_rule_dify(n);
	json_t *seg = json_object_get(json_object_get(back, "rules"), "segmentation");
	is_int(json_integer_value(json_object_get(seg, "chunk_overlap")), 30,
	       "stored rule shown in Dify's shape");
	json_t *again = NULL;
	ok(split_rule_check(back, &again, &qe) == 0 && json_equal(again, n),
	   "Dify's shape of a stored rule checks back to the same rule");
	json_decref(again);
	json_decref(back);
	json_decref(n);
	json_decref(d);

	d = json_pack("{s:s}", "mode", "automatic");
	is_int(split_rule_check(d, &n, &qe), 0, "automatic: defaults");
	json_t *def = split_rule_default();
	ok(json_equal(n, def), "automatic is the default rule");
	is_int(json_integer_value(json_object_get(def, "max_tokens")), 500, "default max_tokens 500");
	is_int(json_integer_value(json_object_get(def, "chunk_overlap")), 50, "default overlap 50");
	is_str(json_string_value(json_object_get(def, "separator")), "\n\n",
	       "default separator a blank line");
	json_decref(def);
	json_decref(n);
	json_decref(d);

	struct { const char *json, *needle; } badr[] = {
		{ "{\"rules\":{\"segmentation\":{\"max_tokens\":-5}}}", "max_tokens must" },
		{ "{\"rules\":{\"segmentation\":{\"max_tokens\":100000}}}", "max_tokens must" },
		{ "{\"rules\":{\"segmentation\":{\"max_tokens\":\"500\"}}}", "max_tokens must" },
		{ "{\"rules\":{\"segmentation\":{\"max_tokens\":100,\"chunk_overlap\":100}}}",
		  "chunk_overlap" },
		{ "{\"rules\":{\"segmentation\":{\"chunk_overlap\":-1}}}", "chunk_overlap" },
		{ "{\"rules\":{\"segmentation\":{\"separator\":5}}}", "separator" },
		{ "{\"rules\":{\"segmentation\":{\"separator\":\"\"}}}", "separator" },
		{ "{\"rules\":{\"segmentation\":[1]}}", "segmentation" },
		{ "{\"rules\":{\"pre_processing_rules\":[{\"id\":\"nope\",\"enabled\":true}]}}",
		  "pre_processing_rules[0].id" },
		{ "{\"rules\":{\"pre_processing_rules\":[{\"id\":\"remove_urls_emails\","
		  "\"enabled\":true},{\"id\":\"remove_extra_spaces\",\"enabled\":\"yes\"}]}}",
		  "pre_processing_rules[1].enabled" },
		{ "{\"rules\":{\"pre_processing_rules\":[\"remove_urls_emails\"]}}",
		  "pre_processing_rules[0]" },
		{ "{\"rules\":{\"pre_processing_rules\":{}}}", "pre_processing_rules" },
		{ "{\"mode\":\"hierarchical\"}", "mode" },
		{ "{\"mode\":1}", "mode" },
		{ "{\"mode\":\"custom\",\"rules\":5}", "rules" },
		{ "{\"rules\":{\"segmentation\":{\"colour\":1}}}", "colour" },
		{ "{\"max_tokens\":100,\"remove_urls_emails\":1}", "remove_urls_emails" },
		{ "[1]", "process_rule" },
	};
	int all = 1;
	for (size_t i = 0; i < sizeof badr / sizeof *badr; i++) {
		d = json_loads(badr[i].json, 0, NULL);
		n = (json_t *)1;
		int rc = split_rule_check(d, &n, &qe);
		if (!(rc == Q_EINVAL && n == NULL && strstr(qe.msg, badr[i].needle))) {
			all = 0;
			diag("rule %s: rc %d, error '%s' should name %s", badr[i].json, rc, qe.msg,
			     badr[i].needle);
		}
		json_decref(d);
	}
	ok(all, "%zu bad rules refused, each naming its field", sizeof badr / sizeof *badr);
	d = json_loads("{\"rules\":{\"segmentation\":{\"separator\":\"0123456789012345678901234567"
		       "890123\"}}}", 0, NULL);
	ok(split_rule_check(d, &n, &qe) == Q_EINVAL && strlen(qe.msg) < 200,
	   "messages fit the callers' 200-byte buffers");
	json_decref(d);
}

/* ---- errors and caps -------------------------------------------------------- */

static void test_errors(void)
{
	struct split_result r;
	is_int(split_text("   \n\n  ", 7, NULL, &r, &qe), Q_EINVAL, "no text: an error");
	ok(strstr(qe.msg, "no text") != NULL && r.n == 0 && r.v == NULL, "... saying so (%s)", qe.msg);
	is_int(split_text("", 0, NULL, &r, &qe), Q_EINVAL, "an empty document: an error");
	is_int(blocks("{\"t\":\"doc\",\"mime\":\"x\"}\n{\"t\":\"page\",\"n\":1}\n"
		      "{\"t\":\"p\",\"text\":\"  \"}\n{\"t\":\"end\",\"result\":\"ok\"}\n", NULL, &r),
	       Q_EINVAL, "extraction with no text: an error");
	ok(strstr(qe.msg, "no text") != NULL, "... saying so");
	is_int(blocks("{\"t\":\"p\",\"text\":\"ok\"}\nnot json\n", NULL, &r), Q_EINVAL,
	       "a line that is not JSON: an error");
	ok(strstr(qe.msg, "line 2") != NULL, "... naming the line (%s)", qe.msg);
	is_int(blocks("{\"t\":\"p\",\"text\":\"ok\"}\n{\"t\":\"p\",\"text\":\"trunc", NULL, &r),
	       Q_EINVAL, "a cut last line: an error");
	is_int(blocks("[1,2]\n", NULL, &r), Q_EINVAL, "a line that is not a block: an error");
	is_int(blocks("{\"t\":\"p\",\"text\":7}\n", NULL, &r), Q_EINVAL, "a number as text: an error");
	is_int(blocks("{\"t\":\"row\",\"cells\":\"a\"}\n", NULL, &r), Q_EINVAL,
	       "a row without a cell array: an error");
	is_int(blocks("{\"t\":\"page\",\"n\":-3}\n{\"t\":\"p\",\"text\":\"x\"}\n", NULL, &r),
	       Q_EINVAL, "a negative page number: an error");
	is_int(blocks("{\"t\":\"p\",\"text\":\"ok\"}\r\n{\"t\":\"future\",\"x\":1}\n\n", NULL, &r),
	       Q_OK, "unknown block types and blank lines are skipped");
	split_result_free(&r);

	/* a megabyte completes, as one paragraph without punctuation too */
	char *big = long_text(8000, 3);
	is_int(text(big, rule(500, 50), &r), Q_OK, "1 MB of text splits");
	size_t tok, w;
	split_count(r.plain, r.plain_len, &tok, &w);
	is_int((long long)r.words, (long long)w, "document words counted once (no overlap)");
	is_props(check(&r, 500), "1 MB");
	split_result_free(&r);
	for (size_t i = 0; big[i]; i++)
		if (big[i] == '.' || big[i] == '?' || big[i] == '\n')
			big[i] = ' ';
	is_int(text(big, rule(8192, 100), &r), Q_OK, "1 MB run-on paragraph, max_tokens 8192");
	is_props(check(&r, 8192), "1 MB run-on");
	split_result_free(&r);
	free(big);

	/* the chunk cap: a heading and a line per chunk */
	size_t n = (size_t)SPLIT_MAX_CHUNKS + 1;
	char *many = malloc(n * 10 + 1), *p = many;
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "# h\n\nx\n\n");
	is_int(text(many, NULL, &r), Q_ETOOBIG, "more than %d chunks: too big", SPLIT_MAX_CHUNKS);
	ok(strstr(qe.msg, "chunks") != NULL && r.n == 0, "... saying so (%s)", qe.msg);
	free(many);

	char bad[] = "caf\xe9 au lait \xff. Fine.";
	is_int(text(bad, NULL, &r), Q_OK, "invalid UTF-8 is repaired, not refused");
	ok(strstr(PLAIN(r), "caf\xef\xbf\xbd au") != NULL, "a bad byte becomes U+FFFD");
	is_props(check(&r, 500), "repaired");
	split_result_free(&r);
}

/* split_count's ASCII fast path counts as chunk_count_cp does, code point
 * by code point: every byte alone and after a letter, and mixed texts of
 * ASCII (control characters, NUL included) and UTF-8. */
static void ref_count(const char *s, size_t n, size_t *ntok, size_t *nword)
{
	struct chunk_counter c = {0};
	size_t len;
	for (size_t i = 0; i < n; i += len)
		chunk_count_cp(&c, chunk_utf8(s, n, i, &len));
	*ntok = c.tokens;
	*nword = c.words;
}

static void test_count_fast_path(void)
{
	int bad = 0;
	for (unsigned b = 0; b < 128; b++)
		for (int ctx = 0; ctx < 3; ctx++) {
			char s[8];
			size_t n = 0;
			if (ctx == 1)
				s[n++] = 'a';
			s[n++] = (char)b;
			s[n++] = (char)b;
			if (ctx == 2) {
				s[n++] = 'z';
				s[n++] = (char)b;
			}
			size_t t1, w1, t2, w2;
			split_count(s, n, &t1, &w1);
			ref_count(s, n, &t2, &w2);
			if (t1 != t2 || w1 != w2) {
				diag("byte %u, context %d: %zu/%zu tokens, %zu/%zu words", b, ctx, t1,
				     t2, w1, w2);
				bad++;
			}
		}
	is_int(bad, 0, "split_count: every ASCII byte counted as chunk_count_cp counts it");
	static const char *const pieces[] = {"\xc3\xa9", "\xe4\xb8\xad", "\xe2\x80\x94", "\xc2\xa0",
					     "\xf0\x9f\x98\x80", "\xe3\x80\x80", "\xff"};
	unsigned seed = 12345;
	bad = 0;
	for (int round = 0; round < 50; round++) {
		char s[4096];
		size_t n = 0;
		while (n < sizeof s - 8) {
			seed = seed * 1103515245u + 12345u;
			unsigned r = (seed >> 16) & 0x7fff;
			if (r % 9 == 0) {
				const char *p = pieces[r / 9 % 7];
				memcpy(s + n, p, strlen(p));
				n += strlen(p);
			} else if (r % 3 == 0) {
				s[n++] = (char)(r / 3 % 128);
			} else {
				s[n++] = "abcXYZ019 .,\n-_'"[r / 3 % 17];
			}
		}
		size_t t1, w1, t2, w2;
		split_count(s, n, &t1, &w1);
		ref_count(s, n, &t2, &w2);
		bad += t1 != t2 || w1 != w2;
	}
	is_int(bad, 0, "split_count: 50 mixed texts counted as chunk_count_cp counts them");
}

int main(void)
{
	test_sections_pages();
	test_parts();
	test_table();
	test_long_text();
	test_long_word_and_counts();
	test_count_fast_path();
	test_cjk();
	test_preprocessing();
	test_rules();
	test_errors();
	return done_testing();
}
