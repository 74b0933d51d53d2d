/* fuzz_multipart.c: libFuzzer target for the multipart parser. The input's
 * first line is the Content-Type, the rest the body. Each input is parsed
 * three times: production limits read in large pieces, the same limits read
 * in pieces of 1..7 bytes (the outcome must not depend on the pieces), and
 * tight limits so that every cap is reachable by small inputs. After each
 * parse the form's invariants are checked, and that no temp file is left. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "fuzz.h"
#include "http/multipart.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[256];

/* The limits upload.c uses with the default configuration. */
static const struct mp_limits production = {
	.max_total = 100ULL << 20,
	.max_parts = 20,
	.max_header_bytes = 8192,
	.max_field_bytes = 65536,
};
static const struct mp_limits tight = {
	.max_total = 2048,
	.max_parts = 4,
	.max_header_bytes = 200,
	.max_field_bytes = 32,
};


void fuzz_cleanup(void)
{
	if (*tmpdir)
		rmdir(tmpdir);
}

static void setup(void)
{
	if (!*tmpdir)
		fuzz_scratch(tmpdir, sizeof tmpdir, "mp", 1);
}

static int tmp_count(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;
	if (!d)
		abort();
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Strict UTF-8 check, written apart from the parser's decoder. */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i], need, cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			need = 1, cp = c & 0x1f;
		else if ((c & 0xf0) == 0xe0)
			need = 2, cp = c & 0x0f;
		else if ((c & 0xf8) == 0xf0)
			need = 3, cp = c & 0x07;
		else
			return 0;
		if (i + need > n - 1)
			return 0;
		for (unsigned k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			return 0;
		i += need + 1;
	}
	return 1;
}

static void check_filename(const char *f)
{
	size_t n = strlen(f);
	CHECK(n > 0 && n <= MP_FILENAME_MAX);
	CHECK(utf8_ok((const unsigned char *)f, n));
	CHECK(strcmp(f, ".") && strcmp(f, ".."));
	CHECK(!strpbrk(f, "/\\"));
	CHECK(f[0] != ' ' && f[n - 1] != ' ');
	for (size_t i = 0; i < n; i++)
		CHECK((unsigned char)f[i] >= 0x20 && f[i] != 0x7f);
	for (size_t i = 0; i + 1 < n; i++)   /* C1 controls U+0080..U+009F */
		CHECK(!((unsigned char)f[i] == 0xc2 && (unsigned char)f[i + 1] < 0xa0));
}

static int nfiles(const struct mp_form *f)
{
	int n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += f->parts[i].path != NULL;
	return n;
}

/* live: temp files other forms hold. */
static void check_form(const struct mp_form *f, const struct mp_limits *lim, size_t body, int live)
{
	unsigned long long sum = 0;
	int files = 0;
	CHECK(f->n <= lim->max_parts);
	CHECK(f->n == 0 || f->parts);
	for (size_t i = 0; i < f->n; i++) {
		const struct mp_part *p = &f->parts[i];
		struct stat sb;
		if (!CHECK(p->name && p->content_type))
			continue;
		CHECK(utf8_ok((const unsigned char *)p->name, strlen(p->name)));
		CHECK(utf8_ok((const unsigned char *)p->content_type, strlen(p->content_type)));
		CHECK(mp_get(f, p->name) <= p);
		const struct mp_part *q = mp_next(f, p);
		CHECK(!q || (q > p && !strcmp(q->name, p->name)));
		sum += p->size;
		if (p->filename) {
			files++;
			check_filename(p->filename);
			if (!CHECK(p->path && !p->value && stat(p->path, &sb) == 0))
				continue;
			CHECK((unsigned long long)sb.st_size == p->size);
			CHECK((sb.st_mode & 0777) == 0600);
		} else {
			if (!CHECK(!p->path && p->value))
				continue;
			CHECK(p->value_len == p->size && p->value_len <= lim->max_field_bytes);
			CHECK(p->value[p->value_len] == '\0');
		}
	}
	CHECK(sum <= body);
	CHECK(tmp_count() == live + files);
}

struct rd {
	const uint8_t *p;
	size_t n, pos;
	size_t max;       /* largest piece */
	uint32_t seed;
};

static ssize_t rd_read(void *ctx, void *buf, size_t n)
{
	struct rd *r = ctx;
	size_t k = r->n - r->pos, piece;
	r->seed = r->seed * 1664525u + 1013904223u;
	piece = 1 + (r->seed >> 8) % r->max;
	if (k > n)
		k = n;
	if (k > piece)
		k = piece;
	memcpy(buf, r->p + r->pos, k);
	r->pos += k;
	return (ssize_t)k;
}

static enum qstatus run(const char *ct, const uint8_t *body, size_t n, const struct mp_limits *lim,
			size_t max_piece, int live, struct mp_form *f)
{
	struct rd r = { body, n, 0, max_piece, (uint32_t)n * 2654435761u };
	struct qerr err;
	qerr_clear(&err);
	enum qstatus st = mp_parse(rd_read, &r, ct, lim, tmpdir, f, &err);
	if (st == Q_OK) {
		check_form(f, lim, n, live);
	} else {
		CHECK(st == Q_EINVAL || st == Q_ETOOBIG || st == Q_ENOMEM);
		CHECK(err.st == st && err.msg[0]);
		CHECK(f->n == 0 && !f->parts);
		CHECK(tmp_count() == live);
	}
	return st;
}

static int file_same(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int same = fa && fb;
	while (same) {
		int ca = getc(fa), cb = getc(fb);
		same = ca == cb;
		if (ca == EOF)
			break;
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* The same body read in different pieces must give the same form. */
static void compare(const struct mp_form *a, const struct mp_form *b)
{
	if (!CHECK(a->n == b->n))
		return;
	for (size_t i = 0; i < a->n; i++) {
		const struct mp_part *p = &a->parts[i], *q = &b->parts[i];
		CHECK(!strcmp(p->name, q->name) && !strcmp(p->content_type, q->content_type));
		CHECK(p->size == q->size && !p->filename == !q->filename);
		if (p->filename && q->filename)
			CHECK(!strcmp(p->filename, q->filename) && file_same(p->path, q->path));
		if (p->value && q->value)
			CHECK(p->value_len == q->value_len && !memcmp(p->value, q->value, p->value_len));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t ctlen = nl ? (size_t)(nl - data) : size;
	const uint8_t *body = nl ? nl + 1 : data + size;
	size_t n = size - (size_t)(body - data);
	char *ct = malloc(ctlen + 1);
	struct mp_form a, b, c;
	enum qstatus sa, sb, sc;
	setup();
	if (!ct)
		return 0;
	memcpy(ct, data, ctlen);
	ct[ctlen] = '\0';
	if (ctlen && ct[ctlen - 1] == '\r')
		ct[ctlen - 1] = '\0';

	/* Production limits, large pieces and 1..7 byte pieces: the same. */
	sa = run(ct, body, n, &production, 65536, 0, &a);
	sb = run(ct, body, n, &production, 7, nfiles(&a), &b);
	CHECK(sa == sb);
	if (sa == Q_OK && sb == Q_OK)
		compare(&a, &b);
	mp_form_free(&b);
	fuzz_status = sa;

	/* Tight limits: what passes them passes production's, unchanged. */
	sc = run(ct, body, n, &tight, 3, nfiles(&a), &c);
	if (sc == Q_OK && CHECK(sa == Q_OK))
		compare(&a, &c);
	mp_form_free(&a);
	mp_form_free(&c);
	CHECK(tmp_count() == 0);
	free(ct);
	return 0;
}
