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

int q_hex_digit(int c)
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
		int hi = q_hex_digit((unsigned char)s[i]);
		if (hi < 0)
			return -1;
		int lo = q_hex_digit((unsigned char)s[++i]);
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
