/* test_util.c: capped buffers, UUIDs, strict integers and ISO 8601. */
#include "config.h"
#include "util.h"
#include "tap.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

static void test_qbuf(void)
{
	struct qbuf b;

	qbuf_init(&b, 10);
	is_int(qbuf_add(&b, "", 0), 0, "qbuf: empty add into an empty buffer");
	ok(b.data && b.data[0] == '\0', "qbuf: empty add leaves a NUL-terminated string");
	is_int(qbuf_adds(&b, "0123456789"), 0, "qbuf: filling exactly to the cap works");
	is_int(b.len, 10, "qbuf: len is the cap");
	is_int(qbuf_add(&b, "x", 1), -1, "qbuf: one byte over the cap fails");
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
	is_int(qbuf_add(&b, "a", 1), -1, "qbuf: cap 0 refuses any byte");
	qbuf_free(&b);
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

int main(void)
{
	test_qbuf();
	test_uuid();
	test_parse_uint();
	test_iso8601();
	test_misc();
	return done_testing();
}
