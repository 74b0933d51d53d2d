/* util.c: buffers, clocks, UUIDs and random bytes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

void qbuf_init(struct qbuf *b, size_t cap)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
}

int qbuf_reserve(struct qbuf *b, size_t n)
{
	if (n > b->cap || b->len > b->cap - n)
		return QBUF_FULL;
	if (b->len + n + 1 > b->alloc) {
		size_t want = b->alloc ? b->alloc : 256;
		while (want < b->len + n + 1)
			want *= 2;
		char *d = realloc(b->data, want);
		if (!d)
			return QBUF_NOMEM;
		b->data = d;
		b->alloc = want;
	}
	return 0;
}

int qbuf_add(struct qbuf *b, const void *p, size_t n)
{
	int rc = qbuf_reserve(b, n);
	if (rc < 0)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int qbuf_adds(struct qbuf *b, const char *s)
{
	return qbuf_add(b, s, strlen(s));
}

int qbuf_printf(struct qbuf *b, const char *fmt, ...)
{
	char small[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return QBUF_NOMEM;   /* vsnprintf fails only for want of memory (EOVERFLOW aside) */
	if ((size_t)n < sizeof small)
		return qbuf_add(b, small, (size_t)n);
	char *big = malloc((size_t)n + 1);
	if (!big)
		return QBUF_NOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	int rc = qbuf_add(b, big, (size_t)n);
	free(big);
	return rc;
}

void qbuf_reset(struct qbuf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void qbuf_free(struct qbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}

int64_t q_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t q_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Year, month and day of a count of days since 1970-01-01 (proleptic
 * Gregorian), counted in 400-year eras that start on March 1st so the
 * leap day is the last day of a year. */
static void civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t z = days + 719468;   /* days since 0000-03-01 */
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                   /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);            /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                                 /* March = 0 */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static void put_digits(char *p, int64_t v, int n)
{
	while (n--) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void q_iso8601(int64_t us, char *out, size_t outlen)
{
	time_t t = (time_t)(us / 1000000);
	int64_t days = t / 86400, sod = t % 86400, y;
	int m, d;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	if (y < 1000 || y > 9999 || outlen < 21) {
		/* Not four digits: what strftime makes of it. */
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
		return;
	}
	/* By hand: this stamp is in every document a read returns, and
	 * gmtime_r + strftime cost more than the rest of the formatting. */
	memcpy(out, "0000-00-00T00:00:00Z", 21);
	put_digits(out, y, 4);
	put_digits(out + 5, m, 2);
	put_digits(out + 8, d, 2);
	put_digits(out + 11, sod / 3600, 2);
	put_digits(out + 14, sod / 60 % 60, 2);
	put_digits(out + 17, sod % 60, 2);
}

static int digits(const char **s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (**s < '0' || **s > '9')
			return -1;
		v = v * 10 + (*(*s)++ - '0');
	}
	*out = v;
	return 0;
}

int q_parse_iso8601(const char *s, int64_t *us)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	long frac_us = 0, off = 0;

	memset(&tm, 0, sizeof tm);
	if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) || *s++ != '-' ||
	    digits(&s, 2, &d))
		return -1;
	if (*s == 'T' || *s == ' ') {
		s++;
		if (digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &mi))
			return -1;
		if (*s == ':' && (s++, digits(&s, 2, &sec)))
			return -1;
		if (*s == '.' || *s == ',') {
			long scale = 100000;
			for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
				frac_us += scale > 0 ? (*s - '0') * scale : 0;
		}
		if (*s == 'Z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			int sign = *s++ == '-' ? -1 : 1, oh, om = 0;
			if (digits(&s, 2, &oh))
				return -1;
			if (*s == ':')
				s++;
			if (*s && digits(&s, 2, &om))
				return -1;
			off = sign * (oh * 3600L + om * 60L);
		}
	}
	if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	time_t t = timegm(&tm);
	*us = ((int64_t)t - off) * 1000000 + frac_us;
	return 0;
}

int q_random(void *p, size_t n)
{
	unsigned char *c = p;
	while (n) {
		ssize_t got = getrandom(c, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += got;
		n -= (size_t)got;
	}
	return 0;
}

void q_hex(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void q_uuid_format(const unsigned char in[16], char *out)
{
	char hex[33];
	q_hex(in, 16, hex);
	snprintf(out, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12,
		 hex + 16, hex + 20);
}

int q_uuid_new(char *out)
{
	unsigned char b[16];
	if (q_random(b, sizeof b) < 0)
		return -1;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	q_uuid_format(b, out);
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int q_uuid_parse(const char *s, unsigned char out[16])
{
	int j = 0;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return -1;
			continue;
		}
		int hi = hexval((unsigned char)s[i]);
		if (hi < 0)
			return -1;
		int lo = hexval((unsigned char)s[++i]);
		if (lo < 0 || i == 8 || i == 13 || i == 18 || i == 23)
			return -1;
		out[j++] = (unsigned char)(hi << 4 | lo);
	}
	return s[36] == '\0' ? 0 : -1;
}

int q_uuid_valid(const char *s)
{
	unsigned char b[16];
	return s && strlen(s) == 36 && q_uuid_parse(s, b) == 0;
}

int q_mkdir_p(const char *path, unsigned mode)
{
	char dir[4096];
	size_t n = strlen(path);
	if (n == 0 || n >= sizeof dir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, path, n + 1);
	/* Each parent in turn; the parents get 0755 like mkdir -p's. */
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(dir, (mode_t)mode) < 0 && errno != EEXIST)
		return -1;
	struct stat st;
	if (stat(dir, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

int q_parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;
	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned d = (unsigned)(*s - '0');
		if (d > max || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* ---- JSON text without a parse ------------------------------------------ */

/* Length of the valid UTF-8 sequence at p, 0 when there is none (the one
 * decoder, utf8proc's: no overlong form, surrogate, value past U+10FFFF
 * or cut sequence). */
static inline size_t utf8_len(const unsigned char *p, const unsigned char *e)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	if (p[0] < 0x80)
		return 1;
	k = utf8proc_iterate(p, e - p, &cp);
	return k > 0 ? (size_t)k : 0;
}

/* 1 for the bytes a JSON string holds as they are: ASCII from 0x20 but
 * '"' and '\\'. */
static const unsigned char json_plain[256] = {
	[0x20] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static int hex4(const unsigned char *p, const unsigned char *e, unsigned *out)
{
	unsigned v = 0;
	if (e - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int d = hexval(p[i]);
		if (d < 0)
			return -1;
		v = v << 4 | (unsigned)d;
	}
	*out = v;
	return 0;
}

/* p at a '"': past the closing quote, or NULL. */
static const char *scan_string(const char *p, const char *end)
{
	const unsigned char *q = (const unsigned char *)p + 1, *e = (const unsigned char *)end;
	while (q < e) {
		unsigned c, u, lo;
		size_t n;
		while (q < e && json_plain[*q])   /* the common bytes, a few instructions each */
			q++;
		if (q == e)
			return NULL;
		c = *q;
		if (c == '"')
			return (const char *)q + 1;
		if (c < 0x20)
			return NULL;
		if (c != '\\') {
			if (!(n = utf8_len(q, e)))
				return NULL;
			q += n;
			continue;
		}
		if (++q == e)
			return NULL;
		if (*q != 'u') {
			if (!*q || !strchr("\"\\/bfnrt", *q))
				return NULL;
			q++;
			continue;
		}
		if (hex4(q + 1, e, &u) < 0 || (u >= 0xDC00 && u <= 0xDFFF))
			return NULL;
		q += 5;
		if (u >= 0xD800 && u <= 0xDBFF) {   /* a high surrogate needs its low half */
			if (e - q < 6 || q[0] != '\\' || q[1] != 'u' || hex4(q + 2, e, &lo) < 0 ||
			    lo < 0xDC00 || lo > 0xDFFF)
				return NULL;
			q += 6;
		}
	}
	return NULL;
}

static const char *scan_digits(const char *p, const char *e)
{
	if (p == e || *p < '0' || *p > '9')
		return NULL;
	while (p < e && *p >= '0' && *p <= '9')
		p++;
	return p;
}

static const char *scan_number(const char *p, const char *e)
{
	if (*p == '-')
		p++;
	if (p < e && *p == '0')
		p++;
	else if (!(p = scan_digits(p, e)))
		return NULL;
	if (p < e && *p == '.' && !(p = scan_digits(p + 1, e)))
		return NULL;
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		p = scan_digits(p, e);
	}
	return p;
}

static const char *scan_scalar(const char *p, const char *e)
{
	static const char *const lit[] = {"true", "false", "null"};
	if (*p == '"')
		return scan_string(p, e);
	if (*p == '-' || (*p >= '0' && *p <= '9'))
		return scan_number(p, e);
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(lit[i]);
		if ((size_t)(e - p) >= n && !memcmp(p, lit[i], n))
			return p + n;
	}
	return NULL;
}

static const char *skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* A member's key and colon: p at the key; past the colon, or NULL. */
static const char *scan_key(const char *p, const char *e, struct q_span *key)
{
	if (p == e || *p != '"' || !(key->p = p, p = scan_string(p, e)))
		return NULL;
	key->n = (size_t)(p - key->p);
	p = skip_ws(p, e);
	return p < e && *p == ':' ? p + 1 : NULL;
}

/* One value with everything nested in it, without recursion: past it, or
 * NULL. stack holds one bit per open container (1 object, 0 array). */
static const char *scan_value(const char *p, const char *e)
{
	uint64_t stack = 0;
	int depth = 0;
	struct q_span key;
	for (;;) {
		p = skip_ws(p, e);
		if (p == e)
			return NULL;
		if (*p == '{' || *p == '[') {
			int obj = *p == '{';
			if (depth == 64)
				return NULL;
			p = skip_ws(p + 1, e);
			if (p < e && *p == (obj ? '}' : ']')) {
				p++;
			} else {
				if (obj && !(p = scan_key(p, e, &key)))
					return NULL;
				stack = stack << 1 | (uint64_t)obj;
				depth++;
				continue;   /* the container's first value */
			}
		} else if (!(p = scan_scalar(p, e))) {
			return NULL;
		}
		/* A value ended: close containers until one has a next value. */
		for (;;) {
			if (depth == 0)
				return p;
			int obj = (int)(stack & 1);
			p = skip_ws(p, e);
			if (p == e)
				return NULL;
			if (*p == ',') {
				p++;
				if (obj && !(p = scan_key(skip_ws(p, e), e, &key)))
					return NULL;
				break;
			}
			if (*p != (obj ? '}' : ']'))
				return NULL;
			p++;
			stack >>= 1;
			depth--;
		}
	}
}

int q_json_members(const char *s, size_t len, const char *const names[], struct q_span out[],
		   size_t n)
{
	const char *p = skip_ws(s, s + len), *e = s + len;
	size_t found = 0, nlen[16];
	for (size_t i = 0; i < n; i++) {
		out[i] = (struct q_span){NULL, 0};
		if (i < 16)
			nlen[i] = strlen(names[i]);   /* not once per key and name */
	}
	if (p == e || *p++ != '{')
		return -1;
	p = skip_ws(p, e);
	if (p < e && *p == '}')
		return skip_ws(p + 1, e) == e ? 0 : -1;
	for (;;) {
		struct q_span key;
		const char *v;
		if (!(p = scan_key(p, e, &key)))
			return -1;
		v = skip_ws(p, e);
		if (!(p = scan_value(v, e)))
			return -1;
		for (size_t i = 0; i < n; i++)
			if (!out[i].p && (i < 16 ? nlen[i] : strlen(names[i])) == key.n - 2 &&
			    !memcmp(names[i], key.p + 1, key.n - 2)) {
				out[i].p = v;
				out[i].n = (size_t)(p - v);
				found++;
				break;
			}
		if (found == n)
			return 0;   /* the rest is not needed */
		p = skip_ws(p, e);
		if (p < e && *p == ',') {
			p = skip_ws(p + 1, e);
			continue;
		}
		if (p < e && *p == '}')
			return skip_ws(p + 1, e) == e ? 0 : -1;
		return -1;
	}
}

/* The escape jansson writes for c (a control character, '"' or '\\'). */
static size_t json_esc(unsigned c, char esc[6])
{
	static const char hexd[] = "0123456789ABCDEF";
	char short_form = 0;
	switch (c) {
	case '"': short_form = '"'; break;
	case '\\': short_form = '\\'; break;
	case '\b': short_form = 'b'; break;
	case '\f': short_form = 'f'; break;
	case '\n': short_form = 'n'; break;
	case '\r': short_form = 'r'; break;
	case '\t': short_form = 't'; break;
	}
	esc[0] = '\\';
	if (short_form) {
		esc[1] = short_form;
		return 2;
	}
	memcpy(esc + 1, "u00", 3);
	esc[4] = hexd[c >> 4];
	esc[5] = hexd[c & 15];
	return 6;
}

int q_json_escape(struct qbuf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n, *run = p;
	size_t start = b->len, k;
	char esc[6];
	if (qbuf_reserve(b, n + 2) < 0 || qbuf_add(b, "\"", 1) < 0)
		return -1;
	while (p < e) {
		unsigned c = *p;
		if (json_plain[c]) {
			p++;   /* the common case: copied with its run */
			continue;
		}
		if (c >= 0x80) {
			if (!(k = utf8_len(p, e)))
				goto fail;
			p += k;
			continue;
		}
		k = json_esc(c, esc);
		if (qbuf_add(b, run, (size_t)(p - run)) < 0 || qbuf_add(b, esc, k) < 0)
			goto fail;
		run = ++p;
	}
	if (qbuf_add(b, run, (size_t)(p - run)) < 0 || qbuf_add(b, "\"", 1) < 0)
		goto fail;
	return 0;
fail:
	b->len = start;
	if (b->data)
		b->data[start] = '\0';
	return -1;
}

int64_t q_span_int(struct q_span v)
{
	const char *p = v.p, *e = v.p + v.n;
	int neg = 0;
	uint64_t x = 0;
	if (!p || p == e)
		return 0;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (p == e)
		return 0;
	for (; p < e; p++) {
		if (*p < '0' || *p > '9' || x > (UINT64_MAX - 9) / 10)
			return 0;
		x = x * 10 + (uint64_t)(*p - '0');
	}
	if (x > (uint64_t)INT64_MAX + (uint64_t)neg)
		return 0;
	return neg ? (int64_t)(0 - x) : (int64_t)x;
}

int q_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int q_read_each(int fd, int (*fn)(const void *p, size_t n, void *arg), void *arg,
		unsigned long long *total)
{
	unsigned char buf[65536];
	int rc = 0;
	*total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -1 : 0;
			break;
		}
		if ((rc = fn(buf, (size_t)n, arg)) != 0)
			break;
		*total += (unsigned long long)n;
	}
	return rc;
}

int q_back_file(int fd, off_t len)
{
	int rc;
	while ((rc = posix_fallocate(fd, 0, len)) == EINTR)
		;
	if (rc == 0)
		return 0;
	errno = rc;
	return -1;
}
