/* test_split.c: the structure-aware chunker (src/split.c): section paths,
 * pages, tables split with their header repeated, no cut inside a word,
 * sentence-first cuts, whole-unit overlap, exact offsets, token counts,
 * pre-processing, rule validation, CJK, and error paths. */
#include "config.h"
#include "tap.h"
#include "split.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char err[256];

static json_t *rule(int max_tokens, int overlap)
{
	return json_pack("{s:s, s:i, s:i, s:b, s:b}", "separator", "\n\n", "max_tokens", max_tokens,
			 "chunk_overlap", overlap, "remove_extra_spaces", 1, "remove_urls_emails", 0);
}

static int blocks(const char *jsonl, json_t *r, struct split_result *out)
{
	int st = split_blocks(jsonl, strlen(jsonl), r, out, err, sizeof err);
	json_decref(r);
	return st;
}

/* The substring of plain from code point a to b (new). */
static char *cp_slice(const char *plain, size_t a, size_t b)
{
	size_t i = 0, cp = 0, from = 0;
	for (; plain[i]; i++) {
		if (((unsigned char)plain[i] & 0xc0) == 0x80)
			continue;
		if (cp == a)
			from = i;
		if (cp == b)
			break;
		cp++;
	}
	if (cp == a && a == b)
		from = i;
	return strndup(plain + from, i - from);
}

static void test_sections_pages(void)
{
	struct split_result r;
	const char *in =
		"{\"t\":\"doc\",\"mime\":\"x\",\"plugin\":\"x\",\"size\":1}\n"
		"{\"t\":\"page\",\"n\":1}\n"
		"{\"t\":\"h\",\"level\":1,\"text\":\"Manual\"}\n"
		"{\"t\":\"p\",\"text\":\"Intro text about the pump.\"}\n"
		"{\"t\":\"h\",\"level\":2,\"text\":\"Install\"}\n"
		"{\"t\":\"p\",\"text\":\"Bolt it down.\"}\n"
		"{\"t\":\"page\",\"n\":2}\n"
		"{\"t\":\"h\",\"level\":3,\"text\":\"Wiring\"}\n"
		"{\"t\":\"li\",\"level\":1,\"text\":\"red to L1\"}\n"
		"{\"t\":\"h\",\"level\":2,\"text\":\"Service\"}\n"
		"{\"t\":\"p\",\"text\":\"Every year.\"}\n"
		"{\"t\":\"end\",\"result\":\"ok\",\"truncated\":false,\"bytes\":10}\n";
	is_int(blocks(in, rule(500, 0), &r), Q_OK, "blocks split");
	is_int((long long)r.n, 4, "a heading after content starts a chunk (4 chunks)");
	is_str(r.v[0].section, "Manual", "first chunk: section Manual");
	is_str(r.v[1].section, "Manual > Install", "second: Manual > Install");
	is_str(r.v[2].section, "Manual > Install > Wiring", "third: nested path");
	is_str(r.v[3].section, "Manual > Service", "a level-2 heading drops level 3");
	is_int(r.v[1].page, 1, "page of the second chunk");
	is_int(r.v[2].page, 2, "page of the third chunk");
	ok(strstr(r.v[2].text, "- red to L1") != NULL, "list item rendered with a dash");
	ok(!strncmp(r.v[0].text, "Manual\n\nIntro", 13), "heading text leads its chunk");
	ok(strstr(r.plain, "Manual\n\nIntro text about the pump.\n\nInstall") != NULL,
	   "plain text: blocks joined by blank lines");
	int exact = 1;
	for (size_t i = 0; i < r.n; i++) {
		char *s = cp_slice(r.plain, r.v[i].start, r.v[i].end);
		exact &= !strcmp(s, r.v[i].text);
		free(s);
	}
	ok(exact, "offsets: plain[start..end) is each chunk's text");
	split_result_free(&r);
}

static void test_table(void)
{
	struct split_result r;
	char *in = malloc(200000);
	size_t o = 0;
	o += sprintf(in + o, "{\"t\":\"p\",\"text\":\"Parts list follows.\"}\n");
	o += sprintf(in + o, "{\"t\":\"row\",\"cells\":[\"Part\",\"Qty\",\"Note\"],\"header\":true}\n");
	for (int i = 0; i < 80; i++)
		o += sprintf(in + o, "{\"t\":\"row\",\"cells\":[\"gasket %d\",\"%d\",\"replace "
			     "every service interval\"],\"header\":false}\n", i, i);
	o += sprintf(in + o, "{\"t\":\"p\",\"text\":\"After the table.\"}\n");
	is_int(blocks(in, rule(60, 10), &r), Q_OK, "table splits");
	ok(r.n >= 8, "a long table makes several chunks (%zu)", r.n);
	int headers = 1, whole = 1, rows_seen = 0;
	for (size_t i = 0; i < r.n; i++) {
		if (!strstr(r.v[i].text, "gasket"))
			continue;
		rows_seen++;
		headers &= strstr(r.v[i].text, "Part | Qty | Note") != NULL;
		/* every line with "gasket" is a whole row */
		for (char *p = r.v[i].text; (p = strstr(p, "gasket")); p++) {
			char *eol = strchr(p, '\n');
			size_t len = eol ? (size_t)(eol - p) : strlen(p);
			whole &= len > 20 && strstr(p, "interval") && strstr(p, "interval") < p + len;
		}
	}
	ok(rows_seen >= 7, "rows spread over chunks");
	ok(headers, "each chunk of the table repeats its header row");
	ok(whole, "no row is cut");
	ok(strstr(r.v[r.n - 1].text, "After the table.") != NULL, "text after the table kept");
	split_result_free(&r);
	free(in);
}

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
		o += (size_t)sprintf(s + o, "%s", i % 17 == 16 ? ".\n\n" : ".");
	}
	s[o] = '\0';
	return s;
}

static int is_word_char(char c)
{
	return isalnum((unsigned char)c);
}

static void test_words_sentences_overlap(void)
{
	char *text = long_text(400, 7);
	int maxes[] = { 50, 120, 300 }, no_mid_word = 1, within = 1, sentence_ends = 1, total = 0;
	for (int m = 0; m < 3; m++) {
		struct split_result r;
		json_t *ru = rule(maxes[m], maxes[m] / 5);
		if (split_text(text, strlen(text), ru, &r, err, sizeof err) != Q_OK) {
			ok(0, "split_text: %s", err);
			json_decref(ru);
			continue;
		}
		json_decref(ru);
		for (size_t i = 0; i < r.n; i++) {
			const char *t = r.v[i].text;
			size_t len = strlen(t);
			/* the chunk's first and last words are whole words of the text */
			char *at = strstr(text, t);
			if (at) {
				no_mid_word &= at == text || !is_word_char(at[-1]);
				no_mid_word &= !is_word_char(at[len]);
			}
			within &= r.v[i].tokens <= (size_t)maxes[m];
			sentence_ends &= t[len - 1] == '.';
			total++;
		}
		split_result_free(&r);
	}
	ok(total > 20, "long text split with three max_tokens (%d chunks)", total);
	ok(no_mid_word, "no chunk starts or ends inside a word");
	ok(within, "every chunk within max_tokens");
	ok(sentence_ends, "cuts fall at sentence ends when sentences fit");

	struct split_result r;
	json_t *ru = rule(60, 20);
	is_int(split_text(text, strlen(text), ru, &r, err, sizeof err), Q_OK, "overlap run");
	json_decref(ru);
	int overlaps = 0, whole = 1;
	for (size_t i = 1; i < r.n; i++) {
		/* the chunk's first sentence appears at the end of the previous one */
		const char *t = r.v[i].text, *dot = strchr(t, '.');
		if (!dot)
			continue;
		char *first = strndup(t, (size_t)(dot - t + 1));
		const char *prev = r.v[i - 1].text;
		size_t pl = strlen(prev), fl = strlen(first);
		if (pl >= fl && !strcmp(prev + pl - fl, first)) {
			overlaps++;
			whole &= pl == fl || prev[pl - fl - 1] == ' ' || prev[pl - fl - 1] == '\n';
		}
		free(first);
	}
	ok(overlaps > (int)r.n / 3, "chunks start with the previous chunk's last sentence (%d of %zu)",
	   overlaps, r.n);
	ok(whole, "overlap is whole sentences");
	int before = 0;
	for (size_t i = 1; i < r.n; i++)
		before += r.v[i].start < r.v[i - 1].end;
	ok(before >= overlaps && before > (int)r.n / 2, "overlapping chunks start before the previous one ends (%d of %zu)", before, r.n);
	split_result_free(&r);

	ru = rule(60, 0);
	split_text(text, strlen(text), ru, &r, err, sizeof err);
	json_decref(ru);
	int none = 1;
	for (size_t i = 1; i < r.n; i++)
		none &= r.v[i].start >= r.v[i - 1].end;
	ok(none, "chunk_overlap 0: chunks do not overlap");
	split_result_free(&r);
	free(text);
}

static void test_long_word_and_counts(void)
{
	struct split_result r;
	char *s = malloc(5001);
	memset(s, 'a', 5000);
	s[5000] = '\0';
	json_t *ru = rule(50, 0);
	is_int(split_text(s, 5000, ru, &r, err, sizeof err), Q_OK, "one 5000-letter word");
	json_decref(ru);
	size_t sum = 0;
	for (size_t i = 0; i < r.n; i++)
		sum += strlen(r.v[i].text);
	ok(r.n > 1 && sum == 5000, "cut at character boundaries, nothing lost (%zu chunks)", r.n);
	split_result_free(&r);
	free(s);

	size_t t, w;
	split_count("The pump's seal, replaced.", 26, &t, &w);
	is_int((long long)w, 5, "words: The, pump, s, seal, replaced");
	is_int((long long)t, 9, "tokens: 4 short words, 'replaced' (8 letters) 2, 3 marks");
	split_count("internationalization", 20, &t, &w);
	is_int((long long)t, 4, "a 20-letter word counts 1 + 19/6 tokens");
	split_count("東京都三鷹市", strlen("東京都三鷹市"), &t, &w);
	is_int((long long)w, 6, "CJK: one word per ideograph");
	is_int((long long)t, 6, "CJK: one token per ideograph");
}

static void test_cjk(void)
{
	struct split_result r;
	char text[4096] = "";
	for (int i = 0; i < 60; i++)
		strcat(text, "東京都三鷹市に住んでいます。");
	json_t *ru = rule(50, 0);
	is_int(split_text(text, strlen(text), ru, &r, err, sizeof err), Q_OK, "CJK text splits");
	json_decref(ru);
	int ends = 1;
	for (size_t i = 0; i + 1 < r.n; i++) {
		size_t len = strlen(r.v[i].text);
		ends &= len >= 3 && !strcmp(r.v[i].text + len - 3, "。");
	}
	ok(r.n > 3 && ends, "CJK chunks end at 。 (%zu chunks)", r.n);
	split_result_free(&r);
}

static void test_preprocessing(void)
{
	struct split_result r;
	const char *t = "Write to   help@example.com or see https://example.com/x   now.";
	json_t *ru = json_pack("{s:b, s:b}", "remove_extra_spaces", 1, "remove_urls_emails", 1);
	is_int(split_text(t, strlen(t), ru, &r, err, sizeof err), Q_OK, "pre-processing on");
	json_decref(ru);
	is_str(r.v[0].text, "Write to or see now.", "URLs, e-mail and extra spaces removed");
	split_result_free(&r);
	ru = json_pack("{s:b, s:b}", "remove_extra_spaces", 0, "remove_urls_emails", 0);
	split_text(t, strlen(t), ru, &r, err, sizeof err);
	json_decref(ru);
	is_str(r.v[0].text, t, "pre-processing off: text unchanged");
	split_result_free(&r);
	const char *md = "# Title\n\nSome text.\n\n## Part\n\n- one\n- two\n";
	split_text(md, strlen(md), NULL, &r, err, sizeof err);
	ok(r.n == 2 && !strcmp(r.v[1].section, "Title > Part") && strstr(r.v[1].text, "- two"),
	   "plain text: '#' headings and '-' items");
	split_result_free(&r);
	const char *custom = "alpha|||beta|||gamma";
	ru = json_pack("{s:s, s:i, s:i}", "separator", "|||", "max_tokens", 50, "chunk_overlap", 0);
	split_text(custom, strlen(custom), ru, &r, err, sizeof err);
	json_decref(ru);
	ok(r.n == 1 && !strcmp(r.v[0].text, "alpha\n\nbeta\n\ngamma"),
	   "a custom separator splits the text into blocks");
	split_result_free(&r);
}

static void test_rules(void)
{
	json_t *n = NULL;
	json_t *d = json_loads("{\"mode\":\"custom\",\"rules\":{\"pre_processing_rules\":"
			       "[{\"id\":\"remove_urls_emails\",\"enabled\":true}],"
			       "\"segmentation\":{\"separator\":\"\\\\n\",\"max_tokens\":300,"
			       "\"chunk_overlap\":30}}}", 0, NULL);
	is_int(split_rule_check(d, &n, err, sizeof err), 0, "a Dify rule is accepted");
	is_str(json_string_value(json_object_get(n, "separator")), "\n", "literal \\n unescaped");
	is_int(json_integer_value(json_object_get(n, "max_tokens")), 300, "max_tokens kept");
	ok(json_is_true(json_object_get(n, "remove_urls_emails")) &&
	   json_is_false(json_object_get(n, "remove_extra_spaces")),
	   "pre-processing list: listed ones as given, the others off");
	json_t *back = split_rule_dify(n);
	is_int(json_integer_value(json_object_get(json_object_get(json_object_get(back, "rules"),
								  "segmentation"), "chunk_overlap")),
	       30, "stored rule shown in Dify's shape");
	json_decref(back);
	json_decref(n);
	json_decref(d);
	d = json_pack("{s:s}", "mode", "automatic");
	is_int(split_rule_check(d, &n, err, sizeof err), 0, "automatic: defaults");
	is_int(json_integer_value(json_object_get(n, "max_tokens")), 500, "default max_tokens 500");
	json_decref(n);
	json_decref(d);
	struct { const char *json, *needle; } badr[] = {
		{ "{\"rules\":{\"segmentation\":{\"max_tokens\":-5}}}", "max_tokens" },
		{ "{\"rules\":{\"segmentation\":{\"max_tokens\":100,\"chunk_overlap\":100}}}", "chunk_overlap" },
		{ "{\"rules\":{\"segmentation\":{\"separator\":5}}}", "separator" },
		{ "{\"rules\":{\"pre_processing_rules\":[{\"id\":\"nope\",\"enabled\":true}]}}", "pre_processing_rules" },
		{ "{\"mode\":\"fast\"}", "mode" },
		{ "{\"rules\":{\"segmentation\":{\"max_tokens\":\"500\"}}}", "max_tokens" },
		{ "{\"rules\":{\"segmentation\":{\"colour\":1}}}", "colour" },
		{ "[1]", "process_rule" },
	};
	for (size_t i = 0; i < sizeof badr / sizeof *badr; i++) {
		d = json_loads(badr[i].json, 0, NULL);
		int rc = split_rule_check(d, &n, err, sizeof err);
		ok(rc < 0 && strstr(err, badr[i].needle), "bad rule %s refused naming %s (%s)",
		   badr[i].json, badr[i].needle, err);
		json_decref(d);
	}
}

static void test_errors(void)
{
	struct split_result r;
	is_int(split_text("   \n\n  ", 7, NULL, &r, err, sizeof err), Q_EINVAL, "no text: an error");
	ok(strstr(err, "no text") != NULL, "... saying so");
	is_int(blocks("{\"t\":\"p\",\"text\":\"ok\"}\nnot json\n", NULL, &r), Q_EINVAL,
	       "a line that is not JSON: an error");
	ok(strstr(err, "line 2") != NULL, "... naming the line");
	/* a megabyte completes */
	char *big = long_text(8000, 3);
	json_t *ru = rule(500, 50);
	is_int(split_text(big, strlen(big), ru, &r, err, sizeof err), Q_OK, "1 MB of text splits");
	json_decref(ru);
	size_t tok, w;
	split_count(big, strlen(big), &tok, &w);
	is_int((long long)r.words, (long long)w, "document words counted once (no overlap)");
	split_result_free(&r);
	free(big);
}

int main(void)
{
	test_sections_pages();
	test_table();
	test_words_sentences_overlap();
	test_long_word_and_counts();
	test_cjk();
	test_preprocessing();
	test_rules();
	test_errors();
	return done_testing();
}
