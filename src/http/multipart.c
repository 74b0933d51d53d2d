/* multipart.c: the streaming multipart/form-data parser: a fixed buffer
 * and four states (preamble, part headers, part body, epilogue); fields go
 * to capped memory, file parts to temp files as their bytes arrive. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/multipart.h"
#include "base/util.h"
#include "text/text_tok.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MP_BUFSZ (MP_LINE_MAX + 256)   /* holds a whole header line and its CRLF */
#define MP_OUTSZ 16384                 /* file bytes gathered before a write */
#define MP_PADDING_MAX 64              /* spaces or tabs after a delimiter */
#define MP_UNNAMED "unnamed"

enum mp_state { ST_PREAMBLE, ST_HEADERS, ST_BODY, ST_EPILOGUE, ST_DONE };

/* What follows "\r\n--boundary" in the buffer. */
enum mp_kind { K_OPEN, K_CLOSE, K_NOT, K_MORE, K_TRUNC };

struct mp {
	ssize_t (*read)(void *ctx, void *buf, size_t n);
	void *ctx;
	struct mp_limits lim;
	const char *tmpdir;
	struct mp_form *form;
	struct qerr *err;
	enum mp_state state;
	int need;                     /* the step wants more input */
	char delim[MP_BOUNDARY_MAX + 5];   /* "\r\n--" boundary */
	size_t dlen;
	size_t palloc;                /* slots in form->parts */
	/* input */
	unsigned char buf[MP_BUFSZ];
	size_t pos, end;
	size_t hscan;                 /* bytes after pos known to hold no LF */
	int eof;
	unsigned long long total;
	/* the part being read: form->parts[form->n - 1] */
	size_t hbytes;
	int have_disp;                /* a Content-Disposition was seen */
	int fd;
	struct qbuf value;
	unsigned char out[MP_OUTSZ];
	size_t outn;
	char pval[MP_LINE_MAX + 1];   /* one parameter's value */
};

/* ---- UTF-8 ------------------------------------------------------------ */

/* A new NUL-terminated copy of s (n bytes) with invalid UTF-8 replaced. */
static char *utf8_dup(const char *s, size_t n)
{
	char *o = malloc(3 * n + 1);
	size_t k = 0;
	if (!o)
		return NULL;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += text_utf8_get((const unsigned char *)s + i, n - i, &cp);
		k += text_utf8_put(cp, o + k);
	}
	o[k] = '\0';
	return o;
}

/* ---- header syntax ------------------------------------------------------ */

static int is_tchar(int c)
{
	return c > 0x20 && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

static const char *skip_ows(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The next "; name=value" of a header value at *sp: name lowercased into
 * name ("" when longer than nlen - 1), the value (token or quoted-string,
 * unescaped) into val. In a quoted-string a backslash escapes only '"' and
 * '\': old browsers send Windows paths unescaped, and keeping such a
 * backslash only helps find the base name. 1 a parameter, 0 the end, -1
 * malformed. */
static int param_next(const char **sp, char *name, size_t nlen, char *val, size_t vlen)
{
	const char *s = skip_ows(*sp), *n0;
	size_t nl, j = 0;
	if (!*s)
		return 0;
	if (*s != ';')
		return -1;
	s = skip_ows(s + 1);
	if (!*s)
		return 0;   /* a trailing ';' */
	for (n0 = s; is_tchar((unsigned char)*s); s++)
		;
	if (!(nl = (size_t)(s - n0)))
		return -1;
	if (nl >= nlen)
		nl = 0;     /* too long to be one we know */
	for (size_t i = 0; i < nl; i++)
		name[i] = (char)((n0[i] >= 'A' && n0[i] <= 'Z') ? n0[i] + 32 : n0[i]);
	name[nl] = '\0';
	s = skip_ows(s);
	if (*s != '=')
		return -1;
	s = skip_ows(s + 1);
	if (*s == '"') {
		for (s++; *s != '"'; s++) {
			if (!*s)
				return -1;
			if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
				s++;
			if (j + 1 >= vlen)
				return -1;
			val[j++] = *s;
		}
		s++;
	} else {
		for (; *s && *s != ';' && *s != ' ' && *s != '\t' && *s != '"'; s++) {
			if (j + 1 >= vlen)
				return -1;
			val[j++] = *s;
		}
		if (j == 0)
			return -1;
	}
	val[j] = '\0';
	*sp = s;
	return 1;
}

/* ---- boundary ------------------------------------------------------------ */

static int is_bchar(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("'()+_,-./:=? ", c));
}

int mp_boundary(const char *content_type, char *out, size_t outlen)
{
	const char *s;
	char name[16], *val;
	int r, found = 0, rc = -1;
	if (!content_type || outlen < 2)
		return -1;
	s = skip_ows(content_type);
	if (strncasecmp(s, "multipart/form-data", 19) || !strchr("; \t", s[19]))
		return -1;
	s += 19;
	if (!(val = malloc(strlen(s) + 1)))
		return -1;
	while ((r = param_next(&s, name, sizeof name, val, strlen(s) + 1)) > 0) {
		if (strcmp(name, "boundary"))
			continue;
		size_t n = strlen(val);
		if (found++ || n == 0 || n > MP_BOUNDARY_MAX || n >= outlen || val[n - 1] == ' ')
			goto out;
		for (size_t i = 0; i < n; i++)
			if (!is_bchar((unsigned char)val[i]))
				goto out;
		memcpy(out, val, n + 1);
	}
	if (r == 0 && found == 1)
		rc = 0;
out:
	free(val);
	return rc;
}

/* ---- file names ---------------------------------------------------------- */

/* Cut s (len bytes of valid UTF-8) to at most max bytes on a character
 * boundary, keeping an extension of up to 16 bytes; the new length. */
static size_t name_cut(char *s, size_t len, size_t max)
{
	size_t ext = 0, cut;
	const char *dot = NULL;
	if (len <= max)
		return len;
	for (size_t i = len; i-- > 1;)
		if (s[i] == '.') {
			dot = s + i;
			break;
		}
	if (dot && len - (size_t)(dot - s) <= 16 && len - (size_t)(dot - s) < max)
		ext = len - (size_t)(dot - s);
	cut = max - ext;
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	memmove(s + cut, s + len - ext, ext);
	return cut + ext;
}

void mp_sanitize_filename(const char *in, size_t n, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t start = 0, k = 0, b = 0;
	char *t;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == '\\')
			start = i + 1;
	if (!(t = malloc(3 * (n - start) + 1)))
		goto unnamed;
	for (size_t i = start; i < n;) {
		uint32_t cp;
		i += text_utf8_get(s + i, n - i, &cp);
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			continue;
		k += text_utf8_put(cp, t + k);
	}
	while (b < k && t[b] == ' ')
		b++;
	while (k > b && t[k - 1] == ' ')
		k--;
	k -= b;
	memmove(t, t + b, k);
	t[k] = '\0';
	if (!k || !strcmp(t, ".") || !strcmp(t, "..")) {
		free(t);
		goto unnamed;
	}
	k = name_cut(t, k, outlen - 1 < MP_FILENAME_MAX ? outlen - 1 : MP_FILENAME_MAX);
	memcpy(out, t, k);
	out[k] = '\0';
	free(t);
	return;
unnamed:
	snprintf(out, outlen, "%s", MP_UNNAMED);
}

/* Decode an RFC 5987 ext-value (charset'lang'pct-encoded, UTF-8 or
 * ISO-8859-1) into out (>= 2 * strlen(v) + 1); its length, -1 when the
 * value is malformed or the charset unknown. */
static long ext_value_decode(const char *v, char *out)
{
	const char *q1 = strchr(v, '\''), *q2;
	int latin1;
	size_t k = 0;
	if (!q1 || !(q2 = strchr(q1 + 1, '\'')))
		return -1;
	if ((size_t)(q1 - v) == 5 && !strncasecmp(v, "utf-8", 5))
		latin1 = 0;
	else if ((size_t)(q1 - v) == 10 && !strncasecmp(v, "iso-8859-1", 10))
		latin1 = 1;
	else
		return -1;
	for (const char *s = q2 + 1; *s; s++) {
		int c = (unsigned char)*s;
		if (c == '%') {
			int hi = q_hex_digit((unsigned char)s[1]);
			int lo = hi < 0 ? -1 : q_hex_digit((unsigned char)s[2]);
			if (lo < 0)
				return -1;
			c = hi << 4 | lo;
			s += 2;
		}
		if (latin1)
			k += text_utf8_put((uint32_t)c, out + k);
		else
			out[k++] = (char)c;
	}
	return (long)k;
}

/* ---- the parse --------------------------------------------------------- */

static struct mp_part *cur(struct mp *m)
{
	return &m->form->parts[m->form->n - 1];
}

static enum qstatus truncated(struct mp *m)
{
	return qerr_set(m->err, Q_EINVAL, NULL,
			"malformed multipart body: truncated before the closing boundary");
}

static enum qstatus no_memory(struct mp *m)
{
	return qerr_set(m->err, Q_ENOMEM, NULL, "out of memory");
}

/* Read more input, moving the unread bytes to the front when room is short.
 * Reads at most one byte past max_total, so an oversized body is caught
 * without reading the rest. */
static enum qstatus fill(struct mp *m)
{
	size_t room;
	unsigned long long left = m->lim.max_total - m->total;
	ssize_t r;
	if (m->pos > 0 && (m->end == MP_BUFSZ || m->pos >= MP_BUFSZ / 2)) {
		memmove(m->buf, m->buf + m->pos, m->end - m->pos);
		m->end -= m->pos;
		m->pos = 0;
	}
	room = MP_BUFSZ - m->end;
	if (room == 0)
		return qerr_set(m->err, Q_EINVAL, NULL, "malformed multipart body: line too long");
	if (left < room)
		room = (size_t)left + 1;
	r = m->read(m->ctx, m->buf + m->end, room);
	if (r < 0 || (size_t)r > room)
		return qerr_set(m->err, Q_EINVAL, NULL, "error reading the request body");
	if (r == 0) {
		m->eof = 1;
		return Q_OK;
	}
	m->end += (size_t)r;
	m->total += (unsigned long long)r;
	if (m->total > m->lim.max_total)
		return qerr_set(m->err, Q_ETOOBIG, NULL, "the upload is over the limit of %llu bytes",
				m->lim.max_total);
	return Q_OK;
}

/* Classify the delimiter at pos: a part follows (optional spaces or tabs,
 * then CRLF), the close delimiter ("--"), or not a delimiter at all (the
 * boundary is only a prefix of other bytes). *after is where the next
 * state starts. */
static enum mp_kind delim_kind(struct mp *m, size_t *after)
{
	const unsigned char *s = m->buf + m->pos + m->dlen;
	size_t n = m->end - m->pos - m->dlen, i = 0;
	if (n < 2)
		return m->eof ? K_TRUNC : K_MORE;
	if (s[0] == '-' && s[1] == '-') {
		*after = m->pos + m->dlen + 2;
		return K_CLOSE;
	}
	while (i < n && i < MP_PADDING_MAX && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == MP_PADDING_MAX)
		return K_NOT;
	if (i + 2 > n)
		return m->eof ? K_TRUNC : K_MORE;
	if (s[i] != '\r' || s[i + 1] != '\n')
		return K_NOT;
	*after = m->pos + m->dlen + i + 2;
	return K_OPEN;
}

static enum qstatus part_new(struct mp *m)
{
	struct mp_form *f = m->form;
	if (f->n == m->lim.max_parts)
		return qerr_set(m->err, Q_ETOOBIG, NULL, "too many parts: the limit is %zu",
				m->lim.max_parts);
	if (f->n == m->palloc) {
		size_t want = m->palloc ? 2 * m->palloc : 8;
		struct mp_part *p = realloc(f->parts, want * sizeof *p);
		if (!p)
			return no_memory(m);
		f->parts = p;
		m->palloc = want;
	}
	memset(&f->parts[f->n++], 0, sizeof *f->parts);
	m->have_disp = 0;
	m->hbytes = 0;
	m->hscan = 0;
	m->state = ST_HEADERS;
	return Q_OK;
}

static enum qstatus write_failed(struct mp *m, int e)
{
	if (e == ENOSPC || e == EDQUOT)
		return qerr_set(m->err, Q_ENOSPACE, NULL, "no space left for the upload");
	return qerr_set(m->err, Q_EINTERNAL, NULL, "cannot write the upload: %s", strerror(e));
}

/* Write the gathered file bytes. */
static enum qstatus out_flush(struct mp *m)
{
	size_t n = m->outn;
	m->outn = 0;
	if (n && q_write_all(m->fd, m->out, n) < 0)
		return write_failed(m, errno);
	return Q_OK;
}

/* n bytes of the current part's body: to the field's capped value, or
 * gathered in out and written to the part's temp file. */
static enum qstatus emit(struct mp *m, const unsigned char *p, size_t n)
{
	struct mp_part *part = cur(m);
	enum qstatus st;
	if (!n)
		return Q_OK;
	part->size += n;
	if (!part->path) {
		if (m->value.len + n > m->lim.max_field_bytes)
			return qerr_set(m->err, Q_ETOOBIG, part->name,
					"field %s is over the limit of %zu bytes", part->name,
					m->lim.max_field_bytes);
		return qbuf_add(&m->value, p, n) < 0 ? no_memory(m) : Q_OK;
	}
	if (m->outn + n > MP_OUTSZ && (st = out_flush(m)) != Q_OK)
		return st;
	if (n >= MP_OUTSZ)
		return q_write_all(m->fd, p, n) < 0 ? write_failed(m, errno) : Q_OK;
	memcpy(m->out + m->outn, p, n);
	m->outn += n;
	return Q_OK;
}

/* The current part's body is complete. */
static enum qstatus part_end(struct mp *m)
{
	struct mp_part *part = cur(m);
	if (part->path) {
		enum qstatus st = out_flush(m);
		int rc = close(m->fd);
		m->fd = -1;
		if (st != Q_OK)
			return st;
		if (rc < 0)
			return qerr_set(m->err, Q_EINTERNAL, NULL, "cannot write the upload: %s",
					strerror(errno));
		return Q_OK;
	}
	part->value = m->value.data ? m->value.data : strdup("");
	part->value_len = m->value.len;
	qbuf_init(&m->value, 0);
	return part->value ? Q_OK : no_memory(m);
}

/* Headers done: open the part's temp file or value buffer. */
static enum qstatus body_begin(struct mp *m)
{
	struct mp_part *part = cur(m);
	size_t n;
	char *path;
	if (!part->name)
		return qerr_set(m->err, Q_EINVAL, NULL, "malformed multipart body: part %zu has %s",
				m->form->n, m->have_disp ? "no name in its Content-Disposition"
							 : "no Content-Disposition");
	if (!part->content_type && !(part->content_type = strdup("")))
		return no_memory(m);
	m->state = ST_BODY;
	if (!part->filename) {
		qbuf_init(&m->value, m->lim.max_field_bytes);
		return Q_OK;
	}
	n = strlen(m->tmpdir) + sizeof "/upload-XXXXXX";
	if (!(path = malloc(n)))
		return no_memory(m);
	snprintf(path, n, "%s/upload-XXXXXX", m->tmpdir);
	m->fd = mkostemp(path, O_CLOEXEC);
	if (m->fd < 0) {
		int e = errno;
		free(path);
		if (e == ENOSPC || e == EDQUOT)
			return qerr_set(m->err, Q_ENOSPACE, NULL, "no space left for the upload");
		return qerr_set(m->err, Q_EINTERNAL, NULL, "cannot create a temporary file: %s",
				strerror(e));
	}
	part->path = path;
	m->outn = 0;
	return Q_OK;
}

/* Content-Disposition: form-data; name=...; filename=...; filename*=... */
static enum qstatus disposition(struct mp *m, const char *v)
{
	struct mp_part *part = cur(m);
	char pname[16], *plain = NULL, *star = NULL, fname[MP_FILENAME_MAX + 1];
	long starlen = -1;
	int r;
	enum qstatus st = Q_EINVAL;
	const char *s = skip_ows(v);
	if (m->have_disp++)
		return qerr_set(m->err, Q_EINVAL, NULL,
				"malformed multipart body: part %zu has two Content-Disposition headers",
				m->form->n);
	if (strncasecmp(s, "form-data", 9) || !strchr("; \t", s[9]))
		return qerr_set(m->err, Q_EINVAL, NULL,
				"malformed multipart body: part %zu is not form-data", m->form->n);
	s += 9;
	while ((r = param_next(&s, pname, sizeof pname, m->pval, sizeof m->pval)) > 0) {
		char **dst = !strcmp(pname, "name") ? &part->name :
			     !strcmp(pname, "filename") ? &plain :
			     !strcmp(pname, "filename*") ? &star : NULL;
		if (!dst)
			continue;
		if (*dst) {
			qerr_set(m->err, Q_EINVAL, NULL,
				 "malformed multipart body: part %zu repeats the %s parameter",
				 m->form->n, pname);
			goto out;
		}
		if (!(*dst = dst == &part->name ? utf8_dup(m->pval, strlen(m->pval))
						: strdup(m->pval))) {
			st = no_memory(m);
			goto out;
		}
	}
	if (r < 0) {
		qerr_set(m->err, Q_EINVAL, NULL,
			 "malformed multipart body: part %zu has a malformed Content-Disposition",
			 m->form->n);
		goto out;
	}
	if (star) {
		/* ISO-8859-1 at most doubles in UTF-8; percent escapes shrink. */
		char *dec = malloc(2 * strlen(star) + 1);
		if (!dec) {
			st = no_memory(m);
			goto out;
		}
		starlen = ext_value_decode(star, dec);
		free(star);
		star = dec;
	}
	if (starlen >= 0)
		mp_sanitize_filename(star, (size_t)starlen, fname, sizeof fname);
	else if (plain || star)
		mp_sanitize_filename(plain ? plain : "", plain ? strlen(plain) : 0, fname,
				     sizeof fname);
	if ((plain || star) && !(part->filename = strdup(fname))) {
		st = no_memory(m);
		goto out;
	}
	st = Q_OK;
out:
	free(plain);
	free(star);
	return st;
}

/* One header line (len bytes, CRLF removed) of the current part. */
static enum qstatus header_line(struct mp *m, const char *line, size_t len)
{
	struct mp_part *part = cur(m);
	size_t i = 0, e = len;
	const char *v;
	if (line[0] == ' ' || line[0] == '\t')
		return qerr_set(m->err, Q_EINVAL, NULL,
				"malformed multipart body: folded header line in part %zu",
				m->form->n);
	if (memchr(line, '\r', len) || memchr(line, '\0', len))
		return qerr_set(m->err, Q_EINVAL, NULL,
				"malformed multipart body: control character in a header of part %zu",
				m->form->n);
	while (i < len && is_tchar((unsigned char)line[i]))
		i++;
	if (i == 0 || i == len || line[i] != ':')
		return qerr_set(m->err, Q_EINVAL, NULL,
				"malformed multipart body: bad header line in part %zu", m->form->n);
	v = skip_ows(line + i + 1);
	while (e > (size_t)(v - line) && (line[e - 1] == ' ' || line[e - 1] == '\t'))
		e--;
	memcpy(m->pval, v, e - (size_t)(v - line));
	m->pval[e - (size_t)(v - line)] = '\0';
	if (i == 19 && !strncasecmp(line, "Content-Disposition", 19)) {
		/* disposition() reuses pval for the parameters: parse a copy. */
		char *copy = strdup(m->pval);
		enum qstatus st = copy ? disposition(m, copy) : no_memory(m);
		free(copy);
		return st;
	}
	if (i == 12 && !strncasecmp(line, "Content-Type", 12)) {
		if (part->content_type)
			return qerr_set(m->err, Q_EINVAL, NULL,
					"malformed multipart body: part %zu has two Content-Type headers",
					m->form->n);
		part->content_type = utf8_dup(m->pval, strlen(m->pval));
		return part->content_type ? Q_OK : no_memory(m);
	}
	return Q_OK;   /* other headers (Content-Transfer-Encoding...) are ignored */
}

static enum qstatus header_too_big(struct mp *m, size_t line)
{
	if (line > MP_LINE_MAX)
		return qerr_set(m->err, Q_ETOOBIG, NULL,
				"a header line of part %zu is over the limit of %d bytes",
				m->form->n, MP_LINE_MAX);
	return qerr_set(m->err, Q_ETOOBIG, NULL,
			"the header of part %zu is over the limit of %zu bytes", m->form->n,
			m->lim.max_header_bytes);
}

static enum qstatus step_headers(struct mp *m)
{
	const unsigned char *line = m->buf + m->pos, *lf;
	size_t avail = m->end - m->pos, len;
	lf = memchr(line + m->hscan, '\n', avail - m->hscan);
	if (!lf) {
		m->hscan = avail;
		if (m->hbytes + avail > m->lim.max_header_bytes || avail > MP_LINE_MAX + 1)
			return header_too_big(m, avail);
		if (m->eof)
			return truncated(m);
		m->need = 1;
		return Q_OK;
	}
	len = (size_t)(lf - line) + 1;
	m->hbytes += len;
	if (m->hbytes > m->lim.max_header_bytes || len > MP_LINE_MAX + 2)
		return header_too_big(m, len - 2);
	m->pos += len;
	m->hscan = 0;
	if (len < 2 || line[len - 2] != '\r')
		return qerr_set(m->err, Q_EINVAL, NULL,
				"malformed multipart body: a header line of part %zu does not end in CRLF",
				m->form->n);
	if (len == 2)
		return body_begin(m);
	return header_line(m, (const char *)line, len - 2);
}

/* Find the next delimiter at or after pos; in the body, everything before
 * it (or all but a possible partial delimiter at the end) is emitted. */
static enum qstatus step_scan(struct mp *m)
{
	int body = m->state == ST_BODY;
	enum qstatus st;
	for (;;) {
		const unsigned char *base = m->buf + m->pos, *p;
		size_t avail = m->end - m->pos, after = 0, skip;
		p = memmem(base, avail, m->delim, m->dlen);
		if (!p) {
			skip = avail >= m->dlen ? avail - (m->dlen - 1) : 0;
			if (body && (st = emit(m, base, skip)) != Q_OK)
				return st;
			m->pos += skip;
			if (m->eof)
				return body || m->total ? truncated(m)
					: qerr_set(m->err, Q_EINVAL, NULL, "the multipart body is empty");
			m->need = 1;
			return Q_OK;
		}
		skip = (size_t)(p - base);
		if (body && (st = emit(m, base, skip)) != Q_OK)
			return st;
		m->pos += skip;
		enum mp_kind kind = delim_kind(m, &after);
		switch (kind) {
		case K_MORE:
			m->need = 1;
			return Q_OK;
		case K_TRUNC:
			return truncated(m);
		case K_NOT:
			if (body && (st = emit(m, m->buf + m->pos, 1)) != Q_OK)
				return st;
			m->pos++;
			continue;
		case K_OPEN:
		case K_CLOSE:
			if (body && (st = part_end(m)) != Q_OK)
				return st;
			m->pos = after;
			if (kind == K_CLOSE) {
				m->state = ST_EPILOGUE;
				return Q_OK;
			}
			return part_new(m);
		}
	}
}

/* Read and drop the epilogue, so max_total covers the whole body. */
static enum qstatus step_epilogue(struct mp *m)
{
	m->pos = m->end;
	if (m->eof)
		m->state = ST_DONE;
	else
		m->need = 1;
	return Q_OK;
}

static enum qstatus mp_run(struct mp *m)
{
	enum qstatus st = Q_OK;
	while (m->state != ST_DONE) {
		m->need = 0;
		switch (m->state) {
		case ST_PREAMBLE:
		case ST_BODY:
			st = step_scan(m);
			break;
		case ST_HEADERS:
			st = step_headers(m);
			break;
		default:
			st = step_epilogue(m);
			break;
		}
		if (st == Q_OK && m->need)
			st = fill(m);
		if (st != Q_OK)
			return st;
	}
	return Q_OK;
}

static void limits_default(struct mp_limits *l, const struct mp_limits *in)
{
	l->max_total = in && in->max_total ? in->max_total : 100ULL << 20;
	l->max_parts = in && in->max_parts ? in->max_parts : 64;
	l->max_header_bytes = in && in->max_header_bytes ? in->max_header_bytes : 8192;
	l->max_field_bytes = in && in->max_field_bytes ? in->max_field_bytes : 65536;
}

enum qstatus mp_parse(ssize_t (*read)(void *ctx, void *buf, size_t n), void *ctx,
		      const char *content_type, const struct mp_limits *lim,
		      const char *tmpdir, struct mp_form *out, struct qerr *err)
{
	char boundary[MP_BOUNDARY_MAX + 1];
	struct mp *m;
	enum qstatus st;
	out->parts = NULL;
	out->n = 0;
	if (mp_boundary(content_type, boundary, sizeof boundary) < 0)
		return qerr_set(err, Q_EINVAL, NULL,
				"malformed multipart: missing or invalid boundary in the Content-Type");
	if (!(m = calloc(1, sizeof *m)))
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	m->read = read;
	m->ctx = ctx;
	limits_default(&m->lim, lim);
	m->tmpdir = tmpdir;
	m->form = out;
	m->err = err;
	m->fd = -1;
	m->dlen = (size_t)snprintf(m->delim, sizeof m->delim, "\r\n--%s", boundary);
	qbuf_init(&m->value, 0);
	/* A virtual CRLF before the body lets the first delimiter match the
	 * same "\r\n--boundary" as every other; it counts towards no cap. */
	memcpy(m->buf, "\r\n", 2);
	m->end = 2;
	st = mp_run(m);
	if (m->fd >= 0)
		close(m->fd);
	qbuf_free(&m->value);
	free(m);
	if (st != Q_OK)
		mp_form_free(out);
	return st;
}

const struct mp_part *mp_get(const struct mp_form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->parts[i].name, name))
			return &f->parts[i];
	return NULL;
}

const struct mp_part *mp_next(const struct mp_form *f, const struct mp_part *prev)
{
	for (size_t i = (size_t)(prev - f->parts) + 1; i < f->n; i++)
		if (!strcmp(f->parts[i].name, prev->name))
			return &f->parts[i];
	return NULL;
}

void mp_form_free(struct mp_form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct mp_part *p = &f->parts[i];
		if (p->path)
			unlink(p->path);
		free(p->name);
		free(p->filename);
		free(p->content_type);
		free(p->path);
		free(p->value);
	}
	free(f->parts);
	f->parts = NULL;
	f->n = 0;
}
