/* test_multipart.c: the streaming multipart/form-data parser: boundaries,
 * fields and files read in pieces of 1..7 bytes, every error and cap, file
 * name sanitising, and that no temp file outlives an error or the form. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/multipart.h"
#include "base/util.h"
#include "unit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define BND "----WebKitFormBoundary7MA4YWxkTrZu0gW"
#define CT "multipart/form-data; boundary=" BND

static char tmp[PATH_MAX];

/* A body handed out in pieces: piece > 0 fixed, < 0 random 1..7 bytes,
 * 0 as much as asked. fail_at > 0 makes reads fail from that offset. */
struct rd {
	const unsigned char *p;
	size_t n, pos, fail_at;
	int piece;
	unsigned seed;
};

static ssize_t rd_read(void *ctx, void *buf, size_t n)
{
	struct rd *r = ctx;
	size_t k = r->n - r->pos;
	if (r->fail_at && r->pos >= r->fail_at)
		return -1;
	if (k > n)
		k = n;
	if (r->piece > 0 && k > (size_t)r->piece)
		k = (size_t)r->piece;
	if (r->piece < 0) {
		r->seed = r->seed * 1103515245u + 12345u;
		size_t c = 1 + (r->seed >> 16) % 7;
		if (k > c)
			k = c;
	}
	if (r->fail_at && r->pos + k > r->fail_at)
		k = r->fail_at - r->pos;
	memcpy(buf, r->p + r->pos, k);
	r->pos += k;
	return (ssize_t)k;
}

static size_t last_pos;   /* bytes the last parse read */

static enum qstatus parse_ex(const void *body, size_t n, const char *ct,
			     const struct mp_limits *lim, int piece, size_t fail_at,
			     struct mp_form *f, struct qerr *err)
{
	struct rd r = { body, n, 0, fail_at, piece, (unsigned)n };
	qerr_clear(err);
	enum qstatus st = mp_parse(rd_read, &r, ct, lim, tmp, f, err);
	last_pos = r.pos;
	return st;
}

static enum qstatus parse(const struct qbuf *b, const struct mp_limits *lim, int piece,
			  struct mp_form *f, struct qerr *err)
{
	return parse_ex(b->data, b->len, CT, lim, piece, 0, f, err);
}

/* Files left in the temp directory. */
static int tmp_count(void)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	int n = 0;
	if (!d)
		bail_out("opendir %s", tmp);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int file_is(const char *path, const void *want, size_t n)
{
	FILE *fp = fopen(path, "rb");
	char *got = malloc(n + 1);
	size_t k = fp ? fread(got, 1, n + 1, fp) : 0;
	int same = fp && k == n && !memcmp(got, want, n);
	if (fp)
		fclose(fp);
	free(got);
	return same;
}

/* ---- body builders ---- */

static void b_part(struct qbuf *b, const char *headers, const void *data, size_t n)
{
	qbuf_printf(b, "--%s\r\n%s\r\n", BND, headers);
	qbuf_add(b, data, n);
	qbuf_adds(b, "\r\n");
}

static void b_field(struct qbuf *b, const char *name, const char *value)
{
	char h[256];
	snprintf(h, sizeof h, "Content-Disposition: form-data; name=\"%s\"\r\n", name);
	b_part(b, h, value, strlen(value));
}

static void b_close(struct qbuf *b)
{
	qbuf_printf(b, "--%s--\r\n", BND);
}

/* A one-file form whose Content-Disposition parameters are dispo; the
 * parsed file name (static), or NULL when the parse failed. */
static const char *name_of(const char *dispo)
{
	static char out[512];
	struct qbuf b;
	struct mp_form f;
	struct qerr err;
	static char h[16384];
	const char *r = NULL;
	qbuf_init(&b, 1 << 20);
	snprintf(h, sizeof h, "Content-Disposition: form-data; name=\"file\"; %s\r\n", dispo);
	b_part(&b, h, "x", 1);
	b_close(&b);
	struct mp_limits lim = { .max_header_bytes = 1 << 16 };
	if (parse(&b, &lim, 0, &f, &err) == Q_OK && f.n == 1 && f.parts[0].filename &&
	    f.parts[0].path) {
		snprintf(out, sizeof out, "%s", f.parts[0].filename);
		r = out;
	} else {
		diag("parse failed: %s", err.msg);
	}
	mp_form_free(&f);
	qbuf_free(&b);
	return r;
}

static void test_boundary(void)
{
	char out[MP_BOUNDARY_MAX + 1];
	char ct[256];
	ok(mp_boundary(CT, out, sizeof out) == 0 && !strcmp(out, BND), "boundary: plain token");
	ok(mp_boundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b:c?\"", out,
		       sizeof out) == 0 && !strcmp(out, "a b:c?"),
	   "boundary: any case, quoted with bchars");
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%070d", 7);
	ok(mp_boundary(ct, out, sizeof out) == 0 && strlen(out) == 70, "boundary: 70 chars");
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%071d", 7);
	is_int(mp_boundary(ct, out, sizeof out), -1, "boundary: 71 chars refused");
	const char *bad[] = {
		"multipart/form-data",
		"multipart/form-data; boundary=",
		"multipart/form-data; boundary=\"\"",
		"multipart/form-data; boundary=a; boundary=a",
		"multipart/form-data; boundary=\"abc",
		"multipart/form-data; boundary=\"abc \"",
		"multipart/form-data; boundary=a@b",
		"multipart/mixed; boundary=abc",
		"multipart/form-datax; boundary=abc",
		"text/plain; boundary=abc",
		"multipart/form-data; boundary=abc junk",
	};
	int refused = 0;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		int r = mp_boundary(bad[i], out, sizeof out);
		if (r != -1)
			diag("accepted: %s", bad[i]);
		refused += r == -1;
	}
	is_int(refused, (int)(sizeof bad / sizeof *bad),
	       "boundary: absent, empty, repeated, badly quoted, bad chars, wrong type refused");
}

/* File bytes that look like delimiters without being one. */
static const unsigned char tricky[] =
	"--" BND "\r\n"             /* no CRLF before it */
	"\r\n--" BND "x\r\n"        /* boundary is only a prefix */
	"\r\n--" BND "-x"           /* a single dash */
	"\r\n--" "----WebKitFormBou" /* a partial delimiter */
	"\r\r\n\n\r\n\r\n\0\xff\x00--\r\n-";

static void check_normal(struct mp_form *f, int piece, int *good)
{
	const struct mp_part *t = mp_get(f, "title"), *files = mp_get(f, "files"), *p;
	int n = 0, ok1 = f->n == 6 && t && !t->filename && !t->path && t->value &&
			 !strcmp(t->value, "Hello, world") && t->value_len == 12 &&
			 !strcmp(t->content_type, "");
	const struct mp_part *e = mp_get(f, "empty");
	ok1 = ok1 && e && e->value && e->value_len == 0 && e->size == 0;
	for (p = files; p; p = mp_next(f, p), n++) {
		struct stat sb;
		if (!p->path || p->value || stat(p->path, &sb) || (sb.st_mode & 0777) != 0600) {
			ok1 = 0;
			continue;
		}
		if (n == 0)
			ok1 = ok1 && !strcmp(p->filename, "tricky.bin") &&
			      !strcmp(p->content_type, "application/octet-stream") &&
			      p->size == sizeof tricky - 1 && file_is(p->path, tricky, sizeof tricky - 1);
		if (n == 1)
			ok1 = ok1 && !strcmp(p->filename, "b.txt") && p->size == 5 &&
			      file_is(p->path, "hello", 5);
		if (n == 2)
			ok1 = ok1 && !strcmp(p->filename, "empty.txt") && p->size == 0 &&
			      sb.st_size == 0;
	}
	ok1 = ok1 && n == 3 && tmp_count() == 3;
	const struct mp_part *tags = mp_get(f, "tags");
	ok1 = ok1 && tags && !strcmp(tags->value, "a\r\nb") && !strcmp(tags->content_type, "text/plain");
	if (!ok1)
		diag("piece %d: form differs", piece);
	*good += ok1;
}

static void test_normal(void)
{
	struct qbuf b;
	struct mp_form f;
	struct qerr err;
	qbuf_init(&b, 1 << 20);
	qbuf_adds(&b, "This is the preamble.\r\n--" BND "x is not a boundary\r\n");
	qbuf_printf(&b, "--%s  \t\r\n", BND);   /* transport padding */
	qbuf_adds(&b, "Content-Disposition: form-data; name=\"title\"\r\n\r\nHello, world\r\n");
	b_part(&b, "content-disposition: form-data; name=files; filename=\"tricky.bin\"\r\n"
		   "Content-Type: application/octet-stream\r\nX-Other: ignored\r\n",
	       tricky, sizeof tricky - 1);
	b_field(&b, "empty", "");
	b_part(&b, "Content-Disposition: form-data; name=\"files\"; filename=\"b.txt\"\r\n",
	       "hello", 5);
	b_part(&b, "Content-Disposition: form-data; name=\"tags\"\r\nContent-Type: text/plain\r\n",
	       "a\r\nb", 4);
	b_part(&b, "Content-Disposition: form-data; name=\"files\"; filename=\"empty.txt\"\r\n",
	       "", 0);
	b_close(&b);
	qbuf_adds(&b, "This is the epilogue.\r\n--" BND "\r\nContent-Disposition: x\r\n");

	int pieces[] = { 0, 1, 2, 3, 5, 7, -1 }, good = 0;
	for (size_t i = 0; i < sizeof pieces / sizeof *pieces; i++) {
		enum qstatus st = parse(&b, NULL, pieces[i], &f, &err);
		if (st != Q_OK)
			diag("piece %d: %s", pieces[i], err.msg);
		else
			check_normal(&f, pieces[i], &good);
		mp_form_free(&f);
	}
	is_int(good, (int)(sizeof pieces / sizeof *pieces),
	       "normal form: fields, 3 files, tricky bytes, read whole and in 1..7 byte pieces");
	is_int(tmp_count(), 0, "mp_form_free removes every temp file");
	ok(f.n == 0 && f.parts == NULL, "mp_form_free empties the form");

	/* The first delimiter at the very start, no preamble, a lone field. */
	qbuf_reset(&b);
	b_field(&b, "a", "1");
	b_close(&b);
	ok(parse(&b, NULL, -1, &f, &err) == Q_OK && f.n == 1 && !strcmp(f.parts[0].value, "1") &&
	   !mp_get(&f, "b") && !mp_next(&f, &f.parts[0]),
	   "delimiter at offset 0; mp_get/mp_next miss");
	mp_form_free(&f);

	/* A close delimiter alone is an empty form. */
	qbuf_reset(&b);
	b_close(&b);
	ok(parse(&b, NULL, 1, &f, &err) == Q_OK && f.n == 0, "close delimiter alone: empty form");
	mp_form_free(&f);

	/* A large file streams past the field cap and the buffer size. */
	size_t big = 300000;
	unsigned char *data = malloc(big);
	for (size_t i = 0; i < big; i++)
		data[i] = (unsigned char)(i * 7 + (i >> 9));
	qbuf_reset(&b);
	b_part(&b, "Content-Disposition: form-data; name=\"f\"; filename=\"big.bin\"\r\n", data, big);
	b_close(&b);
	struct mp_limits lim = { .max_field_bytes = 16 };
	ok(parse(&b, &lim, 0, &f, &err) == Q_OK && f.n == 1 && f.parts[0].size == big &&
	   file_is(f.parts[0].path, data, big),
	   "300 kB file streams to disk, field cap does not apply");
	mp_form_free(&f);
	free(data);
	qbuf_free(&b);
}

/* Expect st with msg containing want and nothing left on disk. */
static void expect_err(const struct qbuf *b, const char *ct, const struct mp_limits *lim,
		       int piece, enum qstatus want, const char *msg, const char *what)
{
	struct mp_form f = { (struct mp_part *)1, 99 };
	struct qerr err;
	enum qstatus st = parse_ex(b->data, b->len, ct ? ct : CT, lim, piece, 0, &f, &err);
	int good = st == want && strstr(err.msg, msg) && f.n == 0 && !f.parts && tmp_count() == 0;
	if (!good)
		diag("status %d, message '%s', %zu parts, %d files", st, err.msg, f.n, tmp_count());
	ok(good, "%s", what);
	if (st == Q_OK)
		mp_form_free(&f);
}

static void test_malformed(void)
{
	struct qbuf b;
	qbuf_init(&b, 1 << 20);
	const char *file_hdr = "Content-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n";

	b_field(&b, "a", "1");
	b_part(&b, file_hdr, "0123456789", 10);
	expect_err(&b, NULL, NULL, -1, Q_EINVAL, "truncated", "no close delimiter: truncated");
	b_close(&b);
	b.len -= 10;   /* cut inside the close delimiter */
	expect_err(&b, NULL, NULL, 3, Q_EINVAL, "truncated", "cut in the close delimiter");

	qbuf_reset(&b);
	b_part(&b, file_hdr, "0123456789", 10);
	b.len -= 6;    /* cut inside the file's bytes */
	expect_err(&b, NULL, NULL, 1, Q_EINVAL, "truncated", "cut inside a file: truncated, file removed");

	qbuf_reset(&b);
	qbuf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\n", BND);
	expect_err(&b, NULL, NULL, 2, Q_EINVAL, "truncated", "cut inside the headers");

	qbuf_reset(&b);
	qbuf_adds(&b, "just some text with no boundary\r\n");
	expect_err(&b, NULL, NULL, 0, Q_EINVAL, "truncated", "boundary never occurs");
	qbuf_reset(&b);
	expect_err(&b, NULL, NULL, 0, Q_EINVAL, "empty", "empty body");

	qbuf_reset(&b);
	qbuf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\n--%s--\r\n",
		    BND, BND);
	expect_err(&b, NULL, NULL, 0, Q_EINVAL, "truncated", "delimiter after LF only is not one");

	qbuf_reset(&b);
	b_field(&b, "a", "1");
	b_close(&b);
	expect_err(&b, "multipart/form-data", NULL, 0, Q_EINVAL, "boundary", "no boundary parameter");
	expect_err(&b, "multipart/form-data; boundary=other", NULL, 0, Q_EINVAL, "truncated",
		   "wrong boundary");

	struct {
		const char *headers, *msg, *what;
	} hdr[] = {
		{ "Content-Disposition: form-data; name=\"a\"\n", "CRLF", "header line ending in LF" },
		{ "Content-Disposition: form-data;\r\n name=\"a\"\r\n", "folded", "folded header line" },
		{ "Content-Type: text/plain\r\n", "no Content-Disposition", "no Content-Disposition" },
		{ "", "no Content-Disposition", "no headers at all" },
		{ "Content-Disposition: attachment; name=\"a\"\r\n", "not form-data", "attachment" },
		{ "Content-Disposition: form-data; filename=\"a\"\r\n", "no name", "no name parameter" },
		{ "Content-Disposition: form-data; name=\"a\"; name=\"b\"\r\n", "repeats",
		  "repeated name" },
		{ "Content-Disposition: form-data; name=\"a\"; filename=x; filename=y\r\n", "repeats",
		  "repeated filename" },
		{ "Content-Disposition: form-data; name=\"a\r\n", "malformed", "unterminated quote" },
		{ "Content-Disposition: form-data; name=\"a\"; filename=\"x\r\nContent-Type: x\"\r\n",
		  "malformed", "CRLF injected into a quoted filename" },
		{ "Content-Disposition: form-data; name\r\n", "malformed", "parameter without value" },
		{ "Content-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; "
		  "name=\"b\"\r\n", "two Content-Disposition", "two Content-Disposition headers" },
		{ "Content-Disposition: form-data; name=\"a\"\r\nContent-Type: a\r\nContent-Type: b\r\n",
		  "two Content-Type", "two Content-Type headers" },
		{ "Content-Disposition: form-data; name=\"a\"\r\nNo colon here\r\n", "bad header",
		  "header without colon" },
		{ "Content-Disposition : form-data; name=\"a\"\r\n", "bad header",
		  "space before the colon" },
		{ "Content-Disposition: form-data; name=\"a\"\r\nX-A: b\rc\r\n", "control",
		  "bare CR in a header" },
	};
	for (size_t i = 0; i < sizeof hdr / sizeof *hdr; i++) {
		qbuf_reset(&b);
		b_part(&b, file_hdr, "data", 4);   /* a file before: removed on error */
		b_part(&b, hdr[i].headers, "v", 1);
		b_close(&b);
		expect_err(&b, NULL, NULL, -1, Q_EINVAL, hdr[i].msg, hdr[i].what);
	}

	/* A NUL inside a header line. */
	qbuf_reset(&b);
	qbuf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"a", BND);
	qbuf_add(&b, "\0", 1);
	qbuf_printf(&b, "\"\r\n\r\nv\r\n--%s--\r\n", BND);
	expect_err(&b, NULL, NULL, 0, Q_EINVAL, "control", "NUL in a header line");

	/* The reader fails in the middle of a file. */
	qbuf_reset(&b);
	b_part(&b, file_hdr, "0123456789abcdef", 16);
	b_close(&b);
	struct mp_form f;
	struct qerr err;
	enum qstatus st = parse_ex(b.data, b.len, CT, NULL, 3, b.len - 12, &f, &err);
	ok(st == Q_EINVAL && strstr(err.msg, "error reading") && f.n == 0 && tmp_count() == 0,
	   "read error: Q_EINVAL, temp file removed");
	qbuf_free(&b);
}

/* The temp directory is missing, or a write fails (RLIMIT_FSIZE: EFBIG). */
static void test_io_errors(void)
{
	struct qbuf b;
	struct mp_form f;
	struct qerr err;
	struct rlimit old, small;
	qbuf_init(&b, 1 << 20);
	b_field(&b, "a", "1");
	b_part(&b, "Content-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n", "x", 1);
	b_close(&b);
	struct rd r = { (const unsigned char *)b.data, b.len, 0, 0, 0, 0 };
	enum qstatus st = mp_parse(rd_read, &r, CT, NULL, "/nonexistent/quire-mp", &f, &err);
	ok(st == Q_EINTERNAL && strstr(err.msg, "temporary file") && f.n == 0,
	   "missing temp directory: Q_EINTERNAL");

	qbuf_reset(&b);
	size_t big = 200000;
	char *data = calloc(1, big);
	b_part(&b, "Content-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n", "x", 1);
	b_part(&b, "Content-Disposition: form-data; name=\"g\"; filename=\"b\"\r\n", data, big);
	b_close(&b);
	getrlimit(RLIMIT_FSIZE, &old);
	small = old;
	small.rlim_cur = 65536;
	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &small) == 0) {
		st = parse(&b, NULL, 0, &f, &err);
		setrlimit(RLIMIT_FSIZE, &old);
		ok(st == Q_EINTERNAL && strstr(err.msg, "cannot write") && f.n == 0 &&
		   tmp_count() == 0, "write error (file size limit): both temp files removed");
	} else {
		ok(0, "setrlimit RLIMIT_FSIZE");
	}
	mp_form_free(&f);
	free(data);
	qbuf_free(&b);
}

static void test_limits(void)
{
	struct qbuf b;
	struct mp_form f;
	struct qerr err;
	qbuf_init(&b, 1 << 24);

	/* max_total: exactly at the cap passes, one byte over fails. */
	b_part(&b, "Content-Disposition: form-data; name=\"f\"; filename=\"a\"\r\n", "0123456789", 10);
	b_close(&b);
	struct mp_limits lim = { .max_total = b.len };
	ok(parse(&b, &lim, -1, &f, &err) == Q_OK && f.n == 1, "max_total: body of exactly the cap");
	mp_form_free(&f);
	lim.max_total = b.len - 1;
	expect_err(&b, NULL, &lim, -1, Q_ETOOBIG, "limit of", "max_total: one byte over");
	lim.max_total = 40;
	expect_err(&b, NULL, &lim, 0, Q_ETOOBIG, "limit of 40 bytes", "max_total: 40 bytes");
	ok(last_pos == 41, "max_total: reads one byte past the cap, no more (%zu)", last_pos);

	/* max_parts: 10,000 tiny parts stop at part 18 of a cap of 17. */
	qbuf_reset(&b);
	b_field(&b, "a", "1");
	size_t one = b.len;
	for (int i = 1; i < 10000; i++)
		b_field(&b, "a", "1");
	b_close(&b);
	lim = (struct mp_limits){ .max_parts = 17 };
	expect_err(&b, NULL, &lim, 0, Q_ETOOBIG, "too many parts", "10,000 parts: too many parts");
	ok(last_pos < 18 * one + MP_LINE_MAX + 512, "too many parts: stops reading early (%zu of %zu)",
	   last_pos, b.len);
	qbuf_reset(&b);
	for (int i = 0; i < 17; i++)
		b_field(&b, "a", "1");
	b_close(&b);
	ok(parse(&b, &lim, 0, &f, &err) == Q_OK && f.n == 17, "max_parts: exactly at the cap");
	mp_form_free(&f);

	/* max_header_bytes: the whole block counts, including its CRLFs. */
	qbuf_reset(&b);
	const char *h = "Content-Disposition: form-data; name=\"a\"\r\nX-Pad: 0123456789\r\n";
	b_part(&b, h, "v", 1);
	b_close(&b);
	lim = (struct mp_limits){ .max_header_bytes = strlen(h) + 2 };
	ok(parse(&b, &lim, 1, &f, &err) == Q_OK && f.n == 1, "max_header_bytes: exactly at the cap");
	mp_form_free(&f);
	lim.max_header_bytes--;
	expect_err(&b, NULL, &lim, 1, Q_ETOOBIG, "header of part 1", "max_header_bytes: one over");

	/* 10,000 header lines, and one line longer than any buffer. */
	qbuf_reset(&b);
	qbuf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\n", BND);
	for (int i = 0; i < 10000; i++)
		qbuf_adds(&b, "X: y\r\n");
	qbuf_adds(&b, "\r\nv\r\n");
	b_close(&b);
	expect_err(&b, NULL, NULL, 0, Q_ETOOBIG, "header", "10,000 header lines");
	qbuf_reset(&b);
	qbuf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\nX: ", BND);
	for (int i = 0; i < 100000; i++)
		qbuf_adds(&b, "0123456789");
	qbuf_adds(&b, "\r\n\r\nv\r\n");
	b_close(&b);
	lim = (struct mp_limits){ .max_header_bytes = 1 << 22 };
	expect_err(&b, NULL, &lim, 0, Q_ETOOBIG, "header", "a 1 MB header line under a 4 MB cap");

	/* max_field_bytes: the value in memory. */
	qbuf_reset(&b);
	b_field(&b, "note", "0123456789abcdef");
	b_close(&b);
	lim = (struct mp_limits){ .max_field_bytes = 16 };
	ok(parse(&b, &lim, 2, &f, &err) == Q_OK && f.parts[0].value_len == 16,
	   "max_field_bytes: exactly at the cap");
	mp_form_free(&f);
	lim.max_field_bytes = 15;
	expect_err(&b, NULL, &lim, 2, Q_ETOOBIG, "field note", "max_field_bytes: one over");
	parse(&b, &lim, 2, &f, &err);
	is_str(err.field, "note", "max_field_bytes: err.field names the field");

	/* 2 MB of CR/LF before the first boundary: a big preamble is fine. */
	qbuf_reset(&b);
	for (int i = 0; i < 1 << 20; i++)
		qbuf_add(&b, "\r\n", 2);
	b_field(&b, "a", "1");
	b_close(&b);
	ok(parse(&b, NULL, 0, &f, &err) == Q_OK && f.n == 1, "2 MB of CR/LF preamble");
	mp_form_free(&f);
	qbuf_free(&b);
}

static void test_filenames(void)
{
	char out[MP_FILENAME_MAX + 1];
	is_str(name_of("filename=\"../../etc/passwd\""), "passwd", "../../etc/passwd");
	is_str(name_of("filename=\"/abs\""), "abs", "/abs");
	is_str(name_of("filename=\"C:\\x\\y.pdf\""), "y.pdf", "C:\\x\\y.pdf as IE sends it");
	is_str(name_of("filename=\"C:\\\\x\\\\y.pdf\""), "y.pdf", "C:\\x\\y.pdf escaped");
	is_str(name_of("filename=\"say \\\"hi\\\".txt\""), "say \"hi\".txt", "quoted-pair escapes");
	is_str(name_of("filename=plain.txt"), "plain.txt", "unquoted token");
	is_str(name_of("FileName=\"  x.txt  \""), "x.txt", "parameter name case, spaces trimmed");
	is_str(name_of("filename=\"\""), "unnamed", "empty name replaced");
	is_str(name_of("filename=\".\""), "unnamed", "\".\" replaced");
	is_str(name_of("filename=\"a/..\""), "unnamed", "\"a/..\" replaced");
	is_str(name_of("filename=\"dir/\""), "unnamed", "trailing slash replaced");
	is_str(name_of("filename=\"a\tb\x7f.txt\""), "ab.txt", "tab and DEL dropped");
	is_str(name_of("filename=\"\xff\xfe.txt\""), "\xef\xbf\xbd\xef\xbf\xbd.txt",
	       "invalid UTF-8 replaced by U+FFFD");
	is_str(name_of("filename=\"a\xc2\x85z\""), "az", "C1 control dropped");
	is_str(name_of("filename=\"plain.txt\"; filename*=UTF-8''%E2%82%AC%20rates.pdf"),
	       "\xe2\x82\xac rates.pdf", "filename* takes precedence");
	is_str(name_of("filename*=utf-8'en'..%2F..%2Fetc%2Fpasswd"), "passwd",
	       "filename* with encoded ../");
	is_str(name_of("filename*=UTF-8''a%00b.txt"), "ab.txt", "NUL from filename* dropped");
	is_str(name_of("filename*=UTF-8''a%0D%0AContent-Type:%20x.txt"), "aContent-Type: x.txt",
	       "CRLF from filename* dropped");
	is_str(name_of("filename*=iso-8859-1''caf%E9.txt"), "caf\xc3\xa9.txt", "ISO-8859-1 filename*");
	is_str(name_of("filename=\"fallback.txt\"; filename*=KOI8-R''x%ZZ"), "fallback.txt",
	       "unusable filename* falls back to filename");
	is_str(name_of("filename*=UTF-8''%E2%82"), "\xef\xbf\xbd\xef\xbf\xbd",
	       "cut UTF-8 in filename* replaced");
	is_str(name_of("filename*=UTF-8''%GG"), "unnamed", "bad filename* alone: a file, unnamed");

	char dispo[12000];
	int k = snprintf(dispo, sizeof dispo, "filename=\"");
	for (int i = 0; i < 10000; i++)
		dispo[k++] = 'a';
	snprintf(dispo + k, sizeof dispo - (size_t)k, ".pdf\"");
	const char *n = name_of(dispo);
	ok(n && strlen(n) == MP_FILENAME_MAX && !strcmp(n + strlen(n) - 4, ".pdf"),
	   "10 kB name cut to 255 bytes, extension kept");

	char e[601];
	for (int i = 0; i < 300; i++)
		memcpy(e + 2 * i, "\xc3\xa9", 2);
	mp_sanitize_filename(e, 600, out, sizeof out);
	ok(strlen(out) == 254 && ((unsigned char)out[253] & 0xc0) == 0x80,
	   "long UTF-8 name cut on a character boundary");
	mp_sanitize_filename("a\0b", 3, out, sizeof out);
	is_str(out, "ab", "raw NUL dropped");
	mp_sanitize_filename("..\\..\\win.ini", 13, out, sizeof out);
	is_str(out, "win.ini", "backslash traversal");

	/* Names of fields: invalid UTF-8 replaced; filename absent: a field. */
	struct qbuf b;
	struct mp_form f;
	struct qerr err;
	qbuf_init(&b, 4096);
	b_part(&b, "Content-Disposition: form-data; name=\"n\xe9\"\r\n", "v", 1);
	b_close(&b);
	ok(parse(&b, NULL, 0, &f, &err) == Q_OK && !strcmp(f.parts[0].name, "n\xef\xbf\xbd") &&
	   !f.parts[0].filename && !f.parts[0].path,
	   "field name with invalid UTF-8 replaced; no filename: a field");
	mp_form_free(&f);
	qbuf_free(&b);
}

int main(void)
{
	unit_tmpdir(tmp, "mp");
	test_boundary();
	test_normal();
	test_malformed();
	test_io_errors();
	test_limits();
	test_filenames();
	is_int(tmp_count(), 0, "no temp file left behind");
	unit_rmtree(tmp);
	return done_testing();
}
