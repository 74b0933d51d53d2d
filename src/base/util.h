/* util.h: small shared helpers: capped growable buffers, time stamps,
 * UUIDs, random bytes and hex, descriptors written and read whole. */
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
/* The value of hex digit c (either case), -1 for another character. */
int q_hex_digit(int c);

/* Create directory path and any missing parents with mode (mkdir -p);
 * an existing directory is fine. 0, or -1 with errno set. */
int q_mkdir_p(const char *path, unsigned mode);

/* Strict decimal parse of a non-negative integer <= max. 0 or -1. */
int q_parse_uint(const char *s, unsigned long long max, unsigned long long *out);

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
