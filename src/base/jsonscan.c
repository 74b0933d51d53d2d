/* jsonscan.c: JSON text without a parse, for hot read paths: members of
 * an object found by a scan that checks the text, strings escaped as
 * jansson escapes them, integers read from a span. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/jsonscan.h"

#include <stdint.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

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
		int d = q_hex_digit(p[i]);
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

/* The string of the span (a valid JSON string literal, q_json_members
 * checked it) decoded into out, which holds v.n bytes (a decoded string is
 * never longer than its literal less the quotes, plus the NUL); its
 * length. A \u0000 ends it, as a C string would. */
static size_t span_decode(struct q_span v, char *out)
{
	const unsigned char *q = (const unsigned char *)v.p + 1;
	const unsigned char *e = (const unsigned char *)v.p + v.n - 1;   /* the closing quote */
	char *o = out;
	while (q < e) {
		const unsigned char *r = memchr(q, '\\', (size_t)(e - q));
		if (!r)
			r = e;
		memcpy(o, q, (size_t)(r - q));
		o += r - q;
		if (r == e)
			break;
		unsigned c = r[1], u, lo;
		q = r + 2;
		switch (c) {
		case 'b': *o++ = '\b'; continue;
		case 'f': *o++ = '\f'; continue;
		case 'n': *o++ = '\n'; continue;
		case 'r': *o++ = '\r'; continue;
		case 't': *o++ = '\t'; continue;
		case 'u': break;
		default: *o++ = (char)c; continue;   /* " \\ / */
		}
		if (hex4(q, e, &u) < 0)
			break;
		q += 4;
		if (u >= 0xD800 && u <= 0xDBFF && e - q >= 6 && hex4(q + 2, e, &lo) == 0) {
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			q += 6;
		}
		if (u == 0)
			break;
		o += utf8proc_encode_char((utf8proc_int32_t)u, (utf8proc_uint8_t *)o);
	}
	*o = '\0';
	return (size_t)(o - out);
}

char *q_span_strdup(struct q_span v, size_t *len)
{
	int str = v.p && v.n >= 2 && v.p[0] == '"';
	char *out = malloc(str ? v.n : 1);
	if (!out)
		return NULL;
	out[0] = '\0';
	size_t n = str ? span_decode(v, out) : 0;
	if (len)
		*len = n;
	return out;
}

void q_span_str(struct q_span v, char *out, size_t n)
{
	out[0] = '\0';
	if (!v.p || v.n < 2 || v.p[0] != '"')
		return;
	if (!memchr(v.p, '\\', v.n)) {
		snprintf(out, n, "%.*s", (int)(v.n - 2), v.p + 1);
		return;
	}
	json_t *j = json_loadb(v.p, v.n, JSON_DECODE_ANY, NULL);   /* escapes */
	snprintf(out, n, "%s", json_string_value(j) ?: "");
	json_decref(j);
}
