/* zipguard.c: opening an OOXML archive without trusting it: the central
 * directory is checked by hand before libzip sees it, and every inflated
 * byte is counted as it is read. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ooxml.h"
#include "zipguard.h"
#include "../common/bytes.h"

/* Central directories larger than this are refused outright. */
#define OX_MAX_CD_BYTES (64u << 20)
/* Entries inflating to less than this are not held to the ratio: small XML
 * parts compress far better than 100:1. */
#define OX_RATIO_FLOOR (1u << 20)

/* Where the archive's bytes are: a descriptor or memory. */
struct src {
	int fd;
	const unsigned char *mem;
	size_t len;
};

static int read_at(const struct src *s, void *buf, size_t n, off_t off)
{
	unsigned char *p = buf;
	int fd = s->fd;

	if (s->mem) {
		if (off < 0 || (size_t)off > s->len || n > s->len - (size_t)off)
			return -1;
		memcpy(buf, s->mem + off, n);
		return 0;
	}

	while (n) {
		ssize_t got = pread(fd, p, n, off);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		p += got;
		n -= (size_t)got;
		off += got;
	}
	return 0;
}


int ox_is_cfb(int fd)
{
	static const unsigned char magic[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	unsigned char head[8];
	struct src s = { .fd = fd };

	return read_at(&s, head, sizeof head, 0) == 0 && memcmp(head, magic, 8) == 0;
}

struct cd_info {
	uint64_t entries, size, off;
};

/* Find the end of central directory record (and its ZIP64 form). */
static enum quire_result find_eocd(const struct src *fd, uint64_t fsize, struct cd_info *cd)
{
	size_t tail = fsize < 65557 ? (size_t)fsize : 65557;
	unsigned char *buf = malloc(tail), *e = NULL;
	enum quire_result r = QUIRE_CORRUPT;

	if (!buf)
		return QUIRE_ERROR;
	if (read_at(fd, buf, tail, (off_t)(fsize - tail)) < 0)
		goto out;
	for (size_t i = tail - 22 + 1; i-- > 0;)
		if (memcmp(buf + i, "PK\5\6", 4) == 0) {
			e = buf + i;
			break;
		}
	if (!e)
		goto out;
	cd->entries = pc_le16(e + 10);
	cd->size = pc_le32(e + 12);
	cd->off = pc_le32(e + 16);
	if (cd->entries == 0xFFFF || cd->size == 0xFFFFFFFF || cd->off == 0xFFFFFFFF) {
		unsigned char rec[56];
		uint64_t eocd64;

		if (e - buf < 20 || memcmp(e - 20, "PK\6\7", 4) != 0)
			goto out;
		eocd64 = pc_le64(e - 20 + 8);
		if (eocd64 > fsize - 56 || read_at(fd, rec, sizeof rec, (off_t)eocd64) < 0 ||
		    memcmp(rec, "PK\6\6", 4) != 0)
			goto out;
		cd->entries = pc_le64(rec + 32);
		cd->size = pc_le64(rec + 40);
		cd->off = pc_le64(rec + 48);
	}
	r = QUIRE_OK;
out:
	free(buf);
	return r;
}

struct span {
	uint64_t start, end;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* ZIP64 extra field: the 64-bit values of the fields set to all ones. */
static void zip64_extra(const unsigned char *x, size_t xlen, uint64_t *usize, uint64_t *csize,
			uint64_t *off)
{
	while (xlen >= 4) {
		size_t id = pc_le16(x), len = pc_le16(x + 2), k = 0;

		if (len > xlen - 4)
			return;
		if (id == 1) {
			if (*usize == 0xFFFFFFFF && k + 8 <= len) { *usize = pc_le64(x + 4 + k); k += 8; }
			if (*csize == 0xFFFFFFFF && k + 8 <= len) { *csize = pc_le64(x + 4 + k); k += 8; }
			if (*off == 0xFFFFFFFF && k + 8 <= len) *off = pc_le64(x + 4 + k);
			return;
		}
		x += 4 + len;
		xlen -= 4 + len;
	}
}

/* Walk the central directory: encryption flags, the sum of compressed
 * sizes and overlapping entries (the Fifield construction). */
static enum quire_result check_cd(const unsigned char *cd, const struct cd_info *info,
				  uint64_t fsize)
{
	struct span *sp = calloc(info->entries ? info->entries : 1, sizeof *sp);
	const unsigned char *p = cd, *end = cd + info->size;
	uint64_t sum = 0, i;
	enum quire_result r = QUIRE_CORRUPT;

	if (!sp)
		return QUIRE_ERROR;
	for (i = 0; i < info->entries; i++) {
		uint64_t usize, csize, off;
		size_t nlen, xlen, clen;

		if (end - p < 46 || memcmp(p, "PK\1\2", 4) != 0)
			goto out;
		nlen = pc_le16(p + 28);
		xlen = pc_le16(p + 30);
		clen = pc_le16(p + 32);
		if ((size_t)(end - p) < 46 + nlen + xlen + clen)
			goto out;
		if (pc_le16(p + 8) & (1u | 1u << 6)) {
			r = QUIRE_ENCRYPTED;
			goto out;
		}
		csize = pc_le32(p + 20);
		usize = pc_le32(p + 24);
		off = pc_le32(p + 42);
		zip64_extra(p + 46 + nlen, xlen, &usize, &csize, &off);
		sum += csize;
		if (csize > fsize || sum > fsize || off > fsize)
			goto out;
		sp[i].start = off;
		sp[i].end = off + 30 + nlen + csize;  /* a lower bound of the entry's end */
		p += 46 + nlen + xlen + clen;
	}
	qsort(sp, (size_t)info->entries, sizeof *sp, span_cmp);
	for (i = 0; i < info->entries; i++)
		if ((i + 1 < info->entries && sp[i].end > sp[i + 1].start) || sp[i].end > info->off)
			goto out;
	r = QUIRE_OK;
out:
	free(sp);
	return r;
}

static enum quire_result precheck(struct ox *ox, const struct src *fd, uint64_t fsize)
{
	const struct quire_limits *lim = ox->host->limits;
	unsigned max_entries = lim->max_zip_entries ? lim->max_zip_entries : 10000;
	struct cd_info cd;
	unsigned char *buf;
	enum quire_result r;

	if (fsize < 22)
		return fsize == 0 ? QUIRE_EMPTY : QUIRE_CORRUPT;
	r = find_eocd(fd, fsize, &cd);
	if (r != QUIRE_OK)
		return r;
	if (cd.entries > max_entries) {
		ox->host->log(QUIRE_LOG_WARNING, "ooxml: %llu zip entries, more than %u",
			      (unsigned long long)cd.entries, max_entries);
		return QUIRE_TOO_LARGE;
	}
	if (cd.off > fsize || cd.size > fsize - cd.off ||
	    cd.size < cd.entries * 46)
		return QUIRE_CORRUPT;
	if (cd.size > OX_MAX_CD_BYTES)
		return QUIRE_TOO_LARGE;
	buf = malloc(cd.size ? (size_t)cd.size : 1);
	if (!buf)
		return QUIRE_ERROR;
	r = read_at(fd, buf, (size_t)cd.size, (off_t)cd.off) < 0 ? QUIRE_CORRUPT
		: check_cd(buf, &cd, fsize);
	free(buf);
	return r;
}

enum quire_result ox_zip_open(struct ox *ox, int fd)
{
	struct src s = { .fd = fd };
	struct stat st;
	enum quire_result r;
	int own, zerr = 0;

	if (fstat(fd, &st) < 0)
		return QUIRE_ERROR;
	r = precheck(ox, &s, (uint64_t)st.st_size);
	if (r != QUIRE_OK)
		return r;
	own = dup(fd);
	if (own < 0)
		return QUIRE_ERROR;
	ox->zip = zip_fdopen(own, ZIP_CHECKCONS | ZIP_RDONLY, &zerr);
	if (!ox->zip && zerr == ZIP_ER_INCONS) {
		/* Word and others write local headers that differ from the
		 * central ones in harmless fields (times, extra data, data
		 * descriptors). The checks above already refused what is
		 * dangerous (overlap, sizes, encryption), sizes and CRCs are
		 * still verified as entries are read: open it without
		 * CHECKCONS rather than lose the document. */
		ox->host->log(QUIRE_LOG_INFO, "ooxml: local and central zip headers differ");
		lseek(own, 0, SEEK_SET);
		ox->zip = zip_fdopen(own, ZIP_RDONLY, &zerr);
	}
	if (!ox->zip) {
		close(own);
		ox->host->log(QUIRE_LOG_INFO, "ooxml: libzip refuses the archive (error %d)", zerr);
		return zerr == ZIP_ER_MEMORY ? QUIRE_ERROR : QUIRE_CORRUPT;
	}
	return QUIRE_OK;
}

enum quire_result ox_zip_open_mem(struct ox *ox, const unsigned char *mem, size_t len)
{
	struct src s = { .fd = -1, .mem = mem, .len = len };
	enum quire_result r = precheck(ox, &s, len);
	zip_error_t zerr;
	zip_source_t *zs;

	if (r != QUIRE_OK)
		return r;
	zip_error_init(&zerr);
	zs = zip_source_buffer_create(mem, len, 0, &zerr);
	if (!zs)
		return QUIRE_ERROR;
	ox->zip = zip_open_from_source(zs, ZIP_CHECKCONS | ZIP_RDONLY, &zerr);
	if (!ox->zip && zip_error_code_zip(&zerr) == ZIP_ER_INCONS)
		ox->zip = zip_open_from_source(zs, ZIP_RDONLY, &zerr);
	if (!ox->zip) {
		zip_source_free(zs);
		r = zip_error_code_zip(&zerr) == ZIP_ER_MEMORY ? QUIRE_ERROR : QUIRE_CORRUPT;
	}
	zip_error_fini(&zerr);
	return r;
}

void ox_zip_close(struct ox *ox)
{
	if (ox->zip)
		zip_discard(ox->zip);
	ox->zip = NULL;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* name with its %XX escapes decoded into out (size n); 0 when it has none
 * (or one that would decode to NUL), or when it does not fit. */
static int percent_decoded(const char *name, char *out, size_t n)
{
	size_t k = 0;
	int any = 0;

	for (const char *s = name; *s; s++) {
		int hi = s[0] == '%' ? hexval(s[1]) : -1, lo = hi >= 0 ? hexval(s[2]) : -1;

		if (k + 1 >= n)
			return 0;
		if (lo >= 0 && (hi || lo)) {
			out[k++] = (char)(hi * 16 + lo);
			s += 2;
			any = 1;
		} else
			out[k++] = *s;
	}
	out[k] = '\0';
	return any;
}

int ox_part_eq(const char *a, const char *b)
{
	char da[1024], db[1024];

	if (a[0] == '/')
		a++;
	if (b[0] == '/')
		b++;
	return strcasecmp(percent_decoded(a, da, sizeof da) ? da : a,
			  percent_decoded(b, db, sizeof db) ? db : b) == 0;
}

/* The entry that part name names. A part name is a URI (ECMA-376 Part 2):
 * producers write the zip item "Main Part.xml" for the relationship target
 * "Main%20Part.xml", and part names compare without regard to case, so
 * after the name as it is come its decoded form and a lookup without case
 * (libzip's is a linear scan: only when the exact name is missing), and
 * last with backslashes for slashes. */
static zip_int64_t locate(zip_t *zip, const char *name)
{
	char dec[1024];
	int has_dec = percent_decoded(name, dec, sizeof dec);
	zip_int64_t idx = zip_name_locate(zip, name, 0);

	if (idx < 0 && has_dec)
		idx = zip_name_locate(zip, dec, 0);
	if (idx < 0)
		idx = zip_name_locate(zip, name, ZIP_FL_NOCASE);
	if (idx < 0 && has_dec)
		idx = zip_name_locate(zip, dec, ZIP_FL_NOCASE);
	if (idx < 0 && strchr(name, '/') && strlen(name) < sizeof dec) {
		/* Zip tools on Windows that wrote "word\document.xml" */
		strcpy(dec, name);
		for (char *c = dec; *c; c++)
			*c = *c == '/' ? '\\' : *c;
		idx = zip_name_locate(zip, dec, ZIP_FL_NOCASE);
	}
	return idx;
}

int ox_has_entry(struct ox *ox, const char *name)
{
	return locate(ox->zip, name) >= 0;
}

int ox_entry_open(struct ox *ox, const char *name, struct ox_entry *e)
{
	zip_int64_t idx = locate(ox->zip, name);
	zip_stat_t st;

	memset(e, 0, sizeof *e);
	e->ox = ox;
	if (idx < 0)
		return -1;
	zip_stat_init(&st);
	if (zip_stat_index(ox->zip, (zip_uint64_t)idx, 0, &st) < 0) {
		ox->err = QUIRE_CORRUPT;
		return -1;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		ox->err = QUIRE_ENCRYPTED;
		return -1;
	}
	e->declared = st.valid & ZIP_STAT_SIZE ? st.size : ~0ULL;
	e->cap = ~0ULL;
	if (st.valid & ZIP_STAT_COMP_SIZE && ox->max_ratio &&
	    st.comp_size < ~0ULL / ox->max_ratio)
		e->cap = st.comp_size * ox->max_ratio;
	if (e->cap < OX_RATIO_FLOOR)
		e->cap = OX_RATIO_FLOOR;
	e->zf = zip_fopen_index(ox->zip, (zip_uint64_t)idx, 0);
	if (!e->zf) {
		int ze = zip_error_code_zip(zip_get_error(ox->zip));

		ox->err = ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD || ze == ZIP_ER_ENCRNOTSUPP
				  ? QUIRE_ENCRYPTED : QUIRE_CORRUPT;
		return -1;
	}
	return 0;
}

long ox_entry_read(struct ox_entry *e, void *buf, size_t len)
{
	struct ox *ox = e->ox;
	zip_int64_t got;

	if (ox->err)
		return -1;
	got = zip_fread(e->zf, buf, len);
	if (got < 0) {
		ox->err = QUIRE_CORRUPT;
		return -1;
	}
	e->n += (unsigned long long)got;
	ox->inflated += (unsigned long long)got;
	if (e->n > e->declared) {
		/* More bytes than the headers declare: the entry lies. */
		ox->host->log(QUIRE_LOG_WARNING, "ooxml: entry inflates past its declared size %llu",
			      e->declared);
		ox->err = QUIRE_CORRUPT;
		return -1;
	}
	if (e->n > e->cap || ox->inflated > ox->max_inflated) {
		ox->host->log(QUIRE_LOG_WARNING, "ooxml: inflation cap hit (%llu bytes in entry, %llu total)",
			      e->n, ox->inflated);
		ox->err = QUIRE_TOO_LARGE;
		return -1;
	}
	return (long)got;
}

void ox_entry_close(struct ox_entry *e)
{
	if (e->zf)
		zip_fclose(e->zf);
	e->zf = NULL;
}
