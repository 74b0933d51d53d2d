/* test_util.c: capped buffers, UUIDs, strict integers, ISO 8601 and the
 * JSON text scanner and escaper (checked against jansson). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/jsonscan.h"
#include "base/jsontext.h"
#include "base/util.h"
#include "base/seal.h"
#include "tap.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void test_qbuf(void)
{
	struct qbuf b;

	qbuf_init(&b, 10);
	is_int(qbuf_add(&b, "", 0), 0, "qbuf: empty add into an empty buffer");
	ok(b.data && b.data[0] == '\0', "qbuf: empty add leaves a NUL-terminated string");
	is_int(qbuf_adds(&b, "0123456789"), 0, "qbuf: filling exactly to the cap works");
	is_int(b.len, 10, "qbuf: len is the cap");
	is_int(qbuf_add(&b, "x", 1), QBUF_FULL, "qbuf: one byte over the cap fails as full");
	is_int(b.len, 10, "qbuf: a refused add leaves len alone");
	is_str(b.data, "0123456789", "qbuf: a refused add leaves the data alone");
	is_int(qbuf_add(&b, "x", SIZE_MAX), -1, "qbuf: SIZE_MAX does not wrap the cap check");
	qbuf_reset(&b);
	is_int(b.len, 0, "qbuf: reset empties");
	is_str(b.data, "", "qbuf: reset keeps a valid string");
	is_int(qbuf_printf(&b, "%d-%s", 42, "ab"), 0, "qbuf: printf");
	is_str(b.data, "42-ab", "qbuf: printf text");
	is_int(qbuf_printf(&b, "%s", "too long now"), -1, "qbuf: printf over the cap fails");
	is_str(b.data, "42-ab", "qbuf: failed printf appends nothing");
	qbuf_free(&b);
	ok(b.data == NULL && b.len == 0, "qbuf: free resets");

	/* Past the 512-byte stack buffer of qbuf_printf, and past the initial
	 * allocation, so the growth path runs. */
	char big[3000];
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	qbuf_init(&b, 1 << 20);
	is_int(qbuf_printf(&b, "<%s>", big), 0, "qbuf: long printf");
	is_int(b.len, sizeof big + 1, "qbuf: long printf length");
	ok(b.data[0] == '<' && b.data[b.len - 1] == '>' && b.data[b.len] == '\0' &&
	   b.data[1500] == 'q', "qbuf: long printf content");
	ok(b.alloc > b.len, "qbuf: room for the terminator");
	qbuf_free(&b);

	qbuf_init(&b, 0);
	is_int(qbuf_add(&b, "a", 1), QBUF_FULL, "qbuf: cap 0 refuses any byte");
	qbuf_free(&b);

	/* Out of memory is not "too large": a child whose address space
	 * cannot hold the growth gets QBUF_NOMEM under a cap that allows it. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit rl = { 256u << 20, 256u << 20 };
		setrlimit(RLIMIT_AS, &rl);
		qbuf_init(&b, (size_t)1 << 40);
		static char chunk[1 << 20];
		int rc = 0;
		for (int i = 0; i < 1024 && rc == 0; i++)
			rc = qbuf_add(&b, chunk, sizeof chunk);
		_exit(rc == QBUF_NOMEM ? 0 : rc == QBUF_FULL ? 1 : 2);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "qbuf: memory running out is QBUF_NOMEM, not QBUF_FULL (status %d)", status);
}

static void test_uuid(void)
{
	char a[Q_UUID_STRLEN + 1], b[Q_UUID_STRLEN + 1], f[Q_UUID_STRLEN + 1];
	unsigned char bin[16];

	is_int(q_uuid_new(a), 0, "uuid: new");
	is_int(strlen(a), 36, "uuid: 36 characters");
	ok(q_uuid_valid(a), "uuid: a new one is valid");
	ok(a[14] == '4', "uuid: version 4 (%c)", a[14]);
	ok(strchr("89ab", a[19]) != NULL, "uuid: RFC 4122 variant (%c)", a[19]);
	int lower = 1;
	for (const char *p = a; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			lower = 0;
	ok(lower, "uuid: lowercase");
	q_uuid_new(b);
	ok(strcmp(a, b) != 0, "uuid: two new ones differ");

	is_int(q_uuid_parse(a, bin), 0, "uuid: parse a new one");
	q_uuid_format(bin, f);
	is_str(f, a, "uuid: parse then format round-trips");

	static const char *upper = "0123ABCD-EF01-4567-89AB-CDEF01234567";
	ok(q_uuid_valid(upper), "uuid: uppercase is valid");
	is_int(q_uuid_parse(upper, bin), 0, "uuid: uppercase parses");
	ok(bin[0] == 0x01 && bin[1] == 0x23 && bin[4] == 0xef && bin[15] == 0x67,
	   "uuid: parsed bytes");
	q_uuid_format(bin, f);
	is_str(f, "0123abcd-ef01-4567-89ab-cdef01234567", "uuid: format is lowercase");

	static const char *bad[] = {
		"",
		"0123abcd-ef01-4567-89ab-cdef0123456",     /* 35 */
		"0123abcd-ef01-4567-89ab-cdef012345678",   /* 37 */
		"0123abcdef01-4567-89ab-cdef012345678",    /* dash missing */
		"0123abc-def01-4567-89ab-cdef01234567",    /* dash moved */
		"0123abcd-ef01-4567-89ab_cdef01234567",    /* wrong separator */
		"0123abcg-ef01-4567-89ab-cdef01234567",    /* non-hex */
		"{123abcd-ef01-4567-89ab-cdef01234567",
		"0123abcd-ef01-4567-89ab-cdef0123456 ",
		"0123abcd-ef01-4567-89ab-cdef01234567\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		ok(!q_uuid_valid(bad[i]), "uuid: '%s' is not valid", bad[i]);
	ok(!q_uuid_valid(NULL), "uuid: NULL is not valid");
	is_int(q_uuid_parse("0123abcd-ef01-4567-89ab-cdef01234567x", bin), -1,
	       "uuid: parse refuses trailing text");
	is_int(q_uuid_parse("0123abcd", bin), -1, "uuid: parse refuses a short string");
}

static void test_parse_uint(void)
{
	unsigned long long v;

	v = 99;
	is_int(q_parse_uint("0", 10, &v), 0, "uint: 0");
	is_int(v, 0, "uint: 0 value");
	is_int(q_parse_uint("007", 10, &v), 0, "uint: leading zeros");
	is_int(v, 7, "uint: leading zeros value");
	is_int(q_parse_uint("10", 10, &v), 0, "uint: exactly max");
	is_int(v, 10, "uint: exactly max value");
	v = 12345;
	is_int(q_parse_uint("11", 10, &v), -1, "uint: max + 1");
	is_int(v, 12345, "uint: failure leaves *out alone");
	/* A single digit above a small max: the overflow check must not wrap. */
	is_int(q_parse_uint("7", 5, &v), -1, "uint: digit above a one-digit max");
	is_int(q_parse_uint("9", 0, &v), -1, "uint: any non-zero digit above max 0");
	is_int(q_parse_uint("0", 0, &v), 0, "uint: 0 with max 0");
	is_int(q_parse_uint("5", 5, &v), 0, "uint: one-digit max itself");
	is_int(q_parse_uint("18446744073709551615", ULLONG_MAX, &v), 0, "uint: ULLONG_MAX");
	ok(v == ULLONG_MAX, "uint: ULLONG_MAX value");
	is_int(q_parse_uint("18446744073709551616", ULLONG_MAX, &v), -1, "uint: ULLONG_MAX + 1");
	is_int(q_parse_uint("99999999999999999999999", ULLONG_MAX, &v), -1, "uint: far too big");

	static const char *bad[] = {"", "-1", "+1", " 1", "1 ", "1a", "0x10", "1.0", "1e3", "١"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		is_int(q_parse_uint(bad[i], 1000, &v), -1, "uint: '%s' refused", bad[i]);
	is_int(q_parse_uint(NULL, 1000, &v), -1, "uint: NULL refused");
}

static void test_iso8601(void)
{
	char out[32];
	int64_t us = 0;

	q_iso8601(0, out, sizeof out);
	is_str(out, "1970-01-01T00:00:00Z", "iso8601: epoch");
	q_iso8601(1763632800LL * 1000000 + 999999, out, sizeof out);
	is_str(out, "2025-11-20T10:00:00Z", "iso8601: fraction dropped, not rounded");

	struct {
		const char *in;
		int64_t want;
	} good[] = {
		{"2025-11-20", 1763596800LL * 1000000},
		{"2025-11-20T10:00:00Z", 1763632800LL * 1000000},
		{"2025-11-20T10:00:00", 1763632800LL * 1000000},
		{"2025-11-20 10:00:00", 1763632800LL * 1000000},
		{"2025-11-20T10:00Z", 1763632800LL * 1000000},
		{"2025-11-20T10:00:00.5Z", 1763632800LL * 1000000 + 500000},
		{"2025-11-20T10:00:00.000123Z", 1763632800LL * 1000000 + 123},
		{"2025-11-20T10:00:00.1234569Z", 1763632800LL * 1000000 + 123456},
		{"2025-11-20T12:00:00+02:00", 1763632800LL * 1000000},
		{"2025-11-20T08:30:00-0130", 1763632800LL * 1000000},
		{"1970-01-01T00:00:00Z", 0},
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		us = -1;
		is_int(q_parse_iso8601(good[i].in, &us), 0, "iso8601: parse '%s'", good[i].in);
		is_int(us, good[i].want, "iso8601: value of '%s'", good[i].in);
	}
	static const char *bad[] = {
		"", "2025", "2025-11", "20251120", "2025-13-01", "2025-00-10", "2025-11-00",
		"2025-11-32", "2025-11-20T24:00:00", "2025-11-20T10:60:00", "2025-11-20T10",
		"2025-11-20T10:00:00Zjunk", "2025-11-20T10:00:00+2", "2025-11-20x",
		"2025-1-20", "two-11-20",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		is_int(q_parse_iso8601(bad[i], &us), -1, "iso8601: '%s' refused", bad[i]);

	/* Formatting by hand agrees with gmtime_r + strftime from year 1 to
	 * 9999, on day and year boundaries and at random instants. */
	int same = 1;
	uint64_t seed = 88172645463325252ULL;
	for (int i = 0; i < 200000 && same; i++) {
		int64_t sec;
		if (i < 40000) {   /* around midnights, leap days and centuries */
			sec = (int64_t)(i / 8 - 2500) * 86400 * 146 + (i % 8) - 4;
		} else {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			sec = -62135596800LL + (int64_t)(seed % 315537897600ULL);
		}
		char want[32], got[32];
		time_t tt = (time_t)sec;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
		q_iso8601(sec * 1000000 + (i % 3) * 999999 * (sec < 0 ? -1 : 1) / 2, got, sizeof got);
		if (strcmp(got, want)) {
			diag("%lld: got %s want %s", (long long)sec, got, want);
			same = 0;
		}
	}
	ok(same, "iso8601: by hand as strftime writes it, years 1-9999");

	/* format(parse(x)) == x for canonical stamps. */
	static const char *round[] = {"2000-02-29T23:59:59Z", "2038-01-19T03:14:08Z",
				      "1999-12-31T00:00:00Z"};
	for (size_t i = 0; i < sizeof round / sizeof *round; i++) {
		q_parse_iso8601(round[i], &us);
		q_iso8601(us, out, sizeof out);
		is_str(out, round[i], "iso8601: round trip %s", round[i]);
	}
}

static void test_misc(void)
{
	char hex[9];
	static const unsigned char in[4] = {0x00, 0x0f, 0xa0, 0xff};
	q_hex(in, 4, hex);
	is_str(hex, "000fa0ff", "hex: lowercase, two digits per byte");

	ok(q_now_us() > 1700000000LL * 1000000, "clock: wall clock is after 2023");
	int64_t m1 = q_mono_ms(), m2 = q_mono_ms();
	ok(m2 >= m1, "clock: monotonic does not go back");

	unsigned char r1[32] = {0}, r2[32] = {0};
	is_int(q_random(r1, sizeof r1), 0, "random: 32 bytes");
	q_random(r2, sizeof r2);
	ok(memcmp(r1, r2, sizeof r1) != 0, "random: two draws differ");
}

/* ---- JSON text without a parse ------------------------------------------ */

static int span_is(struct q_span v, const char *want)
{
	if (!want)
		return v.p == NULL;
	return v.p && v.n == strlen(want) && !memcmp(v.p, want, v.n);
}

static const char record[] =
	"{\"id\":\"d0930e9a\",\"account\":\"3c17\",\"title\":\"a \\\"b\\\" \\u00e9 \xc3\xa9\","
	"\"tags\":[\"x\",\"y\"],\"created_us\":1795378259291265,\"is_global\":false,"
	"\"canonical_url\":null,\"rule\":{\"sep\":\"\\n\\n\",\"max\":[1,-2.5e+3,{}],\"e\":[]},"
	"\"title\":\"second\",\"ratio\":0.25}";

static void test_json_members(void)
{
	const char *names[] = {"id", "title", "tags", "created_us", "is_global", "canonical_url",
			       "rule", "missing", "ratio"};
	struct q_span f[9];
	is_int(q_json_members(record, strlen(record), names, f, 9), 0, "members: a record scans");
	ok(span_is(f[0], "\"d0930e9a\""), "members: a string keeps its quotes");
	ok(span_is(f[1], "\"a \\\"b\\\" \\u00e9 \xc3\xa9\""), "members: escapes stay raw; first of two");
	ok(span_is(f[2], "[\"x\",\"y\"]"), "members: an array");
	ok(span_is(f[3], "1795378259291265"), "members: an integer");
	ok(span_is(f[4], "false") && span_is(f[5], "null"), "members: literals");
	ok(span_is(f[6], "{\"sep\":\"\\n\\n\",\"max\":[1,-2.5e+3,{}],\"e\":[]}"),
	   "members: a nested object is one span");
	ok(span_is(f[7], NULL), "members: an absent name has no span");
	ok(span_is(f[8], "0.25"), "members: the last member");
	is_int(q_span_int(f[3]), 1795378259291265LL, "span_int: the value");
	is_int(q_span_int(f[8]), 0, "span_int: a real is 0");
	is_int(q_span_int(f[7]), 0, "span_int: absent is 0");
	struct q_span neg = {"-42", 3}, big = {"99999999999999999999", 20};
	is_int(q_span_int(neg), -42, "span_int: negative");
	is_int(q_span_int(big), 0, "span_int: overflow is 0");
	char sv[16];
	q_span_str(f[0], sv, sizeof sv);
	is_str(sv, "d0930e9a", "span_str: a string without its quotes");
	q_span_str(f[1], sv, sizeof sv);
	is_str(sv, "a \"b\" \xc3\xa9 \xc3\xa9", "span_str: escapes decoded");
	q_span_str(f[0], sv, 4);
	is_str(sv, "d09", "span_str: truncated to fit");
	q_span_str(f[3], sv, sizeof sv);
	is_str(sv, "", "span_str: not a string is empty");
	q_span_str(f[7], sv, sizeof sv);
	is_str(sv, "", "span_str: absent is empty");

	const char *ws = " \n{ \"id\" :\t\"a\" , \"tags\" : [ 1 , { \"k\" : [ ] } ] }\r\n";
	is_int(q_json_members(ws, strlen(ws), names, f, 3), 0, "members: whitespace anywhere");
	ok(span_is(f[0], "\"a\"") && span_is(f[2], "[ 1 , { \"k\" : [ ] } ]"),
	   "members: spans of a spaced text");
	const char *tail = "{\"id\":\"a\",\"x\":[broken";
	is_int(q_json_members(tail, strlen(tail), names, f, 1), 0,
	       "members: the scan stops at the last name found");
	ok(span_is(f[0], "\"a\""), "members: ... with its span");
	is_int(q_json_members(tail, strlen(tail), names, f, 2), -1,
	       "members: a name still missing reads on, into the error");
	is_int(q_json_members("{}", 2, names, f, 1), 0, "members: empty object");
	ok(span_is(f[0], NULL), "members: nothing in an empty object");
	const char *esc_key = "{\"i\\u0064\":1}";
	is_int(q_json_members(esc_key, strlen(esc_key), names, f, 1), 0, "members: escaped key scans");
	ok(span_is(f[0], NULL), "members: an escaped key matches no name");

	static const char *bad[] = {
		"", "[]", "\"s\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1 \"b\":2}",
		"{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":-}", "{\"a\":+1}",
		"{\"a\":tru}", "{\"a\":nul}", "{\"a\":True}", "{\"a\":\"\\x\"}", "{\"a\":\"\x01\"}",
		"{\"a\":\"\\u12\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}",
		"{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\xc0\x80\"}", "{\"a\":\"\xed\xa0\x80\"}",
		"{\"a\":\"\xf4\x90\x80\x80\"}", "{\"a\":\"\xe2\x82\"}", "{\"a\":\"open}",
		"{\"a\":[1 2]}", "{\"a\":[1,]}", "{\"a\":{\"b\"}}", "{\"a\":{\"b\":1,}}", "{\"a\":[}",
		"{\"a\":1]", "{\"a\":1} x", "{\"a\":1}}", "{a:1}", "{\"a\":[[[]]}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		is_int(q_json_members(bad[i], strlen(bad[i]), names, f, 1), -1,
		       "members: refused: %s", bad[i]);
	/* A NUL inside the text ends nothing: it is refused, not a terminator. */
	is_int(q_json_members("{\"a\":\"x\0\"}", 10, names, f, 1), -1, "members: NUL refused");

	/* Nesting: 64 levels inside a member value pass, 65 do not. */
	char deep[300];
	for (int lv = 64; lv <= 65; lv++) {
		size_t k = 0;
		k += (size_t)sprintf(deep + k, "{\"a\":");
		for (int i = 0; i < lv; i++)
			deep[k++] = '[';
		for (int i = 0; i < lv; i++)
			deep[k++] = ']';
		deep[k++] = '}';
		is_int(q_json_members(deep, k, names, f, 1), lv == 64 ? 0 : -1,
		       "members: %d levels of nesting %s", lv, lv == 64 ? "pass" : "refused");
	}

	/* Every one-byte change of the record: the scanner accepts exactly
	 * what jansson accepts (no duplicate check; both take \\u0000). */
	static const char subst[] = {'"', '\\', '}', ']', ',', ':', '1', ' ', 'u', 'x', '\x80', '\x01'};
	size_t n = strlen(record), agree = 0, total = 0;
	char *m = malloc(n);
	for (size_t i = 0; m && i < n; i++)
		for (size_t j = 0; j < sizeof subst; j++) {
			memcpy(m, record, n);
			m[i] = subst[j];
			json_t *v = json_loadb(m, n, JSON_ALLOW_NUL, NULL);
			int want = v && json_is_object(v) ? 0 : -1;
			json_decref(v);
			int got = q_json_members(m, n, names, f, 9);
			total++;
			if (got == want)
				agree++;
			else
				diag("disagree at %zu with 0x%02x: jansson %d, scanner %d", i,
				     (unsigned char)subst[j], want, got);
		}
	free(m);
	ok(total > 1000 && agree == total, "members: agree with jansson on %zu of %zu mutations",
	   agree, total);
}

/* q_span_strdup decodes a string literal as jansson's parse does: the
 * same text for every escape form, with and without JSON_ENSURE_ASCII
 * (\uXXXX and surrogate pairs), over every ASCII byte and random mixed
 * texts; a value decoded wrongly fails. */
static int strdup_agrees(const char *lit, size_t n)
{
	json_t *v = json_loadb(lit, n, JSON_DECODE_ANY, NULL);
	struct q_span sp = {lit, n};
	size_t len = 99;
	char *got = q_span_strdup(sp, &len);
	int same = v && got && !strcmp(got, json_string_value(v)) && len == strlen(got);
	if (!same)
		diag("literal %.*s: got %s want %s", (int)n, lit, got ? got : "(null)",
		     v ? json_string_value(v) : "(no parse)");
	free(got);
	json_decref(v);
	return same;
}

static void test_span_strdup(void)
{
	int same = 1, count = 0;
	char s[8];
	for (int c = 1; c < 128; c++)
		for (size_t flags = 0; flags <= JSON_ENSURE_ASCII; flags += JSON_ENSURE_ASCII) {
			s[0] = 'a';
			s[1] = (char)c;
			s[2] = 'z';
			json_t *js = json_stringn(s, 3);
			char *lit = json_dumps(js, JSON_ENCODE_ANY | flags);
			same &= lit && strdup_agrees(lit, strlen(lit));
			count++;
			free(lit);
			json_decref(js);
		}
	ok(same && count == 254, "span_strdup: every ASCII byte as jansson decodes it");
	static const char *lits[] = {
		"\"\"", "\"\\/\\\\\\\"\"", "\"\\u00e9\\u00E9\"", "\"\\u20ac \\uD83D\\uDE00 \\ud83d\\ude00\"",
		"\"\\b\\f\\n\\r\\t\"", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", "\"\\\\u0041\"", "\"x\\\\\"",
		"\"\\u0041\\u0042\\n\\u0043\"",
	};
	same = 1;
	for (size_t i = 0; i < sizeof lits / sizeof *lits; i++)
		same &= strdup_agrees(lits[i], strlen(lits[i]));
	ok(same, "span_strdup: hand-written escapes");
	/* random texts of ASCII, controls and 2-, 3- and 4-byte characters */
	static const char *const parts[] = {"a", " ", "\n", "\"", "\\", "/", "\x01", "\x1f", "\t",
					    "\xc3\xa9", "\xe2\x82\xac", "\xe2\x80\xa8", "\xf0\x9f\x98\x80",
					    "Z", "\x7f"};
	unsigned seed = 12345;
	same = 1;
	for (int r = 0; r < 400; r++) {
		char text[256];
		size_t n = 0;
		seed = seed * 1103515245u + 12345u;
		int k = (int)(seed >> 16) % 40;
		for (int i = 0; i < k; i++) {
			seed = seed * 1103515245u + 12345u;
			const char *p = parts[(seed >> 16) % (sizeof parts / sizeof *parts)];
			memcpy(text + n, p, strlen(p));
			n += strlen(p);
		}
		json_t *js = json_stringn(text, n);
		char *lit = json_dumps(js, JSON_ENCODE_ANY | (r % 2 ? JSON_ENSURE_ASCII : 0));
		same &= lit && strdup_agrees(lit, strlen(lit));
		free(lit);
		json_decref(js);
	}
	ok(same, "span_strdup: 400 random texts, raw and ASCII-escaped");
	const char *rec = "{\"n\":12,\"t\":\"a\\u0000b\"}";
	const char *names[] = {"n", "t", "absent"};
	struct q_span f[3];
	size_t len = 99;
	is_int(q_json_members(rec, strlen(rec), names, f, 3), 0, "span_strdup: a record scans");
	char *got = q_span_strdup(f[1], &len);
	ok(got && !strcmp(got, "a") && len == 1, "span_strdup: \\u0000 ends the text");
	free(got);
	got = q_span_strdup(f[0], &len);
	ok(got && !strcmp(got, "") && len == 0, "span_strdup: not a string is empty");
	free(got);
	got = q_span_strdup(f[2], NULL);
	ok(got && !strcmp(got, ""), "span_strdup: absent is empty");
	free(got);
}

static void test_json_escape(void)
{
	struct qbuf b;
	char s[4];
	int same = 1;
	qbuf_init(&b, 1 << 20);
	/* Every ASCII byte, alone and between letters, as jansson writes it. */
	for (int c = 0; c < 128; c++) {
		s[0] = 'a';
		s[1] = (char)c;
		s[2] = 'z';
		json_t *js = json_stringn(s, 3);
		char *want = json_dumps(js, JSON_ENCODE_ANY);
		qbuf_reset(&b);
		if (q_json_escape(&b, s, 3) < 0 || !want || strcmp(b.data, want)) {
			diag("byte 0x%02x: got %s want %s", c, b.data, want ? want : "(null)");
			same = 0;
		}
		free(want);
		json_decref(js);
	}
	ok(same, "escape: every ASCII byte as json_dumps writes it");
	const char *utf = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\xa8/";
	qbuf_reset(&b);
	is_int(q_json_escape(&b, utf, strlen(utf)), 0, "escape: UTF-8 text");
	is_str(b.data, "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\xa8/\"",
	       "escape: UTF-8 and '/' pass unchanged");
	static const char *bad[] = {"\x80", "a\xc3", "\xc0\xaf", "\xed\xb0\x80", "\xf5\x80\x80\x80",
				    "\xe0\x80\x80"};
	qbuf_reset(&b);
	qbuf_adds(&b, "keep");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		json_t *js = json_stringn(bad[i], strlen(bad[i]));
		ok(!js, "escape: jansson refuses bad UTF-8 #%zu too", i);
		json_decref(js);
		is_int(q_json_escape(&b, bad[i], strlen(bad[i])), -1, "escape: bad UTF-8 #%zu refused", i);
	}
	is_str(b.data, "keep", "escape: a refusal leaves the buffer as it was");
	qbuf_reset(&b);
	is_int(q_json_escape(&b, "", 0), 0, "escape: empty string");
	is_str(b.data, "\"\"", "escape: empty string is two quotes");
	qbuf_free(&b);

	qbuf_init(&b, 100);
	is_int(qbuf_reserve(&b, 100), 0, "reserve: up to the cap");
	ok(b.alloc >= 101 && b.len == 0, "reserve: room without length");
	is_int(qbuf_reserve(&b, 101), -1, "reserve: past the cap fails");
	qbuf_free(&b);
}

static void test_mkdir_p(void)
{
	char top[PATH_MAX], deep[PATH_MAX], file[PATH_MAX];
	struct stat st;
	snprintf(top, sizeof top, "/tmp/quire-mkdirp-XXXXXX");
	if (!mkdtemp(top))
		bail_out("mkdtemp failed");
	snprintf(deep, sizeof deep, "%s/a/b/c", top);
	is_int(q_mkdir_p(deep, 0700), 0, "mkdir_p: makes the missing parents");
	ok(stat(deep, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700,
	   "mkdir_p: the last one with the mode asked");
	is_int(q_mkdir_p(deep, 0700), 0, "mkdir_p: an existing directory is fine");
	snprintf(file, sizeof file, "%s/f", top);
	FILE *f = fopen(file, "w");
	if (f)
		fclose(f);
	is_int(q_mkdir_p(file, 0700), -1, "mkdir_p: a file in the way fails");
	snprintf(deep, sizeof deep, "%s/f/x", top);
	is_int(q_mkdir_p(deep, 0700), -1, "mkdir_p: a file as a parent fails");
	remove(file);
	for (int i = 0; i < 3; i++) {
		snprintf(deep, sizeof deep, "%s/a%s", top, i == 0 ? "/b/c" : i == 1 ? "/b" : "");
		rmdir(deep);
	}
	rmdir(top);
}

/* seal: a round trip, tampering, another key (a restart), quired's key
 * reaching a child through QUIRE_SEAL_FD. */
static void test_seal(void)
{
	char box[2 * (1024 + 28) + 1], out[1025];
	const char *pw = "Quartz-Zebra-4417-\xc3\x9c";
	is_int(seal(pw, strlen(pw), box, sizeof box), 0, "seal: seals");
	ok(strstr(box, "Quartz") == NULL, "seal: the sealed form does not hold the secret");
	is_int(unseal(box, out, sizeof out), (int)strlen(pw), "seal: opens");
	is_str(out, pw, "seal: the same secret back");
	char again[sizeof box];
	seal(pw, strlen(pw), again, sizeof again);
	ok(strcmp(box, again) != 0, "seal: a fresh nonce each time");
	box[30] = box[30] == '0' ? '1' : '0';
	is_int(unseal(box, out, sizeof out), -1, "seal: an altered box does not open");
	is_int(seal(pw, 1025, box, sizeof box), -1, "seal: over 1024 bytes refused");
	seal(pw, strlen(pw), box, sizeof box);
	/* a child started by a quired (another key): what this process sealed
	 * does not open there; what it seals opens in a sibling with the key */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char o[1025], b2[sizeof box];
		if (seal_owner_init() < 0)
			_exit(3);
		if (unseal(box, o, sizeof o) != -1)
			_exit(1);
		seal("inherited", 9, b2, sizeof b2);
		pid_t kid = fork();
		if (kid == 0) {
			/* a fresh process image would read the key through the fd */
			execl("/bin/sh", "sh", "-c", "test -n \"$QUIRE_SEAL_FD\" && "
			      "test -e /proc/self/fd/$QUIRE_SEAL_FD", (char *)NULL);
			_exit(4);
		}
		int st = -1;
		waitpid(kid, &st, 0);
		_exit(WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 2);
	}
	int status = -1;
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "seal: under another key nothing opens, and quired's key reaches its children "
	   "(status %d)", status);
}

/* q_json_text writes in one pass into a buffer that grows: the same text
 * as jansson's json_dumps, for small values and ones past the first
 * buffer's size many times over. */
static void test_json_text(void)
{
	/* quotes, backslashes, a newline, a control character, UTF-8: 10
	 * bytes, never split by the offsets below */
	static const char pat[] = "ab\"\\\n\x01" "c\xc3\xa9" "d";
	static char big[20001];
	for (size_t i = 0; i < sizeof big - 1; i++)
		big[i] = pat[i % (sizeof pat - 1)];
	big[sizeof big - 1] = '\0';
	json_t *vals[] = {
		json_pack("{s:s}", "k", "v"),
		json_pack("{s:s,s:i,s:n,s:b,s:[i,f,s]}", "text", "line\n\"q\" \xc3\xa9\t/", "n",
			  -42, "null", "t", 1, "a", 7, 0.5, "x"),
		json_pack("{s:s}", "text", big),
		json_pack("[s,s,s]", big, big + 5000, big + 19990),
		json_object(),
	};
	size_t flags[] = {JSON_COMPACT, 0, JSON_COMPACT | JSON_SORT_KEYS};
	for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
		for (size_t f = 0; f < sizeof flags / sizeof *flags; f++) {
			char *want = json_dumps(vals[i], flags[f]);
			size_t len = 0;
			char *got = q_json_text(vals[i], flags[f], &len);
			ok(want && got && len == strlen(want) && !strcmp(got, want),
			   "q_json_text: value %zu, flags %zu as json_dumps writes it (%zu bytes)", i,
			   flags[f], want ? strlen(want) : 0);
			free(want);
			free(got);
		}
	for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
		json_decref(vals[i]);
	ok(q_json_text(NULL, JSON_COMPACT, NULL) == NULL, "q_json_text: NULL for no value");
	json_t *n = json_integer(3);
	ok(q_json_text(n, JSON_COMPACT, NULL) == NULL,
	   "q_json_text: NULL for a bare integer without JSON_ENCODE_ANY, as json_dumps");
	char *t = q_json_text(n, JSON_COMPACT | JSON_ENCODE_ANY, NULL);
	is_str(t, "3", "q_json_text: a bare integer with JSON_ENCODE_ANY");
	free(t);
	json_decref(n);
}

int main(void)
{
	test_qbuf();
	test_seal();
	test_uuid();
	test_parse_uint();
	test_iso8601();
	test_misc();
	test_json_members();
	test_span_strdup();
	test_json_escape();
	test_json_text();
	test_mkdir_p();
	return done_testing();
}
