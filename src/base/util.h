/* util.h: small shared helpers: capped growable buffers, time stamps,
 * UUIDs, random bytes and hex. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_UTIL_H
#define QUIRE_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A growable byte buffer with a hard cap (curl's dynbuf idea). The data is
 * always NUL-terminated. Owned by the caller; release with qbuf_free. */
struct qbuf {
	char *data;
	size_t len;
	size_t alloc;
	size_t cap;     /* qbuf_add fails once len would exceed cap */
};

void qbuf_init(struct qbuf *b, size_t cap);
/* What the adding functions return besides 0: the data would pass the
 * cap (a size limit to report as such), or memory is out. */
#define QBUF_FULL (-1)
#define QBUF_NOMEM (-2)
/* 0 on success, QBUF_FULL or QBUF_NOMEM. */
int qbuf_add(struct qbuf *b, const void *p, size_t n);
int qbuf_adds(struct qbuf *b, const char *s);
int qbuf_printf(struct qbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Make room for n bytes of data (plus the NUL) without changing len or
 * the contents, so a reader can fill b->data directly. 0, QBUF_FULL past
 * the cap, or QBUF_NOMEM. */
int qbuf_reserve(struct qbuf *b, size_t n);
void qbuf_reset(struct qbuf *b);
void qbuf_free(struct qbuf *b);

/* Wall clock in microseconds since the epoch. */
int64_t q_now_us(void);
/* Monotonic clock in milliseconds. */
int64_t q_mono_ms(void);
/* ISO 8601 UTC with seconds, "2025-11-20T10:00:00Z"; out >= 21 bytes. */
void q_iso8601(int64_t us, char *out, size_t outlen);

/* Parse ISO 8601 "2025-11-20", "2025-11-20T10:00:00", with optional
 * fraction and "Z" or "+hh:mm" offset, into microseconds since the epoch
 * (UTC when no offset). 0 or -1. */
int q_parse_iso8601(const char *s, int64_t *us);

/* Cryptographic random bytes (getrandom). 0 or -1. */
int q_random(void *p, size_t n);

#define Q_UUID_STRLEN 36
/* A random (version 4) UUID in canonical lowercase form; out >= 37 bytes. */
int q_uuid_new(char *out);
/* 1 when s is a canonical UUID (any case), 0 otherwise. */
int q_uuid_valid(const char *s);
/* Parse a canonical UUID into 16 bytes. 0 or -1. */
int q_uuid_parse(const char *s, unsigned char out[16]);
/* Format 16 bytes; out >= 37 bytes. */
void q_uuid_format(const unsigned char in[16], char *out);

/* Lowercase hex of n bytes into out (>= 2n+1 bytes). */
void q_hex(const unsigned char *in, size_t n, char *out);

/* Create directory path and any missing parents with mode (mkdir -p);
 * an existing directory is fine. 0, or -1 with errno set. */
int q_mkdir_p(const char *path, unsigned mode);

/* Strict decimal parse of a non-negative integer <= max. 0 or -1. */
int q_parse_uint(const char *s, unsigned long long max, unsigned long long *out);

/* JSON text without a parse, for hot read paths. */
struct q_span {
	const char *p;   /* borrowed from the scanned text; NULL when absent */
	size_t n;
};
/* Find the top-level members names[0..n-1] of the JSON object text s
 * (len bytes): out[i] is the raw text of the value of names[i] (a string
 * keeps its quotes and escapes), {NULL, 0} when absent; for a name that
 * occurs twice, the first. A key written with escapes matches no name.
 * The text is checked as one JSON object (strings valid UTF-8 with valid
 * escapes, numbers and literals as RFC 8259 has them, nesting up to 64
 * levels), so the spans can be copied into a JSON response as they are;
 * the scan stops once every name is found, leaving the rest unread. 0, or
 * -1 when the text read is not such an object. */
int q_json_members(const char *s, size_t len, const char *const names[], struct q_span out[],
		   size_t n);
/* Append s (n bytes, UTF-8) to b as a JSON string literal, quotes
 * included, escaped as jansson's json_dumps escapes it. -1 when s is not
 * valid UTF-8 (b is then left as it was) or b is full. */
int q_json_escape(struct qbuf *b, const char *s, size_t n);
/* The value of a JSON integer (span of q_json_members); 0 for anything
 * else (as json_integer_value). */
int64_t q_span_int(struct q_span v);

/* Write all of p to fd, retrying on EINTR. 0 or -1. */
int q_write_all(int fd, const void *p, size_t n);

/* Read fd from where it is to its end, handing each piece read to
 * fn(p, n, arg) (p borrowed for the call); retries on EINTR. *total: the
 * bytes fn took. 0; -1 when a read fails (errno set); or the first
 * non-zero fn returned, which stops the reading. */
int q_read_each(int fd, int (*fn)(const void *p, size_t n, void *arg), void *arg,
		unsigned long long *total);

/* Give the file fd at least len bytes, every one backed by disk blocks
 * (posix_fallocate), so a shared mapping of it never meets a hole that a
 * full disk cannot fill (SIGBUS). 0, or -1 with errno (ENOSPC...). */
int q_back_file(int fd, off_t len);

#endif
