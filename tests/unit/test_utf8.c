/* test_utf8.c: the one UTF-8 decoder (utf8proc_iterate) and every place
 * that decodes through it (the JSON scanner and escaper, the chunker, the
 * tokenizer, the plugins' pc_utf8_get, quire-extract's sink), each on the
 * same valid sequences and on invalid ones: overlong forms, surrogates,
 * values past U+10FFFF, cut sequences, stray continuation bytes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "tap.h"
#include "base/jsonscan.h"
#include "base/util.h"
#include "pipeline/chunk_impl.h"
#include "pipeline/chunk_text.h"
#include "text/text_tok.h"
#include "../../plugins/common/utf8.h"
#include "../../extract/xsink.h"

#include <utf8proc.h>

struct seq {
	const char *s;
	size_t n;
	uint32_t cp;   /* valid ones: the code point */
	const char *what;
};

static const struct seq valid[] = {
	{"A", 1, 0x41, "ASCII 'A'"},
	{"\xc2\x80", 2, 0x80, "the first two-byte"},
	{"\xdf\xbf", 2, 0x7ff, "the last two-byte"},
	{"\xe0\xa0\x80", 3, 0x800, "the first three-byte"},
	{"\xed\x9f\xbf", 3, 0xd7ff, "just below the surrogates"},
	{"\xee\x80\x80", 3, 0xe000, "just above the surrogates"},
	{"\xef\xbf\xbf", 3, 0xffff, "U+FFFF"},
	{"\xf0\x90\x80\x80", 4, 0x10000, "the first four-byte"},
	{"\xf4\x8f\xbf\xbf", 4, 0x10ffff, "U+10FFFF"},
};

static const struct seq invalid[] = {
	{"\xc0\xaf", 2, 0, "overlong '/' in two bytes (C0)"},
	{"\xc1\xbf", 2, 0, "overlong in two bytes (C1)"},
	{"\xe0\x80\xaf", 3, 0, "overlong '/' in three bytes"},
	{"\xe0\x9f\xbf", 3, 0, "overlong U+07FF in three bytes"},
	{"\xf0\x80\x80\xaf", 4, 0, "overlong '/' in four bytes"},
	{"\xf0\x8f\xbf\xbf", 4, 0, "overlong U+FFFF in four bytes"},
	{"\xed\xa0\x80", 3, 0, "surrogate U+D800"},
	{"\xed\xbf\xbf", 3, 0, "surrogate U+DFFF"},
	{"\xf4\x90\x80\x80", 4, 0, "U+110000"},
	{"\xf5\x80\x80\x80", 4, 0, "lead byte F5"},
	{"\xff", 1, 0, "byte FF"},
	{"\xc3", 1, 0, "two-byte cut after one"},
	{"\xe2\x82", 2, 0, "three-byte cut after two"},
	{"\xf0\x9f\x98", 3, 0, "four-byte cut after three"},
	{"\x80", 1, 0, "a stray continuation byte"},
	{"\xc3\x28", 2, 0, "a lead byte before ASCII"},
};

#define NV (sizeof valid / sizeof valid[0])
#define NI (sizeof invalid / sizeof invalid[0])

static const unsigned char *u(const char *s)
{
	return (const unsigned char *)s;
}

/* Every decoder's answer on one valid sequence. */
static void check_valid(const struct seq *v)
{
	utf8proc_int32_t c = -1;
	uint32_t cp = 0;
	size_t len = 0;

	ok(utf8proc_iterate(u(v->s), (utf8proc_ssize_t)v->n, &c) == (utf8proc_ssize_t)v->n &&
		   (uint32_t)c == v->cp, "decoder: %s is %zu bytes, U+%04X", v->what, v->n, v->cp);
	ok(pc_utf8_get(u(v->s), v->n, &cp) == v->n && cp == v->cp, "pc_utf8_get: %s", v->what);
	ok(chunk_utf8(v->s, v->n, 0, &len) == v->cp && len == v->n, "chunk_utf8: %s", v->what);
	ok(text_utf8_next(u(v->s), v->n, &cp) == v->n && cp == v->cp, "text_utf8_next: %s", v->what);
}

/* quire-extract's sink writes s as a JSON string: the bytes as they are,
 * or U+FFFD in their place. 1 when the output holds want. */
static int sink_has(const char *s, size_t n, const char *want)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int r;

	if (!f)
		return 0;
	xsink_json_str(f, s, n);
	fclose(f);
	r = out && strstr(out, want) != NULL;
	free(out);
	return r;
}

static void check_invalid(const struct seq *v)
{
	utf8proc_int32_t c;
	uint32_t cp;
	size_t len = 0;
	struct qbuf b;
	char obj[32];
	const char *names[] = {"a"};
	struct q_span sp[1];
	int n;

	ok(utf8proc_iterate(u(v->s), (utf8proc_ssize_t)v->n, &c) < 0, "decoder refuses %s", v->what);
	ok(pc_utf8_get(u(v->s), v->n, &cp) == 0, "pc_utf8_get refuses %s", v->what);
	ok(chunk_utf8(v->s, v->n, 0, &len) == 0xfffd && len == 1,
	   "chunk_utf8: %s is one bad byte (U+FFFD)", v->what);
	ok(text_utf8_next(u(v->s), v->n, &cp) == 1 && cp == u(v->s)[0],
	   "text_utf8_next: %s is one byte of its own value", v->what);
	qbuf_init(&b, 64);
	ok(q_json_escape(&b, v->s, v->n) == -1 && b.len == 0, "q_json_escape refuses %s", v->what);
	qbuf_free(&b);
	n = snprintf(obj, sizeof obj, "{\"a\":\"%.*s\"}", (int)v->n, v->s);
	ok(q_json_members(obj, (size_t)n, names, sp, 1) == -1, "q_json_members refuses %s", v->what);
	ok(sink_has(v->s, v->n, "\xef\xbf\xbd"), "quire-extract's sink writes U+FFFD for %s", v->what);
}

int main(void)
{
	struct qbuf b;

	for (size_t i = 0; i < NV; i++) {
		check_valid(&valid[i]);
		qbuf_init(&b, 64);
		ok(q_json_escape(&b, valid[i].s, valid[i].n) == 0 && b.len == valid[i].n + 2 &&
			   !memcmp(b.data + 1, valid[i].s, valid[i].n),
		   "q_json_escape keeps %s as it is", valid[i].what);
		qbuf_free(&b);
		ok(sink_has(valid[i].s, valid[i].n, valid[i].s),
		   "quire-extract's sink keeps %s", valid[i].what);
	}
	for (size_t i = 0; i < NI; i++)
		check_invalid(&invalid[i]);
	return done_testing();
}
